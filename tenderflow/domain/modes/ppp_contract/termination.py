"""Early termination of the PPP contract with the compensation the agreement's formula gives
(workflows/ppp_contract.yaml: record_termination_terms, record_audited_investment, terminate).

The agreement (contracts/agreement.yaml, 违约与提前终止) compensates the social capital's
audited investment not yet recovered (经审计确认的未回收投资): on the government's default or
for the public interest with a reasonable return (合理利润) for the term that remains; on the
social capital's default less the losses its default caused (扣除违约损失); on force majeure
or by mutual agreement the share agreed. The figures come from the record, never typed in:

* the terms (ContractTerminationTermsRecorded): the term (start, years; extensions by
  variation add), the reasonable return a year, the cap, how investment is recovered
  (``straight_line``: in equal parts over the term; ``payments``: by the payments recorded of
  the kinds named), the shares on force majeure and mutual agreement;
* the audited investment (InvestmentAudited, the latest audit);
* the payments recorded (ContractPaymentRecorded) and the termination's date.

::

    elapsed    = days from the term's start to the termination / 365 (0 before the start)
    remaining  = max(0, term years − elapsed)
    recovered  = audited × min(elapsed, term) / term             (straight_line)
               | Σ payments of the recovering kinds               (payments)
    unrecovered = max(0, audited − recovered)
    government_default, public_interest: unrecovered + unrecovered × rate × remaining
    social_capital_default:              max(0, unrecovered − Σ deductions)
    force_majeure, mutual_agreement:     unrecovered × the agreed share
    compensation = min(cap, the above), rounded half up to the fen

A figure the formula needs that is not recorded makes the check "not checked" (a refusal
naming what to record: fail closed). Pure.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from tenderflow.domain.fold import State, applies
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
from tenderflow.errors import Refusal

SOURCE = ("PPP项目合同指南（试行）（财金〔2014〕156号）提前终止及补偿; 民法典 第563、566条; "
          "合同 违约与提前终止条款（经审计确认的未回收投资）")
RULE = "contract.termination_compensation"
TERMS_RULE = "contract.termination_terms"
#: The grounds compensated with the unrecovered investment and a reasonable return.
WITH_RETURN = ("government_default", "public_interest")
#: The grounds compensated with an agreed share of the unrecovered investment.
SHARED = {"force_majeure": "force_majeure_share_percent",
          "mutual_agreement": "mutual_agreement_share_percent"}
FEN = Decimal("0.01")
DAYS_A_YEAR = 365


def _money(value: Fraction) -> str:
    amount = Decimal(value.numerator) / Decimal(value.denominator)
    return str(amount.quantize(FEN, rounding=ROUND_HALF_UP))


def _years(value: Fraction) -> str:
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP))


def compensation(ground: str, terms: dict[str, Any], audited: str, on: date,
                 payments: list[dict[str, Any]], deductions: list[dict[str, Any]],
                 extension_years: int = 0) -> dict[str, Any]:
    """The compensation the formula gives on ``on`` for ``ground``, with every figure it used
    (money as strings to the fen, years to four places). ``terms`` is the recorded
    termination terms; ``audited`` the audited investment; ``payments`` the payments recorded;
    ``deductions`` the losses claimed on the social capital's default; ``extension_years``
    the term's extensions by variation."""
    term = Fraction(terms["term_years"] + extension_years)
    days = (on - date.fromisoformat(terms["term_start"])).days
    elapsed = Fraction(max(days, 0), DAYS_A_YEAR)
    remaining = max(Fraction(0), term - elapsed) if term > 0 else Fraction(0)
    invested = Fraction(Decimal(audited))
    if terms["recovery"] == "straight_line":
        recovered = invested * min(elapsed, term) / term if term > 0 else invested
    else:
        kinds = set(terms.get("recovering_kinds") or ())
        recovered = sum((Fraction(Decimal(p["amount"])) for p in payments
                         if p["kind"] in kinds and p["paid_on"] <= on.isoformat()), Fraction(0))
    unrecovered = max(Fraction(0), invested - recovered)
    figures: dict[str, Any] = {
        "ground": ground, "term_start": terms["term_start"], "term_years": int(term),
        "terminated_on": on.isoformat(), "elapsed_years": _years(elapsed),
        "remaining_years": _years(remaining), "audited_investment": _money(invested),
        "recovery": terms["recovery"], "recovered": _money(recovered),
        "unrecovered": _money(unrecovered), "cap": _money(Fraction(Decimal(terms["cap"]))),
    }
    if ground in WITH_RETURN:
        rate = Fraction(Decimal(terms["return_rate_percent"])) / 100
        ret = unrecovered * rate * remaining
        figures.update(return_rate_percent=terms["return_rate_percent"],
                       reasonable_return=_money(ret))
        formula = "unrecovered + unrecovered * return rate * remaining years, capped"
        raw = unrecovered + ret
    elif ground == "social_capital_default":
        deducted = sum((Fraction(Decimal(d["amount"])) for d in deductions), Fraction(0))
        figures.update(deductions=_money(deducted))
        formula = "unrecovered - deductions (not below 0), capped"
        raw = max(Fraction(0), unrecovered - deducted)
    else:
        share = terms[SHARED[ground]]
        figures.update(share_percent=share)
        formula = "unrecovered * the agreed share, capped"
        raw = unrecovered * Fraction(Decimal(share)) / 100
    cap = Fraction(Decimal(terms["cap"]))
    figures.update(formula=formula, before_cap=_money(raw), capped=raw > cap,
                   compensation=_money(min(raw, cap)))
    return figures


def extension_years(state: State) -> int:
    """The term's extensions (and reductions) by variation, in years."""
    return sum(v.get("term_years_change") or 0 for v in state.get("variations") or [])


@guard("contract_termination_terms_valid", rule=TERMS_RULE, source=SOURCE,
       needs=("recovery",))
def termination_terms_valid(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The agreement's termination terms are recorded once (a change is a variation); the
    ``payments`` recovery names the kinds of payment that recover the investment, and
    ``straight_line`` names none."""
    if ctx.state.get("termination_terms"):
        return spec.refuse(ctx, "the termination terms are already recorded; a change of them "
                                "is a variation of the agreement",
                           clause=ctx.state["termination_terms"]["clause"])
    kinds = ctx.data.get("recovering_kinds")
    if (ctx.data["recovery"] == "payments") != bool(kinds):
        return spec.refuse(ctx, "recovery 'payments' needs recovering_kinds (the kinds of "
                                "payment that recover the investment), 'straight_line' takes "
                                "none", recovery=ctx.data["recovery"], recovering_kinds=kinds)
    return None


def _not_checked(ctx: GuardContext, spec: GuardSpec, what: str, **numbers: Any) -> Refusal:
    return spec.refuse(ctx, f"not checked: {what}; the compensation cannot be computed, and "
                            "not checked is not a pass", **numbers)


@guard("contract_termination_compensation", rule=RULE, source=SOURCE, needs=("ground",))
def termination_compensation(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The compensation is the agreement's formula (:func:`compensation`) on the recorded
    terms, the latest audited investment and the payments; a compensation given that differs
    is refused with the formula and its figures; the accepted event records the breakdown.
    Without the terms, the audit, or (on the social capital's default) the deductions
    stated, it is not checked and refused, naming what to record."""
    terms = ctx.state.get("termination_terms")
    if not terms:
        return _not_checked(ctx, spec, "the agreement's termination compensation terms are "
                                       "not recorded (record_termination_terms: clause, "
                                       "term_start, term_years, return_rate_percent, cap, "
                                       "recovery, the shares)", missing="termination_terms")
    audit = ctx.state.get("audited_investment")
    if not audit:
        return _not_checked(ctx, spec, "no audited investment is recorded "
                                       "(record_audited_investment: amount, auditor, report, "
                                       "audited_on)", missing="audited_investment")
    ground = ctx.data["ground"]
    if ground == "social_capital_default" and "deductions" not in ctx.data:
        return _not_checked(ctx, spec, "on the social capital's default the losses its default "
                                       "caused are deducted: state them (deductions: item, "
                                       "amount, basis; an empty list for none)",
                            missing="deductions")
    figures = compensation(ground, terms, audit["amount"], ctx.today,
                           ctx.state.get("payments") or [], ctx.data.get("deductions") or [],
                           extension_years(ctx.state))
    given = ctx.data.get("compensation")
    if given is not None and Decimal(given) != Decimal(figures["compensation"]):
        shown = ", ".join(f"{k} {v}" for k, v in figures.items() if k != "formula")
        return spec.refuse(ctx, f"the compensation given, {given}, is not the agreement's: "
                                f"{figures['formula']} = {figures['compensation']} ({shown})",
                           given=given, **{k: v for k, v in figures.items()})
    ctx.note("compensation", figures)
    return None


@applies("ContractTerminationTermsRecorded")
def _terms(state: State, payload: dict[str, Any], at: str) -> None:
    state["termination_terms"] = {**payload["data"], "at": at}


@applies("InvestmentAudited")
def _audited(state: State, payload: dict[str, Any], at: str) -> None:
    state["audited_investment"] = {**payload["data"], "at": at}
    state.setdefault("audits", []).append(state["audited_investment"])
