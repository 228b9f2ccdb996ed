"""The calendar's cross-check data is remembered per installed ``holidays`` (issue 17): the same
data as computing it, read back without ``holidays``, and never trusted when the file does not
match its digest or the installation it was computed from changed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tenderflow import schemacheck, usercache
from tenderflow.domain.calendar_data import chinesecalendar_data, holidays_cn_data
from tenderflow.workflow import calendars

YEARS = sorted(chinesecalendar_data())


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(schemacheck.CACHE_ENV, str(tmp_path))
    return tmp_path


def _refuse(years: list[int]) -> dict:  # type: ignore[type-arg]
    raise AssertionError("computed again")


def test_remembered_data_is_the_computed_data(cache_dir: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    computed = holidays_cn_data(YEARS)
    assert calendars.holidays_cn_remembered(YEARS) == computed
    files = list(cache_dir.glob("holidays-cn-*.json"))
    assert len(files) == 1
    monkeypatch.setattr(calendars, "holidays_cn_data", _refuse)
    assert calendars.holidays_cn_remembered(YEARS) == computed  # read back, not computed
    # the calendar built from it is the calendar built from the package (same pins)
    monkeypatch.undo()
    monkeypatch.setenv(schemacheck.CACHE_ENV, str(cache_dir))
    from tenderflow.domain.calendar import WorkingDayCalendar

    assert (WorkingDayCalendar.build({}, calendars.holidays_cn_remembered).content_hash()
            == WorkingDayCalendar.build({}).content_hash())


def test_a_tampered_or_broken_file_is_computed_again(cache_dir: Path) -> None:
    computed = calendars.holidays_cn_remembered(YEARS)
    (path,) = cache_dir.glob("holidays-cn-*.json")
    stored = json.loads(path.read_text())
    body = json.loads(stored["body"])
    body[str(YEARS[-1])]["holidays"] = []
    path.write_text(json.dumps({**stored, "body": json.dumps(body)}))
    assert calendars.holidays_cn_remembered(YEARS) == computed
    path.write_text("{not json")
    assert calendars.holidays_cn_remembered(YEARS) == computed
    assert json.loads(path.read_text())["sha256"] == stored["sha256"]  # written anew


def test_the_key_follows_the_installation_and_the_years(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    package = site / "holidays"
    for sub in ("calendars", "groups", "mixins", "countries"):
        (package / sub).mkdir(parents=True)
    for f in ("__init__.py", "calendars/chinese.py", "countries/__init__.py",
              "countries/china.py", "countries/germany.py"):
        (package / f).write_text("# code\n")
    info = site / "holidays-9.9.dist-info"
    info.mkdir()
    (info / "RECORD").write_text("holidays/__init__.py,sha256=x,7\n")

    class Spec:
        origin = str(package / "__init__.py")

    monkeypatch.setattr(usercache, "find_spec", lambda name: Spec())
    key = calendars.holidays_key(YEARS)
    assert key is not None and key == calendars.holidays_key(YEARS)
    assert calendars.holidays_key(YEARS[:-1]) != key
    os.utime(package / "countries/germany.py", ns=(1, 1))  # not used for CN: same key
    assert calendars.holidays_key(YEARS) == key
    (package / "countries/china.py").write_text("# code, edited in place\n")
    edited = calendars.holidays_key(YEARS)
    assert edited != key
    (info / "RECORD").write_text("holidays/__init__.py,sha256=y,7\n")
    assert calendars.holidays_key(YEARS) not in (key, edited)
    (site / "holidays-9.8.dist-info").mkdir()  # two installations: not identified, not cached
    assert calendars.holidays_key(YEARS) is None
