"""examples/ten_years/contract_ten_years.yaml (issue 16): the 劲松 agreement through ten years of
operation. Its steps are dated up to 2035 and DESIGN §4 keeps a step from being recorded before
it happens, so the file is run in a real process under libfaketime on 2036-03-01; the replay of
every decision and the verification of the log then run with the real clock. Run today without
faketime, the runner refuses the file before writing anything, naming its first future-dated
step and the date it can be recorded from."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from tenderflow.paths import examples_dir
from tests.agreements.test_contract_subprocess import faketime

TF = str(Path(sys.executable).parent / "tenderflow")
EXAMPLE = examples_dir() / "ten_years" / "contract_ten_years.yaml"
FAKED = "2036-03-01 12:00:00"
LAST_STEP = "2035-03-02"


def tf(db: Path, *args: str, faked: bool = False) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "TENDERFLOW_DB"}
    cmd = [TF, "--db", f"sqlite:///{db}", *args]
    return subprocess.run([faketime(), FAKED, *cmd] if faked else cmd, check=False, env=env,
                          capture_output=True, text=True, timeout=600)


def events(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db) as con:
        tables = {r[0] for r in con.execute("select name from sqlite_master")}
        return con.execute("select count(*) from events").fetchone()[0] if "events" in tables \
            else 0


def test_today_the_file_is_refused_naming_its_first_future_step(tmp_path: Path) -> None:
    if datetime.now().date().isoformat() >= LAST_STEP:
        pytest.skip("every step of the example is in the past: it runs without faketime")
    db = tmp_path / "today.db"
    out = tf(db, "run", str(EXAMPLE))
    assert out.returncode == 2, out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    found = re.search(r"steps\[(\d+)\] \(fire (\w+)\) is dated (\S+), after the time it would "
                      r"be recorded .* It can be recorded from (\S+); the whole file from "
                      r"(\S+) \(its latest step\)", out.stderr)
    assert found, out.stderr
    _index, _trigger, at, from_, whole = found.groups()
    assert at > datetime.now().astimezone().isoformat()[:16] and from_ == at[:10]
    assert whole == LAST_STEP and "contract_ten_years.yaml" in out.stderr
    assert events(db) == 0, "nothing may be written"


def test_ten_years_under_faketime_then_replayed_and_verified(tmp_path: Path) -> None:
    db = tmp_path / "ten.db"
    run = tf(db, "--json", "run", str(EXAMPLE), faked=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr
    report = json.loads(run.stdout)
    assert report["ok"] and report["states"]["contract:PPP-JS-001"] == "handed_over"
    # with the real clock: every decision reproduced, the log intact
    replay = tf(db, "--json", "audit", "replay", "contract:PPP-JS-001")
    assert replay.returncode == 0, replay.stdout + replay.stderr
    verify = tf(db, "audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    status = json.loads(tf(db, "--json", "contract", "status", "PPP-JS-001").stdout)
    assert [e["year"] for e in status["evaluations"]] == list(range(2025, 2035))
    assert [e["year"] for e in status["evaluations"] if not e["passed"]] == [2027]
    assert status["breach"] is None and status["late"] == ["M2", "M3", "M4"]
    assert [r["year"] for r in status["revenues"] if r["adjustment_opened"]] == [2029]
    assert [(a["kind"], a["year"]) for a in status["adjustments"]] == [("price_review", 2029)]
    assert [v["id"] for v in status["variations"]] == ["V1"]
    assert status["returns"]["actual_years"] == list(range(2025, 2034))
    assert status["returns"]["actual"]["irr_percent"] != status["returns"]["plan"]["irr_percent"]
    # the exported OCDS validates, with the failed year and the shortfall in the implementation
    from tenderflow.audit.ocds import release_package, schema_errors
    from tenderflow.store.eventstore import EventStore

    store = EventStore(f"sqlite:///{db}")
    try:
        package = release_package(store, ["contract:PPP-JS-001"])
    finally:
        store.dispose()
    assert schema_errors(package) == []
    impl = [c["implementation"] for r in package["releases"] for c in r.get("contracts") or []
            if c.get("implementation")][-1]
    assert {f["id"][:4] for f in impl["performanceFailures"]} == {"2027"}
    shortfall = {m["id"]: m for m in impl["metrics"]}["revenue-shortfall"]["observations"]
    assert [o["id"] for o in shortfall] == [f"{y}-shortfall" for y in range(2025, 2034)]
    assert any(a for a in impl.get("milestones") or [] if "逾期" in a.get("description", ""))
    for lang, words in (("zh", ("2027 年度绩效评价", "不合格", "内部收益率")),
                        ("en", ("performance 2027", "failed", "IRR"))):
        text = tf(db, "--lang", lang, "contract", "status", "PPP-JS-001").stdout
        assert all(w in text for w in words), text


def test_a_scenario_continues_another_from_its_own_folder(tmp_path: Path) -> None:
    """``continues:`` takes the other scenario's records and steps first, its file references
    resolved from its own folder; a missing or absolute one is refused naming the field."""
    from tenderflow.app.scenario import load_scenario
    from tenderflow.errors import InputError

    sc = load_scenario(EXAMPLE)
    base = load_scenario(examples_dir() / "project_jinsong.yaml")
    def key(step: dict) -> tuple:
        return step.get("at"), step.get("fire") or step.get("open"), step.get("on")

    assert [key(s) for s in sc.steps[:len(base.steps)]] == [key(s) for s in base.steps]
    assert len(sc.steps) > len(base.steps)
    assert "../data/fiscal_110105.yaml" in [s["fiscal_import"]["file"] for s in sc.steps
                                            if "fiscal_import" in s]
    assert [p["id"] for p in sc.suppliers] == [p["id"] for p in base.suppliers]
    assert sc.title.startswith("劲松式PPP合同十年运营")
    for bad in ("nope.yaml", str(examples_dir() / "project_jinsong.yaml")):
        f = tmp_path / "bad.yaml"
        f.write_text(f"continues: {bad}\nsteps: []\n", encoding="utf-8")
        with pytest.raises(InputError) as err:
            load_scenario(f)
        assert err.value.context["field"] == "continues", err.value.context
