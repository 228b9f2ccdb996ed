"""Variations of the PPP contract (合同变更, workflows/ppp_contract.yaml: vary): each records
its reason and approvals; both parties agree (民法典 第543条); the price may move by at most
``contract.variation_price_max_ratio`` of the contract value, all variations together
(政府采购法 第49条); the term with its extensions stays within the concession maximum of the
day (``ppp.concession_max_years``); a variation that adds business use of the common parts
needs the owners' new consent at the 3/4 measures of 民法典 第278条 — a vote recorded on the
contract (record_vote, the same tally as the project's) whose common_parts_use question
covering the variation passed. Pure.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from tenderflow.domain.fold import State, applies
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
from tenderflow.errors import Refusal

AGREED_SOURCE = "民法典 第543条（当事人协商一致，可以变更合同）; PPP项目合同的变更条款"
PRICE_MAX = "contract.variation_price_max_ratio"
TERM_MAX = "ppp.concession_max_years"
CONSENT_SOURCE = "民法典 第278条第1款第八项、第2款（利用共有部分从事经营活动：双四分之三）"
#: The parties whose approval makes a variation agreed.
AGREEING = ("government", "social_capital")


@guard("contract_variation_agreed", rule="contract.variation_agreed", source=AGREED_SOURCE,
       needs=("approvals",))
def variation_agreed(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The government side and the social capital both approve the variation (each with its
    body and reference), none dated after the step."""
    approvals = ctx.data["approvals"]
    missing = [p for p in AGREEING if p not in {a["party"] for a in approvals}]
    if missing:
        return spec.refuse(ctx, f"not approved by: {', '.join(missing)}; a variation needs "
                                "both parties' agreement", missing=missing)
    late = [a["reference"] for a in approvals if a["date"] > ctx.today.isoformat()]
    if late:
        return spec.refuse(ctx, f"approval(s) dated after {ctx.today.isoformat()}: "
                                f"{', '.join(late)}", references=late)
    return None


@guard("contract_variation_price_limit", rule=PRICE_MAX, source="政府采购法 第49条")
def variation_price_limit(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """All price variations together (this one included, in absolute value) stay within
    ``contract.variation_price_max_ratio`` of the signed contract value; without the value
    recorded the check cannot be made and is refused (fail closed)."""
    change = ctx.data.get("price_change")
    if change is None:
        return None
    value = ((ctx.state.get("procurement") or {}).get("contract") or {}).get("value")
    share = Fraction(ctx.p(PRICE_MAX))
    ratio = Decimal(share.numerator) / Decimal(share.denominator)
    if value is None:
        return spec.refuse(ctx, "the contract value is not recorded: the price limit cannot be "
                                "checked", ratio=str(ratio))
    total = sum((abs(Decimal(v["price_change"])) for v in ctx.state.get("variations") or []
                 if v.get("price_change")), Decimal(0)) + abs(Decimal(change))
    limit = (Decimal(value) * ratio).quantize(Decimal("0.01"))
    if total > limit:
        return spec.refuse(ctx, f"price variations total {total:.2f} yuan with this one, over "
                                f"{share} of the contract value {value} ({limit} yuan)",
                           total=f"{total:.2f}", limit=str(limit), value=value,
                           ratio=str(ratio))
    return None


@guard("contract_variation_term_limit", rule=TERM_MAX,
       source="基础设施和公用事业特许经营管理办法（2015年 令第25号; 2024年 令第17号）")
def variation_term_limit(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A term extension (a variation's, or an adjustment's after a revenue shortfall) keeps
    the concession (the project's ``concession_years`` plus every extension) within ``ppp.concession_max_years`` of the day; a project record without its
    term cannot be checked and is refused."""
    change = ctx.data.get("term_years_change")
    if change is None:
        return None
    base = (ctx.state.get("project") or {}).get("concession_years")
    limit = int(ctx.p(TERM_MAX))
    if not isinstance(base, int):
        return spec.refuse(ctx, "the project records no concession_years: the term limit "
                                "cannot be checked", maximum=limit)
    term = base + sum(v.get("term_years_change") or 0 for v in [
        *(ctx.state.get("variations") or []), *(ctx.state.get("adjustments") or [])]) + change
    if term > limit:
        return spec.refuse(ctx, f"the term would be {term} years, over the maximum of {limit}",
                           term=term, maximum=limit)
    return None


@guard("contract_variation_residents_consent", rule="contract.variation_residents_consent",
       source=CONSENT_SOURCE, needs=("id",))
def variation_residents_consent(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A variation adding business use of the common parts (``common_parts_business``) needs
    the owners' consent recorded on this contract: a passed common_parts_use question of the
    latest vote (record_vote) that covers the variation's id."""
    if not ctx.data.get("common_parts_business"):
        return None
    vote = ctx.state.get("vote") or {}
    covering = {q["id"] for q in vote.get("questions") or []
                if q["matter"] == "common_parts_use" and ctx.data["id"] in q["covers"]}
    passed = [d["question"] for d in vote.get("decisions") or []
              if d["question"] in covering and d["passed"]]
    if not passed:
        return spec.refuse(ctx, f"variation {ctx.data['id']} adds business use of the common "
                                "parts: the owners must consent again at 3/4 of the "
                                "participating owners and area (record_vote with a "
                                f"common_parts_use question covering {ctx.data['id']})",
                           variation=ctx.data["id"],
                           questions=sorted(covering))
    ctx.note("consent", passed)
    return None


@applies("ContractVaried")
def _varied(state: State, payload: dict[str, Any], at: str) -> None:
    state.setdefault("variations", []).append(
        {**payload["data"], "at": at, **(payload.get("findings") or {})})
