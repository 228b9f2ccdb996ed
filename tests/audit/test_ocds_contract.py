"""The PPP contract's implementation releases (tenderflow.audit.ocds_contract): the 劲松
example's contract (contract:PPP-JS-001, run with every example as the demo does) exported in
its procurement's process validates against the vendored OCDS for PPPs schema and carries the
milestones (the late one flagged), the payments as transactions and the variation as an
amendment; the performance evaluation's and revenue's shapes map to metrics, performance
failures and charges that validate; a termination publishes the compensation."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from tenderflow.audit.ocds import release_package, schema_errors
from tenderflow.audit.ocds_contract import performance, revenue

JS = "PPP-JS-001"


def _contract_releases(package: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in package["releases"]
            if r["ocid"].endswith(f"-{JS}") and r["id"].startswith(f"{JS}-contract-")]


def test_the_jinsong_contract_releases_validate_and_carry_its_implementation(
        package: dict[str, Any]) -> None:
    assert schema_errors(package) == []
    releases = _contract_releases(package)
    assert releases and {t for r in releases for t in r["tag"]} == {"implementation",
                                                                    "contractAmendment"}
    last = releases[-1]
    [contract] = last["contracts"]
    assert contract["status"] == "active" and contract["value"]["amount"] == 39500000
    impl = contract["implementation"]
    milestones = {m["id"]: m for m in impl["milestones"]}
    assert [milestones[m]["status"] for m in ("M1", "M2", "M3", "M4")] == \
        ["met", "met", "met", "scheduled"]
    assert milestones["M2"]["dueDate"] == "2024-09-30T23:59:59+08:00"
    assert milestones["M2"]["dateMet"] == "2024-11-14T23:59:59+08:00"
    assert "逾期45天完成：电梯井道与燃气管线冲突" in milestones["M2"]["description"]
    assert "逾期" not in milestones["M1"]["description"]
    assert [(t["value"], t["date"], t["payer"]["name"]) for t in impl["transactions"]] == [
        ({"amount": 3000000, "currency": "CNY"}, "2024-12-30T00:00:00+08:00",
         "北京市朝阳区住房和城乡建设委员会"),
        ({"amount": 912000, "currency": "CNY"}, "2025-09-30T00:00:00+08:00",
         "劲松西社区居民（停车服务费）")]
    roles = {p["id"]: p["roles"] for p in last["parties"]}
    assert "payer" in roles[impl["transactions"][0]["payer"]["id"]]
    assert "payee" in roles[impl["transactions"][0]["payee"]["id"]]
    assert [(a["id"], a["rationale"]) for a in contract["amendments"]] == [
        ("V1", "居民电动自行车充电需求")]
    assert impl["documents"][0]["documentType"] == "completionCertificate"
    # as of the day M2 was recorded, M3 (planned 2024-10-31) was open and past due
    at_m2 = next(r for r in releases if any(
        m.get("dateMet", "").startswith("2024-11-14")
        for m in r["contracts"][0]["implementation"].get("milestones", ())))
    m3 = [m for m in at_m2["contracts"][0]["implementation"]["milestones"] if m["id"] == "M3"]
    assert m3[0]["status"] == "notMet"


def test_contract_id_names_the_procurements_process(all_examples: Any) -> None:
    from tenderflow.store.eventstore import EventStore

    store = EventStore(f"sqlite:///{all_examples}")
    try:
        by_contract = release_package(store, [f"contract:{JS}"])
        by_procurement = release_package(store, [JS])
    finally:
        store.dispose()
    assert by_contract == by_procurement and _contract_releases(by_contract)


# PerformanceEvaluated and RevenueRecorded as their helper records them (issue 16), built here.
EVALUATED = {"year": 2026, "kpis": [
    {"id": "K1", "name": "设施完好率", "unit": "%", "target": "95", "actual": "97.5",
     "passed": True},
    {"id": "K2", "name": "电梯故障响应时间", "unit": "分钟", "target": "30", "actual": "42",
     "passed": False}],
    "satisfaction": {"surveyed": 400, "satisfied": 316, "rate": "0.7900",
                     "threshold": "0.8000", "passed": False},
    "score": "78.50", "passed": False, "deduction": "120000.00"}
REVENUE = {"year": 2026, "streams": {"物业服务费": "2400000.00", "停车服务费": "1100000.00"},
           "plan": {"物业服务费": "2600000.00", "停车服务费": "1248480.00"},
           "shortfall_ratio": "0.0905"}


def _with(package: dict[str, Any], impl: dict[str, Any]) -> dict[str, Any]:
    out = deepcopy(package)
    release = _contract_releases(out)[-1]
    out["releases"] = [release]
    release["contracts"][0]["implementation"] = impl
    return out


def test_performance_and_revenue_map_to_metrics_failures_and_charges(
        package: dict[str, Any]) -> None:
    impl: dict[str, Any] = {}
    performance(impl, EVALUATED, JS)
    revenue(impl, REVENUE)
    assert schema_errors(_with(package, impl)) == []
    metrics = {m["id"]: m for m in impl["metrics"]}
    assert [(o["id"], o["measure"], o["unit"]) for o in metrics["kpi-K2"]["observations"]] == [
        ("2026-target", 30, {"name": "分钟"}), ("2026-actual", 42, {"name": "分钟"})]
    assert metrics["kpi-K1"]["observations"][1]["measure"] == 97.5
    assert metrics["residents-satisfaction"]["observations"][1]["measure"] == 0.79
    assert metrics["performance-score"]["observations"][0]["measure"] == 78.5
    assert metrics["revenue-shortfall"]["observations"][0]["measure"] == 0.0905
    failures = {f["id"]: f for f in impl["performanceFailures"]}
    assert set(failures) == {"2026-K2", "2026-satisfaction"}
    assert "120000.00" in failures["2026-K2"]["penaltyImposed"]
    assert failures["2026-K2"]["period"]["startDate"] == "2026-01-01T00:00:00+08:00"
    charges = {c["id"]: c for c in impl["charges"]}
    assert charges["2026-停车服务费"]["estimatedValue"]["amount"] == 1248480
    assert charges["2026-停车服务费"]["actualValue"]["amount"] == 1100000
    assert charges["2026-停车服务费"]["paidBy"] == "user"
    assert impl["documents"][0]["documentType"] == "performanceReport"
    # a second year adds its observations; a year evaluated again replaces its own
    performance(impl, {**EVALUATED, "year": 2027, "kpis": [
        {**EVALUATED["kpis"][1], "actual": "25", "passed": True}],
        "satisfaction": {**EVALUATED["satisfaction"], "rate": "0.9000", "passed": True},
        "score": "92.00", "passed": True, "deduction": "0.00"}, JS)
    assert [o["id"] for o in {m["id"]: m for m in impl["metrics"]}["kpi-K2"]["observations"]] \
        == ["2026-target", "2026-actual", "2027-target", "2027-actual"]
    assert {f["id"] for f in impl["performanceFailures"]} == {"2026-K2", "2026-satisfaction"}
    assert schema_errors(_with(package, impl)) == []


def test_a_year_without_failures_has_no_failure_list(package: dict[str, Any]) -> None:
    impl: dict[str, Any] = {}
    performance(impl, {**EVALUATED, "kpis": [EVALUATED["kpis"][0]],
                       "satisfaction": {**EVALUATED["satisfaction"], "passed": True},
                       "passed": True, "deduction": "0.00"}, JS)
    assert "performanceFailures" not in impl  # the schema wants at least one when present
    assert schema_errors(_with(package, impl)) == []


def test_a_termination_publishes_the_compensation_and_ends_the_contract(registered: Any) -> None:
    from tests.unit.test_termination import _terminated

    _terminated(registered, "force_majeure", "地震致设施损毁")
    package = release_package(registered.store, ["CN-2023-020"])
    assert schema_errors(package) == []
    last = package["releases"][-1]
    [contract] = last["contracts"]
    assert contract["status"] == "terminated"
    [doc] = [d for d in contract["implementation"]["documents"]
             if d["documentType"] == "termination"]
    assert "不可抗力" in doc["description"] and "2520000.00元" in doc["description"]
