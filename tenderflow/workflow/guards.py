"""The guards a workflow may name, known without importing the whole domain (issue 17).

:data:`tenderflow.domain.state.GUARDS` is built by importing every module of
:data:`tenderflow.domain.state.MODULES` (~60 dataclasses: about a third of a read command's
start). ``status``, ``next`` and ``list`` need far less: the names of the guards (to check a
workflow's ``guards:`` when it loads) and, for ``status``/``next`` on a procurement that is not
in a final state, the guards of the transitions from its current state.

:func:`guard_index` is guard name → the module that defines it, as :data:`GUARDS` says. It is
kept in the per-user cache (:func:`tenderflow.usercache.cache_dir`) under the SHA-256 of every
source file of ``tenderflow/domain`` (path and content) and the Python version; the entry is
checked against the SHA-256 it starts with. A domain edited, an entry damaged or missing, or a
cache that cannot be read or written: the index is computed from :data:`GUARDS` itself (the
whole domain imported, as before). :class:`LazyGuards` is the table the engine evaluates: it
imports the one module a guard is defined in, and takes the guard from it with the same
:func:`tenderflow.domain.rules.guards_of` (the same function object :data:`GUARDS` holds);
once :mod:`tenderflow.domain.state` has been imported, by anything, its :data:`GUARDS` answers.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Mapping
from functools import cache, lru_cache
from hashlib import sha256
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from tenderflow.usercache import cache_dir, write_atomically

if TYPE_CHECKING:
    from tenderflow.domain.rules import GuardSpec

FORMAT = b"guard-index 1"
DOMAIN = Path(__file__).resolve().parents[1] / "domain"
_STATE = "tenderflow.domain.state"


def domain_digest(root: Path = DOMAIN) -> str:
    """SHA-256 over every ``.py`` file under ``root`` (its path from ``root`` and its bytes),
    in a fixed order, with the Python version; OSError when one cannot be read."""
    digest = sha256(FORMAT + b"\n" + sys.version.encode())
    found = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            path = os.path.join(folder, name)
            with open(path, "rb") as fh:
                body = fh.read()
            rel = os.path.relpath(path, root).encode()
            digest.update(b"%d:%s%d:" % (len(rel), rel, len(body)))
            digest.update(body)
            found += 1
    if not found:
        raise OSError(f"no domain sources under {root}")
    return digest.hexdigest()


def _entry(digest: str) -> Path:
    return cache_dir() / "guards" / f"{digest}.json"


def _loaded() -> Mapping[str, GuardSpec] | None:
    """:data:`~tenderflow.domain.state.GUARDS` when the whole domain is already imported."""
    state = sys.modules.get(_STATE)
    return None if state is None else state.GUARDS  # type: ignore[no-any-return]


def _computed() -> dict[str, str]:
    from tenderflow.domain.state import GUARDS

    return {name: spec.fn.__module__ for name, spec in GUARDS.items()}


def _read(path: Path) -> dict[str, str] | None:
    """The index kept at ``path``, or None if it is missing, damaged or not an index."""
    try:
        kept = path.read_bytes()
        if sha256(kept[32:]).digest() != kept[:32]:
            return None
        index = json.loads(kept[32:].decode("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(index, dict) or not index or not all(
            isinstance(k, str) and isinstance(v, str) and v.startswith("tenderflow.domain.")
            for k, v in index.items()):
        return None
    return index


@lru_cache(maxsize=1)
def guard_index() -> dict[str, str]:
    """Guard name → the name of the domain module that defines it (see the module's note)."""
    if _loaded() is not None:
        return _computed()
    try:
        path = _entry(domain_digest())
    except OSError:
        return _computed()
    index = _read(path)
    if index is not None:
        return index
    index = _computed()
    body = json.dumps(index, sort_keys=True).encode()
    try:
        write_atomically(path, sha256(body).digest() + body)
    except OSError:  # an unwritable cache costs time, never a result
        pass
    return index


@cache
def _guards_in(module: str) -> dict[str, GuardSpec]:
    from tenderflow.domain.rules import guards_of

    return guards_of([import_module(module)])


class LazyGuards(Mapping[str, "GuardSpec"]):
    """:data:`tenderflow.domain.state.GUARDS` as a mapping that imports a guard's module when
    the guard is looked up (see the module's note)."""

    def __getitem__(self, name: str) -> GuardSpec:
        loaded = _loaded()
        if loaded is not None:
            return loaded[name]
        spec = _guards_in(guard_index()[name]).get(name)
        if spec is None:  # not where the index says: ask the whole domain
            from tenderflow.domain.state import GUARDS

            return GUARDS[name]
        return spec

    def __contains__(self, name: object) -> bool:
        return name in guard_index()

    def __iter__(self) -> Iterator[str]:
        return iter(guard_index())

    def __len__(self) -> int:
        return len(guard_index())


GUARD_TABLE = LazyGuards()
