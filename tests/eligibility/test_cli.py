"""The eligibility commands: eligibility check|show|report, credit import|list, policy lint."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tenderflow.paths import examples_dir, workflows_dir

from ._builders import DATA

DATA_DIR = examples_dir() / "data"
CREDIT = DATA_DIR / "credit_lists.csv"
TF = str(Path(sys.executable).parent / "tenderflow")
# The export covers all three lists (a list never imported leaves its rule not checked).
LISTS = ("--list", "失信被执行人", "--list", "重大税收违法", "--list", "政府采购严重违法失信")


@pytest.fixture
def opened(invoke: Any) -> Any:
    """Projects, suppliers and credit lists registered; CN-E opened on 2025-05-06."""
    for args in (("init",), ("register", "projects", str(DATA_DIR / "projects.yaml")),
                 ("register", "suppliers", str(DATA_DIR / "suppliers.yaml")),
                 ("credit", "import", str(CREDIT), "--at", "2025-05-06T08:00+08:00", *LISTS),
                 ("open", "CN-E", "--project", "CD-HH-2023", "--mode",
                  "competitive_negotiation", "--at", "2025-05-06T09:00+08:00")):
        res = invoke(*args)
        assert res.exit_code == 0, res.output
    return invoke


def check_json(invoke: Any, *candidates: str, supplier: str | None = None) -> dict[str, Any]:
    args = ["--json", "eligibility", "check", "CN-E", "--at", "2025-05-07T11:00+08:00"]
    if supplier:
        args.insert(4, supplier)
    for c in candidates:
        args += ["--candidate", c]
    res = invoke(*args)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)  # type: ignore[no-any-return]


def rule(data: dict[str, Any], candidate: str, rule_id: str) -> dict[str, Any]:
    [c] = [c for c in data["candidates"] if c["candidate"] == candidate]
    return next(o for o in c["outcomes"] if o["rule"] == rule_id)


@pytest.mark.parametrize("candidates, who, rule_id, verdict, source", [
    (["S-JCXY", "S-HXJS"], "S-JCXY", "credit.dishonest_judgment_debtor", "fail",
     "财库〔2016〕125号"),
    (["S-HMJZ"], "S-HMJZ", "gpl22.major_illegal_record", "fail", "政府采购法实施条例 第19条"),
    (["S-RXZS"], "S-RXZS", "gpl22.major_illegal_record", "pass", "政府采购法实施条例 第19条"),
    (["C-CDRX", "S-CDJG"], "C-CDRX", "consortium.member_also_bidding", "fail",
     "政府采购法实施条例 第22条"),
    (["C-CDRX", "S-CDJG"], "S-CDJG", "consortium.member_also_bidding", "fail",
     "政府采购法实施条例 第22条"),
    (["S-TFJS", "S-TFWY"], "S-TFWY", "relation.shared_legal_representative", "fail",
     "政府采购法实施条例 第18条"),
])
def test_the_five_cases_through_the_cli(opened: Any, candidates: list[str], who: str,
                                        rule_id: str, verdict: str, source: str) -> None:
    data = check_json(opened, *candidates)
    o = rule(data, who, rule_id)
    assert o["verdict"] == verdict and source in o["source"]
    assert data["event"]["type"] == "EligibilityChecked"
    # The same verdict in the text table, with the source, and in the recorded state.
    res = opened("eligibility", "show", "CN-E", who)
    assert res.exit_code == 0, res.output
    [line] = [ln for ln in res.stdout.splitlines() if f" {rule_id} " in ln]
    assert ("不通过" if verdict == "fail" else "通过") in line and source.split()[0] in line
    status = json.loads(opened("--json", "status", "CN-E").stdout)["eligibility"]
    assert (who in status["eligible"]) == (verdict == "pass")


def test_check_prints_every_rule_for_every_candidate(opened: Any) -> None:
    res = opened("eligibility", "check", "CN-E", "--candidate", "S-HXJS", "--candidate",
                 "S-JCXY", "--at", "2025-05-07T11:00+08:00")
    assert res.exit_code == 0, res.output
    out = res.stdout
    assert "recorded as EligibilityChecked #2 by staff:wang" in out
    assert "S-HXJS 四川华西城市建设有限公司: eligible (合格)" in out
    assert "S-JCXY 锦城鑫源建设工程有限公司: NOT eligible (不合格)" in out
    rows = [ln for ln in out.splitlines() if ln.startswith(("  ✓", "  ✗", "  !", "  ·"))]
    assert len(rows) == 2 * 16
    assert "→ 91510106MA6DQ2L700 listed on 失信被执行人 since 2024-11-15" in out
    en = opened("--lang", "en", "eligibility", "show", "CN-E", "S-JCXY").stdout
    assert "FAIL" in en and "不通过" not in en


def test_supplier_argument_shows_one_candidate_checked_with_the_others(opened: Any) -> None:
    data = check_json(opened, "S-TFJS", supplier="S-TFWY")
    assert [c["candidate"] for c in data["candidates"]] == ["S-TFWY"]
    assert rule(data, "S-TFWY", "relation.shared_legal_representative")["verdict"] == "fail"


def test_report_pdf_has_the_same_content_with_chinese_text(opened: Any, tmp_path: Path) -> None:
    from pypdf import PdfReader

    pdf = tmp_path / "check.pdf"
    res = opened("eligibility", "check", "CN-E", "--candidate", "S-HXJS", "--candidate",
                 "S-JCXY", "--at", "2025-05-07T11:00+08:00", "--report", str(pdf))
    assert res.exit_code == 0, res.output
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert f"sha256 {digest}" in res.stdout
    reader = PdfReader(str(pdf))
    text = "".join(p.extract_text() for p in reader.pages).replace("\n", "")
    for expected in ("供应商资格审查报告", "四川华西城市建设有限公司", "锦城鑫源建设工程有限公司",
                     "不合格", "财库〔2016〕125号", "政府采购法实施条例 第19条", "未通过",
                     "未被列入失信被执行人名单", "审查日期：2025-05-07"):
        assert expected in text, expected
    fonts = [f.get_object() for page in reader.pages
             for f in page["/Resources"]["/Font"].values()]
    assert fonts and all(f["/Subtype"] == "/TrueType"
                         and "/FontFile2" in f["/FontDescriptor"].get_object()
                         for f in fonts)  # the CJK TrueType font is embedded
    # The report of the recorded check: same bytes whenever it is written again.
    again = tmp_path / "again.pdf"
    res = opened("eligibility", "report", "CN-E", "--out", str(again))
    assert res.exit_code == 0, res.output
    assert again.read_bytes() == pdf.read_bytes()


def test_check_errors_exit_2_and_write_nothing(opened: Any, db_url: str) -> None:
    from tenderflow.store.eventstore import EventStore

    def events() -> int:
        store = EventStore(db_url)
        with store.reading() as tx:
            n = int(tx.count_events())
        store.dispose()
        return n

    before = events()
    res = opened("eligibility", "check", "CN-E", "--at", "2025-05-07T11:00+08:00")
    assert res.exit_code == 2 and "no candidate to check" in res.stderr
    res = opened("eligibility", "check", "CN-E", "S-NONE")
    assert res.exit_code == 2 and "S-NONE" in res.stderr
    res = opened("eligibility", "check", "CN-E", "S-HXJS", "--at", "yesterday")
    assert res.exit_code == 2 and "--at" in res.stderr
    res = opened("eligibility", "check", "CN-NONE", "S-HXJS")
    assert res.exit_code == 2 and "CN-NONE" in res.stderr
    res = opened("eligibility", "show", "CN-E")
    assert res.exit_code == 2 and "no eligibility check is recorded" in res.stderr
    assert "Traceback" not in res.output
    assert events() == before


def test_invite_of_a_disqualified_candidate_exits_1_naming_rule_and_source(
        opened: Any, tmp_path: Path) -> None:
    for trigger, data, at in (
            ("approve_method", {"ground": "urgent", "justification": "汛期前完成"},
             "2025-05-06T10:00+08:00"),
            ("form_group", {"members": [{"name": "刘", "role": "expert"},
                                        {"name": "周", "role": "expert"},
                                        {"name": "张", "role": "purchaser_representative"}]},
             "2025-05-07T10:00+08:00")):
        path = tmp_path / f"{trigger}.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        assert opened("fire", "CN-E", trigger, "--data", str(path), "--at", at).exit_code == 0
    check_json(opened, "S-HXJS", "S-SLGC", "S-HMJZ")
    path = tmp_path / "invite.json"
    path.write_text(json.dumps({"suppliers": [{"id": s, "recommended_by": "public_notice"}
                                              for s in ("S-HXJS", "S-SLGC", "S-HMJZ")]}),
                    encoding="utf-8")
    res = opened("fire", "CN-E", "invite", "--data", str(path), "--at", "2025-05-07T14:00+08:00")
    assert res.exit_code == 1
    assert "candidates_eligible" in res.stderr and "gpl22.major_illegal_record" in res.stderr
    assert "政府采购法实施条例 第19条" in res.stderr


def test_credit_commands(opened: Any, tmp_path: Path) -> None:
    res = opened("credit", "import", str(CREDIT))
    assert res.exit_code == 0 and "失信被执行人: 0 recorded, 0 amended, 1 unchanged" in res.stdout
    res = opened("--json", "credit", "list", "--uscc", "91510106MA6DQ2L700")
    data = json.loads(res.stdout)
    assert data["lists"] == {"失信被执行人": 1, "重大税收违法": 1}
    assert [e["name"] for e in data["entries"]] == ["锦城鑫源建设工程有限公司"]
    bad = tmp_path / "bad.csv"
    bad.write_text("list,uscc,name,listed_on,source\n黑名单,91510106MA6DQ2L700,x,2025-01-01,y\n",
                   encoding="utf-8")
    res = opened("credit", "import", str(bad))
    assert res.exit_code == 2
    assert "bad.csv" in res.stderr and "line 2" in res.stderr and "'list'" in res.stderr
    res = opened("credit", "import", str(CREDIT), actor=None)
    assert res.exit_code == 2 and "--as" in res.stderr
    # An export cannot be as of a day after its import, nor a day that does not parse.
    res = opened("credit", "import", str(CREDIT), "--at", "2025-05-06T08:00+08:00",
                 "--as-of", "2025-05-07")
    assert res.exit_code == 2 and "--as-of" in res.stderr
    res = opened("credit", "import", str(CREDIT), "--as-of", "5月7日")
    assert res.exit_code == 2 and "--as-of" in res.stderr
    res = opened("credit", "import", str(CREDIT), "--list", "黑名单")
    assert res.exit_code == 2 and "黑名单" in res.stderr


def test_policy_lint(invoke: Any, tmp_path: Path) -> None:
    res = invoke("policy", "lint", str(workflows_dir() / "eligibility" / "renovation.yaml"))
    assert res.exit_code == 0 and "no findings" in res.stdout
    assert invoke("policy", "lint", "renovation").exit_code == 0
    bad = DATA / "discriminatory.yaml"
    res = invoke("policy", "lint", str(bad))
    assert res.exit_code == 1
    line = next(ln for ln in res.stdout.splitlines() if "bad.state_owned_only" in ln)
    assert str(bad) in line and "ownership_form" in line and "政府采购法实施条例 第20条" in line
    assert "cannot be pinned" in res.stderr
    data = json.loads(invoke("--json", "policy", "lint", str(bad)).stdout)
    assert data["ok"] is False
    finding = next(f for f in data["findings"] if f["rule"] == "bad.local_registration")
    assert finding == {**finding, "file": str(bad), "field": "registered_city",
                       "kind": "location"}
    assert "招标投标法实施条例 第32–33条" in finding["source"]
    broken = tmp_path / "broken.yaml"
    broken.write_text((workflows_dir() / "eligibility" / "renovation.yaml").read_text(
        encoding="utf-8").replace("    severity: disqualify\n", "    severity: fatal\n", 1),
        encoding="utf-8")
    res = invoke("policy", "lint", str(broken))
    assert res.exit_code == 2
    assert str(broken) in res.stderr and "'severity'" in res.stderr
    res = invoke("policy", "lint", str(tmp_path / "missing.yaml"))
    assert res.exit_code == 2 and "missing.yaml" in res.stderr


def test_a_real_process_checks_and_refuses(tmp_path: Path) -> None:
    env = {**os.environ, "TENDERFLOW_DB": f"sqlite:///{tmp_path / 'tf.db'}",
           "TENDERFLOW_ACTOR": "staff:wang"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([TF, *args], env=env, capture_output=True, text=True,
                              timeout=120, cwd=tmp_path, check=False)

    for args in (("init",), ("register", "projects", str(DATA_DIR / "projects.yaml")),
                 ("register", "suppliers", str(DATA_DIR / "suppliers.yaml")),
                 ("credit", "import", str(CREDIT), "--at", "2025-05-06T08:00+08:00", *LISTS),
                 ("open", "CN-P", "--project", "CD-HH-2023", "--mode",
                  "competitive_negotiation", "--at", "2025-05-06T09:00+08:00")):
        assert run(*args).returncode == 0, args
    res = run("--json", "eligibility", "check", "CN-P", "S-JCXY", "--candidate", "S-HXJS",
              "--at", "2025-05-07T11:00+08:00")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["candidates"][0]["eligible"] is False
    assert rule(data, "S-JCXY", "credit.dishonest_judgment_debtor")["verdict"] == "fail"
    res = run("policy", "lint", str(DATA / "discriminatory.yaml"))
    assert res.returncode == 1 and "Traceback" not in res.stderr


def test_open_pins_the_ruleset_named_and_status_shows_the_check(invoke: Any, tmp_path: Path,
                                                                 monkeypatch: Any) -> None:
    import shutil

    root = tmp_path / "home"
    shutil.copytree(workflows_dir(), root / "workflows")
    shutil.copy(DATA / "discriminatory.yaml", root / "workflows" / "eligibility" / "bad.yaml")
    monkeypatch.setenv("TENDERFLOW_HOME", str(root))
    for args in (("init",), ("register", "projects", str(DATA_DIR / "projects.yaml")),
                 ("register", "suppliers", str(DATA_DIR / "suppliers.yaml"))):
        assert invoke(*args).exit_code == 0
    res = invoke("open", "CN-B", "--project", "CD-HH-2023", "--mode",
                 "competitive_negotiation", "--ruleset", "bad")
    assert res.exit_code == 1
    assert "bad.yaml" in res.stderr and "bad.state_owned_only" in res.stderr
    assert "政府采购法实施条例 第20条" in res.stderr
    res = invoke("open", "CN-R", "--project", "CD-HH-2023", "--mode",
                 "competitive_negotiation", "--ruleset", "renovation", "--at",
                 "2025-05-06T09:00+08:00")
    assert res.exit_code == 0, res.output
    # Without credit lists the credit rules are not checked, and nobody is eligible.
    res = invoke("eligibility", "check", "CN-R", "--candidate", "S-HXJS", "--candidate",
                 "S-TFJS", "--candidate", "S-TFWY", "--at", "2025-05-07T08:00+08:00")
    assert res.exit_code == 0, res.output
    assert "NOT IMPORTED" in res.stdout and "--list 政府采购严重违法失信" in res.stdout
    line = next(ln for ln in invoke("status", "CN-R").stdout.splitlines()
                if ln.startswith("eligibility:"))
    assert "eligible -; not eligible S-HXJS (credit.dishonest_judgment_debtor not checked, " \
           "credit.major_tax_violation not checked, credit.procurement_serious_dishonesty " \
           "not checked)" in line, line
    assert invoke("credit", "import", str(CREDIT), "--at", "2025-05-07T08:30+08:00",
                  *LISTS).exit_code == 0
    res = invoke("eligibility", "check", "CN-R", "--candidate", "S-HXJS", "--candidate",
                 "S-TFJS", "--candidate", "S-TFWY", "--at", "2025-05-07T09:00+08:00")
    assert res.exit_code == 0, res.output
    line = next(ln for ln in invoke("status", "CN-R").stdout.splitlines()
                if ln.startswith("eligibility:"))
    assert line == ("eligibility: checked 2025-05-07T09:00:00+08:00 (renovation 2025.1): "
                    "eligible S-HXJS; not eligible S-TFJS (relation.shared_legal_representative)"
                    ", S-TFWY (relation.shared_legal_representative)")


@pytest.mark.parametrize("options, words", [
    ("{ruleset: nonesuch}", "no eligibility ruleset 'nonesuch'"),
    ("{ruleset: ../renovation}", "options.ruleset"),
    ("{required_qualification: {type: 建筑工程施工总承包, min_grade: 五级}}",
     "options.required_qualification"),
])
def test_a_scenario_with_bad_eligibility_options_writes_nothing(invoke: Any, tmp_path: Path,
                                                                db_url: str, options: str,
                                                                words: str) -> None:
    from tenderflow.store.eventstore import EventStore

    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(
        f"projects: [{{file: {DATA_DIR / 'projects.yaml'}}}]\n"
        f"suppliers: [{{file: {DATA_DIR / 'suppliers.yaml'}}}]\n"
        "procurements:\n"
        "  - {id: CN-S, project: CD-HH-2023, mode: competitive_negotiation, "
        f"at: '2025-05-06T09:00+08:00', options: {options}}}\n"
        "steps:\n  - {expect: {on: CN-S, state: created}}\n", encoding="utf-8")
    assert invoke("init").exit_code == 0
    res = invoke("run", str(scenario))
    assert res.exit_code == 2, res.output
    assert "scenario.yaml" in res.stderr and "procurements[0]" in res.stderr
    assert words in res.stderr
    store = EventStore(db_url)
    with store.reading() as tx:
        assert tx.count_events() == 0  # not even the projects and suppliers
    store.dispose()


def test_report_states_each_standard_and_the_facts_in_chinese_words(opened: Any,
                                                                     db_url: str) -> None:
    """Issue 15: every standard in Chinese with its source, the facts seen in words (amounts
    in 万元 with separators), the status of a source in words — no raw JSON, no English
    standard, and the rule ids only in the reference table at the end."""
    from tenderflow.app.admin import open_store
    from tenderflow.app.eligibility import recorded, report_sections
    from tenderflow.app.procurement import Services

    check_json(opened, "S-JCXY", "S-HXJS", "S-HMJZ", "S-RXZS", "C-CDRX", "S-CDJG", "S-TFJS",
               "S-TFWY")
    store = open_store(db_url)
    report = recorded(Services(store), "CN-E")
    sections = report_sections(report)
    store.dispose()
    body = [x for s in sections[:-1] for e in s["body"]
            for x in ([e] if isinstance(e, str) else e if isinstance(e, list) else
                      [c for row in e["table"]["rows"] for c in row])]
    text = "\n".join(body)
    for raw in ("{", "}", "\"blocking\"", "net assets", "not listed", "or higher", "(secondary)",
                "secondary", "unconfirmed", "yuan"):
        assert raw not in text, raw
    rule_ids = {o["rule"] for c in report["candidates"] for o in c["outcomes"]}
    assert not [r for r in rule_ids if r in text]
    reference = sections[-1]["body"][1]["table"]["rows"]
    assert {r for _title, r in reference} == rule_ids
    # the financial capacity: the standard with the ratio and the amount, the facts in 万元
    assert "标准：净资产不低于项目投资额的 20%（投资额 " in text
    assert re.search(r"所见事实：净资产 [\d,.]+ 万元，(不低于|低于)投资额的 20%（[\d,.]+ 万元）",
                     text), text
    # the failures in words: listed on a credit list, a major illegal record, a shared legal
    # representative, a supplier in two candidates
    assert "已被列入：" in text and "列入日期 2024-11-15" in text
    assert "重大违法记录：" in text
    assert "单位负责人同为" in text
    assert "身份作为候选人" in text
    assert "——未通过。" in text and "——通过。" in text
    assert "财库〔2016〕125号，该依据转引自二手资料，原文待核对" in text
