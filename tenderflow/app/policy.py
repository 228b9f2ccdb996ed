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


def rule_status(rule: str) -> str | None:
    """The status (P | secondary | unconfirmed) of a rule id: its parameter
    (``workflows/parameters.yaml``), its entry in ``workflows/rules.yaml`` or a rule of an
    eligibility ruleset in ``workflows/eligibility/``; None when none holds it."""
    from tenderflow.app.common import load_parameters
    from tenderflow.domain.rulebook import status_of
    from tenderflow.workflow.rulebook import load_rules

    found = status_of(rule, params=load_parameters(), rules=load_rules())
    if found is None:
        from tenderflow.errors import TenderflowError
        from tenderflow.workflow.rulesets import (
            available_rulesets,
            load_ruleset,
            ruleset_path,
        )

        for name in available_rulesets():
            try:
                found = status_of(rule, ruleset=load_ruleset(ruleset_path(name)))
            except TenderflowError:  # a ruleset that does not load labels nothing
                continue
            if found is not None:
                break
    return found


def labelled(exc: Any) -> Any:
    """A trigger's refusal with each refusal labelled with its rule's status (refusals the
    engine labelled keep theirs); any other error unchanged."""
    from tenderflow.domain.rulebook import with_status
    from tenderflow.errors import TriggerRefused

    if not isinstance(exc, TriggerRefused) or all(r.status for r in exc.refusals):
        return exc
    refusals = [with_status(r, rule_status(r.rule)) for r in exc.refusals]
    return TriggerRefused(exc.context["procurement"], exc.context["trigger"],
                          exc.context["state"], refusals)
