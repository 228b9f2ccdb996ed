"""Checking a JSON Schema against the 2020-12 meta-schema, once per schema text.

Every command loads the event catalogue and the workflows, and each carries JSON Schemas that
must themselves be valid. Checking one against the meta-schema costs about 5 ms (jsonschema
walks the meta-schema's dynamic references), ~0.6 s for the 120 schemas a command loads, more
than the command's own work. The result depends only on the schema's text and the jsonschema
release, so a schema found valid is remembered by the SHA-256 of both in a per-user cache
file; an edited schema has a new hash and is checked again. Only valid schemas are recorded,
so a lost or unwritable cache costs time, never a check. jsonschema itself is imported only
when a schema has to be walked, and its release is read from its installed metadata without
importing it (importing jsonschema and :mod:`importlib.metadata` cost a read command ~40 ms,
issue 17).
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from tenderflow.usercache import CACHE_ENV, cache_dir

__all__ = ["CACHE_ENV", "cache_file", "check_schema", "schema_error"]



def cache_file() -> Path:
    return cache_dir() / "valid-schemas.txt"


@cache
def _valid_keys(path: Path) -> set[str]:
    try:
        return set(path.read_text(encoding="ascii").split())
    except (OSError, UnicodeDecodeError):
        return set()


def _key(schema: Any) -> str:
    text = json.dumps(schema, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{_jsonschema_version()}\n{text}".encode()).hexdigest()


_DIST_INFO = re.compile(r"^jsonschema-([^-]+)\.dist-info$")


@cache
def _jsonschema_version() -> str:
    """The installed jsonschema's version: the name of its ``.dist-info`` folder beside the
    package when there is exactly one, else what :mod:`importlib.metadata` says."""
    spec = find_spec("jsonschema")
    if spec is not None and spec.origin:
        folder = Path(spec.origin).parent.parent
        try:
            found = [m.group(1) for p in folder.iterdir() if (m := _DIST_INFO.match(p.name))]
        except OSError:
            found = []
        if len(found) == 1:
            return found[0]
    from importlib.metadata import version

    return version("jsonschema")


def check_schema(schema: Any) -> None:
    """Raise :class:`jsonschema.exceptions.SchemaError` unless ``schema`` is a valid 2020-12
    schema; a schema already found valid (same text, same jsonschema) is not walked again."""
    path = cache_file()
    key = _key(schema)
    known = _valid_keys(path)
    if key in known:
        return
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(schema)
    known.add(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="ascii") as f:
            f.write(key + "\n")
    except OSError:
        pass


def schema_error(schema: Any) -> str | None:
    """What the meta-schema finds wrong with ``schema`` (the SchemaError's message), or None
    when it is valid; callers need not import jsonschema to catch the error."""
    try:
        check_schema(schema)
    except Exception as exc:
        # jsonschema is imported already: check_schema raised
        from jsonschema.exceptions import SchemaError

        if not isinstance(exc, SchemaError):
            raise
        return str(exc.message)
    return None
