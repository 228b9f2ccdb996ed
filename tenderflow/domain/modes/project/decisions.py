"""The project intake's decisions: the community within the renovation policy, the residents
consulted, every coordination party's sign-off before the filing, the procurement intention
published long enough before the project is ready to procure. Pure predicates.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tenderflow.domain.components.signoffs import (
    missing_refusal,
    objection_refusal,
    party_label,
    project_parties,
)
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
from tenderflow.errors import Refusal

BUILT_BY = "project.built_by_year"
INTENTION_DAYS = "project.intention_min_days"
RENOVATION_SOURCE = "国办发〔2020〕23号 二（二）"
COORDINATION_SOURCE = "国办发〔2020〕23号 三（一）（二）: 共建共治共享、政府与各方协调"


def project_of(ctx: GuardContext) -> dict[str, Any]:
    """The project record as the intake copied it when it started."""
    return dict(ctx.state.get("project") or {})


def required_parties(state: dict[str, Any]) -> list[str]:
    """The coordination parties the project's filing needs (signoffs.project_parties)."""
    return project_parties(state.get("project") or {})


@guard("project_community_eligible", rule=BUILT_BY, source=RENOVATION_SOURCE)
def community_eligible(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The renovation policy covers communities built by the end of the year of
    ``project.built_by_year`` (2000年底前建成); a later one, or a record without ``built_year``
    (the check cannot be made), is refused."""
    return built_year_refusal(ctx, spec, project_of(ctx))


def built_year_refusal(ctx: GuardContext, spec: GuardSpec, project: dict[str, Any]
                       ) -> Refusal | None:
    limit = int(ctx.p(BUILT_BY))
    built = project.get("built_year")
    if not isinstance(built, int):
        return spec.refuse(ctx, f"project {project.get('id')} has no built_year: whether the "
                                f"community was built by the end of {limit} cannot be checked; "
                                "register the project with its built_year",
                           built_year=None, built_by=limit)
    if built > limit:
        return spec.refuse(ctx, f"built in {built}: the renovation policy covers communities "
                                f"built by the end of {limit}", built_year=built,
                           built_by=limit)
    return None


@guard("project_consultation_recorded", rule="project.consultation_recorded",
       source="国办发〔2020〕23号 三（二）: 居民议事、征求居民意见", needs=("meetings",))
def consultation_recorded(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The residents' consultation is recorded by its meetings (date, place, how many took part),
    none dated after the step that records them."""
    late = [m["date"] for m in ctx.data["meetings"]
            if date.fromisoformat(m["date"]) > ctx.today]
    if late:
        return spec.refuse(ctx, f"meeting(s) dated after {ctx.today.isoformat()}: "
                                f"{', '.join(late)}", dates=late, today=ctx.today.isoformat())
    return None


@guard("signoff_party_required", rule="project.signoff_party",
       source=COORDINATION_SOURCE, needs=("party",))
def signoff_party_required(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Only a party the filing needs signs off: the district department, the sub-district
    office, the community, the social-capital side when the record names it, and the utilities
    the scope items touch (their ``utilities``)."""
    required = required_parties(ctx.state)
    party = ctx.data["party"]
    if party not in required:
        return spec.refuse(ctx, f"{party} ({party_label(party)}) is not a party this project's "
                                f"filing needs; required: {', '.join(required)}",
                           party=party, required=required)
    return None


@guard("signoff_objection_reasoned", rule="project.signoff_objection_reason",
       source=COORDINATION_SOURCE, needs=("decision",))
def signoff_objection_reasoned(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """An objection states its reason, so that it can be answered."""
    if ctx.data["decision"] == "object" and not str(ctx.data.get("reason", "")).strip():
        return spec.refuse(ctx, "an objection must state its reason",
                           party=ctx.data.get("party"))
    return None


@guard("coordination_complete", rule="project.coordination_complete",
       source=COORDINATION_SOURCE)
def coordination_complete(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Every party the filing needs has signed off; the refusal names who is missing."""
    return missing_refusal(ctx, spec, required_parties(ctx.state))


@guard("coordination_no_objection", rule="project.coordination_no_objection",
       source=COORDINATION_SOURCE)
def coordination_no_objection(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """No required party's latest word is an objection (the party resolves it by agreeing)."""
    return objection_refusal(ctx, spec, required_parties(ctx.state))


@guard("intention_published", rule=INTENTION_DAYS,
       source="财库〔2020〕10号 二、三")
def intention_published(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The procurement intention (采购意向) was published at least ``project.intention_min_days``
    calendar days before the project is made ready to procure (and so before any procurement
    opens on it), unless the step states an exemption of 财库〔2020〕10号 (urgent needs the
    budget unit could not foresee, small purchases under framework or designated supply, batch
    centralized purchases, or a procurement that is not government procurement) with its
    explanation. Without a publication or an exemption it is refused (fail closed)."""
    exemption = ctx.data.get("intention_exemption")
    if exemption:
        return None
    intention = ctx.state.get("intention")
    days = int(ctx.p(INTENTION_DAYS))
    if not intention:
        return spec.refuse(ctx, "no procurement intention published (publish_intention), and "
                                "no exemption stated (intention_exemption)", minimum=days)
    published = date.fromisoformat(intention["published_on"])
    elapsed = (ctx.today - published).days
    if elapsed < days:
        earliest = date.fromordinal(published.toordinal() + days)
        return spec.refuse(ctx, f"intention published {published.isoformat()}, {elapsed} days "
                                f"before {ctx.today.isoformat()}: at least {days} days "
                                f"required, so not before {earliest.isoformat()}",
                           published_on=published.isoformat(), elapsed=elapsed, minimum=days,
                           earliest=earliest.isoformat())
    return None
