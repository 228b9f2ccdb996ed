"""What opening a procurement stores of its ruleset (identity and exact data), refused when
the ruleset fails the lint, and its rebuild with a hash check (audit replay)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tenderflow.domain.eligibility.lint import lint_ruleset
from tenderflow.domain.eligibility.ruleset import Ruleset
from tenderflow.errors import DefinitionError, RulesetRefused


@dataclass(frozen=True)
class PinnedRuleset:
    """What a procurement stores when it opens: the ruleset's identity and its exact data."""

    id: str
    version: str
    content_hash: str
    data: Mapping[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version, "content_hash": self.content_hash,
                "data": copy.deepcopy(dict(self.data))}


def pin_ruleset(ruleset: Ruleset) -> PinnedRuleset:
    """Lint then pin a ruleset for an opening procurement; refuses one that fails the lint."""
    findings = lint_ruleset(ruleset)
    if findings:
        raise RulesetRefused(f"{ruleset.id} {ruleset.version}", findings)
    return PinnedRuleset(ruleset.id, ruleset.version, ruleset.content_hash, ruleset.to_data())


def ruleset_from_pinned(pinned: PinnedRuleset | Mapping[str, Any]) -> Ruleset:
    """Rebuild a pinned ruleset (audit replay); the data must still have the pinned hash."""
    stored = pinned.to_dict() if isinstance(pinned, PinnedRuleset) else dict(pinned)
    ruleset = Ruleset.from_data(stored["data"], file=f"pinned ruleset {stored.get('id')}")
    if ruleset.content_hash != stored["content_hash"]:
        raise DefinitionError(
            f"pinned ruleset {stored.get('id')} {stored.get('version')}: data hashes to "
            f"{ruleset.content_hash}, pinned as {stored['content_hash']}",
            ruleset=stored.get("id"), expected=stored["content_hash"],
            actual=ruleset.content_hash)
    return ruleset
