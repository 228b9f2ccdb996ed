"""Procurement commands: register, open, status, next, fire, tick, list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from tenderflow.cli import Ctx

pass_ctx = click.make_pass_decorator(Ctx)


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


@click.command()
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
             f"{kind}: {counts['registered']} registered, {counts['updated']} updated, "
             f"{counts['unchanged']} unchanged")


@click.command("open")
@click.argument("procurement_id")
@click.option("--project", help="Registered project id (for --mode project: the id itself).")
@click.option("--mode", required=True,
              help="competitive_negotiation | open_tender | delegation | project")
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
    --mode project, start the project's intake (立项备案: workflows/project.yaml).

    A procurement opens only on a project ready to procure: its intake in state ready, or a
    filing made before tenderflow recorded in its registration (filing:); otherwise it is
    refused with rule project.ready_to_procure.

    A failed procurement is re-opened as a new one in a permitted mode with its ground (a
    failed tender may be re-tendered, or switch to competitive negotiation under 政府采购法
    第30条第(一)项 with the approval of 第37条); the link is recorded and shown by status.

    \b
    Example:
      tenderflow --as staff:wang open BJ-JS-2023 --mode project --at 2023-01-05T09:00+08:00
      tenderflow --as staff:wang open CN-2023-001 --project CD-HH-2023 \\
          --mode competitive_negotiation --at 2023-03-01T09:00+08:00
      tenderflow --as staff:wang open CN-2023-010 --project CD-WJ-2023 \\
          --mode competitive_negotiation --reopens OT-2023-002 --ground tender_failed \\
          --approval "锦财采〔2023〕41号"
    """
    if project is None and mode != "project":
        from tenderflow.errors import InputError

        raise InputError("--project is required", field="--project",
                         expected="the id of a registered project")
    result = obj.services().open_procurement(
        procurement_id, project or procurement_id, mode, actor_of(obj), parse_at(at),
        {k: v for k, v in (("variant", variant), ("ruleset", ruleset)) if v} or None,
        reopens=reopens, ground=ground,
        justification=justification, approval=approval)
    text = f"{procurement_id}: opened in mode {mode}, state {result.to_state}"
    if reopens:
        text += f" (re-opens {reopens}, ground {ground})"
    obj.emit({"ok": True, **result.to_dict()}, text)


def _dates_text(status: dict[str, Any]) -> list[str]:
    return [f"  {k}: {v}" for k, v in sorted(status["key_dates"].items(), key=lambda x: x[1])]


@click.command()
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
    s = obj.services().status(procurement_id, parse_at(at))
    lang = obj.lang
    if s.get("kind") == "project":
        from tenderflow.cli.project import project_status_text

        obj.emit(s, project_status_text(s, lang))
        return
    lines = [
        f"{s['id']}  {s['mode_title'][lang]}  —  {s['project']['name']} "
        f"(估算 {s['project']['estimated_investment']} 元)",
        f"state: {s['state']} ({s['state_label'][lang]}), version {s['version']}",
        "key dates:", *_dates_text(s),
    ]
    if s["deadlines"]:
        lines.append("deadlines:")
        lines += [f"  {k}: {v}" for k, v in s["deadlines"].items()]
    parties = {k: v for k, v in s["parties"].items() if v}
    if parties:
        lines.append("parties:")
        lines += [f"  {k}: {_party_text(v)}" for k, v in parties.items()]
    lines += _bids_text(s.get("bids") or {})
    if s.get("eligibility"):
        lines.append(_eligibility_text(s["eligibility"]))
    if s.get("award"):
        a = s["award"]
        price = f", price {a['price']} 元" if a.get("price") else ""
        lines.append(f"award: {a.get('supplier')}{price} ({a.get('at')})")
    if s.get("late_entries"):
        lines.append(f"late entries: {len(s['late_entries'])}")
        lines += _late_text(s["late_entries"])
    if s.get("ended"):
        lines.append(f"ended: {s['ended']['reason']}")
    if s.get("reopens"):
        r = s["reopens"]
        lines.append(f"re-opens: {r['procurement']} ({r['mode']}), ground {r['ground']} — "
                     f"{r['source']}" + (f"; approval {r['approval']}" if r.get("approval")
                                         else ""))
    pending = s["pending"]
    for t in pending["timers"]:
        lines.append(f"next due: {t['trigger']} at {t['due']}")
    if pending["ready"] or pending["waiting"]:
        lines.append(f"ready: {', '.join(pending['ready']) or '-'}; "
                     f"waiting: {', '.join(pending['waiting']) or '-'}")
    for trigger, why in s.get("cannot_judge", {}).items():
        lines.append(f"cannot judge {trigger}: {why}")
    if s.get("provisional"):
        lines.append("provisional calendar used for: " + ", ".join(map(str, s["provisional"]))
                     + " (dates marked provisional until the State Council's notice is "
                       "imported: tenderflow calendar import NOTICE.txt)")
    obj.emit(s, "\n".join(lines))


def _late_text(entries: list[dict[str, Any]]) -> list[str]:
    """Late entries grouped by what was said of them: events #a–#b, reason, receipt."""
    groups: dict[tuple[str, str], list[int]] = {}
    for e in entries:
        groups.setdefault((e.get("reason", ""), e.get("receipt", "")), []).append(e["seq"])
    lines = []
    for (reason, receipt), seqs in groups.items():
        span = f"#{seqs[0]}" if len(seqs) == 1 else f"#{seqs[0]}–#{seqs[-1]} ({len(seqs)})"
        said = reason or "recorded in time"
        lines.append(f"  {span}: {said}" + (f"; receipt {receipt}" if receipt else ""))
    return lines


def _eligibility_text(e: dict[str, Any]) -> str:
    """The latest eligibility check in one line (names hidden while bids are sealed)."""
    rs = e["ruleset"]
    head = f"eligibility: checked {e['checked_at']} ({rs['id']} {rs['version']})"
    if "candidates" in e:  # a tender before its opening: counts only
        return f"{head}: {e['eligible']} of {e['candidates']} candidates eligible"
    text = f"{head}: eligible {', '.join(e['eligible']) or '-'}"
    if e["ineligible"]:
        text += "; not eligible " + ", ".join(f"{c} ({', '.join(rules)})"
                                              for c, rules in e["ineligible"].items())
    return text


def _party_text(value: Any) -> str:
    """A party entry of ``status`` as text: names joined, the experts' draw in words."""
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, dict) and "drawn" in value:
        if not value["drawn"]:
            return value["note"]
        return (f"{value['count']} drawn at random {value['at']} from the pool "
                f"sha256 {value['pool_sha256'][:16]}…, seed {value['seed']}, "
                f"witness {value['witness']}")
    if isinstance(value, dict):
        return "; ".join(f"{k} {v}" for k, v in value.items())
    return str(value)


def _bids_text(bids: dict[str, Any]) -> list[str]:
    """Sealed offers (only their commitments before the opening), openings, bonds, recusals."""
    lines: list[str] = []
    for kind, entry in bids.items():
        if not isinstance(entry, dict) or "sealed" not in entry:
            continue
        lines.append(f"sealed {kind}s: {entry['sealed']['count']} "
                     f"({'opened' if entry['opened'] else 'not opened'})")
        if "sealed_by" not in entry:  # before the opening: commitments only, no names
            lines += [f"  commitment {c['commitment']}" for c in entry["sealed"]["commitments"]]
            continue
        for sid, digest in entry["sealed_by"].items():
            verdict = entry.get("verdicts", {}).get(sid, {}).get("status", "sealed")
            offer = entry.get("offers", {}).get(sid)
            price = f" price {offer['price']}" if offer else ""
            lines.append(f"  {sid}: commitment {digest[:16]}… [{verdict}]{price}")
    for sid, bond in bids.get("bonds", {}).items():
        state = (f"refunded {bond['refunded_on']}" if bond.get("refunded_on") else
                 f"refund due {bond['refund_due']}" if bond.get("refund_due") else "held")
        lines.append(f"bond {sid}: {bond['amount']} ({state})")
    for name, r in bids.get("recused", {}).items():
        lines.append(f"recused: {r['reason']}")
    for r in bids.get("ranking", []):
        figure = r.get("total") or r.get("evaluated_price") or r.get("price")
        lines.append(f"rank {r['rank']}: {r['supplier']} {figure}")
    return lines


@click.command("next")
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

    n = obj.services().next(procurement_id, parse_at(at), obj.actor)
    lines = [f"{n['id']}: state {n['state']}, version {n['version']}"]
    if not n["triggers"]:
        lines.append("  no trigger: the procurement is in a final state")
    for t in n["triggers"]:
        mark = "✓" if t["ready"] else "·"
        timer = " (timer)" if t["timer"] else ""
        lines.append(f"{mark} {t['trigger']}{timer} → {t['dest']}  {t['title'][obj.lang]}  "
                     f"[{', '.join(t['roles'])}]")
        for g in t["guards"]:
            # a rule whose source is secondary or unconfirmed says so (issue 12 item 17)
            note = status_note(g.get("status"), obj.lang, g.get("source"))
            note = f" {note}" if note else ""
            if g["result"] == "pass":
                lines.append(f"    ✓ {g['guard']} ({g['rule']}; {g['source']}){note}")
            elif g["result"] == "needs data":
                lines.append(f"    ? {g['guard']}: needs {', '.join(g['needs'])} "
                             f"({g['source']}){note}")
            elif g["result"] == "cannot judge":
                lines.append(f"    ! {g['guard']}: cannot judge: {g['reason']} "
                             f"({g['source']}){note}")
            else:
                extra = f" — opens {g['opens_at']}" if g.get("opens_at") else ""
                lines.append(f"    ✗ {g['guard']}: {g['reason']} ({g['source']}){note}{extra}")
        if t.get("provisional"):
            lines.append(f"    (dates on the provisional calendar of "
                         f"{', '.join(map(str, t['provisional']))})")
    obj.emit(n, "\n".join(lines))


@click.command()
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

    \b
    Example:
      tenderflow --as staff:wang fire CN-2023-001 invite --data invite.yaml \\
          --at 2023-03-03T10:00+08:00 --if-version 3
    """
    from tenderflow.app.common import read_data_file

    data = read_data_file(data_file) if data_file else None
    result = obj.services(receipt=receipt).fire(procurement_id, trigger, data, actor_of(obj),
                                                parse_at(at),
                                 if_version=if_version,
                                 where=str(data_file) if data_file else None)
    obj.emit({"ok": True, **result.to_dict()},
             f"{procurement_id}: {trigger}: {result.from_state} → {result.to_state} "
             f"({result.event}, version {result.version})")


@click.command()
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
    lines = [f"{f['procurement']}: {f['trigger']} (due {f['due']}) → "
             f"{f.get('to', 'refused: ' + str(f.get('refused')))}" for f in fired]
    obj.emit({"ok": True, "fired": fired}, "\n".join(lines) or "nothing due")


@click.command("list")
@pass_ctx
def list_procurements(obj: Ctx) -> None:
    """List procurements with their project, mode, state, version and next due time.

    \b
    Example:
      tenderflow list --json
    """
    from tenderflow.app.admin import list_procurements

    from tenderflow.cli.text import table

    rows = list_procurements(obj.store())
    header = (["采购编号", "项目", "方式", "状态", "版本", "下一计时到期"] if obj.lang == "zh" else
              ["procurement", "project", "mode", "state", "version", "next due"])
    obj.emit(rows, table(header, [[r["id"], r["project"], r["mode"], r["state"],
                                   str(r["version"]), r["next_due"] or "—"] for r in rows])
             if rows else ("没有采购" if obj.lang == "zh" else "no procurements"))
