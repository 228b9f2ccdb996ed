"""Eligibility wired into the system: the ruleset pinned at opening, credit lists recorded as
events, the check recorded as EligibilityChecked, the gate on inviting and responding, replay."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tenderflow.app import eligibility as es
from tenderflow.domain.credit import CREDIT_LISTS
from tenderflow.errors import (
    InputError,
    InvalidTrigger,
    NotFound,
    RoleNotAllowed,
    RulesetRefused,
    TriggerRefused,
)
from tenderflow.paths import examples_dir, workflows_dir
from tenderflow.workflow.rulesets import load_ruleset
from tests.conftest import HISTORIC, REGISTERED_AT, at

from ._builders import DATA

CREDIT = examples_dir() / "data" / "credit_lists.csv"
GROUP = {"members": [{"name": "刘专家", "role": "expert"}, {"name": "周专家", "role": "expert"},
                     {"name": "采购人代表张", "role": "purchaser_representative"}]}


def invite(*ids: str) -> dict[str, Any]:
    return {"suppliers": [{"id": s, "recommended_by": "public_notice"} for s in ids]}


def events(services: Any, stream: str) -> list[Any]:
    with services.store.reading() as tx:
        return list(tx.read_stream(stream))


def count(services: Any) -> int:
    with services.store.reading() as tx:
        return int(tx.count_events())


@pytest.fixture
def lot(registered: Any) -> Any:
    """A competitive negotiation opened on 2025-05-06 with the example credit lists recorded;
    the negotiating group is formed, so suppliers could be invited next."""
    es.import_credit_lists(registered, CREDIT, "staff:wang", at("2025-05-06T08:00+08:00"),
                           lists=CREDIT_LISTS)
    registered.open_procurement("CN-E", "CD-HH-2023", "competitive_negotiation", "staff:wang",
                                at("2025-05-06T09:00+08:00"))
    registered.fire("CN-E", "approve_method", {"ground": "complex_or_special",
                                               "justification": "加装电梯与管线迁改交织"},
                    "staff:wang", at("2025-05-06T10:00+08:00"))
    registered.fire("CN-E", "form_group", GROUP, "staff:wang", at("2025-05-07T10:00+08:00"))
    return registered


def outcome(report: dict[str, Any], candidate: str, rule: str) -> dict[str, Any]:
    [c] = [c for c in report["candidates"] if c["candidate"] == candidate]
    [o] = [o for o in c["outcomes"] if o["rule"] == rule]
    return o


def eligible(report: dict[str, Any], candidate: str) -> bool:
    return bool(next(c for c in report["candidates"] if c["candidate"] == candidate)["eligible"])


# --------------------------------------------------------------------------- pinning

def test_opening_pins_the_ruleset_in_every_event_and_the_definitions_table(lot: Any) -> None:
    ruleset = load_ruleset(workflows_dir() / "eligibility" / "renovation.yaml")
    evs = events(lot, "procurement:CN-E")
    assert {e.pins["ruleset"] for e in evs} == {ruleset.content_hash}
    assert evs[0].payload["ruleset"] == {"id": "renovation", "version": "2025.1",
                                         "content_hash": ruleset.content_hash}
    assert lot.state("CN-E")["ruleset"]["content_hash"] == ruleset.content_hash
    with lot.store.reading() as tx:
        kind, name, body = tx.definition(ruleset.content_hash)
    assert (kind, name) == ("ruleset", "renovation 2025.1")
    assert json.loads(body) == ruleset.to_data()


def definitions_copy(tmp_path: Path, extra: dict[str, Path]) -> Path:
    root = tmp_path / "workflows"
    shutil.copytree(workflows_dir(), root)
    for name, source in extra.items():
        shutil.copy(source, root / "eligibility" / f"{name}.yaml")
    return root


def test_a_ruleset_failing_the_lint_cannot_be_pinned(registered: Any, tmp_path: Path) -> None:
    from tenderflow.app.procurement import Services

    root = definitions_copy(tmp_path, {"state_owned": DATA / "discriminatory.yaml"})
    services = Services(registered.store, definitions_root=root, entry=HISTORIC)
    before = count(services)
    with pytest.raises(RulesetRefused) as err:
        services.open_procurement("CN-X", "CD-HH-2023", "competitive_negotiation", "staff:wang",
                                  at("2025-05-06T09:00+08:00"), {"ruleset": "state_owned"})
    assert err.value.exit_code == 1
    text = err.value.message
    assert "state_owned.yaml" in text and "bad.state_owned_only" in text
    assert "政府采购法实施条例 第20条" in text
    assert count(services) == before
    with services.store.reading() as tx:
        assert tx.head("procurement:CN-X")[0] == 0


def test_the_pinned_ruleset_decides_even_after_the_file_changes(registered: Any,
                                                               tmp_path: Path) -> None:
    from tenderflow.app.procurement import Services

    root = definitions_copy(tmp_path, {})
    services = Services(registered.store, definitions_root=root, entry=HISTORIC)
    services.open_procurement("CN-P", "CD-HH-2023", "competitive_negotiation", "staff:wang",
                              at("2025-05-06T09:00+08:00"))
    pinned = services.state("CN-P")["ruleset"]["content_hash"]
    path = root / "eligibility" / "renovation.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("value: 3\n", "value: 1\n"),
                    encoding="utf-8")
    assert load_ruleset(path).content_hash != pinned
    # S-HMJZ's large fine of 2023-05-10 is two years old: the pinned three-year window
    # still counts it, the edited one-year window would not.
    report = es.check(services, "CN-P", ["S-HMJZ"], "staff:wang", at("2025-05-07T09:00+08:00"))
    assert report["ruleset"]["content_hash"] == pinned
    assert outcome(report, "S-HMJZ", "gpl22.major_illegal_record")["verdict"] == "fail"


@pytest.mark.parametrize("options, fld", [
    ({"ruleset": "../renovation"}, "options.ruleset"),
    ({"ruleset": 3}, "options.ruleset"),
    ({"required_qualification": {"type": "建筑工程施工总承包", "min_grade": "五级"}},
     "options.required_qualification"),
    ({"prior_service_providers": "S-CDJG"}, "options.prior_service_providers"),
    ({"investment": "12.345"}, "options.investment"),
])
def test_bad_eligibility_options_are_refused_naming_the_field(registered: Any,
                                                              options: dict[str, Any],
                                                              fld: str) -> None:
    before = count(registered)
    with pytest.raises(InputError) as err:
        registered.open_procurement("CN-O", "CD-HH-2023", "competitive_negotiation",
                                    "staff:wang", at("2025-05-06T09:00+08:00"), options)
    assert err.value.exit_code == 2 and fld in err.value.message
    assert count(registered) == before


def test_unknown_ruleset_names_the_known_ones(registered: Any) -> None:
    with pytest.raises(NotFound, match="renovation"):
        registered.open_procurement("CN-O", "CD-HH-2023", "competitive_negotiation",
                                    "staff:wang", at("2025-05-06T09:00+08:00"),
                                    {"ruleset": "nonesuch"})


# --------------------------------------------------------------------------- credit lists

def test_credit_import_records_events_and_is_idempotent(registered: Any, tmp_path: Path) -> None:
    first = es.import_credit_lists(registered, CREDIT, "staff:wang", at("2025-05-06T08:00+08:00"))
    assert first["lists"] == {"失信被执行人": {"recorded": 1, "amended": 0, "unchanged": 0},
                              "重大税收违法": {"recorded": 1, "amended": 0, "unchanged": 0}}
    assert first["imports"] == {"失信被执行人": {"as_of": "2025-05-06", "recorded": True},
                                "重大税收违法": {"as_of": "2025-05-06", "recorded": True}}
    before = count(registered)
    again = es.import_credit_lists(registered, CREDIT, "staff:wang", at("2025-05-06T18:00+08:00"))
    assert all(c == {"recorded": 0, "amended": 0, "unchanged": 1}
               for c in again["lists"].values())
    assert count(registered) == before
    # The next day's export records no entry, only that each list was imported as of that day.
    later = es.import_credit_lists(registered, CREDIT, "staff:wang", at("2025-05-07T08:00+08:00"))
    assert all(c["recorded"] == 0 for c in later["lists"].values())
    assert count(registered) == before + 2
    [marker] = events(registered, "credit-asof:失信被执行人:2025-05-07")
    assert marker.type == "CreditListImported"
    assert {k: v for k, v in marker.payload.items() if k != "late_entry"} == {
        "list": "失信被执行人", "as_of": "2025-05-07", "file": "credit_lists.csv", "entries": 1}
    [ev] = events(registered, "credit:失信被执行人")
    assert ev.type == "CreditEntryRecorded"
    assert ev.payload["entry"] == {"list": "失信被执行人", "uscc": "91510106MA6DQ2L700",
                                   "name": "锦城鑫源建设工程有限公司", "listed_on": "2024-11-15",
                                   "removed_on": None,
                                   "source": "信用中国 (2025)川0106执1234号"}
    assert ev.payload["imported_from"] == {"file": "credit_lists.csv", "line": 2}
    # The listing is lifted: the same line with its removal date amends the entry.
    lifted = tmp_path / "lifted.csv"
    lines = CREDIT.read_text(encoding="utf-8").splitlines()
    lifted.write_text("\n".join([lines[0], lines[1].replace("2024-11-15,,", "2024-11-15,"
                                                                           "2025-06-01,")]),
                      encoding="utf-8")
    res = es.import_credit_lists(registered, lifted, "staff:wang", at("2025-06-02T08:00+08:00"))
    assert res["lists"]["失信被执行人"]["amended"] == 1
    second = events(registered, "credit:失信被执行人")[1]
    assert second.type == "CreditEntryAmended"
    assert second.payload["previous"]["removed_on"] is None
    assert second.payload["entry"]["removed_on"] == "2025-06-01"


def test_a_bad_credit_file_writes_nothing(registered: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    text = CREDIT.read_text(encoding="utf-8") + "失信被执行人,91510100MA61XY8128,某公司,2025-01-01,,x\n"
    bad.write_text(text, encoding="utf-8")
    before = count(registered)
    with pytest.raises(InputError) as err:
        es.import_credit_lists(registered, bad, "staff:wang", at("2025-05-06T08:00+08:00"))
    assert "bad.csv" in err.value.message and "line 4" in err.value.message
    assert "uscc" in err.value.message
    assert count(registered) == before


# --------------------------------------------------------------------------- the five cases

def test_the_five_cases_get_the_right_verdict_with_the_source(lot: Any) -> None:
    report = es.check(lot, "CN-E", ["S-HXJS", "S-JCXY", "S-HMJZ", "S-TFJS", "S-TFWY",
                                     "C-CDRX", "S-CDJG"], "staff:wang",
                      at("2025-05-07T11:00+08:00"))
    assert report["at"] == "2025-05-07"
    credit = outcome(report, "S-JCXY", "credit.dishonest_judgment_debtor")
    assert credit["verdict"] == "fail" and credit["source"] == "财库〔2016〕125号"
    assert credit["value"][0]["listed_on"] == "2024-11-15"
    record = outcome(report, "S-HMJZ", "gpl22.major_illegal_record")
    assert record["verdict"] == "fail" and "政府采购法实施条例 第19条" in record["source"]
    assert "2023-05-10 large_fine" in record["value"]["blocking"][0]
    assert "2022-05-07" in record["threshold"]  # the three-year window
    for cid in ("C-CDRX", "S-CDJG"):
        twice = outcome(report, cid, "consortium.member_also_bidding")
        assert twice["verdict"] == "fail" and "政府采购法实施条例 第22条" in twice["source"]
    assert "S-CDJG also bids alone" in outcome(report, "C-CDRX",
                                               "consortium.member_also_bidding")["reason"]
    for cid, other in (("S-TFJS", "S-TFWY"), ("S-TFWY", "S-TFJS")):
        rep = outcome(report, cid, "relation.shared_legal_representative")
        assert rep["verdict"] == "fail" and "政府采购法实施条例 第18条" in rep["source"]
        assert rep["value"][0]["other_supplier"] == other
        assert rep["value"][0]["matched_on"] == "id"
    assert eligible(report, "S-HXJS")
    assert [c["candidate"] for c in report["candidates"] if c["eligible"]] == ["S-HXJS"]
    # Recorded: the event carries the inputs and the verdicts; the state summarises them.
    ev = events(lot, "procurement:CN-E")[-1]
    assert ev.type == "EligibilityChecked" and ev.payload["from"] == ev.payload["to"]
    assert ev.payload["findings"]["eligibility"]["candidates"] == report["candidates"]
    facts = ev.payload["facts"]["eligibility"]
    assert [p["id"] for p in facts["suppliers"]] == ["S-RXZS"]  # the consortium's other member
    assert facts["credit_lists"] == {"失信被执行人": 1, "重大税收违法": 1}
    assert {e["uscc"] for e in facts["credit"]} == {"91510106MA6DQ2L700", "91510108MA6AB3K904"}
    status = lot.status("CN-E")["eligibility"]
    assert status["eligible"] == ["S-HXJS"]
    assert status["ineligible"]["S-JCXY"] == ["credit.dishonest_judgment_debtor"]


def test_an_expired_debarment_does_not_block(lot: Any) -> None:
    report = es.check(lot, "CN-E", ["S-RXZS", "S-HXJS", "S-SLGC"], "staff:wang",
                      at("2025-05-07T11:00+08:00"))
    record = outcome(report, "S-RXZS", "gpl22.major_illegal_record")
    assert record["verdict"] == "pass" and "政府采购法实施条例 第19条" in record["source"]
    assert "debarment expired" in record["value"]["disregarded"][0]
    # Its tax listing was lifted in 2021: not listed on the check date.
    assert outcome(report, "S-RXZS", "credit.major_tax_violation")["verdict"] == "pass"
    assert eligible(report, "S-RXZS")


def test_the_same_debarment_blocks_while_in_force(registered: Any) -> None:
    registered.open_procurement("CN-2022", "CD-HH-2023", "competitive_negotiation", "staff:wang",
                                at("2022-09-01T09:00+08:00"))
    report = es.check(registered, "CN-2022", ["S-RXZS"], "staff:wang",
                      at("2022-09-01T10:00+08:00"))
    record = outcome(report, "S-RXZS", "gpl22.major_illegal_record")
    assert record["verdict"] == "fail" and "debarment in force" in record["reason"]


# --------------------------------------------------------------------------- the gate

def test_a_disqualified_candidate_cannot_be_invited(lot: Any) -> None:
    es.check(lot, "CN-E", ["S-HXJS", "S-SLGC", "S-YXWY", "S-JCXY"], "staff:wang",
             at("2025-05-07T11:00+08:00"))
    before = count(lot)
    with pytest.raises(TriggerRefused) as err:
        lot.fire("CN-E", "invite", invite("S-HXJS", "S-SLGC", "S-JCXY"), "staff:wang",
                 at("2025-05-07T14:00+08:00"))
    [refusal] = [r for r in err.value.refusals if r.guard == "candidates_eligible"]
    assert refusal.rule == "credit.dishonest_judgment_debtor"
    assert refusal.source == "财库〔2016〕125号"
    assert "S-JCXY" in refusal.reason and "listed on 失信被执行人" in refusal.reason
    assert refusal.numbers["failed"] == [{"candidate": "S-JCXY",
                                          "rules": ["credit.dishonest_judgment_debtor"]}]
    assert count(lot) == before
    lot.fire("CN-E", "invite", invite("S-HXJS", "S-SLGC", "S-YXWY"), "staff:wang",
             at("2025-05-07T14:00+08:00"))
    assert lot.state("CN-E")["state"] == "invited"


def test_inviting_needs_a_check_that_covers_everyone_on_the_lot(lot: Any) -> None:
    with pytest.raises(TriggerRefused) as err:
        lot.fire("CN-E", "invite", invite("S-HXJS", "S-SLGC", "S-YXWY"), "staff:wang",
                 at("2025-05-07T14:00+08:00"))
    [refusal] = [r for r in err.value.refusals if r.guard == "candidates_eligible"]
    assert refusal.rule == "eligibility.checked" and "no eligibility check" in refusal.reason
    assert "政府采购法 第22条" in refusal.source
    # Checked one by one, the two suppliers sharing a legal representative both pass ...
    es.check(lot, "CN-E", ["S-TFJS"], "staff:wang", at("2025-05-07T11:00+08:00"))
    report = es.check(lot, "CN-E", ["S-TFWY"], "staff:wang", at("2025-05-07T11:05+08:00"))
    assert eligible(report, "S-TFWY")
    # ... so inviting them together needs them checked together.
    with pytest.raises(TriggerRefused) as err:
        lot.fire("CN-E", "invite", invite("S-HXJS", "S-TFJS", "S-TFWY"), "staff:wang",
                 at("2025-05-07T14:00+08:00"))
    [refusal] = [r for r in err.value.refusals if r.guard == "candidates_eligible"]
    assert refusal.rule == "eligibility.checked"
    assert refusal.numbers["unchecked"] == ["S-HXJS", "S-TFJS"]
    es.check(lot, "CN-E", ["S-HXJS", "S-TFJS", "S-TFWY"], "staff:wang",
             at("2025-05-07T11:10+08:00"))
    with pytest.raises(TriggerRefused) as err:
        lot.fire("CN-E", "invite", invite("S-HXJS", "S-TFJS", "S-TFWY"), "staff:wang",
                 at("2025-05-07T14:00+08:00"))
    [refusal] = [r for r in err.value.refusals if r.guard == "candidates_eligible"]
    assert refusal.rule == "relation.shared_legal_representative"
    assert "政府采购法实施条例 第18条" in refusal.source


def test_responding_needs_the_supplier_to_have_passed(lot: Any) -> None:
    es.check(lot, "CN-E", ["S-HXJS", "S-SLGC", "S-YXWY"], "staff:wang",
             at("2025-05-07T11:00+08:00"))
    lot.fire("CN-E", "invite", invite("S-HXJS", "S-SLGC", "S-YXWY"), "staff:wang",
             at("2025-05-07T14:00+08:00"))
    lot.fire("CN-E", "issue_documents", {"response_deadline": "2025-05-13T09:30+08:00"},
             "staff:wang", at("2025-05-07T15:00+08:00"))
    # A recheck after inviting includes the invited suppliers even when none is named; the
    # consortium C-CDRX brought in now clashes with nobody, but its member S-CDJG is not
    # on the lot alone, so the lot stays clean.
    report = es.check(lot, "CN-E", [], "staff:wang", at("2025-05-08T09:00+08:00"))
    assert [c["candidate"] for c in report["candidates"]] == ["S-HXJS", "S-SLGC", "S-YXWY"]
    lot.fire("CN-E", "submit_response", {"supplier": "S-HXJS"}, "supplier:S-HXJS",
             at("2025-05-08T10:00+08:00"))
    with pytest.raises(TriggerRefused) as err:  # never invited nor checked
        lot.fire("CN-E", "submit_response", {"supplier": "S-JCXY"}, "supplier:S-JCXY",
                 at("2025-05-08T10:00+08:00"))
    assert "candidates_eligible" in {r.guard for r in err.value.refusals}


def test_check_needs_candidates_and_registered_suppliers(lot: Any) -> None:
    before = count(lot)
    with pytest.raises(InputError, match="no candidate to check"):
        es.check(lot, "CN-E", [], "staff:wang", at("2025-05-07T11:00+08:00"))
    with pytest.raises(NotFound, match="S-NONE"):
        es.check(lot, "CN-E", ["S-NONE"], "staff:wang", at("2025-05-07T11:00+08:00"))
    with pytest.raises(RoleNotAllowed):  # evaluators may check, suppliers may not
        es.check(lot, "CN-E", ["S-HXJS"], "supplier:S-HXJS", at("2025-05-07T11:00+08:00"))
    assert count(lot) == before


def test_no_check_once_negotiation_is_over(registered: Any) -> None:
    registered.open_procurement("CN-C", "CD-HH-2023", "competitive_negotiation", "staff:wang",
                                at("2025-05-06T09:00+08:00"))
    registered.fire("CN-C", "cancel", {"reason": "项目调整"}, "staff:wang",
                    at("2025-05-06T10:00+08:00"))
    with pytest.raises(InvalidTrigger):
        es.check(registered, "CN-C", ["S-HXJS"], "staff:wang", at("2025-05-07T11:00+08:00"))


# --------------------------------------------------------------------------- replay

def test_replay_recomputes_the_recorded_verdicts(lot: Any) -> None:
    from tenderflow.audit.replay import replay

    es.check(lot, "CN-E", ["S-HXJS", "S-JCXY", "S-TFJS", "S-TFWY"], "staff:wang",
             at("2025-05-07T11:00+08:00"))
    report = replay(lot.store, "CN-E")
    assert report.ok, report.to_dict()


def test_replay_finds_a_verdict_that_the_facts_do_not_give(lot: Any) -> None:
    """Change a recorded verdict consistently (payload, body, hash): the chain still holds,
    but re-deciding the event from its recorded facts gives another result."""
    import sqlite3

    from tenderflow.audit.replay import replay
    from tenderflow.store.bodies import deflate, inflate
    from tenderflow.store.canonical import canonical_json, sha256_hex

    es.check(lot, "CN-E", ["S-HXJS", "S-JCXY", "S-SLGC"], "staff:wang",
             at("2025-05-07T11:00+08:00"))
    path = lot.store.sqlite_path()
    con = sqlite3.connect(path)
    row = con.execute("SELECT global_seq, codec, deflated FROM events "
                      "WHERE type='EligibilityChecked'").fetchone()
    dictionary = con.execute("SELECT dictionary FROM body_codecs WHERE id = ?", (row[1],)
                             ).fetchone()[0]
    body = json.loads(inflate(row[2], dictionary))
    for c in body["payload"]["findings"]["eligibility"]["candidates"]:
        if c["candidate"] == "S-JCXY":
            c["eligible"] = True
            for o in c["outcomes"]:
                o["verdict"] = "pass" if o["verdict"] == "fail" else o["verdict"]
    text = canonical_json(body)
    triggers = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'")]
    for t in triggers:
        con.execute(f"DROP TRIGGER {t}")
    con.execute("UPDATE events SET codec=0, deflated=?, hash=? WHERE global_seq=?",
                (deflate(text.encode("utf-8"), b""), sha256_hex(text), row[0]))
    con.commit()
    con.close()
    report = replay(lot.store, "CN-E").to_dict()
    violation = report["streams"][0]["violation"]
    assert violation["type"] == "EligibilityChecked"
    assert "findings.eligibility" in violation["message"]


# --------------------------------------------------------------------------- open tender

@pytest.fixture
def tender(registered: Any) -> Any:
    from tenderflow.app.registration import load_file

    registered.register("projects", load_file(examples_dir() / "data" / "modes_projects.yaml",
                                              "projects"), "staff:wang",
                        at(REGISTERED_AT))
    # The lists as exported on 2023-03-06, fresh for the checks of the following week.
    es.import_credit_lists(registered, CREDIT, "staff:wang", at("2023-03-06T08:00+08:00"),
                           lists=CREDIT_LISTS)
    return registered


def tender_step(trigger: str) -> dict[str, Any]:
    """The data of a step of the standard tender journey (tests/modes/journeys.py), so that
    these tests follow the mode's data schema."""
    from tests.modes.journeys import TENDER

    data = dict(next(d for _, _, t, d in TENDER if t == trigger and d is not None))
    if trigger == "submit_bid" and "price" in data:  # a journey names the price a bid seals
        from tenderflow.domain.components.sealing import commitment

        price = data.pop("price")
        data["commitment"] = commitment("OT-E", data["supplier"], "bid", {"price": price},
                                        "ab" * 16)
    return data


def test_a_disqualified_supplier_cannot_bid_and_bidders_stay_unnamed(tender: Any) -> None:
    tender.open_procurement("OT-E", "CD-WJ-2023", "open_tender", "staff:wang",
                            at("2023-03-01T09:00+08:00"))
    tender.fire("OT-E", "issue_documents", tender_step("issue_documents"), "staff:wang",
                at("2023-03-01T10:00+08:00"))
    es.check(tender, "OT-E", ["S-HXJS", "S-TFJS", "S-TFWY"], "staff:wang",
             at("2023-03-09T09:00+08:00"))
    bid = tender_step("submit_bid")
    with pytest.raises(TriggerRefused) as err:
        tender.fire("OT-E", "submit_bid", {**bid, "supplier": "S-TFWY"}, "supplier:S-TFWY",
                    at("2023-03-10T10:00+08:00"))
    [refusal] = [r for r in err.value.refusals if r.guard == "candidates_eligible"]
    assert refusal.rule == "relation.shared_legal_representative"
    assert "政府采购法实施条例 第18条" in refusal.source
    tender.fire("OT-E", "submit_bid", {**bid, "supplier": "S-HXJS"}, "supplier:S-HXJS",
                at("2023-03-10T10:00+08:00"))
    # A later check includes the bidder so far; before the opening status names nobody.
    es.check(tender, "OT-E", ["S-SLGC"], "staff:wang", at("2023-03-11T09:00+08:00"))
    view = tender.status("OT-E")["eligibility"]
    assert view["candidates"] == 2 and view["eligible"] == 2 and "ineligible" not in view
    assert "S-HXJS" not in json.dumps(view)


def test_an_invitation_tender_invites_only_eligible_suppliers(tender: Any) -> None:
    tender.open_procurement("OT-I", "CD-WJ-2023", "open_tender", "staff:wang",
                            at("2023-03-01T09:00+08:00"), {"variant": "invitation"})
    es.check(tender, "OT-I", ["S-HXJS", "S-TFJS", "S-TFWY"], "staff:wang",
             at("2023-03-01T09:30+08:00"))
    data = {**tender_step("issue_documents"), "invitation_ground": "few_potential_bidders",
            "invitation_justification": "潜在投标人少",
            "suppliers": [{"id": s} for s in ("S-HXJS", "S-TFJS", "S-TFWY")]}
    with pytest.raises(TriggerRefused) as err:
        tender.fire("OT-I", "issue_documents", data, "staff:wang", at("2023-03-01T10:00+08:00"))
    [refusal] = [r for r in err.value.refusals if r.guard == "candidates_eligible"]
    assert refusal.rule == "relation.shared_legal_representative"
    assert "S-TFJS" in refusal.reason and "S-TFWY" in refusal.reason
