"""Fixtures of the calendar tests: the notices, and a recording clock set in 2027 so that a
decision dated in late 2026 or 2027 can be recorded whatever day the tests run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tenderflow.domain.timeutil import parse_time

NOTICES = Path(__file__).resolve().parent / "notices"
RECORDED_AT = "2027-06-01T09:00+08:00"


def fix_recording_clock(monkeypatch: pytest.MonkeyPatch, at: str = RECORDED_AT) -> Any:
    """Make ``recorded_at`` (and the CLI's default ``--at``) a fixed time: both the clock
    module and the services' default recording clock."""
    from tenderflow import clock
    from tenderflow.app.procurement import Services

    when = parse_time(at)

    def fixed() -> Any:
        return when

    monkeypatch.setattr(clock, "now", fixed)
    defaults = getattr(Services.__init__, "__kwdefaults__", None) or {}
    if "recording_clock" in defaults:
        monkeypatch.setitem(defaults, "recording_clock", fixed)
    return when


@pytest.fixture
def clock_2027(monkeypatch: pytest.MonkeyPatch) -> Any:
    return fix_recording_clock(monkeypatch)
