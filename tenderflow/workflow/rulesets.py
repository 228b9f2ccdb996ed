"""Eligibility rulesets as policy data: ``workflows/eligibility/<name>.yaml`` read strictly
(duplicate keys refused), built by :mod:`tenderflow.domain.eligibility` (which reads no file),
cached by modification time, and the rebuild of the ruleset a procurement pinned when it opened.

Errors name the file, the line (YAML) or the location and field (the domain's validation)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from tenderflow.domain.eligibility import (
    LintFinding,
    PinnedRuleset,
    Ruleset,
    build_ruleset,
    check_options,
    lint_ruleset,
    pin_ruleset,
    ruleset_from_pinned,
)
from tenderflow.errors import DefinitionError, InputError, NotFound, RulesetRefused
from tenderflow.yamlio import SafeBase

DEFAULT_RULESET = "renovation"
RULESET_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")

_LOADED: dict[tuple[str, float], Ruleset] = {}
# the lint's findings by file and content (an opening lints the ruleset it pins: re-reading
# and re-building it was 12 ms of every opening, issue 17)
_LINTED: dict[tuple[str, str], list[LintFinding]] = {}
_PINNED: dict[str, Ruleset] = {}


# --------------------------------------------------------------------------- reading a file

class _StrictLoader(SafeBase):  # type: ignore[valid-type,misc]
    """SafeLoader that refuses duplicate keys (PyYAML keeps the last one silently)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_ruleset_data(path: str | Path) -> dict[str, Any]:
    """Parse a ruleset file into plain data (no validation beyond YAML and duplicate keys)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(p)) from None
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        location = f"line {mark.line + 1}" if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"not valid YAML: {problem}", file=str(p), location=location) from None
    if not isinstance(data, dict):
        raise InputError("a ruleset is a mapping with id, version, title, fields, parameters "
                         "and rules", file=str(p))
    return data


def load_ruleset(path: str | Path, *, strict: bool = True) -> Ruleset:
    """Load and validate a ruleset file; expressions are compiled against its fields. With
    ``strict=False`` an expression over an unknown field loads (for the lint to report it)."""
    return build_ruleset(read_ruleset_data(path), file=str(path), strict=strict)


def lint_ruleset_file(path: str | Path) -> list[LintFinding]:
    """The fair-competition review of a ruleset file, read leniently so that an expression
    over an unknown field is reported as a finding instead of stopping the load. Structural
    errors still raise :class:`InputError`."""
    return lint_ruleset(load_ruleset(path, strict=False))


def pin_ruleset_file(path: str | Path) -> PinnedRuleset:
    """Lint then pin a ruleset file; a file failing the lint is refused naming the file."""
    findings = lint_ruleset_file(path)
    if findings:
        raise RulesetRefused(str(path), findings)
    return pin_ruleset(load_ruleset(path))


# --------------------------------------------------------------------------- named rulesets

def rulesets_dir(root: Path | None = None) -> Path:
    from tenderflow.paths import workflows_dir

    return (root or workflows_dir()) / "eligibility"


def available_rulesets(root: Path | None = None) -> list[str]:
    folder = rulesets_dir(root)
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def ruleset_path(name: Any, root: Path | None = None, *, field: str = "options.ruleset") -> Path:
    """The file of a ruleset named in a procurement's options."""
    if not isinstance(name, str) or not RULESET_NAME.match(name):
        raise InputError(f"ruleset name {name!r}", field=field,
                         expected="a ruleset in workflows/eligibility/ named by its file stem, "
                                  "e.g. renovation")
    path = rulesets_dir(root) / f"{name}.yaml"
    if not path.is_file():
        known = ", ".join(available_rulesets(root)) or "none"
        raise NotFound(f"no eligibility ruleset {name!r} in {rulesets_dir(root)} (known: {known})",
                       ruleset=name)
    return path


def load_ruleset_file(path: Path) -> Ruleset:
    """Load (and cache by modification time) a ruleset file, strictly."""
    key = (str(path), path.stat().st_mtime)
    if key not in _LOADED:
        _LOADED[key] = load_ruleset(path)
    return _LOADED[key]


def ruleset_for_opening(options: Mapping[str, Any] | None, root: Path | None = None,
                        default: str | None = None) -> Ruleset:
    """The ruleset an opening procurement pins: ``options.ruleset``, else ``default`` (the
    mode's ``ruleset:``, e.g. delegation), else renovation; refused with
    :class:`RulesetRefused` (exit 1) if it fails the fairness lint. Validates the eligibility
    options (``required_qualification``, ``prior_service_providers``, ``investment``) on the
    way."""
    options = options or {}
    check_options(options)
    path = ruleset_path(options.get("ruleset", default or DEFAULT_RULESET), root)
    try:
        key = (str(path), hashlib.sha256(path.read_bytes()).hexdigest())
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from None
    if key not in _LINTED:
        _LINTED[key] = lint_ruleset_file(path)
    findings = _LINTED[key]
    if findings:
        raise RulesetRefused(str(path), findings)
    return load_ruleset_file(path)


# --------------------------------------------------------------------------- pinned rulesets

#: Looks a pinned definition up by its hash: (kind, name, canonical body), or None
#: (:meth:`tenderflow.store.eventstore.Tx.definition`).
Definition = Callable[[str], "tuple[str, str, str] | None"]


def pinned_ruleset(digest: str, definition: Definition) -> Ruleset:
    """The ruleset pinned under ``digest`` in the definitions table, rebuilt and hash-checked."""
    if digest not in _PINNED:
        row = definition(digest)
        if row is None or row[0] != "ruleset":
            raise DefinitionError(f"pinned ruleset {digest} is missing from the definitions "
                                  "table", ruleset=digest)
        _kind, name, body = row
        data = json.loads(body)
        ident, _, version = name.partition(" ")
        _PINNED[digest] = ruleset_from_pinned({"id": ident, "version": version,
                                               "content_hash": digest, "data": data})
    return _PINNED[digest]


def ruleset_of(state: Mapping[str, Any], definition: Definition) -> Ruleset | None:
    """The ruleset pinned into a procurement when it opened (None if opened before)."""
    pinned = state.get("ruleset")
    return pinned_ruleset(pinned["content_hash"], definition) if pinned else None
