"""Every rule id is the tag of some policy feature (STYLE 10): each key of
workflows/parameters.yaml, and each rule the guards of the open tender, PPP and delegation
modes (and re-opening) name — so a policy writer finds every rule in features/."""

from __future__ import annotations

import re
from pathlib import Path

from tenderflow.app.procurement import load_parameters
from tenderflow.domain.state import GUARDS
from tenderflow.workflow.definitions import load_workflow
from tests.modes.test_walk import _literals

ROOT = Path(__file__).resolve().parents[2]
OWN_MODES = ("open_tender", "delegation")


def tags_in(text: str) -> set[str]:
    """The tags of a feature: only lines that are tag lines count, not prose."""
    tags: set[str] = set()
    for line in text.splitlines():
        if line.strip().startswith("@"):
            tags.update(re.findall(r"@([\w.\-]+)", line))
    return tags


def feature_tags() -> set[str]:
    tags: set[str] = set()
    for feature in (ROOT / "features").rglob("*.feature"):
        tags |= tags_in(feature.read_text(encoding="utf-8"))
    return tags


def test_every_parameter_rule_id_is_tagged_in_a_feature() -> None:
    tags = feature_tags()
    missing = sorted(p.key for p in load_parameters() if p.key not in tags)
    assert not missing, f"rule ids of workflows/parameters.yaml tagged in no feature: {missing}"


def test_every_rule_the_mode_guards_name_is_tagged_in_a_feature() -> None:
    tags = feature_tags()
    rules: set[str] = set()
    for mode in OWN_MODES:
        for t in load_workflow(mode).transitions:
            rules.update(GUARDS[g].rule for g in t.guards)
    rules.update(r for r in _literals()["refusal"] if not r.startswith("negotiation."))
    missing = sorted(r for r in rules if r not in tags)
    assert not missing, f"rules named by guards but tagged in no feature: {missing}"


def test_tags_are_read_from_tag_lines_only() -> None:
    """A rule id that only appears in prose does not count as tagged."""
    sample = "功能: x\n  说明 @tender.bid_period_min_days 在正文里\n  @tender.bidders_min @ppp.x\n"
    assert tags_in(sample) == {"tender.bidders_min", "ppp.x"}
