"""Government delegation (政府委托): the decisions — the entrustment's ground, the entity's
eligibility and the works-tendering rule, the publicity before the agreement. Pure predicates.
"""

from __future__ import annotations

from typing import Any

from tenderflow.domain.components.common import (
    data_time,
)
from tenderflow.domain.modes.open_tender.decisions import deadline_reached
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
from tenderflow.domain.timeutil import iso
from tenderflow.errors import Refusal

PROCEDURE_SOURCE = "政府委托程序：委托决定、法律依据和实施主体资格应当记录并在签订协议前公开（POLICY.md 政府委托）"

#: The profile flags of 政府采购法 第22条 that a registered entity must show.
ELIGIBILITY_FLAGS = {
    "independent_civil_liability": "具有独立承担民事责任的能力",
    "good_commercial_reputation": "具有良好的商业信誉",
    "accounts_sound": "具有健全的财务会计制度",
    "has_equipment_and_technical_capacity": "具有履行合同所必需的设备和专业技术能力",
    "tax_social_security_ok": "有依法缴纳税收和社会保障资金的良好记录",
}


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
    """The entity's registered profile shows the conditions of 政府采购法 第22条 and the
    assessment of its eligibility is recorded."""
    entity = entity_of(ctx)
    lacking = [f"{flag} ({text})" for flag, text in ELIGIBILITY_FLAGS.items()
               if entity.get(flag) is not True]
    if lacking:
        return spec.refuse(ctx, f"{entity['id']}'s profile does not show: {'; '.join(lacking)}",
                           entity=entity["id"], lacking=[x.split(" ")[0] for x in lacking])
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
