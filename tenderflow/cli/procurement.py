"""Procurement commands: register, open, status, next, fire, tick, list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from tenderflow.cli import Ctx
from tenderflow.cli.help import Command
from tenderflow.i18n import N_, _, pick

pass_ctx = click.make_pass_decorator(Ctx)
KINDS = {"projects": N_("projects"), "suppliers": N_("suppliers")}


def parse_at(value: str | None, option: str = "--at") -> Any:
    """The business time an option gives; without one, now (the CLI's clock)."""
    if value is None:
        from tenderflow.app.common import now

        return now()
    from tenderflow.app.common import parse_time

    return parse_time(value, field=option)


def actor_of(obj: Ctx) -> str:
    from tenderflow.app.common import check_actor

    return check_actor(obj.default_actor())


@click.command(cls=Command)
@click.argument("kind", type=click.Choice(["projects", "suppliers"]))
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--at", "at", help="Business time of the registration (ISO 8601; default now).")
@pass_ctx
def register(obj: Ctx, kind: str, file: Path, at: str | None) -> None:
    """Register projects or social-capital suppliers from a YAML, JSON or CSV file.

    The whole file is validated first; an error names the file, the row and the field, and
    nothing is written.

    \b
    Example:
      tenderflow --as staff:wang register suppliers examples/data/suppliers.yaml
    """
    from tenderflow.app.registration import load_file

    records = load_file(file, kind)
    actor = actor_of(obj)
    from tenderflow.errors import InputError

    try:
        counts = obj.services().register(kind, records, actor, parse_at(at))
    except InputError as exc:  # a check across records (consortium members): name the file
        if exc.context.get("file"):
            raise
        raise InputError(exc.message, file=str(file)) from None
    obj.emit({"ok": True, "kind": kind, **counts},
             _("{kind}: {registered} registered, {updated} updated, {unchanged} unchanged")
             .format(kind=_(KINDS[kind]), **counts))


@click.command(cls=Command, name="open")
@click.argument("procurement_id")
@click.option("--project", help="Registered project id (for --mode project: the id itself; "
                                "for --mode ppp_contract: the procurement's, optional).")
@click.option("--mode", required=True,
              help="competitive_negotiation | open_tender | delegation | project | ppp_contract")
@click.option("--at", "at", help="Business time (ISO 8601; default now, Asia/Shanghai).")
@click.option("--variant", help="A variant of the mode, e.g. invitation (邀请招标) for open_tender.")
@click.option("--ruleset", help="The eligibility ruleset of workflows/eligibility/ to pin "
                                "(default: the mode's, renovation or delegation for "
                                "delegation); refused if policy lint has findings.")
@click.option("--reopens", help="Re-open this failed procurement of the same project.")
@click.option("--ground", help="With --reopens: the ground, e.g. retender, tender_failed.")
@click.option("--justification", help="With --reopens: why, in words.")
@click.option("--approval", help="With --reopens in another mode: the approval's reference "
                                 "(政府采购法 第37条).")
@pass_ctx
def open_procurement(obj: Ctx, procurement_id: str, project: str, mode: str,
                     at: str | None, variant: str | None, reopens: str | None,
                     ground: str | None, justification: str | None,
                     approval: str | None, ruleset: str | None) -> None:
    """Open a procurement of a registered project in a mode, or re-open a failed one; with
    --mode project, start the project's intake (立项备案: workflows/project.yaml); with --mode
    ppp_contract, start the contract's life after signing of procurement ID
    (workflows/ppp_contract.yaml; fire, next and status then take contract:ID).

    A procurement opens only on a project ready to procure: its intake in state ready, or a
    filing made before tenderflow recorded in its registration (filing:); otherwise it is
    refused with rule project.ready_to_procure.

    A failed procurement is re-opened as a new one in a permitted mode with its ground (a
    failed tender may be re-tendered, or switch to competitive negotiation under 政府采购法
    第30条第(一)项 with the approval of 第37条); the link is recorded and shown by status.

    \b
    Example:
      tenderflow --as staff:wang open BJ-JS-2023 --mode project --at 2023-01-05T09:00+08:00
      tenderflow --as staff:wang open PPP-JS-001 --mode ppp_contract --at 2023-10-11T09:00+08:00
      tenderflow --as staff:wang open CN-2023-001 --project CD-HH-2023 \\
          --mode competitive_negotiation --at 2023-03-01T09:00+08:00
      tenderflow --as staff:wang open CN-2023-010 --project CD-WJ-2023 \\
          --mode competitive_negotiation --reopens OT-2023-002 --ground tender_failed \\
          --approval "锦财采〔2023〕41号"
    """
    if project is None and mode not in ("project", "ppp_contract"):
        from tenderflow.errors import InputError

        raise InputError("--project is required", field="--project",
                         expected="the id of a registered project")
    result = obj.services().open_procurement(
        procurement_id, project or (None if mode == "ppp_contract" else procurement_id), mode,
        actor_of(obj), parse_at(at),
        {k: v for k, v in (("variant", variant), ("ruleset", ruleset)) if v} or None,
        reopens=reopens, ground=ground,
        justification=justification, approval=approval)
    text = _("{id}: opened in mode {mode}, state {state}").format(
        id=procurement_id, mode=mode, state=result.to_state)
    if reopens:
        text += " " + _("(re-opens {procurement}, ground {ground})").format(
            procurement=reopens, ground=ground)
    obj.emit({"ok": True, **result.to_dict()}, text)


@click.command(cls=Command)
@click.argument("procurement_id")
@click.option("--at", "at", help="Judge pending steps as of this time (default now; give it "
                                "for output that does not depend on the day it is run).")
@pass_ctx
def status(obj: Ctx, procurement_id: str, at: str | None) -> None:
    """State, key dates, parties and what is pending.

    \b
    Example:
      tenderflow status CN-2023-001 --json
    """
    s = obj.services(read_only=True).status(procurement_id, parse_at(at))
    if obj.json:
        obj.emit(s)
        return
    if s.get("kind") == "project":
        from tenderflow.cli.project import project_status_text

        obj.emit(s, project_status_text(s, obj.lang))
        return
    if s.get("kind") == "contract":
        from tenderflow.cli.contract_status import contract_status_text

        obj.emit(s, contract_status_text(s, obj.lang))
        return
    from tenderflow.app.views import workflow_labels
    from tenderflow.cli.status_text import status_text

    obj.emit(s, status_text(s, workflow_labels(s["mode"])))


@click.command(cls=Command, name="next")
@click.argument("procurement_id")
@click.option("--at", "at", help="Judge the guards as of this time (default now).")
@pass_ctx
def next_steps(obj: Ctx, procurement_id: str, at: str | None) -> None:
    """Each trigger possible now, with every guard's pass or reason (and the date a period
    opens, counted in working days where the rule says 工作日).

    \b
    Example:
      tenderflow next CN-2023-001 --at 2023-03-06T09:00+08:00
    """
    from tenderflow.errors import status_note

    services = obj.services(read_only=True)
    n = services.next(procurement_id, parse_at(at), obj.actor)
    if obj.json:
        obj.emit(n)
        return
    from tenderflow.app.views import workflow_labels
    from tenderflow.cli.status_text import ROLES

    # the mode's state labels (the state as loaded: not status, which judges every guard again)
    states = workflow_labels(services.state(procurement_id)["mode"]
                             )["states"] if n["triggers"] else {}

    def state_label(name: str) -> str:
        label = states.get(name)
        return f"{pick(label['zh'], label['en'])} ({name})" if label else name

    lines = [_("{id}: state {state}, version {version}").format(
        id=n["id"], state=state_label(n["state"]), version=n["version"])]
    if n.get("alerts"):
        from tenderflow.cli.contract_status import alert_lines

        lines += alert_lines(n["alerts"])
    if not n["triggers"]:
        lines.append("  " + _("no trigger: the procurement is in a final state"))
    for t in n["triggers"]:
        mark = "✓" if t["ready"] else "·"
        timer = " " + _("(timer)") if t["timer"] else ""
        roles = ", ".join(_(ROLES[r]) if r in ROLES else r for r in t["roles"])
        lines.append(f"{mark} {t['trigger']}{timer} → {state_label(t['dest'])}  "
                     f"{t['title'][obj.lang]}  [{roles}]")
        for g in t["guards"]:
            # a rule whose source is secondary or unconfirmed says so (issue 12 item 17)
            note = status_note(g.get("status"), obj.lang, g.get("source"))
            note = f" {note}" if note else ""
            if g["result"] == "pass":
                lines.append(f"    ✓ {g['guard']} ({g['rule']}; {g['source']}){note}")
            elif g["result"] == "needs data":
                lines.append(f"    ? {g['guard']}: " + _("needs {fields}").format(
                    fields=", ".join(g["needs"])) + f" ({g['source']}){note}")
            elif g["result"] == "cannot judge":
                lines.append(f"    ! {g['guard']}: " + _("cannot judge: {reason}").format(
                    reason=g["reason"]) + f" ({g['source']}){note}")
            else:
                extra = (" — " + _("opens {at}").format(at=g["opens_at"])
                         if g.get("opens_at") else "")
                lines.append(f"    ✗ {g['guard']}: {g['reason']} ({g['source']}){note}{extra}")
        if t.get("provisional"):
            lines.append("    " + _("(dates on the provisional calendar of {years})").format(
                years=", ".join(map(str, t["provisional"]))))
    obj.emit(n, "\n".join(lines))


@click.command(cls=Command)
@click.argument("procurement_id")
@click.argument("trigger")
@click.option("--data", "data_file", type=click.Path(path_type=Path),
              help="YAML or JSON file with the trigger's data.")
@click.option("--at", "at", help="Business time (ISO 8601; default now).")
@click.option("--if-version", type=int, default=None,
              help="Refuse (exit 3) unless the procurement is still at this version.")
@click.option("--receipt", envvar="TENDERFLOW_RECEIPT", default=None,
              help="A submission (bid, response, final quotation, objection) recorded after "
                   "its deadline: the receipt that shows it arrived in time.")
@pass_ctx
def fire(obj: Ctx, procurement_id: str, trigger: str, data_file: Path | None, at: str | None,
         if_version: int | None, receipt: str | None) -> None:
    """Fire one trigger with its data. A guard's refusal exits 1 naming the rule and its
    source; nothing is recorded.

    A project's record_vote takes a vote file (questions and ballots, or a ballot CSV it
    names), checked line by line before anything is decided (the second example).

    \b
    Example:
      tenderflow --as staff:wang fire CN-2023-001 invite --data invite.yaml \\
          --at 2023-03-03T10:00+08:00 --if-version 3
      tenderflow --as staff:li fire CD-HH-PJ record_vote \\
          --data examples/data/huanhua/vote.yaml --at 2023-04-16T18:00+08:00
    """
    from tenderflow.app.common import read_data_file

    data = read_data_file(data_file, trigger) if data_file else None
    result = obj.services(receipt=receipt).fire(procurement_id, trigger, data, actor_of(obj),
                                                parse_at(at),
                                 if_version=if_version,
                                 where=str(data_file) if data_file else None)
    obj.emit({"ok": True, **result.to_dict()},
             f"{procurement_id}: {trigger}: {result.from_state} → {result.to_state} "
             + _("({event}, version {version})").format(event=result.event,
                                                        version=result.version))


@click.command(cls=Command)
@click.option("--at", "at", help="Fire the timers due by this time (default now).")
@pass_ctx
def tick(obj: Ctx, at: str | None) -> None:
    """Fire every timer that is due (deadlines, publicity periods); running it twice fires
    nothing more.

    \b
    Example:
      tenderflow tick --at 2023-03-22T00:00+08:00
    """
    services = obj.services()
    system = services.store.default_actor("system")  # PostgreSQL: system:<database user>
    fired = services.tick(parse_at(at), **({"actor": system} if system else {}))
    lines = [f"{f['procurement']}: {f['trigger']} " + _("(due {due})").format(due=f["due"])
             + " → " + (f["to"] if "to" in f else _("refused: {why}").format(why=f.get("refused")))
             for f in fired]
    obj.emit({"ok": True, "fired": fired}, "\n".join(lines) or _("nothing due"))


@click.command(cls=Command, name="list")
@click.option("--kind", "kinds", multiple=True,
              type=click.Choice(["procurement", "intake", "contract"]),
              help=N_("List only procurements, projects' intakes or contracts (repeatable); "
                      "all three by default."))
@pass_ctx
def list_procurements(obj: Ctx, kinds: tuple[str, ...]) -> None:
    """List procurements, projects' intakes and contracts with their kind, project, mode,
    state, version and next due time.

    \b
    Example:
      tenderflow list --kind contract --json
    """
    from tenderflow.app.admin import LIST_KINDS, list_procurements

    store = obj.store(read_only=True)
    rows = list_procurements(store, kinds or LIST_KINDS)
    if obj.json:
        obj.emit(rows)
        return
    from tenderflow.app.admin import project_names
    from tenderflow.app.views import workflow_labels
    from tenderflow.cli.status_text import list_text

    labels = {mode: workflow_labels(mode) for mode in {r["mode"] for r in rows}}
    obj.emit(rows, list_text(rows, project_names(store, rows), labels))
