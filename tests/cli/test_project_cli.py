"""The project's intake from the command line: open --mode project, fire, next and status name
the coordination parties still missing, bad data exits 2 naming the field, a procurement on a
project that is not ready exits 1 naming rule project.ready_to_procure, replay re-decides."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PROJECT = """
- id: HH-PJ
  name: 浣花式小区改造
  community: 浣花社区
  district: 青羊区
  built_year: 1995
  estimated_investment: "3000000.00"
  procurement_category: works
  scope:
    - {item: 燃气管线更新, category: 基础类, cost: "3000000.00", matter: majority, utilities: [gas]}
"""


def write(tmp: Path, name: str, text: str) -> str:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_an_intake_from_the_command_line(invoke: Any, tmp_path: Path) -> None:
    assert invoke("init").exit_code == 0
    assert invoke("register", "projects", write(tmp_path, "p.yaml", PROJECT),
                  "--at", "2023-01-03T09:00+08:00").exit_code == 0
    res = invoke("open", "HH-PJ", "--mode", "project", "--at", "2023-01-05T09:00+08:00")
    assert res.exit_code == 0, res.output
    consult = write(tmp_path, "c.yaml", "meetings: [{date: '2023-01-08', place: 社区活动室, "
                                        "participants: 40}]\n")
    res = invoke("fire", "HH-PJ", "consult", "--data", consult, "--at", "2023-01-09T10:00+08:00")
    assert res.exit_code == 0, res.output
    status = json.loads(invoke("--json", "status", "HH-PJ").output)
    assert status["kind"] == "project" and status["state"] == "consulted"
    assert status["coordination"]["missing"] == ["district", "subdistrict", "community",
                                                 "utility.gas"]
    text = invoke("--lang", "en", "status", "project:HH-PJ").output
    assert "missing: district" in text and "utility.gas (gas utility)" in text
    # a party the scope does not touch: refused (exit 1); a party not in the list: exit 2
    power = write(tmp_path, "s.yaml", "{party: utility.power, organisation: 供电, signatory: 李, "
                                      "decision: agree}\n")
    res = invoke("fire", "HH-PJ", "sign_off", "--data", power, "--at", "2023-01-10T10:00+08:00")
    assert res.exit_code == 1 and "project.signoff_party" in res.output + res.stderr
    bad = write(tmp_path, "b.yaml", "{party: mayor, organisation: x, signatory: y, "
                                    "decision: agree}\n")
    res = invoke("fire", "HH-PJ", "sign_off", "--data", bad, "--at", "2023-01-10T10:00+08:00")
    assert res.exit_code == 2 and "with.party" in res.stderr and bad in res.stderr
    # a procurement cannot open on it yet
    res = invoke("open", "CN-HH", "--project", "HH-PJ", "--mode", "competitive_negotiation",
                 "--at", "2023-01-11T09:00+08:00")
    assert res.exit_code == 1 and "project.ready_to_procure" in res.output + res.stderr
    assert "consulted" in res.output + res.stderr
    res = invoke("open", "CN-HH", "--mode", "competitive_negotiation")
    assert res.exit_code == 2 and "--project" in res.stderr
    nxt = json.loads(invoke("--json", "next", "HH-PJ").output)
    assert {t["trigger"] for t in nxt["triggers"]} == {"sign_off", "record_vote", "withdraw"}
    res = invoke("audit", "replay", "HH-PJ")
    assert res.exit_code == 0 and "intake:HH-PJ" in res.output


def test_a_community_built_after_2000_cannot_start(invoke: Any, tmp_path: Path) -> None:
    assert invoke("init").exit_code == 0
    late = PROJECT.replace("built_year: 1995", "built_year: 2001")
    assert invoke("register", "projects", write(tmp_path, "p.yaml", late),
                  "--at", "2023-01-03T09:00+08:00").exit_code == 0
    res = invoke("open", "HH-PJ", "--mode", "project", "--at", "2023-01-05T09:00+08:00")
    out = res.output + res.stderr
    assert res.exit_code == 1 and "project.built_by_year" in out and "国办发〔2020〕23号" in out
    assert invoke("--json", "status", "HH-PJ").exit_code != 0  # nothing was written
