"""The owners' vote command: ``tenderflow vote PROJECT FILE`` records a project's vote
(民法典 第278条) from a vote file (tenderflow.app.owners_vote)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from tenderflow.cli import Ctx
from tenderflow.cli.procurement import actor_of, parse_at
from tenderflow.i18n import _

pass_ctx = click.make_pass_decorator(Ctx)


@click.command()
@click.argument("project")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--at", "at", help="Business time of the record (ISO 8601; default now).")
@click.option("--held-on", "held_on", help="The day the vote was held (YYYY-MM-DD).")
@pass_ctx
def vote(obj: Ctx, project: str, file: Path, at: str | None, held_on: str | None) -> None:
    """Record a project's owners' vote from a vote file (the questions and one ballot per
    unit: YAML inline or a CSV it names). The ballots are counted by owners and by exclusive
    area against the project's households and floor area; a file with an error (file, line,
    field and what was expected: exit 2) or a vote that does not carry (rule, measure, figures
    and margin: exit 1) records nothing.

    \b
    Example:
      tenderflow --as staff:li vote CD-HH-PJ examples/data/huanhua/vote.yaml \\
          --at 2023-04-16T18:00+08:00 --held-on 2023-04-16
    """
    from tenderflow.app.owners_vote import record_vote_file

    if held_on is not None:
        from datetime import date

        try:
            date.fromisoformat(held_on)
        except ValueError:
            raise click.BadParameter(_("not a date: {value}").format(value=held_on),
                                     param_hint="--held-on") from None
    services = obj.services()
    result = record_vote_file(services, project, file, actor_of(obj), parse_at(at), held_on)
    status = services.status(project, parse_at(at))
    obj.emit({"ok": True, **result.to_dict(), "vote": status.get("vote")},
             f"{project}: record_vote: {result.from_state} → {result.to_state} "
             f"({result.event}, version {result.version})\n" +
             "\n".join(vote_lines(status.get("vote") or {})))


def vote_lines(v: dict[str, Any]) -> list[str]:
    """The vote's result: participation and each question, by owners and by area, each with
    its margin."""
    if "participation" not in v:
        return []
    p = v["participation"]
    lines = [_("owners' vote: {ballots} ballots (民法典 第278条)").format(ballots=v["ballots"]),
             "  " + _("participation: {owners}; {area}").format(
                 owners=measure_text(p["owners"]), area=measure_text(p["area"]))]
    for d in v.get("decisions", []):
        verdict = _("passed") if d["passed"] else _("not passed")
        lines.append("  " + _("{question} ({matter}) {verdict}: {owners}; {area}").format(
            question=d["question"], matter=d["matter"], verdict=verdict,
            owners=measure_text(d["owners"]), area=measure_text(d["area"])))
    return lines


def measure_text(m: dict[str, Any]) -> str:
    relation = ">" if m["more_than"] else "≥"
    unit = " m²" if m["measure"] == "area" else ""
    what = _("owners") if m["measure"] == "owners" else _("area")
    margin = str(m["margin"])
    sign = "+" if not margin.startswith("-") else ""
    return _("{what} {value}{unit} of {base}{unit} (needed {relation} {ratio} = "
             "{required}{unit}, margin {sign}{margin}{unit})").format(
        what=what, value=m["value"], base=m["of"], unit=unit, relation=relation,
        ratio=m["ratio"], required=m["required"], sign=sign, margin=margin)
