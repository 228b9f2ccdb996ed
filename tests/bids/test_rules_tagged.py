"""Every rule a guard of this area enforces, and every parameter it added, is tagged in a
feature (STYLE 10: the features are the living statement of policy)."""

from __future__ import annotations

import re
from pathlib import Path

from tenderflow.app.procurement import load_parameters
from tenderflow.domain.state import GUARDS

ROOT = Path(__file__).resolve().parents[2]
AREA_PARAMETERS = ("negotiation.bond_refund_withdrawn", "negotiation.bond_refund_unsuccessful",
                   "tender.bond_refund_withdrawn_days",
                   "negotiation.objection_working_days",
                   "negotiation.objection_answer_working_days",
                   "negotiation.contract_within_days", "award.abnormally_low_ratio")


def tags() -> set[str]:
    found: set[str] = set()
    for feature in (ROOT / "features").rglob("*.feature"):
        found.update(re.findall(r"(?<![\w@])@([\w.\-]+)", feature.read_text(encoding="utf-8")))
    return found


def test_every_negotiation_and_bid_guard_rule_is_tagged() -> None:
    rules = {spec.rule for spec in GUARDS.values()
             if spec.fn.__module__ in ("tenderflow.domain.modes.negotiation.decisions",
                                       "tenderflow.domain.modes.negotiation.calculators",
                                       "tenderflow.domain.modes.open_tender.evaluation",
                                       "tenderflow.domain.modes.open_tender.calculators")}
    assert len(rules) >= 20
    assert sorted(rules - tags()) == []


def test_the_area_parameters_exist_are_marked_and_tagged() -> None:
    params = load_parameters()
    for key in AREA_PARAMETERS:
        assert key in params
    assert params.get("award.abnormally_low_ratio").status == "unconfirmed"
    assert sorted(set(AREA_PARAMETERS) - tags()) == []
