"""The eligibility check: every rule for every candidate, with value seen, threshold and source."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tenderflow.app.eligibility import load_credit_csv
from tenderflow.domain.eligibility import (
    FAIL,
    NOT_APPLICABLE,
    PASS,
    WARN,
    EligibilityResult,
    Ruleset,
    evaluate,
    normalise_profile,
)
from tenderflow.errors import InputError
from tenderflow.workflow.rulesets import load_ruleset

from ._builders import AT, DATA, RENOVATION, consortium, procurement, supplier, uscc


@pytest.fixture(scope="module")
def ruleset() -> Ruleset:
    return load_ruleset(RENOVATION)


@pytest.fixture(scope="module")
def credit() -> list:
    return load_credit_csv(DATA / "credit_lists.csv")


def run(ruleset: Ruleset, candidates: list, credit: list = (), **kw) -> EligibilityResult:
    suppliers = kw.pop("suppliers", ())
    return evaluate(ruleset, candidates, procurement=procurement(**kw), credit_entries=credit,
                    suppliers=suppliers)


# --------------------------------------------------------------------------- a clean candidate

def test_a_clean_candidate_passes_every_rule_with_its_source(ruleset: Ruleset) -> None:
    result = run(ruleset, [supplier("A", 1)])
    a = result.candidate("A")
    assert a.eligible
    assert [o.rule for o in a.outcomes] == list(ruleset.rule_ids)
    verdicts = {o.rule: o.verdict for o in a.outcomes}
    assert verdicts["consortium.lower_grade"] == NOT_APPLICABLE
    assert verdicts["consortium.joint_agreement"] == NOT_APPLICABLE
    assert {v for r, v in verdicts.items() if not r.startswith("consortium.")
            or r == "consortium.member_also_bidding"} == {PASS}
    for outcome in a.outcomes:
        assert outcome.source == ruleset.rule(outcome.rule).source
        assert outcome.title_zh and outcome.title_en and outcome.evidence
    assert result.ruleset["content_hash"] == ruleset.content_hash


def test_result_is_plain_json_and_deterministic(ruleset: Ruleset, credit: list) -> None:
    candidates = [supplier("A", 1, records=[{"kind": "fine", "amount": "3000000.00",
                                             "date": "2024-01-01", "authority": "某局",
                                             "description": "罚款"}]),
                  supplier("B", 11)]
    first = run(ruleset, candidates, credit).to_dict()
    second = run(ruleset, candidates, credit).to_dict()
    assert first == second
    json.dumps(first, ensure_ascii=False)


# --------------------------------------------------------------------------- done-when cases

def test_done_when_candidate_on_a_credit_list_fails_citing_125(ruleset: Ruleset,
                                                               credit: list) -> None:
    result = run(ruleset, [supplier("X", 11), supplier("A", 1)], credit)
    x = result.candidate("X")
    assert not x.eligible
    o = x.outcome("credit.dishonest_judgment_debtor")
    assert o.verdict == FAIL
    assert o.source == "财库〔2016〕125号"
    assert o.status == "secondary"
    assert o.value[0]["list"] == "失信被执行人" and o.value[0]["listed_on"] == "2024-03-01"
    assert "2025-06-01" in o.threshold
    assert x.outcome("credit.major_tax_violation").verdict == PASS
    assert result.candidate("A").eligible


def test_done_when_major_illegal_record_two_years_ago_fails(ruleset: Ruleset) -> None:
    record = {"kind": "large_fine", "date": "2023-06-01", "authority": "成都市市场监督管理局",
              "description": "较大数额罚款"}
    x = run(ruleset, [supplier("X", 2, records=[record])]).candidate("X")
    o = x.outcome("gpl22.major_illegal_record")
    assert o.verdict == FAIL and not x.eligible
    assert "政府采购法 第22条" in o.source and "政府采购法实施条例 第19条" in o.source
    assert o.value["blocking"] and "2023-06-01 large_fine" in o.value["blocking"][0]
    assert "2022-06-01" in o.threshold


def test_done_when_expired_debarment_does_not_block(ruleset: Ruleset) -> None:
    record = {"kind": "debarment", "date": "2023-01-01", "until": "2024-12-31",
              "authority": "四川省财政厅", "description": "禁止参加政府采购活动一年"}
    x = run(ruleset, [supplier("X", 3, records=[record])]).candidate("X")
    o = x.outcome("gpl22.major_illegal_record")
    assert o.verdict == PASS and x.eligible
    assert "政府采购法实施条例 第19条" in o.source
    assert "debarment expired" in o.value["disregarded"][0]


def test_debarment_in_force_blocks_even_outside_the_window(ruleset: Ruleset) -> None:
    record = {"kind": "debarment", "date": "2020-01-01", "until": "2025-06-01",
              "authority": "财政部", "description": "禁止参加政府采购活动"}
    o = run(ruleset, [supplier("X", 3, records=[record])]).candidate("X").outcome(
        "gpl22.major_illegal_record")
    assert o.verdict == FAIL and "in force" in o.reason


def test_done_when_consortium_member_bidding_alone_fails_both(ruleset: Ruleset) -> None:
    candidates = [supplier("A", 1), consortium("AB", ["A", "B"]), supplier("C", 3)]
    result = run(ruleset, candidates, suppliers=[supplier("B", 2)])
    for cid in ("A", "AB"):
        c = result.candidate(cid)
        o = c.outcome("consortium.member_also_bidding")
        assert o.verdict == FAIL and not c.eligible, cid
        assert "政府采购法实施条例 第22条" in o.source
    assert result.candidate("AB").outcome("consortium.member_also_bidding").value == [
        {"supplier": "A", "also_in": "A", "as": "alone"}]
    assert result.candidate("C").eligible


def test_member_in_two_consortia_fails_both(ruleset: Ruleset) -> None:
    candidates = [consortium("AB", ["A", "B"]), consortium("AC", ["A", "C"])]
    result = run(ruleset, candidates,
                 suppliers=[supplier("A", 1), supplier("B", 2), supplier("C", 3)])
    assert not result.candidate("AB").eligible and not result.candidate("AC").eligible
    o = result.candidate("AC").outcome("consortium.member_also_bidding")
    assert o.value == [{"supplier": "A", "also_in": "AB", "as": "in consortium"}]


def test_done_when_two_candidates_share_a_legal_representative(ruleset: Ruleset) -> None:
    candidates = [supplier("A", 1, legal_representative="王建国"),
                  supplier("B", 2, legal_representative="王 建国"), supplier("C", 3)]
    result = run(ruleset, candidates)
    for cid, other in (("A", "B"), ("B", "A")):
        o = result.candidate(cid).outcome("relation.shared_legal_representative")
        assert o.verdict == FAIL and not result.candidate(cid).eligible
        assert o.value[0]["other_candidate"] == other
        assert "政府采购法实施条例 第18条" in o.source and "招标投标法实施条例 第34条" in o.source
    assert result.candidate("C").eligible


def test_same_name_but_different_identity_numbers_is_not_the_same_person(
        ruleset: Ruleset) -> None:
    candidates = [supplier("A", 1, legal_representative="张伟",
                           legal_representative_id="510100198001010011"),
                  supplier("B", 2, legal_representative="张伟",
                           legal_representative_id="510100199002020022")]
    result = run(ruleset, candidates)
    assert result.candidate("A").outcome("relation.shared_legal_representative").verdict == PASS


# --------------------------------------------------------------------------- the 3-year window

@pytest.mark.parametrize(("day", "verdict"), [
    ("2021-06-01", PASS),     # four years before
    ("2022-05-31", PASS),     # one day outside
    ("2022-06-01", FAIL),     # three years to the day: still within (民法典 第201条)
    ("2023-06-01", FAIL),     # two years before
    ("2025-06-01", FAIL),     # the check date itself
    ("2025-06-02", PASS),     # after the check date: not yet a record at that date
])
@pytest.mark.parametrize("kind", ["criminal_penalty", "suspension", "licence_revocation",
                                  "large_fine"])
def test_major_record_window(ruleset: Ruleset, kind: str, day: str, verdict: str) -> None:
    record = {"kind": kind, "date": day, "authority": "某机关", "description": "处罚"}
    o = run(ruleset, [supplier("X", 2, records=[record])]).candidate("X").outcome(
        "gpl22.major_illegal_record")
    assert o.verdict == verdict


@given(st.dates(min_value=date(2005, 1, 1), max_value=date(2035, 12, 31)),
       st.integers(min_value=-2000, max_value=2000))
def test_window_boundary_property(at: date, offset: int) -> None:
    ruleset = load_ruleset(RENOVATION)
    day = at + timedelta(days=offset)
    record = {"kind": "criminal_penalty", "date": day, "authority": "法院", "description": "x"}
    o = evaluate(ruleset, [supplier("X", 2, records=[record])],
                 procurement={"id": "P", "at": at, "investment": "40000000.00"}).candidate(
        "X").outcome("gpl22.major_illegal_record")
    try:
        start = at.replace(year=at.year - 3)
    except ValueError:
        start = at.replace(year=at.year - 3, day=28)
    assert (o.verdict == FAIL) == (start <= day <= at)


def test_small_fine_and_warning_are_not_major(ruleset: Ruleset) -> None:
    records = [{"kind": "fine", "amount": "50000.00", "date": "2024-01-01", "authority": "某局",
                "description": "罚款"},
               {"kind": "warning", "date": "2024-02-01", "authority": "某局",
                "description": "警告"}]
    o = run(ruleset, [supplier("X", 2, records=records)]).candidate("X").outcome(
        "gpl22.major_illegal_record")
    assert o.verdict == PASS and len(o.value["disregarded"]) == 2


def test_fine_at_the_large_fine_threshold_is_major(ruleset: Ruleset) -> None:
    records = [{"kind": "fine", "amount": "2000000.00", "date": "2024-01-01", "authority": "某局",
                "description": "罚款"}]
    o = run(ruleset, [supplier("X", 2, records=records)]).candidate("X").outcome(
        "gpl22.major_illegal_record")
    assert o.verdict == FAIL


# --------------------------------------------------------------------------- credit lists

def test_entry_removed_before_the_check_date_passes(ruleset: Ruleset, credit: list) -> None:
    x = run(ruleset, [supplier("X", 12)], credit).candidate("X")
    assert x.outcome("credit.major_tax_violation").verdict == PASS and x.eligible


def test_entry_listed_after_the_check_date_passes_then_fails_later(ruleset: Ruleset,
                                                                    credit: list) -> None:
    assert run(ruleset, [supplier("X", 13)], credit).candidate("X").eligible
    later = run(ruleset, [supplier("X", 13)], credit, at="2025-06-03")
    o = later.candidate("X").outcome("credit.procurement_serious_dishonesty")
    assert o.verdict == FAIL


def test_check_date_must_lie_between_notice_and_deadline(ruleset: Ruleset) -> None:
    with pytest.raises(InputError, match="after the bid deadline"):
        run(ruleset, [supplier("A", 1)], at="2025-06-06")
    with pytest.raises(InputError, match="before the notice"):
        run(ruleset, [supplier("A", 1)], at="2025-05-09")


def test_listed_consortium_member_fails_the_consortium(ruleset: Ruleset, credit: list) -> None:
    result = run(ruleset, [consortium("AX", ["A", "X"])], credit,
                 suppliers=[supplier("A", 1), supplier("X", 11)])
    o = result.candidate("AX").outcome("credit.dishonest_judgment_debtor")
    assert o.verdict == FAIL and "member X" in o.reason
    assert o.threshold.startswith("every member")


# --------------------------------------------------------------------------- profile conditions

@pytest.mark.parametrize(("field", "rule"), [
    ("independent_civil_liability", "gpl22.independent_civil_liability"),
    ("accounts_sound", "gpl22.reputation_and_accounts"),
    ("good_commercial_reputation", "gpl22.reputation_and_accounts"),
    ("has_equipment_and_technical_capacity", "gpl22.equipment_and_technical_capacity"),
    ("tax_social_security_ok", "gpl22.tax_and_social_security"),
])
def test_each_gpl22_condition(ruleset: Ruleset, field: str, rule: str) -> None:
    o = run(ruleset, [supplier("X", 2, **{field: False})]).candidate("X").outcome(rule)
    assert o.verdict == FAIL and o.value[field] is False
    assert o.source == "政府采购法 第22条" and o.threshold == ruleset.rule(rule).expression


def test_a_missing_fact_fails_and_says_which(ruleset: Ruleset) -> None:
    profile = supplier("X", 2)
    del profile["tax_social_security_ok"]
    o = run(ruleset, [profile]).candidate("X").outcome("gpl22.tax_and_social_security")
    assert o.verdict == FAIL and "tax_social_security_ok" in o.reason


# --------------------------------------------------------------------------- qualification

@pytest.mark.parametrize(("held", "required", "verdict"), [
    ("二级", "三级", PASS), ("三级", "三级", PASS), ("三级", "二级", FAIL), ("特级", "一级", PASS),
    ("一级", "特级", FAIL),
])
def test_qualification_grade_within_scope(ruleset: Ruleset, held: str, required: str,
                                          verdict: str) -> None:
    quals = [{"type": "建筑工程施工总承包", "grade": held}]
    o = run(ruleset, [supplier("X", 2, qualifications=quals)],
            required_qualification={"type": "建筑工程施工总承包", "min_grade": required}
            ).candidate("X").outcome("qualification.scope")
    assert o.verdict == verdict and o.value == f"建筑工程施工总承包 {held}"
    assert "建筑法" in o.source


def test_expired_or_other_type_of_qualification_does_not_count(ruleset: Ruleset) -> None:
    quals = [{"type": "建筑工程施工总承包", "grade": "一级", "valid_until": "2025-05-31"},
             {"type": "市政公用工程施工总承包", "grade": "一级"}]
    o = run(ruleset, [supplier("X", 2, qualifications=quals)]).candidate("X").outcome(
        "qualification.scope")
    assert o.verdict == FAIL


def test_consortium_is_rated_at_the_lower_grade(ruleset: Ruleset) -> None:
    members = [supplier("A", 1, qualifications=[{"type": "建筑工程施工总承包", "grade": "一级"}]),
               supplier("B", 2, qualifications=[{"type": "建筑工程施工总承包", "grade": "三级"}])]
    req = {"type": "建筑工程施工总承包", "min_grade": "二级"}
    result = run(ruleset, [consortium("AB", ["A", "B"])], suppliers=members,
                 required_qualification=req)
    ab = result.candidate("AB")
    o = ab.outcome("consortium.lower_grade")
    assert o.verdict == FAIL and o.value["consortium_grade"] == "三级"
    assert "建筑法 第27条" in o.source
    assert ab.outcome("qualification.scope").verdict == NOT_APPLICABLE


def test_consortium_member_without_the_type_does_not_lower_the_grade(ruleset: Ruleset) -> None:
    members = [supplier("A", 1, qualifications=[{"type": "建筑工程施工总承包", "grade": "一级"}]),
               supplier("B", 2, qualifications=[{"type": "电子与智能化工程专业承包",
                                                 "grade": "二级"}])]
    result = run(ruleset, [consortium("AB", ["A", "B"])], suppliers=members,
                 required_qualification={"type": "建筑工程施工总承包", "min_grade": "一级"})
    assert result.candidate("AB").outcome("consortium.lower_grade").verdict == PASS


def test_consortium_members_each_meet_gpl22(ruleset: Ruleset) -> None:
    members = [supplier("A", 1), supplier("B", 2, tax_social_security_ok=False)]
    ab = run(ruleset, [consortium("AB", ["A", "B"])], suppliers=members).candidate("AB")
    o = ab.outcome("gpl22.tax_and_social_security")
    assert o.verdict == FAIL and "member B" in o.reason
    assert o.value == {"A": {"tax_social_security_ok": True},
                       "B": {"tax_social_security_ok": False}}


def test_consortium_without_joint_agreement_fails(ruleset: Ruleset) -> None:
    ab = run(ruleset, [consortium("AB", ["A", "B"], agreement=False)],
             suppliers=[supplier("A", 1), supplier("B", 2)]).candidate("AB")
    assert ab.outcome("consortium.joint_agreement").verdict == FAIL


# --------------------------------------------------------------------------- financial capacity

def test_financial_capacity_is_relative_to_investment_and_a_warning(ruleset: Ruleset) -> None:
    x = run(ruleset, [supplier("X", 2, net_assets="7999999.99")]).candidate("X")
    o = x.outcome("finance.capacity")
    assert o.verdict == WARN and x.eligible
    assert o.value == "7999999.99" and "8000000.00" in o.threshold
    assert o.status == "unconfirmed"
    small = run(ruleset, [supplier("X", 2, net_assets="7999999.99")],
                investment="30000000.00").candidate("X")
    assert small.outcome("finance.capacity").verdict == PASS


def test_consortium_net_assets_are_counted_together(ruleset: Ruleset) -> None:
    members = [supplier("A", 1, net_assets="5000000.00"),
               supplier("B", 2, net_assets="3000000.00")]
    o = run(ruleset, [consortium("AB", ["A", "B"])], suppliers=members).candidate(
        "AB").outcome("finance.capacity")
    assert o.verdict == PASS and o.value["total"] == "8000000.00"


# --------------------------------------------------------------------------- relations

def test_direct_control_link_fails_both(ruleset: Ruleset) -> None:
    candidates = [supplier("A", 1), supplier("B", 2, controlled_by=["A"])]
    result = run(ruleset, candidates)
    for cid in ("A", "B"):
        o = result.candidate(cid).outcome("relation.control_link")
        assert o.verdict == FAIL and "政府采购法实施条例 第18条" in o.source


def test_control_link_by_uscc(ruleset: Ruleset) -> None:
    result = run(ruleset, [supplier("A", 1), supplier("B", 2, controlled_by=[uscc(1)])])
    assert not result.candidate("A").eligible


def test_common_parent_is_a_warning(ruleset: Ruleset) -> None:
    candidates = [supplier("A", 1, controlled_by=["集团"]),
                  supplier("B", 2, controlled_by=["集团"])]
    o = run(ruleset, candidates).candidate("A").outcome("relation.control_link")
    assert o.verdict == WARN


def test_members_of_one_consortium_may_be_related(ruleset: Ruleset) -> None:
    members = [supplier("A", 1, legal_representative="李四"),
               supplier("B", 2, legal_representative="李四", controlled_by=["A"])]
    ab = run(ruleset, [consortium("AB", ["A", "B"])], suppliers=members).candidate("AB")
    assert ab.eligible


def test_prior_designer_is_barred(ruleset: Ruleset) -> None:
    result = run(ruleset, [supplier("A", 1), supplier("D", 4)], prior_service_providers=["D"])
    o = result.candidate("D").outcome("relation.prior_service_provider")
    assert o.verdict == FAIL and o.source == "政府采购法实施条例 第18条"
    assert result.candidate("A").eligible


# --------------------------------------------------------------------------- input validation

def test_unknown_consortium_member_is_refused(ruleset: Ruleset) -> None:
    with pytest.raises(InputError, match="consortium member 'B' has no supplier profile"):
        run(ruleset, [consortium("AB", ["A", "B"])], suppliers=[supplier("A", 1)])


def test_duplicate_candidate_is_refused(ruleset: Ruleset) -> None:
    with pytest.raises(InputError, match="twice"):
        run(ruleset, [supplier("A", 1), supplier("A", 2)])


@pytest.mark.parametrize(("change", "field"), [
    ({"uscc": "91510100000000011X"}, "uscc"),
    ({"accounts_sound": "yes"}, "accounts_sound"),
    ({"net_assets": 1.5}, "net_assets"),
    ({"records": [{"kind": "scolding", "date": "2024-01-01", "authority": "a",
                   "description": "b"}]}, "kind"),
    ({"records": [{"kind": "fine", "date": "2024-01-01", "authority": "a",
                   "description": "b"}]}, "amount"),
    ({"qualifications": [{"type": "建筑工程施工总承包", "grade": "四级"}]}, "grade"),
])
def test_profile_errors_name_the_field(change: dict, field: str) -> None:
    with pytest.raises(InputError) as err:
        normalise_profile(supplier("X", 2, **change), file="suppliers.yaml")
    assert err.value.context["field"] == field
    assert err.value.context["file"] == "suppliers.yaml"


def test_consortium_profile_carries_no_supplier_facts() -> None:
    data = consortium("AB", ["A", "B"]) | {"net_assets": "1.00"}
    with pytest.raises(InputError, match="members"):
        normalise_profile(data)


def test_investment_is_needed_for_financial_capacity(ruleset: Ruleset) -> None:
    with pytest.raises(InputError, match="investment"):
        evaluate(ruleset, [supplier("A", 1)], procurement={"id": "P", "at": AT})


def test_check_date_may_be_a_business_time(ruleset: Ruleset) -> None:
    from datetime import UTC, datetime

    # 2025-05-31 17:00 UTC is 2025-06-01 01:00 in Beijing: the check date is 2025-06-01.
    at = datetime(2025, 5, 31, 17, 0, tzinfo=UTC)
    result = run(ruleset, [supplier("A", 1)], at=at)
    assert result.at == AT


def test_profile_error_names_the_candidate(ruleset: Ruleset) -> None:
    with pytest.raises(InputError) as err:
        run(ruleset, [supplier("A", 1), supplier("B", 2, accounts_sound="yes")])
    assert err.value.context["location"] == "candidate B"
    assert err.value.context["field"] == "accounts_sound"


def test_ruleset_fields_of_type_date_and_list_work_in_expressions(tmp_path) -> None:
    import yaml

    from tenderflow.workflow.rulesets import read_ruleset_data

    data = read_ruleset_data(RENOVATION)
    data["fields"]["safety_licence_valid_until"] = {"type": "date",
                                                    "description": "安全生产许可证有效期至"}
    data["fields"]["certificates"] = {"type": "list[string]", "description": "持有的证书"}
    data["rules"].append({
        "id": "works.safety_licence", "title": {"zh": "具有有效的安全生产许可证",
                                                "en": "Valid work-safety licence"},
        "source": "安全生产许可证条例 第2条", "status": "unconfirmed", "severity": "disqualify",
        "evidence": ["安全生产许可证"],
        "expression": "safety_licence_valid_until >= d'2025-06-01' and '安全生产许可证' in "
                      "certificates"})
    path = tmp_path / "r.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    ruleset = load_ruleset(path)
    ok = supplier("A", 1, safety_licence_valid_until="2026-01-01", certificates=["安全生产许可证"])
    late = supplier("B", 2, safety_licence_valid_until="2025-05-31",
                    certificates=["安全生产许可证"])
    result = run(ruleset, [ok, late])
    assert result.candidate("A").outcome("works.safety_licence").verdict == PASS
    o = result.candidate("B").outcome("works.safety_licence")
    assert o.verdict == FAIL and o.value["safety_licence_valid_until"] == "2025-05-31"
