"""Working-day calendars in the store: State Council notices imported as events, and the
calendar that decisions use (package data + override files + imported years).

Events (stream ``calendar:<YEAR>``, e.g. ``calendar:2027``)::

    CalendarNoticeImported {"year", "holidays" (weekday rest days), "workdays" (weekend
        make-up working days), "source", "notice": {"title", "number", "date", "file"},
        "sha256" (of the notice text), "definition" (hash of the calendar-year definition)}

The year's calendar is also stored as a definition of kind ``calendar-year`` by content hash
(:meth:`tenderflow.store.eventstore.Tx.pin_definition`) and pinned by the event
(``pins: {"calendar-year": hash}``), so ``audit verify`` checks it. Importing the same notice
text again writes nothing; a different text for the same year (a corrected notice) is
recorded after it and replaces it. The last import of each year replaces package data and
override files for that year (:meth:`WorkingDayCalendar.with_imported`); the merged calendar's
content hash, pinned by every decision, changes when an imported year changes the days.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tenderflow.domain.calendar import WorkingDayCalendar
from tenderflow.domain.calendar_provisional import RULES_VERSION, provisional_year
from tenderflow.domain.calendar_provisional import backtest as run_backtest
from tenderflow.domain.timeutil import iso
from tenderflow.errors import InputError
from tenderflow.store.canonical import canonical_json, content_hash
from tenderflow.store.records import NewEvent
from tenderflow.workflow.calendars import default_calendar

if TYPE_CHECKING:  # the SQLAlchemy store is not imported: status/next read the merged calendar
    # through the sqlite3 read path too (tenderflow.store.lite, issue 17)
    from tenderflow.store.eventstore import EventStore, Tx
if TYPE_CHECKING:  # the notice parser is imported where a notice is read (issue 17: every
    # command reads the merged calendar, few read a notice)
    from tenderflow.domain.calendar_notice import Notice

STREAM_PREFIX = "calendar:"
EVENT = "CalendarNoticeImported"
DEFINITION_KIND = "calendar-year"

# merged calendars by the heads of the calendar:* streams (and the base calendar's hash)
_MERGED: OrderedDict[tuple[Any, ...], WorkingDayCalendar] = OrderedDict()
_MERGED_MAX = 16


def stream_of(year: int) -> str:
    return f"{STREAM_PREFIX}{year}"


def calendar_heads(tx: Tx) -> tuple[tuple[str, int, str], ...]:
    """(stream, version, head hash) of every ``calendar:*`` stream, in one query."""
    return tx.stream_heads(STREAM_PREFIX)


def imported_years(tx: Tx) -> dict[int, dict[str, Any]]:
    """Year -> the payload of the last notice imported for it."""
    out: dict[int, dict[str, Any]] = {}
    for sid, _, _ in calendar_heads(tx):
        last = None
        for ev in tx.read_stream(sid):
            if ev.type == EVENT:
                last = ev
        if last is not None:
            out[int(last.payload["year"])] = {**last.payload, "imported_at": last.occurred_at,
                                              "imported_by": last.actor}
    return out


def merged_calendar(tx: Tx | None, base: WorkingDayCalendar | None = None
                    ) -> WorkingDayCalendar:
    """The calendar decisions use: ``base`` (package data and override files,
    :func:`default_calendar`) with the years imported into the store replacing its data.
    Cached on the heads of the ``calendar:*`` streams: without imports it is ``base`` itself,
    and a command rebuilds nothing when nothing was imported since the last one."""
    base = base if base is not None else default_calendar()
    if tx is None:
        return base
    heads = calendar_heads(tx)
    if not heads:
        return base
    key = (id(base), base.content_hash(), heads)
    found = _MERGED.get(key)
    if found is not None:
        _MERGED.move_to_end(key)
        return found
    years = {
        year: ({"holidays": [date.fromisoformat(d) for d in p["holidays"]],
                "workdays": [date.fromisoformat(d) for d in p["workdays"]]}, p["source"])
        for year, p in imported_years(tx).items()
    }
    merged = base.with_imported(years)
    _MERGED[key] = merged
    while len(_MERGED) > _MERGED_MAX:
        _MERGED.popitem(last=False)
    return merged


def read_notice(path: Any) -> str:
    """The text of a notice file (UTF-8), or an InputError naming the file."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", file=str(p)) from None
    except IsADirectoryError:
        raise InputError("is a directory", file=str(p), expected="a notice text file") from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(p)) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", file=str(p),
                         expected="the notice as UTF-8 text") from None


def import_notice(services: Any, text: str, file: str, actor: str,
                  at: datetime) -> dict[str, Any]:
    """Read a State Council notice and record its year's calendar (``CalendarNoticeImported``
    on ``calendar:<YEAR>`` and a ``calendar-year`` definition), in one transaction. Nothing is
    written when the notice cannot be read, or when the same text was imported already."""
    from tenderflow import clock
    from tenderflow.app.common import check_actor, load_parameters
    from tenderflow.domain.calendar_notice import parse_notice

    check_actor(actor)
    notice = parse_notice(text, file)
    name = file.rsplit("/", 1)[-1]
    body = {k: v for k, v in notice.data().items()}
    digest = content_hash(body)
    result = _result(notice, file, digest)
    when = iso(at)
    recorded_at = getattr(services, "recording_clock", clock.now)()
    late = services.late_entry_for(load_parameters(services.root), at, recorded_at,
                                   what=f"calendar notice import from {name}")
    sid = stream_of(notice.year)
    with services.store.transaction() as tx:
        version, _ = tx.head(sid)
        previous = None
        for ev in tx.read_stream(sid):
            if ev.type == EVENT:
                previous = ev
        if previous is not None and previous.payload.get("sha256") == notice.sha256:
            return {**result, "imported": False, "version": version,
                    "message": f"{name}: the notice for {notice.year} ({notice.source}) was "
                               f"imported already (event {sid}#{previous.stream_seq}); "
                               f"nothing written"}
        before = merged_calendar(tx)
        tx.pin_definition(digest, DEFINITION_KIND, str(notice.year), canonical_json(body))
        payload = {**body, "notice": {**body["notice"], "file": name}, "definition": digest}
        if late:
            payload["late_entry"] = late
        if previous is not None:
            payload["replaces"] = {"sha256": previous.payload.get("sha256"),
                                   "source": previous.payload.get("source")}
        stored = tx.append(sid, version, [NewEvent(EVENT, payload, when, actor,
                                                   {DEFINITION_KIND: digest})],
                           iso(recorded_at))
        after = merged_calendar(tx)
    changed = _changes(before, notice)
    return {**result, "imported": True, "version": stored[-1].stream_seq,
            "global_seq": stored[-1].global_seq, "changes": changed,
            "calendar": {"before": before.content_hash(), "after": after.content_hash()},
            "message": f"{name}: imported the notice for {notice.year} ({notice.source}) as "
                       f"{sid}#{stored[-1].stream_seq}: {len(notice.holidays)} weekday rest "
                       f"days, {len(notice.workdays)} make-up working days"
                       + (f"; differs from the previous data ({before.kind_of(notice.year)}): "
                          + "; ".join(changed) if changed else
                          f"; same days as the previous data ({before.kind_of(notice.year)})")}


def checked_notice(path: Path) -> str:
    """The text of a notice file, refused (naming the file and the line it stopped at) when
    it cannot be read fully: ``calendar import`` checks it before touching the store."""
    from tenderflow.domain.calendar_notice import parse_notice

    text = read_notice(path)
    parse_notice(text, str(path))
    return text


def _result(notice: Notice, file: str, digest: str) -> dict[str, Any]:
    return {"file": file, "year": notice.year, "source": notice.source,
            "notice": {"title": notice.title, "number": notice.number,
                       "date": notice.date.isoformat()},
            "sha256": notice.sha256, "definition": digest,
            "holidays": sorted(d.isoformat() for d in notice.holidays),
            "workdays": sorted(d.isoformat() for d in notice.workdays)}


def _changes(before: WorkingDayCalendar, notice: Notice) -> list[str]:
    if before.is_official(notice.year):
        old = before.year_data(notice.year)
    elif before.is_provisional(notice.year):
        old = before.planning().year_data(notice.year)
    else:
        return []
    out = []
    for key, what in (("holidays", "weekday rest days"), ("workdays", "make-up working days")):
        new = getattr(notice, key)
        added, removed = sorted(new - set(old[key])), sorted(set(old[key]) - new)
        if added:
            out.append(f"{what} added: {', '.join(d.isoformat() for d in added)}")
        if removed:
            out.append(f"{what} removed: {', '.join(d.isoformat() for d in removed)}")
    return out


def calendar_years(tx: Tx | None) -> dict[str, Any]:
    """Every year covered (official: package, override, imported, with its source), the
    disputed years, and the span of provisional years (for ``calendar list``)."""
    cal = merged_calendar(tx)
    imported = imported_years(tx) if tx is not None else {}
    years = []
    for year in cal.years:
        entry: dict[str, Any] = {"year": year, "kind": cal.kind_of(year), "official": True,
                                 "source": cal.source_of(year)}
        if year in imported:
            entry["imported_at"] = imported[year]["imported_at"]
            entry["sha256"] = imported[year]["sha256"]
        years.append(entry)
    span = cal.provisional_span
    provisional = None
    if span is not None:
        gaps = [y for y in range(span.first, span.last + 1) if cal.is_provisional(y)]
        provisional = {"rules": span.rules, "first": span.first, "last": span.last,
                       "years": _ranges(gaps), "source": cal.source_of(gaps[0]) if gaps
                       else None}
    disputed = sorted({*range(cal.years[0], cal.years[-1] + 1)} - set(cal.years)
                      - set(range(span.first, span.last + 1) if span else ())) \
        if cal.years else []
    return {"years": years, "missing_or_disputed": [
        {"year": y, "kind": cal.kind_of(y)} for y in disputed],
        "provisional": provisional, "calendar": cal.content_hash()}


def _ranges(years: list[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for y in years:
        if out and out[-1][1] == y - 1:
            out[-1][1] = y
        else:
            out.append([y, y])
    return out


def years_covered(store: EventStore) -> dict[str, Any]:
    """:func:`calendar_years` of the calendar with the years imported into ``store``."""
    with store.reading() as tx:
        return calendar_years(tx)


def year_view(store: EventStore, year: int) -> dict[str, Any]:
    """A year of the calendar decisions use (``calendar show``): kind, source, the weekday
    rest days and weekend working days (a provisional year's with their arrangements), and
    the imported notice's identity. A missing or disputed year is refused."""
    with store.reading() as tx:
        cal = merged_calendar(tx)
        imported = imported_years(tx).get(year)
    kind = cal.kind_of(year)
    view = cal.planning()
    days = view.year_data(year)  # refuses a missing or disputed year
    data: dict[str, Any] = {
        "year": year, "kind": kind, "official": cal.is_official(year),
        "provisional": cal.is_provisional(year), "source": cal.source_of(year),
        "holidays": [d.isoformat() for d in days["holidays"]],
        "workdays": [d.isoformat() for d in days["workdays"]],
        "calendar": cal.content_hash(),
    }
    if imported:
        data["notice"] = {**imported["notice"], "sha256": imported["sha256"],
                          "imported_at": imported["imported_at"]}
    if data["provisional"]:
        data["arrangements"] = [a.to_dict() for a in provisional_year(year).arrangements]
    return data


def backtest(years: tuple[int, ...]) -> tuple[dict[str, Any], dict[int, list[str]]]:
    """The provisional rules against the official data of ``years`` (package data and
    override files), day by day; a year without official data is refused. Returns the data
    and each year's differences as text."""
    cal = default_calendar()
    out = []
    text: dict[int, list[str]] = {}
    for year in years:
        official = cal.year_data(year)  # refuses a year without official data
        diffs = run_backtest(year, set(official["holidays"]), set(official["workdays"]))
        out.append({"year": year, "source": cal.source_of(year), "days_wrong": len(diffs),
                    "differences": [d.to_dict() for d in diffs]})
        text[year] = [str(d) for d in diffs]
    return {"rules": RULES_VERSION, "years": out}, text
