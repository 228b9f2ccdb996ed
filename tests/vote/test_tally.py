"""The owners' vote tally (民法典 第278条第2款): the boundaries of each measure, exact
arithmetic, owners holding several units, and properties of the tally (hypothesis)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tenderflow.domain.components.owners_vote import (
    Ballot,
    Question,
    Thresholds,
    VoteError,
    coverage_gaps,
    required_area,
    required_owners,
    tally,
)

LAW = Thresholds(participation=Fraction(2, 3), special=Fraction(3, 4),
                 majority=Fraction(1, 2))
PARKING = Question("parking", "common_parts_use", "利用共有部分设置收费停车位", ("停车收费",))
WORKS = Question("works", "majority", "改造方案", ("外墙保温",))


def ballots(answers: list[str], area: str = "100.00", question: str = "parking"
            ) -> list[Ballot]:
    return [Ballot(f"u{i}", f"o{i}", Decimal(area), {question: a})
            for i, a in enumerate(answers)]


def test_required_figures_are_the_least_that_meet_the_threshold() -> None:
    assert required_owners(9, Fraction(2, 3), False) == 6
    assert required_owners(10, Fraction(2, 3), False) == 7
    assert required_owners(1279, Fraction(2, 3), False) == 853
    assert required_owners(8, Fraction(1, 2), True) == 5  # 过半数: more than half
    assert required_owners(9, Fraction(1, 2), True) == 5
    assert required_area(Decimal("900.00"), Fraction(2, 3), False) == Decimal("600.00")
    assert required_area(Decimal("100.00"), Fraction(2, 3), False) == Decimal("66.67")
    assert required_area(Decimal("100.00"), Fraction(1, 2), True) == Decimal("50.01")


@pytest.mark.parametrize(("voters", "passed", "margin"), [(5, False, -1), (6, True, 0),
                                                          (7, True, 1)])
def test_participation_by_owners_at_two_thirds(voters: int, passed: bool, margin: int) -> None:
    # nine owners; 50 m² ballots against 900 m²: the owners measure alone is judged here
    result = tally(ballots(["yes"] * voters, area="50.00"), [PARKING], 9, Decimal("900.00"), LAW)
    assert result.owners.passed is passed
    assert result.owners.margin == margin
    assert result.owners.required == 6


@pytest.mark.parametrize(("area", "passed", "margin"), [("599.00", False, "-1.00"),
                                                        ("600.00", True, "0.00"),
                                                        ("600.01", True, "0.01")])
def test_participation_by_area_at_two_thirds(area: str, passed: bool, margin: str) -> None:
    votes = [Ballot("u1", "o1", Decimal("400.00"), {"parking": "yes"}),
             Ballot("u2", "o2", Decimal(area) - Decimal("400.00"), {"parking": "yes"})]
    result = tally(votes, [PARKING], 3, Decimal("900.00"), LAW)
    assert result.area.passed is passed
    assert result.area.margin == Decimal(margin)
    assert result.owners.passed


@pytest.mark.parametrize(("yes", "passed"), [(5, False), (6, True)])
def test_business_use_of_common_parts_needs_three_quarters(yes: int, passed: bool) -> None:
    votes = ballots(["yes"] * yes + ["no"] * (8 - yes))
    decision = tally(votes, [PARKING], 8, Decimal("800.00"), LAW).decision("parking")
    assert decision.passed is passed
    assert decision.owners.required == 6 and decision.area.required == Decimal("600.00")
    assert decision.owners.margin == yes - 6


def test_majority_matters_need_more_than_half_and_an_abstention_is_no_yes() -> None:
    votes = ballots(["yes"] * 4 + ["abstain"] * 4, question="works")
    decision = tally(votes, [WORKS], 8, Decimal("800.00"), LAW).decision("works")
    assert not decision.passed  # 4 of 8 is half, not more than half
    assert decision.owners.required == 5 and decision.owners.margin == -1
    assert decision.area.required == Decimal("400.01")
    assert decision.abstain == 4 and decision.no == 0


def test_the_area_measure_alone_can_fail() -> None:
    # six small owners say yes, two large ones say no: 6/8 owners, but 300 of 1300 m²
    votes = [Ballot(f"s{i}", f"s{i}", Decimal("50.00"), {"parking": "yes"}) for i in range(6)]
    votes += [Ballot(f"b{i}", f"b{i}", Decimal("500.00"), {"parking": "no"}) for i in range(2)]
    decision = tally(votes, [PARKING], 8, Decimal("1300.00"), LAW).decision("parking")
    assert decision.owners.passed and not decision.area.passed
    assert decision.area.required == Decimal("975.00")
    assert decision.area.margin == Decimal("-675.00")
    assert decision.failing() == [decision.area]


def test_an_owner_of_several_units_counts_once_with_the_sum_of_the_areas() -> None:
    votes = [Ballot("1-101", "张三", Decimal("60.00"), {"parking": "同意"}),
             Ballot("1-102", "张三", Decimal("40.50"), {"parking": "yes"}),
             Ballot("2-201", "李四", Decimal("70.00"), {"parking": "反对"})]
    result = tally(votes, [PARKING], 4, Decimal("200.00"), LAW)
    assert result.owners.value == 2 and result.units == 3
    # four units, 张三 holds two: three owners in all, two of whom voted
    assert result.owners.base == 3 and result.owners.required == 2 and result.owners.passed
    assert result.area.value == Decimal("170.50")
    decision = result.decision("parking")
    assert decision.owners.value == 1 and decision.area.value == Decimal("100.50")


@pytest.mark.parametrize(("votes", "problem"), [
    ([Ballot("1", "a", Decimal(1), {"parking": "yes"}),
      Ballot("1", "b", Decimal(1), {"parking": "yes"})], "unit is on ballot 1 already"),
    ([Ballot("1", "a", Decimal(1), {"parking": "yes"}),
      Ballot("2", "a", Decimal(1), {"parking": "no"})], "one owner, one answer"),
    ([Ballot("1", "a", Decimal(1), {})], "no answer to parking"),
    ([Ballot("1", "a", Decimal(1), {"parking": "maybe"})], "not one of"),
    ([Ballot("1", "a", Decimal("0.001"), {"parking": "yes"})], "two decimals"),
    ([Ballot(str(i), str(i), Decimal(1), {"parking": "yes"}) for i in range(4)],
     "4 units, more than the project's 3 households"),
    ([Ballot("1", "a", Decimal(500), {"parking": "yes"})], "more than the project's 100"),
])
def test_an_inconsistent_vote_is_not_counted(votes: list[Ballot], problem: str) -> None:
    with pytest.raises(VoteError) as err:
        tally(votes, [PARKING], 3, Decimal(100), LAW)
    assert problem in str(err.value)


def test_coverage_names_what_the_vote_does_not_decide() -> None:
    votes = ballots(["yes"] * 8)
    result = tally(votes, [PARKING], 8, Decimal("800.00"), LAW)
    scope = [{"item": "外墙保温", "matter": "majority"}, {"item": "道路", "matter": "none"}]
    revenue = [{"stream": "停车收费", "matter": "common_parts_use"},
               {"stream": "闲置用房出租", "matter": "common_parts_use"}]
    gaps = coverage_gaps(scope, revenue, result)
    # 外墙保温 is a majority matter: the parking question does not name it
    assert [(g.name, g.why) for g in gaps] == [
        ("外墙保温", "no question of the vote covers it"),
        ("闲置用房出租", "no question of the vote covers it")]
    wide = Question("parking", "common_parts_use", "停车与出租", ("停车收费", "闲置用房出租",
                                                              "外墙保温"))
    assert coverage_gaps(scope, revenue, tally(votes, [wide], 8, Decimal(800), LAW)) == []


def test_coverage_refuses_a_special_matter_voted_at_the_majority_measure() -> None:
    question = Question("parking", "majority", "停车", ("停车收费",))
    result = tally(ballots(["yes"] * 8, question="parking"), [question], 8, Decimal(800), LAW)
    gaps = coverage_gaps([], [{"stream": "停车收费", "matter": "common_parts_use"}], result)
    assert len(gaps) == 1 and "it is a common_parts_use matter" in gaps[0].why


def test_coverage_refuses_a_question_that_did_not_pass_and_a_name_the_project_lacks() -> None:
    question = Question("parking", "common_parts_use", "停车", ("停车收费", "电梯广告"))
    result = tally(ballots(["yes"] * 5 + ["no"] * 3), [question], 8, Decimal(800), LAW)
    gaps = coverage_gaps([], [{"stream": "停车收费", "matter": "common_parts_use"}], result)
    assert [g.name for g in gaps] == ["停车收费", "电梯广告"]
    assert "did not pass" in gaps[0].why and "has no scope item" in gaps[1].why


# ----------------------------------------------------------------------------- properties

ANSWER = st.sampled_from(["yes", "no", "abstain"])
AREA = st.integers(min_value=1, max_value=500_00).map(lambda c: Decimal(c) / 100)


@st.composite
def votes(draw: st.DrawFn) -> tuple[list[Ballot], int, Decimal]:
    n = draw(st.integers(min_value=1, max_value=25))
    owners = draw(st.lists(st.integers(min_value=0, max_value=n - 1), min_size=n, max_size=n))
    answer_of = {o: draw(ANSWER) for o in set(owners)}
    out = [Ballot(f"u{i}", f"o{o}", draw(AREA), {"parking": answer_of[o]})
           for i, o in enumerate(owners)]
    extra_owners = draw(st.integers(min_value=0, max_value=10))
    extra_area = draw(AREA) if draw(st.booleans()) else Decimal(0)
    total_area = sum((b.area for b in out), Decimal(0)) + extra_area
    return out, len(out) + extra_owners, total_area


@settings(max_examples=200, deadline=None)
@given(votes(), AREA, st.sampled_from(["common_parts_use", "majority"]))
def test_a_further_yes_never_turns_a_pass_into_a_refusal(vote: tuple[list[Ballot], int, Decimal],
                                                         area: Decimal, matter: str) -> None:
    ballots_, owners_total, area_total = vote
    question = Question("parking", matter, "q", ("x",))
    before = tally(ballots_, [question], owners_total, area_total, LAW)
    more = [*ballots_, Ballot("new", "new-owner", area, {"parking": "yes"})]
    after = tally(more, [question], owners_total + 1, area_total + area, LAW)
    # the new owner's household and area join the totals and the participants: participation
    # cannot fall below its threshold, nor the decision among the participants
    if before.passed:
        assert after.passed
    if before.decision("parking").passed:
        assert after.decision("parking").passed
    assert after.decision("parking").owners.margin >= before.decision("parking").owners.margin


@settings(max_examples=200, deadline=None)
@given(votes(), st.sampled_from(["common_parts_use", "majority"]))
def test_margins_are_consistent_with_the_exact_fractions(vote: tuple[list[Ballot], int, Decimal],
                                                         matter: str) -> None:
    ballots_, owners_total, area_total = vote
    result = tally(ballots_, [Question("parking", matter, "q", ("x",))], owners_total,
                   area_total, LAW)
    decision = result.decision("parking")
    for m in (result.owners, result.area, decision.owners, decision.area):
        exact = Fraction(m.value) / Fraction(m.base) if m.base else Fraction(0)
        meets = exact > m.ratio if m.strict else exact >= m.ratio
        assert m.passed is meets, m
        assert m.passed is (m.margin >= 0)
        # the required figure is the least that meets the threshold: one step less does not
        step = 1 if m.measure == "owners" else Fraction(1, 100)
        below = (Fraction(m.required) - step) / Fraction(m.base)
        assert not (below > m.ratio if m.strict else below >= m.ratio)
    assert decision.owners.value + decision.no + decision.abstain == result.owners.value
