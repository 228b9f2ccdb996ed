"""What ``status contract:ID`` prints of a PPP contract after signing
(workflows/ppp_contract.yaml): the procurement and contract it follows, the coordination
sign-offs before construction (agreed, objecting, missing), the stages reached with their
dates, suspensions, the end, and what is pending. The data is
tenderflow.app.ppp_contract.contract_status_view."""

from __future__ import annotations

from typing import Any

from tenderflow.cli.project import coordination_lines, pending_lines
from tenderflow.i18n import _


def contract_status_text(s: dict[str, Any], lang: str) -> str:
    p, proc = s["project"], s["procurement"]
    lines = [
        f"{s['id']}  {s['mode_title'][lang]}  —  {p.get('name', p['id'])}",
        _("state: {state} ({label}), version {version}").format(
            state=s["state"], label=s["state_label"][lang], version=s["version"]),
    ]
    contract = s.get("contract") or {}
    lines.append(_("procurement {id} ({state}); contract value {value}, signed {at}").format(
        id=proc.get("id", s["id"]), state=proc.get("state", "-"),
        value=contract.get("value", "-"), at=contract.get("at", "-")))
    if s.get("financing"):
        f = s["financing"]
        lines.append(_("financing approved {date}: {lender}, {number}, {amount}").format(
            date=f["approved_on"], lender=f["lender"], number=f["approval_number"],
            amount=f["amount"]))
    lines += coordination_lines(s["coordination"])
    stages = [("construction", _("construction started {date} (permit {permit})"),
               lambda x: {"date": x["started_on"], "permit": x["permit"]}),
              ("completion", _("completion accepted {date}: {report}"),
               lambda x: {"date": x["accepted_on"], "report": x["report"]}),
              ("operation", _("operation started {date} by {operator}"),
               lambda x: {"date": x["started_on"], "operator": x["operator"]})]
    for key, text, fields in stages:
        if s.get(key):
            lines.append(text.format(**fields(s[key])))
    nxt = s.get("next_milestone")
    lines.append(_("next milestone: {id} {title}, planned {planned}").format(**nxt) if nxt
                 else _("next milestone: none open"))
    for m in s.get("milestones") or []:
        flag = {"late": _("late by {days} days"), "overdue": _("overdue by {days} days"),
                "on_time": _("on time"), "open": _("open")}[m["status"]]
        lines.append(f"  {m['id']} {m['title']}: " + _("planned {planned}, achieved {done}")
                     .format(planned=m["planned"], done=m.get("achieved_on") or "-") +
                     f" — {flag.format(days=m['days_late'])}" +
                     (f" ({m['late_reason']})" if m.get("late_reason") else ""))
    for kind, total in (s.get("payment_totals") or {}).items():
        lines.append("  " + _("payments {kind}: {total}").format(kind=kind, total=total))
    for v in s.get("variations") or []:
        lines.append(_("variation {id} ({kind}) {at}: {reason}; approved by {parties}").format(
            id=v["id"], kind=v["kind"], at=v["at"], reason=v["reason"],
            parties=", ".join(f"{a['body']} {a['reference']}" for a in v["approvals"])))
        if v.get("consent"):
            lines.append("  " + _("owners' consent: question(s) {questions} passed at 3/4")
                         .format(questions=", ".join(v["consent"])))
    for x in s.get("suspensions") or []:
        lines.append(_("suspended {at} from {stage} ({clause}): {reason}; resumed {resumed}")
                     .format(at=x["at"], stage=x["from"], clause=x["clause"],
                             reason=x["reason"], resumed=x.get("resumed_at") or "-"))
    if s.get("handover"):
        h = s["handover"]
        lines.append(_("handed over {date} to {receiver}: {n} asset(s)").format(
            date=h["handed_over_on"], receiver=h["receiver"], n=len(h["assets"])))
        for a in h["assets"]:
            lines.append(f"  {a['name']}: {a['condition']}" +
                         (f" ({a['note']})" if a.get("note") else ""))
    if s.get("termination"):
        t = s["termination"]
        lines.append(_("terminated early from {stage} ({ground}, {clause}): {reason}; "
                       "compensation {compensation}").format(
            stage=t["from"], ground=t["ground"], clause=t["clause"], reason=t["reason"],
            compensation=t.get("compensation", "-")))
    lines += performance_lines(s)
    lines += alert_lines(s.get("alerts") or [])
    lines += pending_lines(s["pending"])
    return "\n".join(lines)


def performance_lines(s: dict[str, Any]) -> list[str]:
    """The KPI results by year, revenue against plan, adjustments and the return model
    re-estimated from actual revenue."""
    lines = []
    terms = s.get("performance_terms")
    if terms:
        lines.append(_("performance terms ({clause}): pass score {score}, satisfaction ≥ "
                       "{threshold}% of at least {sample} surveyed; deduction {per}% of {base} "
                       "a point below, at most {cap}%").format(
            clause=terms["clause"], score=terms["pass_score"],
            threshold=terms["satisfaction"]["threshold_percent"],
            sample=terms["satisfaction"]["min_sample"],
            per=terms["deduction"]["percent_per_point"], base=terms["deduction"]["base"],
            cap=terms["deduction"]["cap_percent"]))
    for e in s.get("evaluations") or []:
        verdict = _("passed") if e["passed"] else _("failed")
        lines.append(_("performance {year}: score {score} of pass {pass_score} — {verdict}; "
                       "deduction {deduction}").format(verdict=verdict, **e))
        for k in e["kpis"]:
            sign = "≥" if k["direction"] == "ge" else "≤"
            mark = "✓" if k["passed"] else "✗"
            lines.append(f"  {mark} {k['id']} {k['name']}: {k['actual']} {k['unit']} "
                         f"({sign} {k['target']})")
        sat = e["satisfaction"]
        lines.append(f"  {'✓' if sat['passed'] else '✗'} " + _(
            "residents' satisfaction {satisfied}/{surveyed} = {rate} (threshold {threshold})")
            .format(**sat))
    for r in s.get("revenues") or []:
        lines.append(_("revenue {year}: {total} against plan {plan_total}, shortfall "
                       "{shortfall_ratio}").format(**r) +
                     (" — " + _("under {threshold} of plan: adjustment opened").format(
                         threshold=r["threshold"]) if r["adjustment_opened"] else ""))
        for stream, amount in r["streams"].items():
            lines.append(f"  {stream}: {amount} / {r['plan'].get(stream, '-')}")
    for a in s.get("adjustments") or []:
        lines.append(_("adjustment {kind} for {year} ({at}): {reason}").format(**a))
    ret = s.get("returns")
    if ret:
        def years(value: str) -> str:
            return value if value[:1].isdigit() else _("not paid back within the plan")

        lines.append(_("return model, plan → with actual revenue of {years}: payback (years) "
                       "{p0} → {p1}, IRR {i0}% → {i1}%, minimum DSCR {d0} → {d1}").format(
            years=", ".join(map(str, ret["actual_years"])) or "-",
            p0=years(ret["plan"]["payback_years"]), p1=years(ret["actual"]["payback_years"]),
            i0=ret["plan"]["irr_percent"], i1=ret["actual"]["irr_percent"],
            d0=ret["plan"]["min_dscr"], d1=ret["actual"]["min_dscr"]))
    return lines


def alert_lines(alerts: list[dict[str, Any]]) -> list[str]:
    """The contract's alerts (status and next)."""
    out = []
    for a in alerts:
        if a["kind"] == "performance_breach":
            out.append("! " + _("performance failed in {first} and {second}: two consecutive "
                                "failed years are the operator's default ({source})").format(
                first=a["years"][0], second=a["years"][1], source=a["source"]))
        elif a["kind"] == "adjustment_open":
            out.append("! " + _("revenue of {year} fell short (ratio {ratio}): an adjustment "
                                "is open — adjust ({kinds}); no handover before").format(
                year=a["year"], ratio=a["shortfall_ratio"], kinds=" | ".join(a["kinds"])))
    return out
