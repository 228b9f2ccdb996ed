"""``tenderflow calendar import|show|list|backtest``: China's working-day calendars — package
data, override files, State Council notices imported into the record, and provisional years
(DESIGN §5, POLICY "Counting periods")."""

from __future__ import annotations

import calendar as stdcal
from datetime import date
from pathlib import Path
from typing import Any

import click

from tenderflow.cli import Ctx
from tenderflow.cli.help import Group
from tenderflow.cli.text import cell, width
from tenderflow.i18n import N_, _

pass_ctx = click.make_pass_decorator(Ctx)

KIND_LABELS = {"package": N_("official, package data (chinesecalendar, cross-checked)"),
               "override": N_("official, override file"),
               "imported": N_("official, imported notice"),
               "pinned": N_("official, pinned data"), "given": N_("official"),
               "provisional": N_("PROVISIONAL (not official)"), "disputed": N_("disputed"),
               "missing": N_("missing")}
KIND_SHORT = {"package": N_("package"), "override": N_("override"), "imported": N_("imported"),
              "pinned": N_("pinned"), "provisional": N_("provisional"),
              "disputed": N_("disputed"), "missing": N_("missing")}
MONTH_WIDTH = 21  # 7 cells of 3 columns


def source_text(source: str) -> str:
    """A calendar's source (tenderflow.domain.calendar) in the --lang language: the package
    data and the provisional rules are named in English by the domain."""
    import re

    source = source.replace("chinesecalendar + holidays(CN), cross-checked",
                            _("chinesecalendar + holidays(CN), cross-checked"))
    m = re.fullmatch(r"provisional \((?P<rules>[^,]+), from (?P<source>.+)\)", source)
    if m:
        return _("provisional ({rules}, from {source})").format(**m.groupdict())
    return source


@click.group(cls=Group)
def calendar() -> None:
    """Working-day calendars (法定节假日与调休): import the State Council's notice, show a
    year, list the years covered."""


@calendar.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--at", "at", help="Business time of the import (ISO 8601; default now).")
@pass_ctx
def import_notice(obj: Ctx, file: Path, at: str | None) -> None:
    """Record the State Council's holiday notice for a year (国务院办公厅关于YYYY年部分节假日
    安排的通知, as published) on the stream calendar:YYYY. The notice is checked first (each
    共N天, make-up days on weekends, the statutory days of 《全国年节及纪念日放假办法》); one it
    cannot read fully is refused with the line it stopped at, and nothing is written.
    Importing the same text again records nothing.

    \b
    Example:
      tenderflow --as staff:wang calendar import notices/2027.txt
    """
    from tenderflow.app.calendar import checked_notice
    from tenderflow.app.calendar import import_notice as do_import
    from tenderflow.cli.procurement import actor_of, parse_at

    text = checked_notice(file)  # refuse an unreadable notice before touching the store
    actor = actor_of(obj)
    when = parse_at(at)
    result = do_import(obj.services(), text, str(file), actor, when)
    obj.emit({"ok": True, **result}, result["message"])


@calendar.command("show")
@click.argument("year", type=click.IntRange(1900, 9999))
@pass_ctx
def show(obj: Ctx, year: int) -> None:
    """A year's calendar as a month grid: weekday rest days (法定节假日/调休) marked *, make-up
    working days (调休上班) marked +, the source, and whether it is official or provisional.

    \b
    Example:
      tenderflow calendar show 2027
    """
    data = _year(obj, year)
    obj.emit({"ok": True, **data}, render_year(data, obj.lang))


@calendar.command("list")
@pass_ctx
def list_years(obj: Ctx) -> None:
    """Every year covered: official (package data, override file or imported notice, with
    its source), disputed, and the provisional span.

    \b
    Example:
      tenderflow calendar list
    """
    from tenderflow.app.calendar import years_covered

    data = years_covered(obj.store())
    source = _("no trusted data: add an override file or import the notice")
    def kind(name: str) -> str:
        return cell(_(KIND_SHORT[name]) if name in KIND_SHORT else name, 9)

    rows = [(y["year"], f"{y['year']}  {kind(y['kind'])} "
                        + source_text(y["source"].removeprefix("imported notice: ")))
            for y in data["years"]]
    rows += [(y["year"], f"{y['year']}  {kind(y['kind'])} {source}")
             for y in data["missing_or_disputed"]]
    lines = [text for _, text in sorted(rows)]
    p = data["provisional"]
    if p:
        spans = ", ".join(f"{a}–{b}" if a != b else str(a) for a, b in p["years"])
        lines.append(_("{spans}  provisional: rules {rules},").format(spans=spans,
                                                                      rules=p["rules"]))
        lines += ["           " + line for line in _(
            "from the principles of 国办发明电〔2024〕12号,\nfor planning only: decisions on "
            "these years are refused until\nthe year's notice is imported (tenderflow "
            "calendar import)").splitlines()]
    lines.append(_("calendar {hash}…").format(hash=data["calendar"][:16]))
    obj.emit({"ok": True, **data}, "\n".join(lines))


@calendar.command("backtest")
@click.argument("years", nargs=-1, type=click.IntRange(1900, 9999), required=True)
@pass_ctx
def backtest(obj: Ctx, years: tuple[int, ...]) -> None:
    """Compare the provisional rules with the official data of YEARS, day by day (the rules
    follow the principles of the 2025 notice, so years before 2025 differ by design).

    \b
    Example:
      tenderflow calendar backtest 2025 2026
    """
    from tenderflow.app.calendar import backtest as run

    data, diffs = run(years)
    lines = [_("provisional rules {rules} against official data").format(rules=data["rules"])]
    for year in years:
        lines.append(_("{year}: {n} day(s) wrong").format(year=year, n=len(diffs[year]))
                     + (":" if diffs[year] else ""))
        lines.extend(f"  {d}" for d in diffs[year])
    obj.emit({"ok": True, **data}, "\n".join(lines))


# ----------------------------------------------------------------------------- helpers


def _year(obj: Ctx, year: int) -> dict[str, Any]:
    from tenderflow.app.calendar import year_view

    return year_view(obj.store(), year)


def render_year(data: dict[str, Any], lang: str = "zh") -> str:
    """Twelve months, three to a row (67 columns), Monday first."""
    year = data["year"]
    holidays = {date.fromisoformat(d) for d in data["holidays"]}
    workdays = {date.fromisoformat(d) for d in data["workdays"]}
    status = _(KIND_LABELS[data["kind"]]) if data["kind"] in KIND_LABELS else data["kind"]
    lines = [f"{year}  {status}", _("source: {source}").format(
        source=source_text(data["source"]))]
    if data.get("notice"):
        lines.append(_("notice text sha256 {digest}…, imported {at}").format(
            digest=data["notice"]["sha256"][:16], at=data["notice"]["imported_at"]))
    if data["provisional"]:
        lines += _("for planning only: decisions on {year} are refused until its notice\nis "
                   "imported (tenderflow calendar import NOTICE.txt)").format(
                       year=year).splitlines()
    lines.append("")
    head = "一 二 三 四 五 六 日 " if lang == "zh" else "Mo Tu We Th Fr Sa Su "
    cal = stdcal.Calendar(firstweekday=0)
    for row in range(4):
        blocks = []
        for month in range(row * 3 + 1, row * 3 + 4):
            title = f"{month}月" if lang == "zh" else stdcal.month_name[month]
            width = MONTH_WIDTH - (len(title) if lang == "zh" else 0)
            block = [title.center(width) if lang != "zh" else _center_cjk(title),
                     head if lang != "zh" else _pad_cjk(head)]
            for week in cal.monthdatescalendar(year, month):
                cells = []
                for d in week:
                    if d.month != month:
                        cells.append("   ")
                        continue
                    mark = "*" if d in holidays else "+" if d in workdays else " "
                    cells.append(f"{d.day:>2}{mark}")
                block.append("".join(cells))
            blocks.append(block)
        height = max(len(b) for b in blocks)
        for b in blocks:
            b.extend([" " * MONTH_WIDTH] * (height - len(b)))
        for i in range(height):
            lines.append("  ".join(_fit(b[i]) for b in blocks).rstrip())
        lines.append("")
    legend = _("* weekday rest day   + make-up working day")
    lines.append(legend + ("   " + _("(provisional)") if data["provisional"] else ""))
    for a in data.get("arrangements", []):
        work = ("; " + _("work {days}").format(days=", ".join(w[5:] for w in a["workdays"]))
                if a["workdays"] else "")
        span = a["first"][5:] if a["days"] == 1 else f"{a['first'][5:]}–{a['last'][5:]}"
        days = (_("{n} days") if a["days"] > 1 else _("{n} day")).format(n=a["days"])
        lines.append(f"  {a['name']}: {span} ({days}{work})")
    return "\n".join(lines)


def _center_cjk(text: str) -> str:
    pad = MONTH_WIDTH - width(text)
    left = pad // 2
    return " " * left + text + " " * (pad - left)


def _pad_cjk(text: str) -> str:
    return text + " " * max(0, MONTH_WIDTH - width(text))


def _fit(text: str) -> str:
    return text + " " * max(0, MONTH_WIDTH - width(text))
