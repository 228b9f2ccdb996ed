"""Guards and helpers shared by every mode: thresholds, committees, periods, suppliers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from tenderflow.domain.fold import State, applies
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
from tenderflow.domain.timeutil import SHANGHAI, iso, local_date, parse_time
from tenderflow.errors import Refusal

CATEGORY_THRESHOLD = {
    "works": "regime.must_tender_works",
    "goods": "regime.must_tender_goods",
    "services": "regime.must_tender_services",
}


def estimated_price(state: State) -> Decimal:
    return Decimal(state["project"]["estimated_investment"])


def above_tender_threshold(ctx: GuardContext) -> bool:
    """Whether the project reaches the must-tender scale of 发改委令第16号 for its category."""
    project = ctx.state["project"]
    key = CATEGORY_THRESHOLD[project.get("procurement_category", "works")]
    return estimated_price(ctx.state) >= Decimal(ctx.p(key))


def members_summary(members: list[dict[str, Any]]) -> tuple[int, int]:
    experts = sum(1 for m in members if m.get("role") in ("expert", "finance_expert",
                                                          "legal_expert"))
    return len(members), experts


def check_committee(ctx: GuardContext, spec: GuardSpec, members: list[dict[str, Any]],
                    min_size: int, expert_share: Fraction) -> Refusal | None:
    size, experts = members_summary(members)
    if size < min_size:
        return spec.refuse(ctx, f"{size} members, at least {min_size} required",
                           members=size, minimum=min_size)
    if size % 2 == 0:
        return spec.refuse(ctx, f"{size} members: the number must be odd", members=size)
    if Fraction(experts, size) < expert_share:
        return spec.refuse(ctx, f"{experts} of {size} members are experts, at least "
                                f"{expert_share} required", experts=experts, members=size,
                           share=str(expert_share))
    names = [str(m.get("name", "")) for m in members]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        return spec.refuse(ctx, f"member {dupes[0]} is listed twice", member=dupes[0])
    return None


def deadline_of(state: State, key: str) -> datetime | None:
    raw = state.get("deadlines", {}).get(key)
    return parse_time(raw) if raw else None


def earliest_deadline(ctx: GuardContext, start: date, param: str) -> date:
    """The earliest day a period may end: 民法典 第201、203条 with the parameter's unit."""
    parameter = ctx.params.get(param)
    n = int(parameter.at(ctx.today))  # type: ignore[arg-type]
    return ctx.calendar.period_end(start, n, parameter.unit)  # type: ignore[no-any-return]


def period_unit_zh(unit: str) -> str:
    return "工作日" if unit == "working_days" else "日"


def refuse_as(ctx: GuardContext, spec: GuardSpec, rule: str, reason: str,
              opens_at: str | None = None, **numbers: Any) -> Refusal:
    """A refusal naming ``rule`` (and its parameter's citation) rather than the guard's own."""
    refusal = spec.refuse(ctx, reason, opens_at=opens_at, **numbers)
    source = ctx.params.get(rule).citation() if rule in ctx.params else refusal.source
    return replace(refusal, rule=rule, source=source)


LOW_PRICE = "award.abnormally_low_ratio"
LOW_PRICE_WORKS = "award.abnormally_low_ratio_works"


def low_price_rule(ctx: GuardContext) -> str:
    """The abnormally-low-price rule of the project's category: works follow the tendering law
    (招标投标法 第33条; 招标投标法实施条例 第51条第(五)项; 评标委员会和评标方法暂行规定),
    goods and services 财政部令第87号 第60条. Parameters pinned before the works rule existed
    decide with the one rule they held."""
    works = ctx.state["project"].get("procurement_category", "works") == "works"
    return LOW_PRICE_WORKS if works and LOW_PRICE_WORKS in ctx.params else LOW_PRICE


def end_of_day(day: date) -> str:
    """A period ending on ``day`` ends at 24:00 (民法典 第203条): the next day's 00:00, Beijing."""
    return iso(datetime.combine(day + timedelta(days=1), time(0), SHANGHAI))


def period(ctx: GuardContext, param: str) -> tuple[int, str]:
    """The number and its Chinese unit (日 / 工作日) of a period parameter."""
    return int(ctx.p(param)), period_unit_zh(ctx.params.get(param).unit)


def data_time(ctx: GuardContext, key: str) -> datetime:
    return parse_time(ctx.data[key], field=f"with.{key}")


def check_min_period(ctx: GuardContext, spec: GuardSpec, param: str, start: date,
                     end: date, what: str, start_what: str) -> Refusal | None:
    """``end`` is on or after the last day of the period of ``param`` counted from ``start``."""
    earliest = earliest_deadline(ctx, start, param)
    if end < earliest:
        n, unit = period(ctx, param)
        return refuse_as(
            ctx, spec, param,
            f"{start_what} {start.isoformat()}, {what} {end.isoformat()}: at least {n} {unit} "
            f"required, so not before {earliest.isoformat()}",
            start=start.isoformat(), end=end.isoformat(), earliest=earliest.isoformat(),
            minimum=n, unit=ctx.params.get(param).unit)
    return None


def for_self(ctx: GuardContext, spec: GuardSpec, sid: str) -> Refusal | None:
    """A supplier acts only for itself (staff may record for any supplier)."""
    role, _, name = ctx.actor.partition(":")
    if role == "supplier" and name != sid:
        return spec.refuse(ctx, f"{ctx.actor} may not act for {sid}", supplier=sid)
    return None


@guard("reason_given", rule="procedure.reason_recorded",
       source="政府采购法 第36条; 招标投标法实施条例 第31条", needs=("reason",))
def reason_given(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A failure or cancellation states its reason."""
    if not str(ctx.data.get("reason", "")).strip():
        return spec.refuse(ctx, "a reason must be recorded")
    return None


@applies("SuppliersInvited")
def _invited(state: State, payload: dict[str, Any], at: str) -> None:
    profiles = payload.get("facts", {}).get("suppliers", {})
    invited = state.setdefault("invited", {})
    for s in payload["data"]["suppliers"]:
        invited[s["id"]] = {
            "name": profiles.get(s["id"], {}).get("name", s["id"]),
            "recommended_by": s.get("recommended_by"),
        }


def local(dt_text: str) -> date:
    return local_date(parse_time(dt_text))


def deadline_reached(ctx: GuardContext, spec: GuardSpec, key: str, rule: str,
                     what: str) -> Refusal | None:
    """The recorded deadline ``key`` has come (``opens_at`` says when it will)."""
    deadline = deadline_of(ctx.state, key)
    if deadline is None:
        return refuse_as(ctx, spec, rule, f"no {key} recorded")
    if ctx.at < deadline:
        return refuse_as(ctx, spec, rule, f"{what} not before {deadline.isoformat()}",
                         opens_at=deadline.isoformat(), deadline=deadline.isoformat())
    return None
