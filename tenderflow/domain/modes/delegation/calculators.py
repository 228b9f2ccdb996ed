"""Government delegation's calculators: guards that compute findings with ``ctx.note``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tenderflow.domain.components.common import (
    CATEGORY_THRESHOLD,
    above_tender_threshold,
    refuse_as,
)
from tenderflow.domain.modes.delegation.decisions import entity_of
from tenderflow.domain.modes.open_tender.decisions import estimated
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
from tenderflow.errors import Refusal

#: What "may lawfully build (produce, provide) itself" asks of the entity, by category: a
#: registered qualification (资质) whose type names the work (建筑法 第13条).
SELF_BUILD_QUALIFICATIONS = {
    "works": ("施工",),
    "services": ("勘察", "设计", "监理"),
    "goods": ("生产",),
}

SELF_BUILD_RULE = "delegation.self_build"  # 招标投标法实施条例 第9条第(二)项
CONCESSION_RULE = "delegation.concession_investor"  # 第9条第(三)项


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
    entity = entity_of(ctx)
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
        return own_qualification(ctx, spec, entity, category, SELF_BUILD_RULE,
                                 "招标投标法实施条例 第9条第(二)项; 建筑法 第13条")
    # concession_investor
    ref = ctx.data.get("investor_procurement")
    tender = (ctx.facts.get("procurements") or {}).get(ref) if ref else None
    problem = None
    if tender is None:
        problem = "the tender that chose the concession investor is not named"
    elif tender["mode"] != "open_tender":
        problem = f"{ref} is a {tender['mode']} procurement, not a tender"
    elif tender["state"] not in ("awarded", "contract_overdue", "contract_signed", "contracted"):
        problem = f"{ref} has not been awarded (state {tender['state']})"
    elif (tender.get("award") or {}).get("supplier") != entity["id"]:
        problem = f"{ref} was awarded to {(tender.get('award') or {}).get('supplier')}, " \
                  f"not {entity['id']}"
    elif tender["project"] != project["id"]:
        problem = f"{ref} is for project {tender['project']}, not {project['id']}"
    if problem:
        return Refusal(CONCESSION_RULE, problem,
                       "招标投标法实施条例 第9条第(三)项",
                       {"entity": entity["id"], "investor_procurement": ref}, guard=spec.name)
    # 第9条第(三)项: the investor chosen by tender skips the tender only if it may itself
    # lawfully build (produce, provide) — the same qualification test as 第(二)项.
    return own_qualification(ctx, spec, entity, category, CONCESSION_RULE,
                             "招标投标法实施条例 第9条第(三)项; 建筑法 第13条")


def own_qualification(ctx: GuardContext, spec: GuardSpec, entity: dict[str, Any],
                      category: str, rule: str, source: str) -> Refusal | None:
    """The entity itself holds a qualification, valid on the decision's day, whose type names
    the work of the category (SELF_BUILD_QUALIFICATIONS); noted as
    ``self_build_qualification``. Without one it "may not lawfully build itself"."""
    words = SELF_BUILD_QUALIFICATIONS[category]
    held = [q for q in entity.get("qualifications") or []
            if isinstance(q, dict) and any(w in str(q.get("type", "")) for w in words)
            and str(q.get("valid_until", "9999-12-31")) >= ctx.today.isoformat()]
    if not held:
        return Refusal(rule, f"{entity['id']} holds no valid qualification for {category} "
                             f"({' / '.join(words)}) on {ctx.today.isoformat()}: it may not "
                             "build (produce, provide) itself",
                       source, {"entity": entity["id"], "needed": list(words)}, guard=spec.name)
    ctx.note("self_build_qualification", held[0])
    return None
