"""Working-day calendar override files as policy data: ``workflows/calendars/<year>.yaml``,
each transcribed from a State Council notice, read here and validated by
:func:`tenderflow.domain.calendar_data.override_year`; the calendar built from the packages
and these files (:meth:`tenderflow.domain.calendar.WorkingDayCalendar.build`)."""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path

import yaml

from tenderflow.domain.calendar import WorkingDayCalendar
from tenderflow.domain.calendar_data import override_year
from tenderflow.errors import InputError
from tenderflow.yamlio import SafeBase

_OVERRIDE_NAME = re.compile(r"^(\d{4})\.yaml$")


def overrides_dir() -> Path:
    from tenderflow.paths import workflows_dir

    return workflows_dir() / "calendars"


def load_calendar(directory: Path | None = None) -> WorkingDayCalendar:
    """Package data, cross-checked, then the override files of ``directory`` (default
    ``workflows/calendars/``)."""
    found = load_overrides(directory if directory is not None else overrides_dir())
    return WorkingDayCalendar.build({year: (path.name, source, data)
                                     for year, (path, source, data) in found.items()})


@cache
def default_calendar() -> WorkingDayCalendar:
    """The calendar from the packages and ``workflows/calendars/``, loaded once per process."""
    return load_calendar()


def load_overrides(directory: Path) -> dict[int, tuple[Path, str, dict[str, frozenset[date]]]]:
    """Read and validate every ``<year>.yaml`` in ``directory``: year -> (path, source, data).

    A missing directory means no overrides. Other YAML files (misnamed, ``.yml``) are refused
    rather than ignored; non-YAML files such as the README are ignored.
    """
    if not directory.is_dir():
        return {}
    out: dict[int, tuple[Path, str, dict[str, frozenset[date]]]] = {}
    for path in sorted(directory.iterdir()):
        if path.suffix.lower() not in (".yaml", ".yml"):
            continue
        match = _OVERRIDE_NAME.match(path.name)
        if not match:
            raise InputError("calendar override file must be named <year>.yaml",
                             file=str(path), field="file name", expected="e.g. 2027.yaml")
        year, source, data = _read_override(path, int(match.group(1)))
        out[year] = (path, source, data)
    return out


def _read_override(path: Path, file_year: int) -> tuple[int, str, dict[str, frozenset[date]]]:
    file = str(path)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeBase)  # noqa: S506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        location = f"line {mark.line + 1}" if mark is not None else None
        raise InputError(f"not valid YAML: {exc}", file=file, location=location,
                         field="(file)") from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", file=file, field="(file)") from None
    except RecursionError:
        raise InputError("nested too deeply", file=file, field="(file)") from None
    return override_year(raw, file=file, file_year=file_year)
