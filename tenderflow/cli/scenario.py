"""``tenderflow run SCENARIO.yaml``."""

from __future__ import annotations

from pathlib import Path

import click

from tenderflow.cli import Ctx
from tenderflow.cli.help import Command
from tenderflow.i18n import _

pass_ctx = click.make_pass_decorator(Ctx)


def report_text(report: object, lang: str = "zh") -> str:
    from tenderflow.app.scenario import RunReport
    from tenderflow.errors import status_note

    assert isinstance(report, RunReport)
    lines = [_("scenario: {title} ({file})").format(title=report.title, file=report.scenario)]
    for r in report.results:
        lines.append(f"  {'✓' if r.ok else '✗'} [{r.index}] {r.text}")
        refused = r.detail.get("refused")
        if refused and not r.ok:
            for x in refused.get("refusals", []):
                note = status_note(x.get("status"), lang, x.get("source"))
                lines.append(f"      {x.get('guard') or x['rule']}: {x['reason']} — {x['source']}"
                             + (f" {note}" if note else ""))
    lines.append(_("final states: {states}").format(
        states=", ".join(f"{k}={v}" for k, v in report.states.items())))
    lines.append(_("result: {result}").format(result=_("ok") if report.ok else _(
        "stopped at step {step}; {applied} earlier step(s) were applied and stay recorded")
        .format(step=report.stopped_at, applied=report.applied)))
    return "\n".join(lines)


@click.command(cls=Command)
@click.argument("scenario", type=click.Path(path_type=Path))
@pass_ctx
def run(obj: Ctx, scenario: Path) -> None:
    """Apply a scenario file; stop at the first refused step. Exit 0 when every step and
    expectation held, 1 when a step was refused or an expectation failed, 2 for a malformed
    file (nothing written). Creates the database if it does not exist.

    \b
    Example:
      tenderflow --db sqlite:///cn.db run examples/negotiation_failed.yaml
    """
    from tenderflow.app.scenario import load_scenario, run_scenario

    load_scenario(scenario)  # validate completely before creating or touching the database
    services = obj.services(create=True)
    # On PostgreSQL what the file does not attribute is recorded as the database user.
    own = services.store.default_actor()
    report = run_scenario(services, scenario,
                          default_actor=(obj.actor or own) if own else "staff:scenario")
    obj.emit(report.to_dict(), report_text(report, obj.lang))
    if not report.ok:
        raise click.exceptions.Exit(1)
