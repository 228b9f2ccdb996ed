"""Time is an input, at the command line: a step dated before its procurement's last event or
ahead of its recording is refused (exit 2, nothing written); a late entry needs its reason and
is shown by status; planning views judge each trigger on its own, mark provisional calendar
dates and say "cannot judge" instead of failing; a decision on a provisional day is refused
(exit 1, calendar.provisional); a scenario that stops after applying steps exits 1 and says
how many were applied."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from tenderflow import yamlio
from tenderflow.app.procurement import Services
from tenderflow.app.scenario import run_scenario
from tenderflow.cli import cli
from tenderflow.domain.timeutil import parse_time
from tenderflow.errors import CalendarProvisional
from tenderflow.paths import examples_dir
from tests.conftest import HISTORIC

PID = "CN-2023-001"


def count(services: Any) -> int:
    with services.store.reading() as tx:
        return int(tx.count_events())


def absolute_credit_files(data: Any) -> None:
    """The example's credit_import steps name their export relative to the example."""
    for step in data["steps"]:
        if "credit_import" in step:
            step["credit_import"]["file"] = str(examples_dir() / step["credit_import"]["file"])


@pytest.fixture
def before_award(services: Any, tmp_path: Path) -> Any:
    """examples/negotiation_award.yaml up to (not including) its award."""
    source = examples_dir() / "negotiation_award.yaml"
    data = yamlio.safe_load(source.read_text(encoding="utf-8"))
    cut = next(i for i, s in enumerate(data["steps"]) if s.get("fire") == "award")
    data["steps"] = data["steps"][:cut]
    for section in ("projects", "suppliers"):
        data[section] = [{"file": str(examples_dir() / s["file"])} for s in data[section]]
    absolute_credit_files(data)
    path = tmp_path / "before_award.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert run_scenario(services, path).ok
    assert services.state(PID)["state"] == "recommended"
    return services


def test_fire_dated_before_the_last_event_exits_2_and_writes_nothing(before_award: Any,
                                                                    invoke: Any) -> None:
    last = before_award.state(PID)["last_event_at"]
    n = count(before_award)
    res = invoke("fire", PID, "fail", "--data", str(_reason_file(before_award)),
                 "--at", "2023-01-02T09:00+08:00")
    assert res.exit_code == 2, res.output
    assert "business time never goes back" in res.output and last in res.output
    assert "2023-01-02T09:00:00+08:00" in res.output and "nothing was written" in res.output
    assert count(before_award) == n


def test_fire_dated_ahead_of_its_recording_exits_2(before_award: Any, invoke: Any) -> None:
    n = count(before_award)
    res = invoke("fire", PID, "fail", "--data", str(_reason_file(before_award)),
                 "--at", "2099-01-01T09:00+08:00")
    assert res.exit_code == 2, res.output
    assert "a step cannot be recorded before it happens" in res.output
    assert count(before_award) == n


def test_a_late_entry_needs_its_reason_and_status_shows_it(before_award: Any, db_url: str,
                                                           tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["--db", db_url, "--as", "staff:wang", "fire", PID, "fail", "--data",
            str(_reason_file(before_award)), "--at", "2023-03-20T09:00+08:00"]
    n = count(before_award)
    res = runner.invoke(cli, args, env={"TENDERFLOW_LATE_REASON": None})
    assert res.exit_code == 2, res.output
    assert "field '--late-reason'" in res.output and "a late entry states its reason" in res.output
    assert count(before_award) == n
    res = runner.invoke(cli, ["--late-reason", "纸质记录补录", *args],
                        env={"TENDERFLOW_LATE_REASON": None})
    assert res.exit_code == 0, res.output
    status = runner.invoke(cli, ["--db", db_url, "status", PID, "--at",
                                 "2023-03-20T09:00+08:00"])
    assert "纸质记录补录" in status.output, status.output
    data = json.loads(runner.invoke(cli, ["--db", db_url, "--json", "status", PID]).output)
    assert data["late_entries"][-1]["reason"] == "纸质记录补录"
    assert data["late_entries"][-1]["type"] == "ProcurementFailed"


def test_planning_views_mark_provisional_dates_and_the_decision_is_refused(
        before_award: Any, invoke: Any) -> None:
    """The award starts a 30-day contract window: from 2026-12-10 it ends in January 2027,
    a year with only a provisional calendar. status and next show it as such (exit 0); the
    award itself is refused until the 2027 notice is imported."""
    res = invoke("next", PID, "--at", "2026-12-10T09:00+08:00")
    assert res.exit_code == 0, res.output
    assert "(dates on the provisional calendar of 2027)" in res.output
    res = invoke("--json", "status", PID, "--at", "2026-12-10T09:00+08:00")
    assert res.exit_code == 0 and json.loads(res.output)["provisional"] == [2027]
    # the same probe in 2023 touches no provisional year
    res = invoke("--json", "status", PID, "--at", "2023-03-10T14:00+08:00")
    assert json.loads(res.output)["provisional"] == []
    later = Services(before_award.store, entry=HISTORIC,
                     recording_clock=lambda: parse_time("2026-12-10T10:00+08:00"))
    n = count(before_award)
    with pytest.raises(CalendarProvisional) as refused:
        later.fire(PID, "award", {"supplier": "S-HXJS"}, "staff:wang",
                   parse_time("2026-12-10T09:00+08:00"))
    assert refused.value.exit_code == 1
    assert "2027" in refused.value.message and "tenderflow calendar import" in \
        refused.value.message
    assert count(before_award) == n


def test_a_guard_that_cannot_judge_is_shown_and_the_probe_exits_0(before_award: Any,
                                                                  invoke: Any) -> None:
    """Before 2004 no calendar data exists: the award's periods cannot be counted, so the
    award is shown as "cannot judge" with the reason, and status still answers."""
    res = invoke("status", PID, "--at", "2003-06-02T09:00+08:00")
    assert res.exit_code == 0, res.output
    assert "cannot judge award: negotiation_award_periods:" in res.output
    assert "2003" in res.output
    res = invoke("next", PID, "--at", "2003-06-02T09:00+08:00")
    assert res.exit_code == 0, res.output
    assert "! negotiation_award_periods: cannot judge:" in res.output


def test_status_without_at_judges_at_the_last_recorded_time(before_award: Any) -> None:
    """The services' default is the record's own latest time: the same on any day."""
    status = before_award.status(PID)
    assert status["as_of"] == before_award.state(PID)["last_event_at"]
    assert status == before_award.status(PID, parse_time(status["as_of"]))


def test_a_scenario_stopped_after_applied_steps_exits_1_and_says_how_many(
        invoke: Any, tmp_path: Path) -> None:
    source = examples_dir() / "negotiation_award.yaml"
    data = yamlio.safe_load(source.read_text(encoding="utf-8"))
    for section in ("projects", "suppliers"):
        data[section] = [{"file": str(examples_dir() / s["file"])} for s in data[section]]
    absolute_credit_files(data)
    # the fourth step is dated before the third: refused once three steps were applied
    data["steps"][3]["at"] = "2023-02-01T09:00+08:00"
    path = tmp_path / "backdated.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    res = invoke("run", str(path))
    assert res.exit_code == 1, res.output
    assert "business time never goes back" in res.output
    assert "stopped at step 3; 3 earlier step(s) were applied and stay recorded" in res.output


def _reason_file(services: Any) -> Path:
    path = services.store.sqlite_path().parent / "fail.yaml"
    path.write_text("reason: 供应商不足\n", encoding="utf-8")
    return path
