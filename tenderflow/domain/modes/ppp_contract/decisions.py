"""The PPP contract's decisions after signing (workflows/ppp_contract.yaml): the contract starts
only from a procurement whose contract is signed; every coordination party (the utilities, the
sub-district office, the residents' committee) has agreed before construction starts, and a
refusal names who is missing; the dates a step records are not after the step; a suspended
contract resumes to the stage it was suspended from. Pure predicates.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tenderflow.domain.components.signoffs import (
    contract_parties,
    missing_refusal,
    objection_refusal,
    party_label,
)
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
from tenderflow.errors import Refusal

SIGNED_SOURCE = ("政府采购法 第46条; 政府和社会资本合作项目政府采购管理办法（财库〔2014〕215号）"
                 "第20、21条")
COORDINATION_SOURCE = ("国办发〔2020〕23号 三（一）、四（一）: 统筹协调专业经营单位（供水、供电、"
                       "供气、通信）与街道、社区")
DATES_SOURCE = "建设工程质量管理条例 第16条（竣工验收）; 记录不得早于所记之事"
SUSPENSION_SOURCE = "民法典 第527、533条; PPP项目合同的暂停条款"
#: The procurement states in which its contract is signed (open tender and negotiation record
#: ``sign_contract``; the PPP path publishes it afterwards).
SIGNED_STATES = ("contracted", "contract_signed")


def required_parties(state: dict[str, Any]) -> list[str]:
    """The coordination parties the contract's construction needs (signoffs.contract_parties)."""
    return contract_parties(state.get("project") or {})


@guard("contract_procurement_signed", rule="contract.after_signing", source=SIGNED_SOURCE)
def procurement_signed(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The contract's life starts from the procurement as it stood when the contract stream
    was opened (``state.procurement``, copied by ContractStarted): its contract signed
    (ContractSigned recorded, state contracted or contract_signed) and not ended. Without that
    record nothing shows a signed agreement: refused (fail closed)."""
    proc = ctx.state.get("procurement") or {}
    current, signed = proc.get("state"), proc.get("contract")
    if current not in SIGNED_STATES or not signed:
        return spec.refuse(ctx, f"procurement {proc.get('id', ctx.procurement)} is in state "
                                f"{current!r} with {'a' if signed else 'no'} signed contract "
                                "recorded: the contract's life starts after the contract is "
                                "signed (sign_contract)", state=current,
                           contract_signed=bool(signed))
    return None


@guard("contract_signoff_party_required", rule="contract.signoff_party",
       source=COORDINATION_SOURCE, needs=("party",))
def signoff_party_required(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Only a party the construction needs signs off (see contract_parties)."""
    required = required_parties(ctx.state)
    party = ctx.data["party"]
    if party not in required:
        return spec.refuse(ctx, f"{party} ({party_label(party)}) is not a party this contract's "
                                f"construction needs; required: {', '.join(required)}",
                           party=party, required=required)
    return None


@guard("contract_coordination_complete", rule="contract.coordination_complete",
       source=COORDINATION_SOURCE)
def coordination_complete(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Every party the construction needs has signed off; the refusal names who is missing."""
    return missing_refusal(ctx, spec, required_parties(ctx.state))


@guard("contract_coordination_no_objection", rule="contract.coordination_no_objection",
       source=COORDINATION_SOURCE)
def coordination_no_objection(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """No required party's latest word is an objection (the same party agreeing resolves it)."""
    return objection_refusal(ctx, spec, required_parties(ctx.state))


#: The data fields holding a date a contract step records (ISO dates, YYYY-MM-DD).
DATE_FIELDS = ("approved_on", "accepted_on", "started_on", "handed_over_on", "achieved_on",
               "paid_on", "audited_on")


@guard("contract_dates_not_future", rule="contract.dates_not_future", source=DATES_SOURCE)
def dates_not_future(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A date the step records (financing approval, acceptance, operation, handover, a
    milestone achieved, a payment) is not
    after the step's business date: what is recorded has happened."""
    late = {k: ctx.data[k] for k in DATE_FIELDS
            if isinstance(ctx.data.get(k), str) and date.fromisoformat(ctx.data[k]) > ctx.today}
    if late:
        names = ", ".join(f"{k} {v}" for k, v in late.items())
        return spec.refuse(ctx, f"dated after {ctx.today.isoformat()}: {names}", **late,
                           today=ctx.today.isoformat())
    return None


def _resumes_to(ctx: GuardContext, spec: GuardSpec, stage: str) -> Refusal | None:
    suspended = ctx.state.get("suspension") or {}
    if suspended.get("from") != stage:
        return spec.refuse(ctx, f"the contract was suspended from {suspended.get('from')!r}: "
                                f"it resumes there, not to {stage!r}",
                           suspended_from=suspended.get("from"), to=stage)
    return None


@guard("contract_resumes_construction", rule="contract.resume_to_suspended_stage",
       source=SUSPENSION_SOURCE, selects=True)
def resumes_construction(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A contract suspended under construction resumes construction."""
    return _resumes_to(ctx, spec, "under_construction")


@guard("contract_resumes_operation", rule="contract.resume_to_suspended_stage",
       source=SUSPENSION_SOURCE, selects=True)
def resumes_operation(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """A contract suspended in operation resumes operation."""
    return _resumes_to(ctx, spec, "operating")
