"""The policy handbook (issue 18 items 1–3): every rule id against the scenarios tagging it (a
rule with none fails here), the results of a cucumber JSON report put on the right scenarios
and example rows, and the HTML opened in headless Chromium (Debian's chromium package), which
must show the chapters and the marks; its screenshot is kept in the test's folder."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tenderflow.app.features import (
    FAILED,
    NOT_RUN,
    PASSED,
    apply_results,
    load_features,
    read_results,
    start_features,
)
from tenderflow.app.handbook import AREAS, cover, make_handbook, rule_registry
from tenderflow.cli import cli
from tenderflow.errors import CheckFailed, InputError
from tests.conftest import ROOT

FEATURES = ROOT / "features"


def test_every_rule_has_a_scenario() -> None:
    """The coverage table: every rule id of parameters.yaml, rules.yaml, the eligibility
    rulesets and the lint's kinds is tagged (@rule.id) on at least one scenario."""
    rules = rule_registry()
    cover(rules, load_features(FEATURES))
    uncovered = sorted(r.id for r in rules.values() if not r.scenarios)
    assert uncovered == [], f"rules without a scenario: {uncovered}"
    origins = {o for r in rules.values() for o in r.origin.split(", ")}
    assert {"parameters.yaml", "rules.yaml", "eligibility/renovation.yaml",
            "eligibility/delegation.yaml", "lint"} <= origins
    assert "tender.bid_period_min_days" in rules and "committee.recusal" in rules


def test_a_rule_without_a_scenario_is_listed_as_uncovered() -> None:
    rules = rule_registry()
    features = load_features(FEATURES)
    orphan = copy.copy(rules["committee.recusal"])
    orphan.id, orphan.scenarios = "committee.not_in_any_feature", []
    rules[orphan.id] = orphan
    cover(rules, features)
    assert [r.id for r in rules.values() if not r.scenarios] == [orphan.id]


def _report(features: list[Any], failed: tuple[str, int, int] | None = None) -> list[Any]:
    """A cucumber JSON report as pytest-bdd writes it: one element per scenario and per
    example row (in row order), every step passed, but row ``failed`` = (uri, line, row)."""
    out = []
    for f in features:
        elements = []
        for s in f.scenarios:
            rows = sum(len(e.rows) for e in s.examples) or 1
            for i in range(rows):
                status = "failed" if failed == (f.uri, s.line, i) else "passed"
                elements.append({"line": s.line, "name": s.name, "steps": [
                    {"keyword": "当", "name": "x", "result": {"status": "passed"}},
                    {"keyword": "那么", "name": "y", "result": {
                        "status": status, "error_message": "AssertionError: 拒绝"}}]})
        out.append({"uri": f.uri, "elements": elements})
    return out


def test_results_go_to_their_scenarios_and_rows() -> None:
    features = load_features(FEATURES)
    outline = next(s for f in features for s in f.scenarios
                   if s.examples and len(s.examples[0].rows) >= 3)
    apply_results(features, _report(features, (outline.feature, outline.line, 1)))
    assert outline.result == FAILED
    assert outline.examples[0].results[:3] == [PASSED, FAILED, PASSED]
    assert "AssertionError" in outline.failures[0]
    others = [s.result for f in features for s in f.scenarios if s is not outline]
    assert set(others) == {PASSED}


def test_a_scenario_the_report_does_not_have_is_not_run() -> None:
    features = load_features(FEATURES)
    report = _report(features)
    report[0]["elements"] = report[0]["elements"][:-1]  # the last row of the first feature
    apply_results(features, report)
    first = features[0].scenarios[-1]
    assert first.result == NOT_RUN
    assert sum(s.result == NOT_RUN for f in features for s in f.scenarios) == 1


def test_a_report_that_is_not_one_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "r.json"
    bad.write_text('{"uri": 1}', encoding="utf-8")
    with pytest.raises(InputError, match="r.json"):
        read_results(bad)
    res = CliRunner().invoke(cli, ["policy", "docs", "--out", str(tmp_path / "hb"),
                                   "--results", str(bad)])
    assert res.exit_code == 2 and "not a cucumber JSON report" in res.output
    assert not (tmp_path / "hb").exists()


def test_an_installed_tenderflow_cannot_run_the_features(tmp_path: Path) -> None:
    with pytest.raises(CheckFailed, match="--results FILE"):
        start_features(tmp_path, tmp_path / "r.json")


@pytest.fixture(scope="module")
def ran(tmp_path_factory: Any) -> Path:
    """A real run of two feature modules (time and calendar) with their cucumber report."""
    tmp = tmp_path_factory.mktemp("run")
    report = tmp / "results.json"
    done = subprocess.run(
        [str(Path(__import__("sys").executable)), "-m", "pytest", "-q", "-p",
         "no:cacheprovider", f"--cucumberjson={report}", "tests/bdd/test_time.py",
         "tests/bdd/test_calendar.py"], cwd=ROOT, capture_output=True, text=True,
        check=False, env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stdout[-2000:]
    return report


def test_policy_docs_writes_the_handbook(ran: Path, tmp_path: Path) -> None:
    out = tmp_path / "hb"
    res = CliRunner().invoke(cli, ["--lang", "en", "--json", "policy", "docs", "--out", str(out),
                                   "--results", str(ran), "--since", "HEAD"])
    assert res.exit_code == 1, res.output  # the other features were not run in this report
    data = json.loads(res.output.split("\nerror:")[0])
    assert data["counts"]["uncovered"] == 0 and data["counts"]["failed"] == 0
    assert data["counts"]["passed"] > 0 and data["counts"]["not_run"] > 0
    html = (out / "handbook.html").read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html.replace(
        "http://www.w3.org", "")  # nothing fetched when read
    pdf = (out / "handbook.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"/FontFile2" in pdf  # the CJK font embedded
    coverage = json.loads((out / "coverage.json").read_text(encoding="utf-8"))
    assert coverage["uncovered"] == []
    row = next(r for r in coverage["rules"] if r["id"] == "tender.bid_period_min_days")
    assert row["source"] == "招标投标法 第24条" and row["status"] == "P"


@pytest.mark.skipif(shutil.which("chromium") is None,
                    reason="Debian chromium is not installed (Makefile APT_PACKAGES)")
def test_the_handbook_renders_in_chromium(ran: Path, tmp_path: Path) -> None:
    book, _ = make_handbook(tmp_path / "hb", results=ran)
    html = tmp_path / "hb" / "handbook.html"
    chromium = ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([*chromium, "--dump-dom", html.as_uri()], capture_output=True,
                         text=True, timeout=120, check=False).stdout
    for chapter in book.chapters:  # every chapter is rendered, with its heading
        assert f'id="ch-{chapter.area}"' in dom
        assert chapter.title_zh in dom
    assert {c.area for c in book.chapters} == {p.name for p in (ROOT / "features").iterdir()
                                               if p.is_dir()}
    assert set(AREAS) >= {c.area for c in book.chapters}
    assert dom.count('class="mark passed"') >= book.counts()["passed"]
    assert 'class="mark not-run"' in dom and "规则覆盖表" in dom and "法律依据索引" in dom
    assert "招标投标法 第24条" in dom
    assert dom.count("<svg") >= (3 if shutil.which("dot") else 0)  # the three modes' diagrams
    shot = tmp_path / "handbook.png"
    subprocess.run([*chromium, "--window-size=1280,1800", f"--screenshot={shot}",
                    html.as_uri()], capture_output=True, timeout=120, check=False)
    assert shot.is_file() and shot.stat().st_size > 50_000, "no screenshot"
    print(f"screenshot: {shot}")
