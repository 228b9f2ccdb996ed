"""``tenderflow policy diff OLD NEW`` (issue 18 item 4): the rules added, removed and changed
between two versions, and with ``--against-log`` what the new version would do to every
procurement of the demo's log (the audit replay with one pinned definition substituted)."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tenderflow.cli import cli
from tests.conftest import ROOT

PARAMS = ROOT / "workflows" / "parameters.yaml"
SEALED_AT = datetime(2026, 1, 5, 9, 0, tzinfo=timezone(timedelta(hours=8)))


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: Any) -> str:
    """The demo's log: every bundled example, as ``make demo`` records it."""
    from tenderflow.app.demo import run_demo

    out = tmp_path_factory.mktemp("demo")
    summary = run_demo(out, SEALED_AT, handbook=False)
    assert all(s["ok"] for s in summary["scenarios"])
    return f"sqlite:///{summary['db']}"


def _with_bid_period(tmp: Path, days: int) -> Path:
    text = PARAMS.read_text(encoding="utf-8")
    head, sep, rest = text.partition("tender.bid_period_min_days:")
    assert sep
    old = '{from: "2000-01-01", value: 20}'
    assert old in rest.split("\n\n")[0] or old in rest[:600]
    path = tmp / f"parameters-{days}.yaml"
    path.write_text(head + sep + rest.replace(old, f'{{from: "2000-01-01", value: {days}}}', 1),
                    encoding="utf-8")
    return path


def _diff(db: str, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--lang", "en", "--json", "--db", db, "policy", "diff",
                                    *args])


def _bid_periods(db: str) -> dict[str, int]:
    """Each open tender's bid period in calendar days (first issue of the documents → bid
    deadline), read from the log independently of the guard."""
    from tenderflow.app.admin import open_store
    from tenderflow.app.audit import recorded_events

    store = open_store(db)
    try:
        periods: dict[str, int] = {}
        for ev in recorded_events(store):
            if ev.type == "TenderDocumentsIssued" and ev.stream_id not in periods:
                deadline = ev.payload["data"]["bid_deadline"]
                issued = date.fromisoformat(ev.occurred_at[:10])
                periods[ev.stream_id.partition(":")[2]] = (
                    date.fromisoformat(deadline[:10]) - issued).days
        return periods
    finally:
        store.dispose()


def test_raising_the_bid_period_names_the_procurements_it_would_refuse(
        demo_db: str, tmp_path: Path) -> None:
    new = _with_bid_period(tmp_path, 25)
    res = _diff(demo_db, str(PARAMS), str(new), "--against-log")
    assert res.exit_code == 1, res.output
    data = json.loads(res.output)
    assert [c["id"] for c in data["changes"]] == ["tender.bid_period_min_days"]
    change = data["changes"][0]
    assert change["source"] == "招标投标法 第24条" and change["change"] == "changed"
    assert change["fields"] == [{"field": "values", "old": ["2000-01-01: 20"],
                                 "new": ["2000-01-01: 25"]}]
    outcomes = {o["procurement"]: o for o in data["against_log"]["outcomes"]}
    refused = sorted(p for p, o in outcomes.items() if o["status"] == "refused")
    periods = _bid_periods(demo_db)
    assert sorted(p for p, days in periods.items() if days < 25) == refused
    assert refused, "the demo has bid periods between 20 and 25 days"
    for pid in refused:
        step = outcomes[pid]["step"]
        assert step["trigger"] == "issue_documents"
        assert [r["rule"] for r in step["refusals"]] == ["tender.bid_period_min_days"]
        assert "25" in step["refusals"][0]["reason"]
        assert step["refusals"][0]["source"].startswith("招标投标法 第24条")
    # procurements of the other modes, and tenders with long enough periods, are unchanged
    assert all(outcomes[p]["status"] == "unchanged" for p in outcomes
               if p.startswith(("CN-", "DL-")))
    assert data["against_log"]["not_compared"] == []
    text = CliRunner().invoke(cli, ["--lang", "en", "--db", demo_db, "policy", "diff",
                                    str(PARAMS), str(new), "--against-log"]).output
    for pid in refused:
        assert re.search(rf"{pid}: #\d+ issue_documents .* would now be refused", text), text


def test_the_same_rules_change_nothing_recorded(demo_db: str, tmp_path: Path) -> None:
    res = _diff(demo_db, str(PARAMS), str(_with_bid_period(tmp_path, 20)), "--against-log")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["changes"] == []
    assert {o["status"] for o in data["against_log"]["outcomes"]} == {"unchanged"}


def test_lowering_a_threshold_lets_a_recorded_failure_go_on(demo_db: str,
                                                            tmp_path: Path) -> None:
    """A tender that failed for too few bidders would now be decided otherwise."""
    text = PARAMS.read_text(encoding="utf-8")
    head, sep, rest = text.partition("tender.bidders_min:")
    assert sep, "tender.bidders_min is a parameter"
    first, _, tail = rest.partition("\n\n")
    changed = re.sub(r"value: 3\}", "value: 1}", first, count=1)
    assert changed != first
    path = tmp_path / "min-bidders.yaml"
    path.write_text(head + sep + changed + "\n\n" + tail, encoding="utf-8")
    res = _diff(demo_db, str(PARAMS), str(path), "--against-log")
    data = json.loads(res.output)
    differs = [o for o in data["against_log"]["outcomes"] if o["status"] == "differs"]
    assert res.exit_code == 1 and differs, res.output
    assert all(o["step"]["kind"] == "differs" for o in differs)


def test_a_ruleset_rule_removed_is_listed_with_its_source(tmp_path: Path) -> None:
    import yaml

    src = ROOT / "workflows" / "eligibility" / "renovation.yaml"
    data = yaml.safe_load(src.read_text(encoding="utf-8"))
    gone = data["rules"].pop(0)
    path = tmp_path / "renovation.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    res = _diff("sqlite:///unused.db", str(src), str(path))
    assert res.exit_code == 0, res.output
    changes = json.loads(res.output)["changes"]
    assert [(c["id"], c["change"]) for c in changes] == [(gone["id"], "removed")]
    assert changes[0]["source"] == gone["source"].strip()


def test_a_git_revision_is_a_version() -> None:
    if subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"],
                      capture_output=True, check=False).returncode != 0:
        pytest.skip("not a git checkout")
    res = CliRunner().invoke(cli, ["--json", "policy", "diff",
                                   "HEAD:workflows/open_tender.yaml",
                                   str(ROOT / "workflows" / "open_tender.yaml")],
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["kind"] == "workflow"


@pytest.mark.parametrize(("args", "said"), [
    (["nope.yaml", str(PARAMS)], "nope.yaml: no such file"),
    (["no-such-rev:workflows/parameters.yaml", str(PARAMS)], "git cannot show it"),
    ([str(ROOT / "workflows" / "eligibility" / "renovation.yaml"), str(PARAMS)],
     "is ruleset but"),
    ([str(ROOT / "README.md"), str(PARAMS)], "README.md"),
])
def test_bad_versions_are_refused_naming_them(args: list[str], said: str) -> None:
    res = CliRunner().invoke(cli, ["policy", "diff", *args])
    assert res.exit_code == 2, res.output
    assert said in res.output
    assert "Traceback" not in res.output


def test_the_handbook_has_a_changes_chapter_with_the_log(demo_db: str, tmp_path: Path,
                                                         monkeypatch: Any) -> None:
    """A procurement centre's copy of the definitions (TENDERFLOW_HOME) in git: the bid period
    raised to 25 days since the last commit; the handbook's changes chapter names the rule,
    its source and the recorded tenders it would now refuse."""
    import shutil

    home = tmp_path / "home"
    for folder in ("workflows", "features"):
        shutil.copytree(ROOT / folder, home / folder)
    git = ["git", "-C", str(home), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "workflows"], check=True)
    subprocess.run([*git, "commit", "-qm", "definitions"], check=True)
    raised = _with_bid_period(tmp_path, 25)
    shutil.copy(raised, home / "workflows" / "parameters.yaml")
    monkeypatch.setenv("TENDERFLOW_HOME", str(home))
    out = tmp_path / "hb"
    res = CliRunner().invoke(cli, ["--db", demo_db, "policy", "docs", "--out", str(out),
                                   "--since", "HEAD", "--against-log", "--no-run"])
    assert res.exit_code == 1, res.output  # the features were not run: every scenario not run
    html = (out / "handbook.html").read_text(encoding="utf-8")
    chapter = html.split('<section id="changes">', 1)[1].split("</section>", 1)[0]
    assert "tender.bid_period_min_days" in chapter and "招标投标法 第24条" in chapter
    assert "2000-01-01: 20" in chapter and "2000-01-01: 25" in chapter
    refused = sorted(p for p, days in _bid_periods(demo_db).items() if days < 25)
    for pid in refused:
        assert f"<b>{pid}</b>：此步骤按当前版本将被拒绝" in chapter
    assert "CN-2023-001" not in chapter
    assert chapter.count("无变更") >= 3  # the modes and rulesets did not change
    bad = CliRunner().invoke(cli, ["policy", "docs", "--out", str(tmp_path / "x"), "--since",
                                   "no-such-rev", "--no-run"])
    assert bad.exit_code == 2 and "no-such-rev" in bad.output
    assert not (tmp_path / "x").exists()


def test_a_mode_file_change_concerns_only_that_mode(demo_db: str, tmp_path: Path) -> None:
    """issue_documents of the open tender given to suppliers only: every recorded tender that
    issued documents would now be refused at that step; the other modes are not concerned."""
    src = ROOT / "workflows" / "open_tender.yaml"
    text = src.read_text(encoding="utf-8")
    at = text.index("- trigger: issue_documents")
    roles = text.index("roles:", at)
    end = text.index("\n", roles)
    path = tmp_path / "open_tender.yaml"
    path.write_text(text[:roles] + "roles: [supplier]" + text[end:], encoding="utf-8")
    res = _diff(demo_db, str(src), str(path), "--against-log")
    assert res.exit_code == 1, res.output
    data = json.loads(res.output)
    assert [(c["id"], c["fields"][0]["field"]) for c in data["changes"]] == [
        ("open_tender.issue_documents", "roles")]
    outcomes = {o["procurement"]: o for o in data["against_log"]["outcomes"]}
    refused = sorted(p for p, o in outcomes.items() if o["status"] == "refused")
    assert refused == sorted(_bid_periods(demo_db))  # the tenders that issued documents
    assert all(outcomes[p]["step"]["kind"] == "role" for p in refused)
    assert {o["status"] for p, o in outcomes.items() if p.startswith(("CN-", "DL-"))} == {
        "not_concerned"}
