"""回避: a member related to a candidate, and the composition of a committee."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from tenderflow.domain.components.committee import (
    Composition,
    candidate_of,
    relations,
    screen,
)

CANDIDATE = candidate_of("S-HXJS", {"name": "四川华西城市建设有限公司", "legal_representative": "陈红",
                                    "controlled_by": ["四川华西集团有限公司"]})


@pytest.mark.parametrize("member,relation", [
    ({"name": "甲", "affiliations": ["S-HXJS"]}, "affiliated with the supplier (id)"),
    ({"name": "甲", "affiliations": ["四川华西城市建设有限公司"]},
     "affiliated with the supplier (name)"),
    ({"name": "甲", "affiliations": [" 四川华西城市建设 有限公司 "]},
     "affiliated with the supplier (name)"),
    ({"name": "甲", "affiliations": ["ｓ－ｈｘｊｓ"]}, "affiliated with the supplier (id)"),
    ({"name": "甲", "affiliations": ["陈红"]},
     "affiliated with the supplier's legal representative"),
    ({"name": "甲", "affiliations": ["四川华西集团有限公司"]},
     "affiliated with a controller of the supplier"),
    ({"name": "陈红"}, "the member is the supplier's legal representative"),
])
def test_related_members(member: dict[str, Any], relation: str) -> None:
    [r] = relations(member, CANDIDATE)[:1]
    assert r.relation == relation and r.supplier == "S-HXJS"
    assert r.to_dict()["reason"].startswith(f"{member['name']} is related to S-HXJS: ")


@pytest.mark.parametrize("member", [
    {"name": "甲", "affiliations": ["四川华西城市建设有限公司成都分公司"]},
    {"name": "甲", "affiliations": ["", "成都建工城市更新有限公司"]},
    {"name": "甲"},
])
def test_unrelated_members(member: dict[str, Any]) -> None:
    assert relations(member, CANDIDATE) == []


def test_screen_gives_one_recusal_per_member_and_candidate() -> None:
    other = candidate_of("S-CDJG", {"name": "成都建工城市更新有限公司", "legal_representative": "李建国"})
    members = [{"name": "甲", "affiliations": ["S-HXJS", "陈红"]},
               {"name": "乙", "affiliations": ["李建国"]}, {"name": "丙"}]
    found = screen(members, [CANDIDATE, other])
    assert [(r.member, r.supplier) for r in found] == [("甲", "S-HXJS"), ("乙", "S-CDJG")]


def people(*roles: str) -> list[dict[str, Any]]:
    return [{"name": f"m{i}", "role": r} for i, r in enumerate(roles)]


@pytest.mark.parametrize("members,kinds", [
    (people("expert", "expert", "purchaser_representative"), []),
    (people("expert", "purchaser_representative"), ["size", "odd", "expert_share"]),
    (people("expert", "expert", "expert", "purchaser_representative"), ["odd"]),
    (people("expert", "purchaser_representative", "purchaser_representative"), ["expert_share"]),
    ([{"name": "a", "role": "expert"}] * 3, ["duplicate"]),
])
def test_composition(members: list[dict[str, Any]], kinds: list[str]) -> None:
    comp = Composition(3, Fraction(2, 3))
    assert [k for k, _, _ in comp.problems(members)] == kinds


def test_ppp_needs_a_finance_and_a_legal_expert() -> None:
    comp = Composition(5, Fraction(2, 3), ("finance_expert", "legal_expert"))
    five = people("expert", "expert", "finance_expert", "expert", "purchaser_representative")
    [(kind, _, numbers)] = comp.problems(five)
    assert kind == "roles" and numbers == {"missing_roles": ["legal_expert"]}
    five[0]["role"] = "legal_expert"
    assert comp.problems(five) == []
