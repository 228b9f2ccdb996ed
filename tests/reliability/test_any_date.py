"""Time is an input: the demo (every example scenario, the signed agreement and financing
package, the audit bundle) run under libfaketime on three dates records the same events —
bodies equal but for ``recorded_at`` (and the hashes that cover it) — and the same summary.

The wall clock is moved with Debian's ``faketime`` (installed by ``make``), as a user on
another day would: the real ``tenderflow`` command in a subprocess.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

TF = str(Path(sys.executable).parent / "tenderflow")
DATES = ("2026-12-02 10:00:00", "2027-06-01 10:00:00", "2031-01-01 10:00:00")
# What an event says, without when it was recorded and the chain hashes that cover that time.
COMPARED = ("stream_id", "stream_seq", "type", "schema_version", "occurred_at", "actor", "pins",
            "payload")


def faketime() -> str:
    found = shutil.which("faketime")
    assert found, "faketime is missing: 'make' installs it (Debian package faketime)"
    return found


def run_demo(out: Path, date: str) -> dict[str, Any]:
    res = subprocess.run([faketime(), date, TF, "--json", "demo", "--out", str(out)],
                         capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, f"demo at {date}: {res.stderr[-2000:]}"
    return json.loads(res.stdout)  # type: ignore[no-any-return]


def events(db: Path) -> list[dict[str, Any]]:
    """Each stored event's compared fields and recorded_at, from its body as stored (the one
    copy, migration 0006), in global order."""
    from tenderflow.store.eventstore import EventStore

    store = EventStore(f"sqlite:///{db}")
    try:
        with store.reading() as tx:
            bodies = [json.loads(r.body) for r in tx.raw_events()]
    finally:
        store.dispose()
    return [{**{k: body[k] for k in COMPARED}, "recorded_at": body["recorded_at"]}
            for body in bodies]


@pytest.fixture(scope="module")
def demos(tmp_path_factory: Any) -> dict[str, tuple[dict[str, Any], list[dict[str, Any]]]]:
    runs = {}
    for date in DATES:
        out = tmp_path_factory.mktemp(f"demo-{date[:10]}")
        summary = run_demo(out, date)
        runs[date] = (summary, events(out / "tenderflow.db"))
    return runs


@pytest.mark.slow
def test_the_demo_records_the_same_events_on_any_date(demos: Any) -> None:
    (_, reference), *others = (demos[d] for d in DATES)
    assert len(reference) > 100
    for date, (_, got) in zip(DATES[1:], others):
        assert len(got) == len(reference), date
        for ref, ev in zip(reference, got):
            same = {k: ref[k] for k in COMPARED} == {k: ev[k] for k in COMPARED}
            assert same, (f"run at {date}: event {ev['stream_id']}#{ev['stream_seq']} "
                          f"{ev['type']} differs from the run at {DATES[0]}")


@pytest.mark.slow
def test_the_recording_time_is_the_only_thing_the_date_changes(demos: Any) -> None:
    """recorded_at is the (faked) wall clock of each run; every scenario ends the same."""
    for date in DATES:
        summary, got = demos[date]
        assert all(ev["recorded_at"].startswith(date[:10]) for ev in got), date
        assert all(s["ok"] for s in summary["scenarios"]), summary["scenarios"]
    states = [{s["file"]: s["states"] for s in demos[d][0]["scenarios"]} for d in DATES]
    assert states[0] == states[1] == states[2]
