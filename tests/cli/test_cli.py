"""The command line through click's runner: exit codes, messages, nothing written on refusal."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from tenderflow.paths import examples_dir

EXAMPLES = examples_dir()


def events(db_url: str) -> int:
    con = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    try:
        return int(con.execute("SELECT count(*) FROM events").fetchone()[0])
    finally:
        con.close()


def test_run_award_and_failing_examples(invoke: Any) -> None:
    res = invoke("run", str(EXAMPLES / "negotiation_award.yaml"))
    assert res.exit_code == 0, res.output
    assert "CN-2023-001=awarded" in res.output
    res = invoke("run", str(EXAMPLES / "negotiation_failed.yaml"))
    assert res.exit_code == 0, res.output
    assert "CN-2023-002=failed" in res.output
    res = invoke("--json", "status", "CN-2023-002")
    status = json.loads(res.output)
    assert status["state"] == "failed" and status["final"] is True


def test_fire_refused_exits_1_names_rule_and_source_writes_nothing(
        invoke: Any, db_url: str, tmp_path: Path) -> None:
    assert invoke("run", str(EXAMPLES / "negotiation_failed.yaml")).exit_code == 0
    assert invoke("register", "projects", str(EXAMPLES / "data/projects.yaml")).exit_code == 0
    assert invoke("open", "CN-X", "--project", "CD-HH-2023", "--mode",
                  "competitive_negotiation", "--at", "2023-05-04T09:00+08:00").exit_code == 0
    data = tmp_path / "m.yaml"
    data.write_text("ground: urgent\njustification: 汛期\n", encoding="utf-8")
    assert invoke("fire", "CN-X", "approve_method", "--data", str(data), "--at",
                  "2023-05-04T10:00+08:00").exit_code == 0
    group = tmp_path / "g.yaml"
    group.write_text("members: [{name: A, role: expert}, {name: B, role: expert}]\n",
                     encoding="utf-8")
    before = events(db_url)
    res = invoke("fire", "CN-X", "form_group", "--data", str(group), "--at",
                 "2023-05-05T10:00+08:00")
    assert res.exit_code == 1
    assert "negotiation.group_min_size" in res.stderr
    assert "政府采购法 第38条" in res.stderr
    assert "Traceback" not in res.output + res.stderr
    assert events(db_url) == before


def test_malformed_inputs_exit_2_with_file_and_field(invoke: Any, db_url: str,
                                                      tmp_path: Path) -> None:
    assert invoke("init").exit_code == 0
    bad = tmp_path / "suppliers.yaml"
    bad.write_text("- {id: S1, name: 甲, uscc: 91510100MA61XY8128, legal_representative: 李}\n",
                   encoding="utf-8")
    res = invoke("register", "suppliers", str(bad))
    assert res.exit_code == 2
    assert str(bad) in res.stderr and "uscc" in res.stderr and "check character" in res.stderr
    csv = tmp_path / "projects.csv"
    csv.write_text("id,name,estimated_investment,procurement_category\n"
                   "P1,项目,-5,works\n", encoding="utf-8")
    res = invoke("register", "projects", str(csv))
    assert res.exit_code == 2 and "line 2" in res.stderr and "estimated_investment" in res.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_bytes(b"steps: [\xff\xfe]\n")
    res = invoke("run", str(broken))
    assert res.exit_code == 2 and "UTF-8" in res.stderr
    scenario = tmp_path / "s.yaml"
    scenario.write_text((EXAMPLES / "negotiation_failed.yaml").read_text(encoding="utf-8")
                        .replace("file: data/", f"file: {EXAMPLES}/data/")
                        .replace("ground: urgent", "ground: whim"), encoding="utf-8")
    res = invoke("run", str(scenario))
    assert res.exit_code == 2
    assert "steps[0]" in res.stderr and "with.ground" in res.stderr
    assert events(db_url) == 0
    assert invoke("status", "NOPE").exit_code == 2
    res = invoke("--as", "nobody", "open", "X", "--project", "P", "--mode", "competitive_negotiation",
                 actor=None)
    assert res.exit_code == 2 and "ROLE:NAME" in res.stderr


def test_stale_version_exits_3(invoke: Any, tmp_path: Path) -> None:
    assert invoke("run", str(EXAMPLES / "negotiation_award.yaml")).exit_code == 0
    data = tmp_path / "c.yaml"
    data.write_text("reason: 资金未落实\n", encoding="utf-8")
    res = invoke("fire", "CN-2023-001", "cancel", "--data", str(data), "--if-version", "3")
    assert res.exit_code == 3 and "someone else acted first" in res.stderr


def test_next_prints_when_a_period_opens(invoke: Any, tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    text = (EXAMPLES / "negotiation_failed.yaml").read_text(encoding="utf-8")
    text = text.replace("file: data/", f"file: {EXAMPLES}/data/")
    text = text[:text.index("  - {at: \"2023-04-11T00:00")]  # stop before the deadline tick
    scenario.write_text(text, encoding="utf-8")
    assert invoke("run", str(scenario)).exit_code == 0
    res = invoke("next", "CN-2023-002", "--at", "2023-04-07T12:00+08:00")
    assert res.exit_code == 0
    assert "opens 2023-04-10T17:00:00+08:00" in res.output
    res = invoke("--json", "next", "CN-2023-002", "--at", "2023-04-07T12:00+08:00")
    close = [t for t in json.loads(res.output)["triggers"] if t["trigger"] == "close_responses"]
    assert close and all(not t["ready"] for t in close)


def test_workflow_show_text_and_mermaid(invoke: Any) -> None:
    res = invoke("workflow", "show", "competitive_negotiation", "--format", "mermaid")
    assert res.exit_code == 0 and res.output.startswith("stateDiagram-v2")
    assert "documents_issued --> negotiating" in res.output
    res = invoke("workflow", "show", "nosuchmode")
    assert res.exit_code == 2 and "competitive_negotiation" in res.stderr


def test_tick_twice_fires_once(invoke: Any, tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    text = (EXAMPLES / "negotiation_failed.yaml").read_text(encoding="utf-8")
    text = text.replace("file: data/", f"file: {EXAMPLES}/data/")
    scenario.write_text(text[:text.index("  - {at: \"2023-04-11T00:00")], encoding="utf-8")
    assert invoke("run", str(scenario)).exit_code == 0
    first = invoke("--json", "tick", "--at", "2023-04-11T00:00+08:00")
    second = invoke("--json", "tick", "--at", "2023-04-11T00:00+08:00")
    assert len(json.loads(first.output)["fired"]) == 1
    assert json.loads(second.output)["fired"] == []
