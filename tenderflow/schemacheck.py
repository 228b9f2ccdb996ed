"""Checking a JSON Schema against the 2020-12 meta-schema, once per schema text.

Every command loads the event catalogue and the workflows, and each carries JSON Schemas that
must themselves be valid. Checking one against the meta-schema costs about 5 ms (jsonschema
walks the meta-schema's dynamic references), ~0.6 s for the 120 schemas a command loads, more
than the command's own work. The result depends only on the schema's text and the jsonschema
release, so a schema found valid is remembered by the SHA-256 of both in a per-user cache
file; an edited schema has a new hash and is checked again. Only valid schemas are recorded,
so a lost or unwritable cache costs time, never a check.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

CACHE_ENV = "TENDERFLOW_CACHE_DIR"


def cache_file() -> Path:
    base = os.environ.get(CACHE_ENV) or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
        "tenderflow")
    return Path(base) / "valid-schemas.txt"


@cache
def _valid_keys(path: Path) -> set[str]:
    try:
        return set(path.read_text(encoding="ascii").split())
    except (OSError, UnicodeDecodeError):
        return set()


def _key(schema: Any) -> str:
    text = json.dumps(schema, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{_jsonschema_version()}\n{text}".encode()).hexdigest()


@cache
def _jsonschema_version() -> str:
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
    Draft202012Validator.check_schema(schema)
    known.add(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="ascii") as f:
            f.write(key + "\n")
    except OSError:
        pass
