"""Business times: ISO 8601 with an offset; times without one are read in Asia/Shanghai."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from tenderflow.errors import InputError

SHANGHAI = ZoneInfo("Asia/Shanghai")


def parse_time(value: object, *, field: str = "at", file: str | None = None,
               location: str | None = None) -> datetime:
    """Parse an ISO 8601 time; a naive time or a bare date is taken in Asia/Shanghai."""
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value.strip()
        try:
            dt = datetime.fromisoformat(text)
        except ValueError:
            raise InputError(f"not a time: {value!r}", file=file, location=location, field=field,
                             expected="ISO 8601 like 2023-03-01T09:00+08:00") from None
    else:
        raise InputError(f"not a time: {value!r}", file=file, location=location, field=field,
                         expected="ISO 8601 like 2023-03-01T09:00+08:00")
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=SHANGHAI)
    return dt


def parse_date(value: object, *, field: str, file: str | None = None,
               location: str | None = None) -> date:
    """Parse a calendar date (YYYY-MM-DD)."""
    if isinstance(value, datetime):
        return value.astimezone(SHANGHAI).date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10]) if len(value.strip()) >= 10 else \
                date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InputError(f"not a date: {value!r}", file=file, location=location, field=field,
                     expected="a date like 2023-03-01")


def iso(dt: datetime) -> str:
    """ISO 8601 with offset, seconds precision."""
    return dt.isoformat(timespec="seconds")


def local_date(dt: datetime) -> date:
    """The calendar date of a time in Asia/Shanghai (periods count Beijing days)."""
    return dt.astimezone(SHANGHAI).date()
