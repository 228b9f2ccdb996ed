"""The rule status registry read at the edge: ``workflows/rules.yaml`` (the rules without a
number; see :mod:`tenderflow.domain.rulebook`), cached by modification time, and the refusals
of a decision labelled with their rules' status."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tenderflow.domain.parameters import Parameters
from tenderflow.domain.rulebook import RuleBook, annotate
from tenderflow.errors import Refusal

RULES_FILE = "rules.yaml"

_CACHE: dict[tuple[str, float], RuleBook] = {}


def rules_path(root: Path | None = None) -> Path:
    from tenderflow.paths import workflows_dir

    return (root or workflows_dir()) / RULES_FILE


def load_rules(root: Path | None = None) -> RuleBook:
    """``workflows/rules.yaml`` (under ``root`` when given); a malformed file raises InputError
    naming the file, the rule id and the field."""
    from tenderflow.errors import InputError
    from tenderflow.workflow.definitions import load_yaml

    path = rules_path(root)
    if not path.exists():
        raise InputError("the rule status file is missing", file=str(path),
                         expected="workflows/rules.yaml mapping rule ids to "
                                  "{title, source, status}")
    key = (str(path), path.stat().st_mtime)
    if key not in _CACHE:
        _CACHE[key] = RuleBook(load_yaml(path, remember=True), file=str(path))
    return _CACHE[key]


def labelled(refusals: Iterable[Refusal], params: Parameters | None, ruleset: Any = None,
             rules: RuleBook | None = None) -> list[Refusal]:
    """The refusals, each labelled with its rule's status (parameters, rules.yaml or the
    pinned eligibility ruleset)."""
    return annotate(refusals, params=params, rules=rules if rules is not None else load_rules(),
                    ruleset=ruleset)

