"""Government delegation (政府委托): the decisions — the entrustment's ground, the entity's
eligibility and the works-tendering rule, the publicity before the agreement. Pure predicates.
"""

from __future__ import annotations

from typing import Any

from tenderflow.domain.components.common import (
    data_time,
)
from tenderflow.domain.components.eligibility import RULE_NOT_CHECKED, evaluate_recorded
from tenderflow.domain.eligibility import FAIL, NOT_CHECKED
from tenderflow.domain.modes.open_tender.decisions import deadline_reached
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
from tenderflow.domain.timeutil import iso
from tenderflow.errors import Refusal

PROCEDURE_SOURCE = "政府委托程序：委托决定、法律依据和实施主体资格应当记录并在签订协议前公开（POLICY.md 政府委托）"

def entity_of(ctx: GuardContext) -> dict[str, Any]:
    sid = ctx.data["supplier"]
    return dict((ctx.facts.get("suppliers") or {}).get(sid) or {"id": sid})


@guard("delegation_ground", rule="delegation.ground_recorded", source=PROCEDURE_SOURCE,
       needs=("ground", "decided_by"))
def entrustment_ground(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """An entrustment states who decided it and on which legal ground, with the document
    reference and a justification; without them it is refused."""
    ground = ctx.data["ground"]
    missing = [k for k in ("reference", "justification") if not str(ground.get(k, "")).strip()]
    if not str(ctx.data["decided_by"]).strip():
        missing.insert(0, "decided_by")
    if missing:
        return spec.refuse(ctx, f"the entrustment's legal ground is incomplete: "
                                f"{', '.join(missing)} missing", missing=missing,
                           basis=ground.get("basis"))
    return None


@guard("delegation_entity_eligible", rule="delegation.entity_eligibility", source="政府采购法 第22条",
       needs=("supplier", "eligibility"))
def entity_eligible(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The entity passes every disqualifying rule of the eligibility ruleset the delegation
    pinned when it opened (the mode's default: workflows/eligibility/delegation.yaml — 政府采购法
    第22条 without a construction qualification), evaluated in this event against its
    registered profile and the credit-list entries for its USCC (``facts.eligibility``) on the
    decision's day; the result is the event's ``findings.eligibility``. The assessment's
    conclusion is recorded."""
    entity = entity_of(ctx)
    inputs = ctx.facts.get("eligibility")
    if inputs is not None:  # ``next`` probes without facts: nothing to evaluate yet
        ruleset = getattr(ctx, "ruleset", None)
        if ruleset is None:
            return spec.refuse(ctx, f"{ctx.procurement} has no pinned eligibility ruleset "
                                    "(opened before rulesets were pinned): open a new "
                                    "procurement", entity=entity["id"])
        result = evaluate_recorded(ctx, ruleset, inputs)
        ctx.note("eligibility", result)
        mine = next(c for c in result["candidates"] if c["candidate"] == entity["id"])
        # fail closed: a disqualifying rule that could not be checked (a credit list never
        # imported or too old) refuses as a failed one does, under credit.list_not_checked
        failed = [o for o in mine["outcomes"] if o["verdict"] == FAIL]
        unchecked = [o for o in mine["outcomes"]
                     if o["verdict"] == NOT_CHECKED and o["severity"] == "disqualify"]
        if unchecked and not failed:
            return Refusal(
                RULE_NOT_CHECKED, f"{entity['id']} was not checked on {result['at']}, and not "
                                  "checked is not a pass: " + "; ".join(
                                      f"[{o['rule']}] {o['reason']}" for o in unchecked),
                "; ".join(dict.fromkeys(o["source"] for o in unchecked)),
                {"entity": entity["id"], "not_checked": [o["rule"] for o in unchecked],
                 "ruleset": result["ruleset"].get("version"), "checked_on": result["at"]},
                guard=spec.name)
        if failed:
            sources = list(dict.fromkeys([spec.source, *(o["source"] for o in failed)]))
            return Refusal(
                spec.rule, f"{entity['id']} fails the eligibility ruleset "
                           f"{result['ruleset']['id']} {result['ruleset']['version']} on "
                           f"{result['at']}: " + "; ".join(
                               f"[{o['rule']}] {o['reason']} ({o['source']})" for o in failed),
                "; ".join(sources),
                {"entity": entity["id"], "failed": [o["rule"] for o in failed],
                 "ruleset": result["ruleset"].get("version"), "checked_on": result["at"]},
                guard=spec.name)
    if not str(ctx.data["eligibility"].get("conclusion", "")).strip():
        return spec.refuse(ctx, "the eligibility assessment's conclusion is not recorded",
                           entity=entity["id"])
    return None


@guard("delegation_publicity", rule="delegation.publicity_before_agreement",
       source=PROCEDURE_SOURCE, needs=("until", "channel"))
def entrustment_publicity(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The decision is published, for a period ending after its publication, before the
    agreement."""
    until = data_time(ctx, "until")
    if until <= ctx.at:
        return spec.refuse(ctx, f"the publicity must end after it starts ({iso(ctx.at)})",
                           until=iso(until))
    return None


@guard("delegation_publicity_elapsed", rule="delegation.publicity_before_agreement",
       source=PROCEDURE_SOURCE)
def entrustment_publicity_elapsed(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The publicity of the entrustment has run its course."""
    return deadline_reached(ctx, spec, "publicity_until", spec.rule, "the publicity ends")


@guard("delegation_agreement_party", rule="delegation.publicity_before_agreement",
       source=PROCEDURE_SOURCE, needs=("supplier",))
def agreement_with_entity(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The agreement is signed with the entity the published decision named."""
    entity = ctx.state.get("entrustment", {}).get("entity")
    if ctx.data["supplier"] != entity:
        return spec.refuse(ctx, f"the published decision entrusts {entity}, not "
                                f"{ctx.data['supplier']}", entity=entity,
                           supplier=ctx.data["supplier"])
    return None
