"""The fund step from the command line: the 劲松-like example up to its filing, then a plan
that breaks every funding rule is refused with exit 1, each rule with its figures and source,
and nothing is written; the balanced plan is accepted and replay re-decides it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tenderflow.paths import examples_dir

BAD = """sources:
  - {kind: social_capital, amount: "30000000.00"}
  - {kind: contractor_advance, amount: "9999999.99"}
guarantees:
  - {guarantor: 朝阳区财政局, kind: local_government, debtor: social_capital}
ppp: {form: other, payment: viability_gap,
      fiscal_expenditure: [{year: 2024, amount: "3000000000.00"}]}
"""
GOOD = """sources:
  - {kind: social_capital, amount: "40000000.00"}
ppp: {form: concession, payment: user_pay, concession_years: 10}
"""


def up_to_filing(tmp_path: Path) -> Path:
    """The example's steps before its first fund step, data files by absolute path."""
    text = (examples_dir() / "project_jinsong.yaml").read_text(encoding="utf-8")
    text = text[:text.index("  # A plan one cent short")]
    # the contract is opened by a step the cut leaves out: without it, it would open first
    text = text.replace("  - {id: PPP-JS-001, project: BJ-JS-PJ, mode: ppp_contract}\n", "")
    data = examples_dir() / "data"
    text = text.replace("file: data/", f"file: {data}/")
    path = tmp_path / "filed.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_refused_plan_shows_each_rule_with_its_figures(invoke: Any, tmp_path: Path) -> None:
    assert invoke("init").exit_code == 0
    assert invoke("run", str(up_to_filing(tmp_path))).exit_code == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    before = invoke("--json", "audit", "export", "--format", "jsonl",
                    "--out", str(tmp_path / "a.jsonl"))
    out = invoke("--lang", "en", "fire", "BJ-JS-PJ", "fund", "--data", str(bad),
                 "--at", "2023-04-10T10:00+08:00", actor="finance:qian")
    assert out.exit_code == 1, out.output
    text = out.output
    assert "¥0.01 less than the project's investment of ¥40,000,000.00" in text
    assert "施工单位垫资 ¥9,999,999.99" in text and "政府投资条例 第22条" in text
    assert "朝阳区财政局" in text and "预算法 第35条" in text
    assert "11.77% of its general public budget in 2024" in text and "above 10.00%" in text
    assert "Traceback" not in text
    after = invoke("--json", "audit", "export", "--format", "jsonl",
                   "--out", str(tmp_path / "b.jsonl"))
    assert before.exit_code == after.exit_code == 0
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    out = invoke("--json", "fire", "BJ-JS-PJ", "fund", "--data", str(good),
                 "--at", "2023-04-10T11:00+08:00", actor="finance:qian")
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["to"] == "funded"
    assert invoke("audit", "replay", "--all").exit_code == 0
