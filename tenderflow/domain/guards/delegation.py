"""政府委托: the government entrusts an implementing entity (实施主体, often a local state enterprise).

The entity becomes the 招标人 and must still tender works at or above the must-tender scale
(招标投标法 第3条 with 国家发展改革委令第16号) unless it may lawfully build itself (招标投标法实施条例
第9条第(二)项) or is a concession investor already chosen by tender (第9条第(三)项, "两标并一标").
The decision, its legal ground and the entity's eligibility are recorded, then published, and the
agreement is signed only after the publicity.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tenderflow.domain.fold import State, applies
from tenderflow.domain.guards import GuardContext, GuardSpec, guard
from tenderflow.domain.guards.common import (
    CATEGORY_THRESHOLD,
    above_tender_threshold,
    data_time,
    refuse_as,
)
from tenderflow.domain.guards.tender import deadline_reached, estimated
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

#: What "may lawfully build (produce, provide) itself" asks of the entity, by category: a
#: registered qualification (资质) whose type names the work (建筑法 第13条).
SELF_BUILD_QUALIFICATIONS = {
    "works": ("施工",),
    "services": ("勘察", "设计", "监理"),
    "goods": ("生产",),
}


def _entity(ctx: GuardContext) -> dict[str, Any]:
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
    entity = _entity(ctx)
    lacking = [f"{flag} ({text})" for flag, text in ELIGIBILITY_FLAGS.items()
               if entity.get(flag) is not True]
    if lacking:
        return spec.refuse(ctx, f"{entity['id']}'s profile does not show: {'; '.join(lacking)}",
                           entity=entity["id"], lacking=[x.split(" ")[0] for x in lacking])
    if not str(ctx.data["eligibility"].get("conclusion", "")).strip():
        return spec.refuse(ctx, "the eligibility assessment's conclusion is not recorded",
                           entity=entity["id"])
    return None


@guard("delegation_works_tendering", rule="delegation.works_tendering", source="招标投标法 第3条",
       needs=("supplier", "works"))
def works_tendering(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Above the must-tender scale the entity tenders the works, unless it may lawfully build
    itself (条例 第9条(二)) or won a tender as concession investor for this project (第9条(三))."""
    project = ctx.state["project"]
    category = project.get("procurement_category", "works")
    threshold_rule = CATEGORY_THRESHOLD[category]
    threshold = Decimal(str(ctx.p(threshold_rule)))
    how = ctx.data["works"]
    entity = _entity(ctx)
    if not above_tender_threshold(ctx):
        ctx.note("must_tender", False)
        return None
    ctx.note("must_tender", True)
    if how == "tender":
        return None
    if how == "not_required":
        return refuse_as(
            ctx, spec, threshold_rule,
            f"{category} estimated at {estimated(ctx.state):.2f} reach the must-tender scale "
            f"{threshold:.2f}: the entity must tender them (招标投标法 第3条) unless it may build "
            "itself or was chosen by tender as concession investor",
            estimated=f"{estimated(ctx.state):.2f}", threshold=f"{threshold:.2f}",
            category=category)
    if how == "self_build":
        words = SELF_BUILD_QUALIFICATIONS[category]
        held = [q for q in entity.get("qualifications") or []
                if isinstance(q, dict) and any(w in str(q.get("type", "")) for w in words)
                and str(q.get("valid_until", "9999-12-31")) >= ctx.today.isoformat()]
        if not held:
            return Refusal("delegation.self_build",
                           f"{entity['id']} holds no valid qualification for {category} "
                           f"({' / '.join(words)}): it may not build itself",
                           "招标投标法实施条例 第9条第(二)项; 建筑法 第13条",
                           {"entity": entity["id"], "needed": list(words)}, guard=spec.name)
        ctx.note("self_build_qualification", held[0])
        return None
    # concession_investor
    ref = ctx.data.get("investor_procurement")
    tender = (ctx.facts.get("procurements") or {}).get(ref) if ref else None
    problem = None
    if tender is None:
        problem = "the tender that chose the concession investor is not named"
    elif tender["mode"] != "open_tender":
        problem = f"{ref} is a {tender['mode']} procurement, not a tender"
    elif tender["state"] not in ("awarded", "contracted"):
        problem = f"{ref} has not been awarded (state {tender['state']})"
    elif (tender.get("award") or {}).get("supplier") != entity["id"]:
        problem = f"{ref} was awarded to {(tender.get('award') or {}).get('supplier')}, " \
                  f"not {entity['id']}"
    elif tender["project"] != project["id"]:
        problem = f"{ref} is for project {tender['project']}, not {project['id']}"
    if problem:
        return Refusal("delegation.concession_investor", problem,
                       "招标投标法实施条例 第9条第(三)项",
                       {"entity": entity["id"], "investor_procurement": ref}, guard=spec.name)
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


# --- what the events add to the state -------------------------------------------------------

@applies("EntrustmentDecided")
def _decided(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    profile = (payload.get("facts") or {}).get("suppliers", {}).get(data["supplier"], {})
    findings = payload.get("findings") or {}
    state["entrustment"] = {
        "entity": data["supplier"], "name": profile.get("name", data["supplier"]),
        "ground": data["ground"], "decided_by": data["decided_by"],
        "eligibility": data["eligibility"], "works": data["works"],
        "must_tender": findings.get("must_tender"),
        "investor_procurement": data.get("investor_procurement"), "at": at}


@applies("EntrustmentPublicized")
def _publicized(state: State, payload: dict[str, Any], at: str) -> None:
    state["deadlines"]["publicity_until"] = payload["data"]["until"]
    state["entrustment"]["publicity"] = {"from": at, "channel": payload["data"]["channel"]}


@applies("EntrustmentPublicityEnded")
def _ended(state: State, payload: dict[str, Any], at: str) -> None:
    state["deadlines"].pop("publicity_until", None)


@applies("EntrustmentAgreed")
def _agreed(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    ent = state["entrustment"]
    state["award"] = {"supplier": data["supplier"], "name": ent["name"],
                      "price": data.get("value"), "at": at, "agreement": data["agreement"]}
