"""Working-day calendar override files as policy data: ``workflows/calendars/<year>.yaml``,
each transcribed from a State Council notice, read here and validated by
:func:`tenderflow.domain.calendar_data.override_year`; the calendar built from the packages
and these files (:meth:`tenderflow.domain.calendar.WorkingDayCalendar.build`)."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from functools import cache
from pathlib import Path

from tenderflow.domain import calendar_data
from tenderflow.domain.calendar import WorkingDayCalendar
from tenderflow.domain.calendar_data import holidays_cn_data, override_year
from tenderflow.errors import InputError
from tenderflow.usercache import cache_dir, installed, write_atomically

_OVERRIDE_NAME = re.compile(r"^(\d{4})\.yaml$")


def overrides_dir() -> Path:
    from tenderflow.paths import workflows_dir

    return workflows_dir() / "calendars"


def load_calendar(directory: Path | None = None) -> WorkingDayCalendar:
    """Package data, cross-checked, then the override files of ``directory`` (default
    ``workflows/calendars/``)."""
    found = load_overrides(directory if directory is not None else overrides_dir())
    return WorkingDayCalendar.build({year: (path.name, source, data)
                                     for year, (path, source, data) in found.items()},
                                    holidays_cn_remembered)


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
    import yaml  # only when there are override files (issue 17)

    from tenderflow.yamlio import SafeBase

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


# --- the cross-check's data, remembered per installed ``holidays`` ---------------------------
#
# Computing CN holidays with ``holidays`` for the 23 package years (import included) cost every
# command ~90 ms (issue 17). The result depends only on the years and on the installed
# ``holidays``, so it is kept in the per-user cache under a key of: the package's RECORD (the
# hash of every file pip installed), the size and modification time of each module the CN
# calendar is computed from (an edit in place changes them), the source of
# tenderflow.domain.calendar_data and the years. A file whose content does not match its own
# digest, or that cannot be read or written, costs the computation, never the cross-check.

HOLIDAYS_CACHE_FORMAT = "1"
_HOLIDAYS_MODULES = ("", "calendars", "groups", "mixins", "countries/__init__.py",
                     "countries/china.py")


def holidays_key(years: list[int]) -> str | None:
    """The cache key of ``holidays_cn_data(years)`` for the installed ``holidays``; None when
    its installation cannot be identified (no single .dist-info with a RECORD)."""
    found = installed("holidays")
    if found is None:
        return None
    package, record = found
    h = hashlib.sha256(f"{HOLIDAYS_CACHE_FORMAT}\n{years}\n".encode())
    h.update(record)
    try:
        h.update(Path(calendar_data.__file__).read_bytes())
        for part in _HOLIDAYS_MODULES:
            target = package / part
            files = ([target] if target.is_file() else
                     sorted(p for p in target.iterdir() if p.suffix == ".py"))
            for f in files:
                st = f.stat()
                h.update(f"{f.relative_to(package)} {st.st_size} {st.st_mtime_ns}\n".encode())
    except OSError:
        return None
    return h.hexdigest()


def _holidays_body(data: dict[int, dict[str, frozenset[date]]]) -> str:
    return json.dumps({str(y): {k: sorted(d.isoformat() for d in v[k])
                                for k in ("holidays", "workdays")}
                       for y, v in sorted(data.items())}, sort_keys=True)


def holidays_cn_remembered(years: list[int]) -> dict[int, dict[str, frozenset[date]]]:
    """:func:`~tenderflow.domain.calendar_data.holidays_cn_data` of ``years``, read from the
    per-user cache when the installed ``holidays`` computed it before, else computed and
    stored there."""
    key = holidays_key(years)
    if key is None:
        return holidays_cn_data(years)
    path = cache_dir() / f"holidays-cn-{key}.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        body = stored["body"]
        if (isinstance(body, str)
                and hashlib.sha256(body.encode()).hexdigest() == stored["sha256"]):
            raw = json.loads(body)
            data = {int(y): {k: frozenset(date.fromisoformat(d) for d in v[k])
                             for k in ("holidays", "workdays")} for y, v in raw.items()}
            if sorted(data) == sorted(years):
                return data
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    data = holidays_cn_data(years)
    body = _holidays_body(data)
    try:
        write_atomically(path, json.dumps({"sha256": hashlib.sha256(body.encode()).hexdigest(),
                                           "body": body}))
    except OSError:
        pass
    return data
