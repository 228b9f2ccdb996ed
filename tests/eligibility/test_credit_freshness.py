"""Fail closed on credit lists (财库〔2016〕125号; issue 12 item 1): a list never imported, or
older than credit.list_max_age_days at the check date, leaves its rule not checked - never a
pass - and the candidate is not eligible. The features (features/eligibility/信用名单时效.feature,
信用查询时段.feature) show it through the services; these tests pin the domain and the
scenario step."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tenderflow.app.scenario import load_scenario
from tenderflow.domain.credit import CREDIT_LISTS
from tenderflow.domain.eligibility import NOT_CHECKED, PASS, evaluate
from tenderflow.errors import InputError
from tenderflow.workflow.rulesets import load_ruleset

from ._builders import AT, RENOVATION, consortium, procurement, supplier

CREDIT_RULES = ("credit.dishonest_judgment_debtor", "credit.major_tax_violation",
                "credit.procurement_serious_dishonesty")


def imported(as_of: date, lists: tuple[str, ...] = CREDIT_LISTS) -> dict[str, dict[str, str]]:
    return {name: {"as_of": as_of.isoformat(), "imported_at": f"{as_of}T08:00:00+08:00",
                   "file": "credit_lists.csv"} for name in lists}


def verdicts(imports: object, candidates: list | None = None, who: str = "A") -> dict:
    ruleset = load_ruleset(RENOVATION)
    result = evaluate(ruleset, candidates or [supplier("A", 1)], procurement=procurement(),
                      credit_imports=imports, credit_max_age_days=7,  # type: ignore[arg-type]
                      suppliers=[supplier("M1", 2), supplier("M2", 3)] if candidates else ())
    c = result.candidate(who)
    return {"eligible": c.eligible, **{o.rule: o.verdict for o in c.outcomes
                                       if o.rule in CREDIT_RULES}}


@pytest.mark.parametrize("imports, verdict, eligible", [
    ({}, NOT_CHECKED, False),                                   # never imported
    (imported(AT), PASS, True),                                  # as of the check day
    (imported(date(2025, 5, 25)), PASS, True),                  # 7 days old: still fresh
    (imported(date(2025, 5, 24)), NOT_CHECKED, False),          # 8 days old: stale
    (None, PASS, True),                                          # recorded before imports were
])
def test_a_credit_rule_is_checked_only_against_a_fresh_list(imports: object, verdict: str,
                                                           eligible: bool) -> None:
    found = verdicts(imports)
    assert found == {"eligible": eligible, **dict.fromkeys(CREDIT_RULES, verdict)}


def test_one_missing_list_leaves_its_rule_alone_not_checked() -> None:
    found = verdicts(imported(AT, CREDIT_LISTS[:2]))
    assert found["credit.procurement_serious_dishonesty"] == NOT_CHECKED
    assert found["credit.dishonest_judgment_debtor"] == PASS and not found["eligible"]


def test_a_consortium_is_not_checked_when_its_members_are_not() -> None:
    found = verdicts({}, [consortium("C", ["M1", "M2"])], who="C")
    assert found["credit.dishonest_judgment_debtor"] == NOT_CHECKED and not found["eligible"]


def _scenario(tmp_path: Path, step: str) -> Path:
    (tmp_path / "credit.csv").write_text(
        "list,uscc,name,listed_on,removed_on,source\n", encoding="utf-8")
    path = tmp_path / "s.yaml"
    path.write_text("procurements: []\nsteps:\n  - " + step + "\n", encoding="utf-8")
    return path


STEP = '{at: "2023-03-03T09:00+08:00", as: "staff:wang", credit_import: {file: credit.csv, %s}}'


@pytest.mark.parametrize("step, field", [
    (STEP % 'as_of: "2023-03-04", lists: [失信被执行人]', "credit_import.as_of"),
    (STEP % "lists: [黑名单]", "credit_import.lists"),
    (STEP % 'since: "2023-03-01"', "credit_import.since"),
    ('{at: "2023-03-03T09:00+08:00", credit_import: {file: credit.csv}}', "as"),
])
def test_a_bad_credit_import_step_is_refused_before_anything_is_written(
        tmp_path: Path, step: str, field: str) -> None:
    with pytest.raises(InputError) as err:
        load_scenario(_scenario(tmp_path, step))
    assert err.value.context.get("field") == field, err.value.message


def test_a_good_credit_import_step_loads(tmp_path: Path) -> None:
    sc = load_scenario(_scenario(tmp_path, STEP % 'as_of: "2023-03-03", lists: [失信被执行人]'))
    assert sc.steps[0]["credit_import"]["lists"] == ["失信被执行人"]
