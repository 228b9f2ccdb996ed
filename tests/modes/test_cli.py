"""The modes from the command line: Mermaid diagrams, ``next`` printing the date a period
opens (in working days where the rule says 工作日), ``tick`` idempotent with ``status`` showing
what is due next, re-opening a failed procurement, and scenario files with an ``open`` step."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tenderflow.domain.components.sealing import commitment
from tenderflow.domain.timeutil import parse_time
from tenderflow.workflow.definitions import available_modes, load_workflow
from tests.modes.journeys import register_modes_data, walk_to

MODES = ("open_tender", "delegation", "competitive_negotiation")


def test_the_three_modes_are_defined() -> None:
    assert set(MODES) <= set(available_modes())


@pytest.mark.parametrize("mode", MODES)
def test_workflow_show_mermaid_draws_every_state_and_transition(invoke: Any, mode: str) -> None:
    res = invoke("--lang", "zh", "workflow", "show", mode, "--format", "mermaid")
    assert res.exit_code == 0, res.output
    text = res.output
    lines = text.splitlines()
    assert lines[0] == "stateDiagram-v2"
    wf = load_workflow(mode)
    assert f"    [*] --> {wf.initial}" in lines
    for name, label in wf.states.items():
        assert f'    state "{label["zh"]} ({name})" as {name}' in lines
    for state in wf.terminal:
        assert f"    {state} --> [*]" in lines
    for t in wf.transitions:
        if len(t.sources) > 3:  # from every open state: drawn as a note
            assert re.search(rf"note right of \w+: {t.trigger} ", text), t.trigger
            continue
        for s in t.sources:
            dest = s if t.dest == "=" else t.dest
            assert f"    {s} --> {dest}: {t.trigger} {t.title_zh}" in lines, (s, t.trigger)
    # Mermaid identifiers: no character that would break the diagram
    for line in lines[1:]:
        if "-->" in line:
            head = line.split(":", 1)[0]
            assert re.fullmatch(r"\s+(\[\*\]|\w+) --> (\[\*\]|\w+)", head), line


def test_workflow_show_mermaid_in_english_and_json(invoke: Any) -> None:
    res = invoke("--lang", "en", "workflow", "show", "open_tender", "--format", "mermaid")
    assert 'state "Bids opened (opened)" as opened' in res.output
    assert "bidding --> opened: open_bids Deadline reached, bids opened" in res.output
    res = invoke("--json", "workflow", "show", "delegation", "--format", "mermaid")
    data = json.loads(res.output)
    assert data["mermaid"].startswith("stateDiagram-v2")
    assert data["mode"] == "delegation"


def test_workflow_show_unknown_mode_exits_2(invoke: Any) -> None:
    res = invoke("workflow", "show", "beauty_contest", "--format", "mermaid")
    assert res.exit_code == 2
    assert "no procurement mode 'beauty_contest'" in res.output
    assert "open_tender" in res.output


def test_readme_shows_the_three_diagrams_as_the_cli_draws_them(invoke: Any) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Procurement modes", 1)[1]
    blocks = re.findall(r"```mermaid\n(.*?)```", section, re.DOTALL)
    drawn = [invoke("--lang", "zh", "workflow", "show", m, "--format", "mermaid").output
             for m in MODES]
    assert sorted(b.strip() for b in blocks) == sorted(d.strip() for d in drawn)


def test_next_prints_the_day_a_working_day_period_opens(registered: Any, invoke: Any) -> None:
    """5 工作日 of publicity from Thursday 2023-09-28 run over the National Day holiday and its
    make-up days (10-07, 10-08): they end on 10-11, so the award opens on 10-12 — not on 10-04
    as five calendar days would say."""
    walk_to(registered, "PPP招标", "PPP-N", "confirmed")
    registered.fire("PPP-N", "publish_provisional_result",
                    {"draft_contract": {"name": "合同草案.pdf", "sha256": "a" * 64}},
                    "staff:zhao", parse_time("2023-09-28T09:00+08:00"))
    res = invoke("next", "PPP-N", "--at", "2023-10-09T09:00+08:00")
    assert res.exit_code == 0, res.output
    line = next(x for x in res.output.splitlines() if "ppp_provisional_publicity_elapsed" in x)
    assert line.strip().startswith("✗")
    assert line.endswith("— opens 2023-10-12T00:00:00+08:00"), line
    timer = next(x for x in res.output.splitlines()
                 if x.startswith("· end_provisional_publicity (timer) → "))
    assert "(provisional_publicity_ended)" in timer, timer
    res = invoke("status", "PPP-N", "--at", "2023-10-09T09:00+08:00")
    [due] = [x for x in res.output.splitlines() if "timer due:" in x]
    assert due.startswith("2023-10-12 00:00  "), due


def test_next_prints_the_day_a_calendar_day_period_opens(registered: Any, invoke: Any) -> None:
    register_modes_data(registered)
    walk_to(registered, "公开招标", "OT-N", "awarded")
    res = invoke("next", "OT-N", "--at", "2023-04-01T09:00+08:00")
    line = next(x for x in res.output.splitlines() if "tender_contract_window_elapsed" in x)
    assert line.endswith("— opens 2023-04-28T00:00:00+08:00"), line


def test_tick_is_idempotent_and_status_shows_the_next_due_time(registered: Any,
                                                                invoke: Any) -> None:
    register_modes_data(registered)
    walk_to(registered, "公开招标", "OT-T", "bidding")
    for sid, price in (("S-CDJG", "11980000.00"), ("S-HXJS", "12150000.00"),
                       ("S-SLGC", "11760000.00")):
        sealed = commitment("OT-T", sid, "bid", {"price": price}, "ab" * 16)
        registered.fire("OT-T", "submit_bid", {"supplier": sid, "commitment": sealed,
                                               "bond": "252000.00"},
                        f"supplier:{sid}", parse_time("2023-03-10T10:00+08:00"))
    res = invoke("status", "OT-T", "--at", "2023-03-15T09:00+08:00")
    [due] = [x for x in res.output.splitlines() if "timer due:" in x]
    assert due.startswith("2023-03-21 09:30  bid deadline (opening) — timer due: "), due
    res = invoke("tick", "--at", "2023-03-21T09:29+08:00")
    assert res.output.strip() == "nothing due"
    res = invoke("tick", "--at", "2023-03-21T10:00+08:00")
    assert res.output.strip() == "OT-T: open_bids (due 2023-03-21T09:30:00+08:00) → opened"
    with registered.store.reading() as tx:
        before = tx.count_events()
    res = invoke("tick", "--at", "2023-03-21T10:00+08:00")
    assert res.output.strip() == "nothing due"
    with registered.store.reading() as tx:
        assert tx.count_events() == before
    res = invoke("--json", "status", "OT-T")
    data = json.loads(res.output)
    assert data["state"] == "opened"
    assert data["parties"]["bidders"] == ["S-CDJG", "S-HXJS", "S-SLGC"]
    assert data["pending"]["timers"] == []


def test_status_does_not_name_bidders_before_the_opening(registered: Any, invoke: Any) -> None:
    register_modes_data(registered)
    walk_to(registered, "公开招标", "OT-S", "bidding")
    sealed = commitment("OT-S", "S-CDJG", "bid", {"price": "11980000.00"}, "ab" * 16)
    registered.fire("OT-S", "submit_bid", {"supplier": "S-CDJG", "commitment": sealed,
                                           "bond": "252000.00"}, "supplier:S-CDJG",
                    parse_time("2023-03-10T10:00+08:00"))
    res = invoke("status", "OT-S", "--at", "2023-03-11T10:00+08:00")
    assert "S-CDJG" not in res.output and "11980000" not in res.output


def test_open_reopens_a_failed_tender_as_a_negotiation(registered: Any, invoke: Any) -> None:
    register_modes_data(registered)
    walk_to(registered, "公开招标", "OT-F", "bidding")
    registered.tick(parse_time("2023-03-21T09:30+08:00"))  # no bid: the tender fails
    # works that must be tendered are re-tendered first (施工招标投标办法 第38条)
    res = invoke("open", "CN-X", "--project", "CD-WJ-2023", "--mode", "competitive_negotiation",
                 "--reopens", "OT-F", "--ground", "tender_failed", "--approval", "锦财采〔2023〕40号",
                 "--at", "2023-04-03T09:00+08:00")
    assert res.exit_code == 1
    assert "procedure.works_retender_first" in res.output and "第38条" in res.output
    res = invoke("open", "OT-R", "--project", "CD-WJ-2023", "--mode", "open_tender",
                 "--reopens", "OT-F", "--ground", "retender", "--at", "2023-04-03T09:00+08:00")
    assert res.exit_code == 0, res.output
    registered.fire("OT-R", "check_eligibility", {"candidates": ["S-CDJG", "S-HXJS"]},
                    "staff:wang", parse_time("2023-04-03T09:30+08:00"))
    registered.fire("OT-R", "issue_documents",
                    {"sale_until": "2023-04-10T17:00+08:00",
                     "bid_deadline": "2023-04-24T09:30+08:00", "bid_bond": "252000.00"},
                    "staff:wang", parse_time("2023-04-03T10:00+08:00"))
    registered.tick(parse_time("2023-04-24T09:30+08:00"))  # the re-tender fails too
    args = ("open", "CN-R", "--project", "CD-WJ-2023", "--mode", "competitive_negotiation",
            "--reopens", "OT-R", "--ground", "tender_failed", "--at", "2023-04-25T09:00+08:00")
    res = invoke(*args)
    assert res.exit_code == 1
    assert "procedure.reopen_method_change" in res.output and "政府采购法 第37条" in res.output
    with registered.store.reading() as tx:
        assert tx.head("procurement:CN-R")[0] == 0
    res = invoke(*args, "--approval", "锦财采〔2023〕41号")
    assert res.exit_code == 0, res.output
    assert res.output.strip() == ("CN-R: opened in mode competitive_negotiation, state created "
                                  "(re-opens OT-R, ground tender_failed)")
    res = invoke("status", "CN-R")
    assert ("re-opens OT-R (open_tender), ground tender_failed — 政府采购法 第30条第(一)项; "
            "财政部令第74号 第27条; approval 锦财采〔2023〕41号") in res.output
    zh = invoke("--lang", "zh", "status", "CN-R").output
    assert "重新采购 OT-R（open_tender），理由 招标后没有供应商投标" in zh


@pytest.mark.parametrize(("args", "message"), [
    (("--reopens", "NOPE", "--ground", "retender"), "no procurement 'NOPE' to re-open"),
    (("--ground", "retender"), "field 'reopens'"),
    (("--variant", "sealed"), "field 'options.variant': mode open_tender has no variant"),
])
def test_open_bad_options_exit_2_and_write_nothing(registered: Any, invoke: Any,
                                                   args: tuple[str, ...], message: str) -> None:
    register_modes_data(registered)
    res = invoke("open", "OT-X", "--project", "CD-WJ-2023", "--mode", "open_tender", *args)
    assert res.exit_code == 2, res.output
    assert message in res.output
    with registered.store.reading() as tx:
        assert tx.head("procurement:OT-X")[0] == 0


def test_open_variant_invitation_is_recorded(registered: Any, invoke: Any) -> None:
    register_modes_data(registered)
    res = invoke("open", "OT-V", "--project", "CD-WJ-2023", "--mode", "open_tender",
                 "--variant", "invitation")
    assert res.exit_code == 0, res.output
    assert registered.state("OT-V")["options"] == {"variant": "invitation"}


def _scenario(tmp_path: Path, steps: str, extra: str = "") -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(f"""
projects: [{{file: {Path(__file__).resolve().parents[2]}/examples/data/modes_projects.yaml}}]
procurements:
  - {{id: A, project: CD-WJ-2023, mode: open_tender, at: "2023-03-01T09:00+08:00"}}
  - {{id: B, project: CD-WJ-2023, mode: open_tender, reopens: A, ground: retender{extra}}}
steps:
{steps}
""", encoding="utf-8")
    return path


OPEN_B = '  - {at: "2023-04-01T10:00+08:00", as: "staff:wang", open: B}'


@pytest.mark.parametrize(("steps", "message"), [
    ('  - {expect: {on: B, state: created}}\n' + OPEN_B, "B is not open yet"),
    ('  - {at: "2023-04-01T09:00+08:00", as: "staff:wang", open: Z}\n' + OPEN_B,
     "'Z' is not a procurement of this scenario waiting to be opened"),
    ('  - {at: "2023-04-01T09:00+08:00", open: B}', "field 'as': missing"),
    (OPEN_B + "\n" + OPEN_B, "'B' is not a procurement of this scenario waiting"),
    ('  - {expect: {on: A, state: created}}', "opened by a step"),
    # a list where a procurement id is expected (found by the fuzz suite: it crashed)
    ('  - {at: "2023-04-01T09:00+08:00", as: "staff:wang", open: [B]}\n' + OPEN_B,
     "is not a procurement of this scenario waiting to be opened"),
    ('  - {at: "2023-03-01T10:00+08:00", as: "staff:wang", fire: cancel, on: [A]}\n' + OPEN_B,
     "no procurement ['A'] in this scenario"),
])
def test_scenario_open_steps_are_validated_before_anything_is_written(
        tmp_path: Path, invoke: Any, steps: str, message: str) -> None:
    res = invoke("run", str(_scenario(tmp_path, steps)))
    assert res.exit_code == 2, res.output
    assert message in res.output
    res = invoke("list")
    assert "A" not in res.output.split()


def test_scenario_open_step_reopens_after_the_failure(tmp_path: Path, invoke: Any) -> None:
    steps = """  - {at: "2023-03-01T10:00+08:00", as: "staff:wang", fire: issue_documents, on: A, with: {sale_until: "2023-03-06T17:00+08:00", bid_deadline: "2023-03-21T09:30+08:00", bid_bond: "0"}}
  - {at: "2023-03-22T09:00+08:00", as: "staff:wang", open: B, expect_refused: procedure.reopen}
  - {at: "2023-03-22T09:00+08:00", tick: true}
  - {at: "2023-03-22T10:00+08:00", as: "staff:wang", open: B}
  - {expect: {on: B, state: created, reopens: {procurement: A, ground: retender}}}"""
    res = invoke("run", str(_scenario(tmp_path, steps)))
    assert res.exit_code == 0, res.output
    assert "open B: refused by procedure.reopen as expected" in res.output
    assert "final states: A=failed, B=created" in res.output
