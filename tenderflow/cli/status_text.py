"""``status`` and ``list`` as the officer reads them: sections of tables in the ``--lang``
language, amounts with separators, times to the minute, no raw data structure anywhere."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from tenderflow.cli.text import table
from tenderflow.i18n import N_, _, pick

# Labels of the fields ``status`` shows whose names come from the record.
DEADLINES = {
    "bid_deadline": N_("bid deadline (opening)"),
    "sale_until": N_("tender documents on sale until"),
    "response_deadline": N_("response deadline"),
    "final_quote_deadline": N_("final quotation deadline"),
    "objection_until": N_("objections until"),
    "objection_answer_due": N_("objection answer due"),
    "result_publicity_until": N_("result publicity until"),
    "publicity_until": N_("publicity until"),
    "provisional_publicity_until": N_("provisional result publicity until"),
    "contract_deadline": N_("contract to be signed by"),
    "contract_by": N_("contract to be signed by"),
    "contract_publication_due": N_("contract to be published by"),
    "prequal_application_deadline": N_("prequalification application deadline"),
    "prequal_sale_until": N_("prequalification documents on sale until"),
}
PARTIES = {
    "group": N_("negotiation group"),
    "invited": N_("invited"),
    "responded": N_("responded"),
    "excluded": N_("excluded"),
    "final_quotes": N_("final quotations"),
    "bidders": N_("bidders"),
    "committee": N_("evaluation committee"),
    "ranked": N_("ranking"),
    "entity": N_("implementing entity"),
    "experts_draw": N_("experts' draw"),
}
VERDICTS = {
    "valid": N_("matches its commitment"),
    "sealed": N_("sealed"),
    "invalid": N_("does not match its commitment"),
    "late": N_("late"),
}
ROLES = {"staff": N_("staff"), "evaluator": N_("evaluator"), "supplier": N_("supplier"),
         "system": N_("system"), "auditor": N_("auditor")}
# the relations a recusal names (tenderflow.domain.components.committee.relations)
RELATIONS = {r: N_(r) for r in (
    "affiliated with the supplier (id)", "affiliated with the supplier (name)",
    "affiliated with the supplier's legal representative",
    "affiliated with a controller of the supplier",
    "the member is the supplier's legal representative",
    "the member is a controller of the supplier")}
# events that no transition records (so no workflow title): their labels here
EVENTS = {
    "ProcurementCreated": N_("Procurement opened"),
    "BidSubmitted": N_("Bid submitted"),
    "ResponseSubmitted": N_("Response submitted"),
    "FinalQuotationSubmitted": N_("Final quotation submitted"),
    "EligibilityChecked": N_("Eligibility checked"),
    "ExpertsDrawn": N_("Experts drawn"),
    "BidWithdrawn": N_("Bid withdrawn"),
    "ResponseWithdrawn": N_("Response withdrawn"),
    "BondRefunded": N_("Bond refunded"),
    "AgreementTermsRecorded": N_("Agreement terms recorded"),
    "AgreementRendered": N_("Agreement rendered"),
    "AgreementSigned": N_("Agreement signed"),
    "FinancingPackageAssembled": N_("Financing package assembled"),
    "FinancingPackageSigned": N_("Financing package signed"),
    "CommitteeMembersAppointed": N_("Committee members appointed"),
    "GroupMembersAppointed": N_("Group members appointed"),
    "ScoresSubmitted": N_("Scores submitted"),
    "AdjustmentsRecorded": N_("Adjustments recorded"),
    "LowPriceExplained": N_("Low price explained"),
    "BidPriceExplained": N_("Bid price explained"),
    "TenderOpeningObjectionRecorded": N_("Opening objection recorded"),
    "CandidateWithdrawn": N_("Candidate withdrawn"),
    "PrequalificationApplicationSubmitted": N_("Prequalification application submitted"),
}


def money(value: Any) -> str:
    """``1234567.5`` → ``1,234,567.50`` (an amount the record holds as a decimal string)."""
    try:
        return f"{Decimal(str(value)):,.2f}"
    except (InvalidOperation, ValueError):
        return str(value)


def when(value: Any) -> str:
    """An ISO time to the minute in its own offset: ``2023-03-01 09:00``; a date as it is."""
    text = str(value or "")
    if len(text) >= 16 and text[10] == "T":
        return f"{text[:10]} {text[11:16]}"
    return text or "—"


def title(titles: dict[str, dict[str, str]], key: str, fallback: dict[str, str]) -> str:
    if key in titles:
        return pick(titles[key]["zh"], titles[key]["en"])
    return _(fallback[key]) if key in fallback else key


def status_text(s: dict[str, Any], labels: dict[str, Any]) -> str:
    """The ``status`` view ``s`` (its --json) as sections of tables."""
    project = s["project"]
    lines = [f"{s['id']}  {pick(s['mode_title']['zh'], s['mode_title']['en'])}",
             _("project: {id} {name}, estimated investment {amount} yuan").format(
                 id=project["id"], name=project["name"],
                 amount=money(project["estimated_investment"])),
             _("state: {label} ({state}), version {version}; as of {at}").format(
                 label=pick(s["state_label"]["zh"], s["state_label"]["en"]), state=s["state"],
                 version=s["version"], at=when(s["as_of"]))]
    pending = s["pending"]
    section = _section(lines)
    rows = [[when(v), title(labels["events"], k, EVENTS)]
            for k, v in sorted(s["key_dates"].items(), key=lambda x: x[1])]
    section(_("Key dates"), [_("date"), _("step")], rows)
    timers = {when(t["due"]): t["trigger"] for t in pending["timers"]}
    rows = []
    for k, v in sorted(s["deadlines"].items(), key=lambda x: x[1]):
        what = _(DEADLINES[k]) if k in DEADLINES else k
        trigger = timers.pop(when(v), None)  # the timer that waits on this deadline
        if trigger:
            what += " — " + _("timer due: {step}").format(
                step=title(labels["triggers"], trigger, {}))
        rows.append([when(v), what])
    rows += [[due, _("timer due: {step}").format(step=title(labels["triggers"], trigger, {}))]
             for due, trigger in timers.items()]
    rows.sort(key=lambda r: r[0])
    section(_("Deadlines"), [_("due"), _("what")], rows)
    section(_("Parties"), [_("role"), _("who")],
            [[_(PARTIES.get(k, k)), _party(v)] for k, v in s["parties"].items() if v])
    _bids(section, s.get("bids") or {})
    if s.get("eligibility"):
        lines += ["", _eligibility(s["eligibility"])]
    if s.get("award"):
        lines += ["", _award(s["award"])]
    if s.get("late_entries"):
        section(_("Late entries ({n})").format(n=len(s["late_entries"])),
                [_("events"), _("reason"), _("receipt")], _late(s["late_entries"]))
    if s.get("ended"):
        e = s["ended"]
        lines += ["", _("ended {at}: {reason}").format(at=when(e.get("at")), reason=e["reason"])]
    if s.get("reopens"):
        r = s["reopens"]
        text = _("re-opens {procurement} ({mode}), ground {ground} — {source}").format(
            procurement=r["procurement"], mode=r["mode"],
            ground=pick(r.get("ground_zh") or r["ground"], r["ground"]),
            source=r["source"])
        if r.get("approval"):
            text += _("; approval {approval}").format(approval=r["approval"])
        lines += ["", text]
    steps = [*pending["ready"], *pending["waiting"]]
    if steps:
        section(_("What is pending"), [_("step"), _("trigger"), _("now")],
                [[title(labels["triggers"], t, {}), t,
                  _("ready") if t in pending["ready"] else _("waiting")] for t in steps])
    for trigger, why in s.get("cannot_judge", {}).items():
        lines.append(_("cannot judge {trigger}: {why}").format(trigger=trigger, why=why))
    if s.get("provisional"):
        lines.append(_("provisional calendar used for: {years} (dates marked provisional until "
                       "the State Council's notice is imported: tenderflow calendar import "
                       "NOTICE.txt)").format(years=", ".join(map(str, s["provisional"]))))
    return "\n".join(lines)


def _section(lines: list[str]) -> Any:
    def add(heading: str, header: list[str], rows: list[list[str]]) -> None:
        if rows:
            lines.extend(["", heading, table(header, rows, rule=True)])
    return add


def _party(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, dict) and "drawn" in value:
        if not value["drawn"]:
            return _("no draw recorded (ExpertsDrawn): the experts were not drawn at random "
                     "in tenderflow")
        return _("{count} drawn at random {at} from the pool sha256 {pool}…, seed {seed}, "
                 "witness {witness}").format(count=value["count"], at=when(value["at"]),
                                             pool=value["pool_sha256"][:16], seed=value["seed"],
                                             witness=value["witness"])
    if isinstance(value, dict):
        return "; ".join(f"{k} {v}" for k, v in value.items())
    return str(value)


def _bids(section: Any, bids: dict[str, Any]) -> None:
    kinds = {"bid": _("Sealed bids"), "final_quote": _("Final quotations")}
    for kind, entry in bids.items():
        if not isinstance(entry, dict) or "sealed" not in entry:
            continue
        state = _("opened") if entry["opened"] else _("not opened")
        heading = _("{kind}: {count} ({state})").format(kind=kinds.get(kind, kind),
                                                        count=entry["sealed"]["count"],
                                                        state=state)
        if "sealed_by" not in entry:  # before the opening: commitments only, no names
            section(heading, [_("commitment"), _("submitted")],
                    [[c["commitment"][:16] + "…", when(c.get("at"))]
                     for c in entry["sealed"]["commitments"]])
            continue
        rows = []
        for sid, digest in entry["sealed_by"].items():
            verdict = entry.get("verdicts", {}).get(sid, {}).get("status", "sealed")
            offer = entry.get("offers", {}).get(sid)
            rows.append([sid, digest[:16] + "…", _(VERDICTS.get(verdict, verdict)),
                         money(offer["price"]) if offer else "—"])
        section(heading, [_("supplier"), _("commitment"), _("opening"), _("price (yuan)")],
                rows)
    bonds = []
    for sid, bond in bids.get("bonds", {}).items():
        state = (_("refunded {date}").format(date=when(bond["refunded_on"]))
                 if bond.get("refunded_on") else
                 _("refund due {date}").format(date=when(bond["refund_due"]))
                 if bond.get("refund_due") else _("held"))
        bonds.append([sid, money(bond["amount"]), state])
    section(_("Bid bonds"), [_("supplier"), _("amount (yuan)"), _("state")], bonds)
    section(_("Recusals"), [_("member"), _("supplier"), _("relation"), _("found")],
            [[name, r.get("supplier", "—"), _(RELATIONS[r["relation"]])
              if r.get("relation") in RELATIONS else r.get("relation", r.get("reason", "")),
              r.get("matched", "")] for name, r in bids.get("recused", {}).items()])
    ranking = []
    for r in bids.get("ranking", []):
        score = r.get("total")
        ranking.append([str(r["rank"]), r["supplier"], money(r["price"]) if r.get("price")
                        else "—", money(r["evaluated_price"]) if r.get("evaluated_price")
                        else "—", score or "—"])
    section(_("Ranking"), [_("rank"), _("supplier"), _("price (yuan)"),
                           _("evaluated price (yuan)"), _("score")], ranking)


def _eligibility(e: dict[str, Any]) -> str:
    rs = e["ruleset"]
    head = _("eligibility checked {at} (ruleset {id} {version})").format(
        at=when(e["checked_at"]), id=rs["id"], version=rs["version"])
    if "candidates" in e:  # a tender before its opening: counts only
        return head + _(": {eligible} of {candidates} candidates eligible").format(
            eligible=e["eligible"], candidates=e["candidates"])
    text = head + _(": eligible {who}").format(who=", ".join(e["eligible"]) or "—")
    if e["ineligible"]:
        text += _("; not eligible {who}").format(who=", ".join(
            f"{c} ({', '.join(rules)})" for c, rules in e["ineligible"].items()))
    return text


def _award(a: dict[str, Any]) -> str:
    """The award in words: supplier, name, price, date, notice, the agreement file."""
    text = _("awarded to {supplier}").format(supplier=" ".join(
        str(x) for x in (a.get("supplier"), a.get("name")) if x))
    if a.get("price"):
        text += _(", price {amount} yuan").format(amount=money(a["price"]))
    if a.get("rank"):
        text += _(", rank {rank}").format(rank=a["rank"])
    if a.get("at"):
        text += _(", on {at}").format(at=when(a["at"]))
    if a.get("notice"):
        text += _(", notice {notice}").format(notice=a["notice"])
    agreement = a.get("agreement")
    if isinstance(agreement, dict) and agreement.get("name"):
        text += _(", agreement {name} (sha256 {digest}…)").format(
            name=agreement["name"], digest=str(agreement.get("sha256", ""))[:16])
    return text


def _late(entries: list[dict[str, Any]]) -> list[list[str]]:
    """Late entries grouped by what was said of them: events #a–#b, reason, receipt."""
    groups: dict[tuple[str, str], list[int]] = {}
    for e in entries:
        groups.setdefault((e.get("reason", ""), e.get("receipt", "")), []).append(e["seq"])
    rows = []
    for (reason, receipt), seqs in groups.items():
        span = f"#{seqs[0]}" if len(seqs) == 1 else f"#{seqs[0]}–#{seqs[-1]} ({len(seqs)})"
        rows.append([span, reason or _("recorded in time"), receipt or "—"])
    return rows


def list_text(rows: list[dict[str, Any]], names: dict[str, str],
              labels: dict[str, Any]) -> str:
    """``list``: one row per procurement, intake or contract with its kind, project, mode,
    state and next due time."""
    if not rows:
        return _("no procurements")
    kinds = {"procurement": _("procurement process"), "intake": _("project intake"),
             "contract": _("contract performance")}
    header = [_("id"), _("kind"), _("project"), _("mode"), _("state"), _("version"),
              _("next due")]
    body = []
    for r in rows:
        mode = labels.get(r["mode"], {})
        state = mode.get("states", {}).get(r["state"])
        body.append([r["id"], kinds.get(r.get("kind", ""), r.get("kind", "")),
                     " ".join(x for x in (r["project"], names.get(r["project"], "")) if x),
                     r["mode"], pick(state["zh"], state["en"]) if state else r["state"],
                     str(r["version"]), when(r["next_due"]) if r["next_due"] else "—"])
    return table(header, body, rule=True, limit={2: 30})
