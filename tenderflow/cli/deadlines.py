"""``tenderflow deadlines``: what falls due across every procurement, and its calendar file."""

from __future__ import annotations

from pathlib import Path

import click

from tenderflow.cli import Ctx
from tenderflow.cli.help import Command
from tenderflow.i18n import _

pass_ctx = click.make_pass_decorator(Ctx)


@click.command(cls=Command)
@click.option("--days", type=click.IntRange(0, 3660), default=30, show_default=True,
              help="How many days ahead of --at to look.")
@click.option("--at", "at", metavar="TIME",
              help="The reference time (ISO 8601; default now): deadlines from it on, and "
                   "timers due before it that no tick has fired.")
@click.option("--ics", "ics", type=click.Path(path_type=Path),
              help="Also write the deadlines as an iCalendar file (.ics) for a calendar.")
@pass_ctx
def deadlines(obj: Ctx, days: int, at: str | None, ics: Path | None) -> None:
    """Deadlines across every open procurement: publicity ends, bid openings, contract
    deadlines and the workflow timers due, earliest first. A timer already due that no tick
    has fired is shown as overdue.

    \b
    Example:
      tenderflow deadlines --days 14 --at 2023-03-20T09:00+08:00
      tenderflow deadlines --at 2023-03-20T09:00+08:00 --ics deadlines.ics
    """
    from tenderflow.app.deadlines import deadlines as collect
    from tenderflow.app.deadlines import write_ics
    from tenderflow.cli.procurement import parse_at
    from tenderflow.cli.status_text import DEADLINES, when
    from tenderflow.cli.text import table

    data = collect(obj.store(), parse_at(at), days)
    titles = {i["key"]: _(DEADLINES.get(i["key"], i["key"])) for i in data["deadlines"]}
    lines = [_("deadlines from {at} to {until} ({days} days)").format(
        at=when(data["as_of"]), until=when(data["until"]), days=days)]
    rows = [[when(i["due"]), i["procurement"], i["project"], titles[i["key"]],
             (i["timer"] or "—") + (" " + _("OVERDUE: run tenderflow tick")
                                    if i["overdue"] else "")]
            for i in data["deadlines"]]
    lines.append(table([_("due"), _("procurement"), _("project"), _("what"), _("timer")],
                       rows, rule=True) if rows else _("nothing falls due"))
    if ics is not None:
        count = write_ics(data, ics, titles)
        data["ics"] = {"file": str(ics), "events": count}
        lines.append(_("wrote {n} events to {file}").format(n=count, file=ics))
    obj.emit({"ok": True, **data}, "\n".join(lines))
