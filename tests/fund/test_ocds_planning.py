"""The project's planning release (tenderflow.audit.ocds_project) validates against the OCDS
for PPPs release package schema and carries budget, project, finance and risk allocation."""

from __future__ import annotations

from typing import Any

from tenderflow.audit.ocds import schema_errors
from tenderflow.audit.ocds_project import planning_release

PROJECT = {"id": "BJ-JS-01", "name": "劲松北社区综合整治", "city": "北京市", "district": "朝阳区",
           "community": "劲松北社区", "implementing_agency": {"name": "劲松街道办事处"},
           "scope": [{"item": "屋面防水", "category": "基础类", "cost": "30000000.00"},
                     {"item": "加装电梯", "category": "完善类", "cost": "10000000.00"}]}
DATA = {"sources": [{"kind": "social_capital", "amount": "30000000.00", "party": "愿景集团"},
                    {"kind": "central_subsidy", "amount": "10000000.00"},
                    {"kind": "residents", "amount": "0.00"}],
        "guarantees": [{"guarantor": "某银行", "kind": "bank", "debtor": "social_capital",
                        "amount": "5000000.00"}],
        "ppp": {"form": "concession", "payment": "user_pay", "concession_years": 10,
                "private_stake": "1", "category": "market",
                "risks": [{"category": "construction", "allocation": "privateParty"},
                          {"category": "changeInLaw", "allocation": "publicAuthority",
                           "notes": "法律变更由政府承担"}]}}


def package(release: dict[str, Any]) -> dict[str, Any]:
    return {"uri": "urn:test", "version": "1.1", "publishedDate": release["date"],
            "publisher": {"name": "tenderflow"}, "releases": [release]}


def test_the_planning_release_validates_and_carries_the_ppp_fields() -> None:
    release = planning_release("ocds-tndrfl", PROJECT, DATA, "40000000.00", "BJ-JS-01-0007",
                               "2023-09-01T09:00:00+08:00")
    assert schema_errors(package(release)) == []
    planning = release["planning"]
    assert planning["budget"]["amount"] == {"amount": 40000000, "currency": "CNY"}
    finance = {f["id"]: f for f in planning["budget"]["finance"]}
    assert set(finance) == {"BJ-JS-01-1-social_capital", "BJ-JS-01-2-central_subsidy",
                            "BJ-JS-01-guarantee-1"}  # a zero source is not a financing
    assert finance["BJ-JS-01-1-social_capital"]["type"] == "shares.unlisted"
    assert finance["BJ-JS-01-1-social_capital"]["source"] == "愿景集团"
    assert finance["BJ-JS-01-guarantee-1"]["type"] == "guarantee"
    assert planning["project"]["totalValue"]["amount"] == 40000000
    assert [c["id"] for c in planning["project"]["additionalClassifications"]] == ["基础类",
                                                                                   "完善类"]
    assert "特许经营" in planning["rationale"] and "使用者付费" in planning["rationale"]
    (contract,) = release["contracts"]
    assert contract["status"] == "pending"
    assert [(r["category"], r["allocation"]) for r in contract["riskAllocation"]] == [
        ("construction", "privateParty"), ("changeInLaw", "publicAuthority")]
    assert contract["financeSummary"]["shareCapital"]["amount"] == 30000000


def test_a_project_without_ppp_terms_has_no_contract_and_a_bad_field_is_caught() -> None:
    release = planning_release("ocds-tndrfl", PROJECT, {"sources": [{"kind": "residents", "amount": "40000000.00"}]},
                               "40000000.00", "BJ-JS-01-0007", "2023-09-01T09:00:00+08:00")
    assert "contracts" not in release and schema_errors(package(release)) == []
    data = {**DATA, "ppp": {**DATA["ppp"], "risks": [{"category": "", "allocation": "x"}]}}
    bad = planning_release("ocds-tndrfl", PROJECT, data, "40000000.00", "r", "2023-09-01T09:00"
                           ":00+08:00")
    assert bad["contracts"][0]["riskAllocation"][0]["allocation"] == "undefined"
    assert any("category" in e for e in schema_errors(package(bad)))
