"""The policy facade: the fair-competition review (公平竞争审查) of an eligibility ruleset named
by file or by its name in ``workflows/eligibility/`` (``tenderflow policy lint``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def ruleset_file(ruleset: str) -> Path:
    """The file a RULESET argument names: a path, or else a ruleset name."""
    from tenderflow.workflow.rulesets import RULESET_NAME, ruleset_path

    path = Path(ruleset)
    if not path.exists() and RULESET_NAME.match(ruleset):
        path = ruleset_path(ruleset, field="RULESET")
    return path


def lint(path: Path) -> list[Any]:
    """The review's findings (empty when clean); a malformed file is InputError."""
    from tenderflow.workflow.rulesets import lint_ruleset_file

    return lint_ruleset_file(path)


def load(path: Path) -> Any:
    """The ruleset in ``path`` (its id, version, content hash and rules)."""
    from tenderflow.workflow.rulesets import load_ruleset

    return load_ruleset(path)
