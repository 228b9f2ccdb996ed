"""Questions and complaints (质疑 / 投诉), one component for every mode: a supplier's question
(质疑, called 异议 in tenders) within a window counted from the day it knew or should have known
of the harm, its answer within a period of receipt, a complaint (投诉) to the supervising
department within a window after the answer period, and the department's decision within a
period of receipt (政府采购法 第52–56条; 招标投标法实施条例 第54、60、61条).

Every date is an input: the command's business time, never the clock. Every window ends at 24:00
of its last day (民法典 第203条), written as the next day's 00:00 (:func:`end_of_day`). A late
question or complaint is refused naming the rule and the window; a late answer or decision is
recorded (in time or not) — the law binds the purchaser and the department, and the record is
the evidence. A mode names its parameters (:class:`Periods`) and uses the guards' building
blocks here; what a pending question or complaint pauses is in the mode's workflow (a state the
paused steps cannot be taken from, as ``objection_pending`` and ``complaint_pending``): a step
tried there is refused naming the pending state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tenderflow.domain.components.common import (
    deadline_of,
    earliest_deadline,
    end_of_day,
    for_self,
    local,
    period,
    refuse_as,
)
from tenderflow.domain.fold import State, applies
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
from tenderflow.domain.timeutil import local_date, parse_time
from tenderflow.errors import Refusal


@dataclass(frozen=True)
class Periods:
    """The parameters of a mode's question-and-complaint periods."""

    question: str
    answer: str
    complaint: str
    decision: str


def window_end(ctx: GuardContext, start: date, param: str) -> datetime:
    """24:00 of the last day of the period ``param`` counted from ``start`` (not counted)."""
    return parse_time(end_of_day(earliest_deadline(ctx, start, param)))


def window_open(ctx: GuardContext, spec: GuardSpec, key: str, param: str,
                what: str) -> Refusal | None:
    """Refuse when the window whose end is the recorded deadline ``key`` has ended: at its end
    (24:00 of the last day, the next day's 00:00) it is closed."""
    until = deadline_of(ctx.state, key)
    if until is not None and ctx.at >= until:
        n, unit = period(ctx, param)
        return refuse_as(ctx, spec, param,
                         f"{what} of {n} {unit} ended {until.isoformat()}",
                         deadline=until.isoformat(), at=ctx.at.isoformat(), period=n)
    return None


# --- questions (质疑) --------------------------------------------------------------------------

def questions(state: State) -> list[dict[str, Any]]:
    return state.get("challenges", [])  # type: ignore[no-any-return]


def pending_question(state: State) -> dict[str, Any] | None:
    """The question awaiting its answer (the last one raised and neither answered nor taken to
    a complaint)."""
    pending = [q for q in questions(state) if "answer" not in q and not q.get("complaint")]
    return pending[-1] if pending else None


def answer_due(ctx: GuardContext, question: dict[str, Any], periods: Periods) -> date:
    """The last day of the answer period, counted from the day the question was received."""
    return earliest_deadline(ctx, local(question["at"]), periods.answer)


def note_answer_time(ctx: GuardContext, periods: Periods) -> None:
    """Record whether the answer to the pending question came within its period."""
    pending = pending_question(ctx.state)
    if pending is None:
        return
    due = answer_due(ctx, pending, periods)
    ctx.note("answer", {"due": due.isoformat(), "in_time": ctx.today <= due})


# --- complaints (投诉) -------------------------------------------------------------------------

def complaints(state: State) -> list[dict[str, Any]]:
    return state.get("complaints", [])  # type: ignore[no-any-return]


def pending_complaint(state: State) -> dict[str, Any] | None:
    pending = [c for c in complaints(state) if "decision" not in c]
    return pending[-1] if pending else None


def complaint_in_window(ctx: GuardContext, spec: GuardSpec, periods: Periods,
                        sid: str) -> Refusal | None:
    """Only a supplier that questioned (质疑供应商) complains, and only once its question was
    answered or the answer period ended; the window runs from the end of the answer period
    (答复期满后, 政府采购法 第55条), however early the answer came, and ends at 24:00 of its last
    working day."""
    refusal = for_self(ctx, spec, sid)
    if refusal:
        return refusal
    own = [q for q in questions(ctx.state) if q["supplier"] == sid]
    if not own:
        return refuse_as(ctx, spec, periods.complaint,
                         f"{sid} raised no question (质疑): a complaint follows a question",
                         supplier=sid)
    question = own[-1]
    due = answer_due(ctx, question, periods)
    answer_period_end = parse_time(end_of_day(due))
    if "answer" not in question and ctx.at < answer_period_end:
        n, unit = period(ctx, periods.answer)
        return refuse_as(
            ctx, spec, periods.answer,
            f"the question of {sid} received {local(question['at']).isoformat()} awaits its "
            f"answer until {answer_period_end.isoformat()} ({n} {unit}): a complaint lies after "
            "the answer or after that period", answer_period_end.isoformat(),
            supplier=sid, answer_due=due.isoformat())
    until = window_end(ctx, due, periods.complaint)
    if ctx.at >= until:
        n, unit = period(ctx, periods.complaint)
        return refuse_as(
            ctx, spec, periods.complaint,
            f"the complaint window of {n} {unit} after the answer period (ended "
            f"{answer_period_end.isoformat()}) ended {until.isoformat()}",
            supplier=sid, answer_due=due.isoformat(), deadline=until.isoformat(),
            at=ctx.at.isoformat(), period=n)
    ctx.note("complaint", {"answer_due": due.isoformat(), "window_until": until.isoformat(),
                           "decision_due": earliest_deadline(ctx, ctx.today,
                                                             periods.decision).isoformat()})
    return None


def decision_recorded(ctx: GuardContext, spec: GuardSpec, periods: Periods) -> Refusal | None:
    """The department's written decision on the pending complaint: an upheld complaint names
    its remedy, a dismissed one none; whether it came within the decision period is this
    event's finding."""
    pending = pending_complaint(ctx.state)
    if pending is None:
        return spec.refuse(ctx, "no complaint is pending")
    upheld = bool(ctx.data.get("upheld"))
    remedy = ctx.data.get("remedy")
    if upheld and not remedy:
        return spec.refuse(ctx, "an upheld complaint names its remedy (re_evaluate or "
                                "re_procure)")
    if not upheld and remedy:
        return spec.refuse(ctx, "a dismissed complaint has no remedy", remedy=remedy)
    due = earliest_deadline(ctx, local(pending["at"]), periods.decision)
    ctx.note("decision", {"due": due.isoformat(), "in_time": ctx.today <= due})
    return None


PERIODS = {
    "competitive_negotiation": Periods(
        question="negotiation.objection_working_days",
        answer="negotiation.objection_answer_working_days",
        complaint="negotiation.complaint_working_days",
        decision="negotiation.complaint_decision_working_days"),
}


def periods_of(ctx: GuardContext) -> Periods:
    return PERIODS[ctx.state.get("mode", "")]


@guard("complaint_in_window", rule="negotiation.complaint_working_days",
       source="政府采购法 第55条", needs=("supplier", "grounds"))
def complaint_in_window_guard(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A questioning supplier complains to the department within the window after the answer
    period; the window and the decision's due date are this event's findings."""
    return complaint_in_window(ctx, spec, periods_of(ctx), ctx.data["supplier"])


@guard("complaint_decided", rule="negotiation.complaint_decision_working_days",
       source="政府采购法 第56条", needs=("decision", "upheld"))
def complaint_decided(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The department's written decision, in time or not (recorded)."""
    return decision_recorded(ctx, spec, periods_of(ctx))


def _outcome(ctx: GuardContext) -> str:
    return str(ctx.data.get("remedy") or "") if ctx.data.get("upheld") else "dismissed"


def _select(ctx: GuardContext, spec: GuardSpec, outcome: str) -> Refusal | None:
    got = _outcome(ctx)
    if got != outcome:
        return spec.refuse(ctx, f"the decision is {got or 'upheld without a remedy'}, "
                                f"not {outcome}", outcome=got)
    return None


@guard("complaint_dismissed_branch", rule="negotiation.complaint_decision_working_days",
       source="政府采购法 第56条", needs=("upheld",), selects=True)
def complaint_dismissed_branch(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Selects the decision that dismisses the complaint: the procedure resumes."""
    return _select(ctx, spec, "dismissed")


@guard("complaint_reevaluate_branch", rule="negotiation.complaint_decision_working_days",
       source="政府采购法 第56条", needs=("upheld",), selects=True)
def complaint_reevaluate_branch(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Selects the decision that upholds the complaint and orders a new evaluation: the award
    is withdrawn and the group recommends again."""
    return _select(ctx, spec, "re_evaluate")


@guard("complaint_reprocure_branch", rule="negotiation.complaint_decision_working_days",
       source="政府采购法 第56条", needs=("upheld",), selects=True)
def complaint_reprocure_branch(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Selects the decision that upholds the complaint and orders the procurement done again:
    this procurement fails."""
    return _select(ctx, spec, "re_procure")


@applies("ComplaintFiled")
def _filed(state: State, payload: dict[str, Any], at: str) -> None:
    """A complaint: the complainant's open question is closed by it."""
    data = payload["data"]
    sid = data["supplier"]
    for q in questions(state):
        if q["supplier"] == sid and "answer" not in q:
            q["complaint"] = at
    state.setdefault("complaints", []).append({
        "supplier": sid, "grounds": data["grounds"], "at": at,
        **payload.get("findings", {}).get("complaint", {})})


@applies("ComplaintDecided")
def _decided(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    findings = payload.get("findings", {})
    pending = pending_complaint(state)
    if pending is None:
        return
    pending.update(decision=data["decision"], upheld=bool(data["upheld"]), decided_at=at,
                   **({"remedy": data["remedy"]} if data.get("remedy") else {}),
                   **({"in_time": findings["decision"]["in_time"]}
                      if "decision" in findings else {}))


# --- tenders (招标投标法实施条例 第44、60、61条) ------------------------------------------------
# The objection to the candidates' publicity (第54条) is the open tender's own
# (objection_pending); here: the objection at the opening, answered on the spot, and the
# complaint to the supervising department, which does not pause the tender by itself (the
# department may order a pause, 第62条: not modelled).

@guard("tender_opening_objection", rule="tender.opening_objection", source="招标投标法实施条例 第44条",
       needs=("objection", "by", "content", "answer"))
def tender_opening_objection(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A bidder objects to the opening at the opening (在开标现场) and the tenderer answers on
    the spot: both are recorded together, on the day of the opening; an objection raised on a
    later day is refused."""
    oid, sid = ctx.data["objection"], ctx.data["by"]
    opened = ctx.state.get("opened")
    if not opened:
        return spec.refuse(ctx, "the bids have not been opened")
    if oid in ctx.state.get("opening_objections", {}) or oid in ctx.state.get("objections", {}):
        return spec.refuse(ctx, f"objection {oid} is already recorded", objection=oid)
    if sid not in opened.get("bidders", []):
        return spec.refuse(ctx, f"{sid} did not bid", supplier=sid)
    refusal = for_self(ctx, spec, sid)
    if refusal:
        return refusal
    day = local(opened["at"])
    if ctx.today != day:
        return spec.refuse(ctx, f"the bids were opened on {day.isoformat()}: an objection to "
                                "the opening is raised at the opening and answered on the spot",
                           opened_on=day.isoformat(), at=ctx.at.isoformat())
    if not str(ctx.data["answer"]).strip():
        return spec.refuse(ctx, "the answer given on the spot is recorded with the objection")
    return None


@applies("TenderOpeningObjectionRecorded")
def _opening_objection(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state.setdefault("opening_objections", {})[data["objection"]] = {
        "by": data["by"], "content": data["content"], "answer": data["answer"], "at": at}


def _objection_days(state: State, oid: str) -> tuple[dict[str, Any] | None, int]:
    """The objection ``oid`` (at the opening or to the publicity) and the calendar days its
    answer took (0 at the opening: answered on the spot)."""
    if oid in state.get("opening_objections", {}):
        return state["opening_objections"][oid], 0
    objection = state.get("objections", {}).get(oid)
    if objection is None or not objection.get("answered_at"):
        return objection, 0
    return objection, (local(objection["answered_at"]) - local(objection["at"])).days


@guard("tender_complaint_in_window", rule="tender.complaint_days", source="招标投标法实施条例 第60条",
       needs=("complaint", "by", "content", "known_on"))
def tender_complaint_in_window(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A complaint to the supervising department within 10日 of the day the complainant knew or
    should have known (given as ``known_on``, not after today); on a matter of 第22、44、54条 the
    objection comes first (``objection``, answered), and the days its answer took are not
    counted. The window's end and the acceptance's due date are this event's findings."""
    cid, sid = ctx.data["complaint"], ctx.data["by"]
    if any(c.get("complaint") == cid for c in complaints(ctx.state)):
        return spec.refuse(ctx, f"complaint {cid} is already recorded", complaint=cid)
    refusal = for_self(ctx, spec, sid)
    if refusal:
        return refusal
    known = local_date(parse_time(ctx.data["known_on"], field="with.known_on"))
    if known > ctx.today:
        return spec.refuse(ctx, f"known_on {known.isoformat()} is after the complaint "
                                f"({ctx.today.isoformat()})", known_on=known.isoformat())
    extra = 0
    oid = ctx.data.get("objection")
    if oid:
        objection, extra = _objection_days(ctx.state, oid)
        if objection is None:
            return spec.refuse(ctx, f"objection {oid} is not recorded", objection=oid)
        if objection.get("by") != sid:
            return spec.refuse(ctx, f"objection {oid} was raised by {objection.get('by')}, "
                                    f"not {sid}", objection=oid)
        if "answer" not in objection:
            return refuse_as(ctx, spec, "tender.objection_answer_days",
                             f"objection {oid} awaits its answer: the complaint follows it",
                             objection=oid)
    n = int(ctx.p("tender.complaint_days"))
    last = ctx.calendar.period_end(known, n + extra, ctx.params.get("tender.complaint_days").unit)
    until = parse_time(end_of_day(last))
    if ctx.at >= until:
        return spec.refuse(
            ctx, f"known on {known.isoformat()}: the complaint window of {n} 日"
                 + (f" (plus {extra} 日 of the objection's answer, not counted)" if extra else "")
                 + f" ended {until.isoformat()}",
            known_on=known.isoformat(), deadline=until.isoformat(), period=n,
            objection_days=extra)
    ctx.note("complaint", {"window_until": until.isoformat(), "acceptance_due": earliest_deadline(
        ctx, ctx.today, "tender.complaint_acceptance_working_days").isoformat()})
    return None


@guard("tender_complaint_decided", rule="tender.complaint_decision_working_days",
       source="招标投标法实施条例 第61条", needs=("complaint", "accepted_on", "decision", "upheld"))
def tender_complaint_decided(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The department's decision on a recorded complaint: whether it decided to accept within
    3 工作日 of receipt, and decided within 30 工作日 of acceptance, are this event's findings
    (a late department is recorded, not refused)."""
    cid = ctx.data["complaint"]
    found = [c for c in complaints(ctx.state) if c.get("complaint") == cid]
    if not found:
        return spec.refuse(ctx, f"complaint {cid} is not recorded", complaint=cid)
    complaint = found[0]
    if "decision" in complaint:
        return spec.refuse(ctx, f"complaint {cid} was decided {complaint['decided_at']}",
                           complaint=cid)
    accepted = local_date(parse_time(ctx.data["accepted_on"], field="with.accepted_on"))
    received = local(complaint["at"])
    if not received <= accepted <= ctx.today:
        return spec.refuse(ctx, f"accepted_on {accepted.isoformat()} is not between the "
                                f"complaint ({received.isoformat()}) and the decision "
                                f"({ctx.today.isoformat()})", accepted_on=accepted.isoformat())
    accept_due = earliest_deadline(ctx, received, "tender.complaint_acceptance_working_days")
    decide_due = earliest_deadline(ctx, accepted, "tender.complaint_decision_working_days")
    ctx.note("decision", {"acceptance_due": accept_due.isoformat(),
                          "accepted_in_time": accepted <= accept_due,
                          "due": decide_due.isoformat(), "in_time": ctx.today <= decide_due})
    return None


@applies("TenderComplaintFiled")
def _tender_filed(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state.setdefault("complaints", []).append({
        "complaint": data["complaint"], "supplier": data["by"], "grounds": data["content"],
        "known_on": data["known_on"], "at": at,
        **({"objection": data["objection"]} if data.get("objection") else {}),
        **payload.get("findings", {}).get("complaint", {})})


@applies("TenderComplaintDecided")
def _tender_decided(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    findings = payload.get("findings", {}).get("decision", {})
    for c in complaints(state):
        if c.get("complaint") == data["complaint"]:
            c.update(decision=data["decision"], upheld=bool(data["upheld"]), decided_at=at,
                     accepted_on=data["accepted_on"],
                     **{k: findings[k] for k in ("accepted_in_time", "in_time") if k in findings})
