"""The contract's yearly performance evaluation (绩效评价, workflows/ppp_contract.yaml:
set_performance_terms, evaluate_performance): the agreement's terms — KPIs with target,
direction and weight, the residents' satisfaction survey (threshold, minimum sample, weight),
the pass score and the payment deduction per point below it (capped) — are recorded once; each
operating year is then evaluated once, in order, after it ended. Everything the evaluation
concludes is computed here from the terms and the measured figures, never typed in: each KPI
passed or not, the satisfaction rate (exact: satisfied ÷ surveyed, compared as a fraction), the
score (the weights of what passed), pass or fail and the deduction; two consecutive failed
years are flagged as the agreement's ground of the operator's default. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from tenderflow.domain.fold import State, applies
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
from tenderflow.errors import Refusal

TERMS_SOURCE = ("财金〔2014〕113号 第二十八条; 财金〔2020〕13号《政府和社会资本合作（PPP）项目绩效管理"
                "操作指引》; 合同约定的年度绩效考核条款")
EVALUATION_SOURCE = ("财金〔2020〕13号《PPP项目绩效管理操作指引》（绩效评价结果与付费挂钩）; 合同约定："
                     "甲方会同丁方每年对乙方的运营服务进行绩效考核")
BREACH_SOURCE = "合同约定：连续两年考核不合格构成乙方违约; 民法典 第577条"
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
RATE_PLACES = Decimal("0.0001")
#: How many consecutive failed years the agreement treats as the operator's default.
BREACH_YEARS = 2


def _dec(value: str) -> Decimal:
    return Decimal(value)


def kpi_passed(kpi: Mapping[str, Any], actual: str) -> bool:
    """A KPI is met when the measured figure is at least (``ge``) or at most (``le``) its
    target (exact decimals)."""
    a, t = _dec(actual), _dec(kpi["target"])
    return a >= t if kpi["direction"] == "ge" else a <= t


def satisfaction_passed(threshold_percent: str, surveyed: int, satisfied: int) -> bool:
    """Satisfied ÷ surveyed reaches the threshold, compared exactly (no rounding)."""
    threshold = Fraction(_dec(threshold_percent)) / 100
    return surveyed > 0 and Fraction(satisfied, surveyed) >= threshold


def rate_text(numerator: int, denominator: int) -> str:
    """A ratio to four places, half up (``"0.8500"``): what the record shows."""
    if denominator == 0:
        return "0.0000"
    return str((Decimal(numerator) / Decimal(denominator)).quantize(RATE_PLACES, ROUND_HALF_UP))


def score_of(terms: Mapping[str, Any], passed: Mapping[str, bool], survey_passed: bool
             ) -> Decimal:
    """The score: the weights of the KPIs met plus the survey's weight when it passed (the
    weights add up to 100)."""
    score = sum((_dec(k["weight"]) for k in terms["kpis"] if passed.get(k["id"])), Decimal(0))
    if survey_passed:
        score += _dec(terms["satisfaction"]["weight"])
    return score.quantize(CENT)


def deduction_of(terms: Mapping[str, Any], score: Decimal) -> Decimal:
    """The payment deducted for a year scored ``score``: ``percent_per_point`` of the base
    for each point below the pass score, at most ``cap_percent`` of it, to the cent (half
    up); nothing at or above the pass score."""
    d = terms["deduction"]
    below = max(_dec(terms["pass_score"]) - score, Decimal(0))
    percent = min(below * _dec(d["percent_per_point"]), _dec(d["cap_percent"]))
    return (_dec(d["base"]) * percent / HUNDRED).quantize(CENT, ROUND_HALF_UP)


@guard("contract_performance_terms_valid", rule="contract.performance_terms",
       source=TERMS_SOURCE, needs=("kpis", "satisfaction", "pass_score", "deduction"))
def performance_terms_valid(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The terms are recorded once (a change is a variation); each KPI id once; the KPIs'
    weights and the survey's add up to 100; the pass score, the survey threshold and the cap
    are at most 100."""
    if ctx.state.get("performance_terms"):
        return spec.refuse(ctx, "the performance terms are already recorded; a change of them "
                                "is a variation of the agreement (vary)",
                           clause=ctx.state["performance_terms"]["clause"])
    d = ctx.data
    ids = [k["id"] for k in d["kpis"]]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        return spec.refuse(ctx, f"KPI id(s) given twice: {', '.join(twice)}", ids=twice)
    total = sum((_dec(k["weight"]) for k in d["kpis"]), _dec(d["satisfaction"]["weight"]))
    if total != HUNDRED:
        return spec.refuse(ctx, f"the KPIs' and the survey's weights add up to {total}, not 100",
                           total=str(total))
    over = {k: v for k, v in (("pass_score", d["pass_score"]),
                              ("satisfaction.threshold_percent",
                               d["satisfaction"]["threshold_percent"]),
                              ("deduction.cap_percent", d["deduction"]["cap_percent"]),
                              ("revenue.shortfall_threshold_percent",
                               d["revenue"]["shortfall_threshold_percent"]))
            if _dec(v) > HUNDRED}
    if over:
        return spec.refuse(ctx, "over 100: " + ", ".join(f"{k} {v}" for k, v in over.items()),
                           **over)
    return None


def operation_year(state: Mapping[str, Any]) -> int | None:
    """The calendar year operation started (OperationStarted's started_on)."""
    started = (state.get("operation") or {}).get("started_on")
    return int(started[:4]) if started else None


def next_year(state: Mapping[str, Any], key: str) -> int | None:
    """The next year to evaluate (``evaluations``) or record revenue for (``revenues``):
    the year operation started, then each following year in turn."""
    done = [r["year"] for r in state.get(key) or []]
    return max(done) + 1 if done else operation_year(state)


@guard("contract_performance_year_open", rule="contract.performance_year",
       source=EVALUATION_SOURCE, needs=("year",))
def performance_year_open(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """The terms are recorded; the year is an operating year that has ended by the step's
    date; the evaluation's date is after the year and not after the step."""
    if not ctx.state.get("performance_terms"):
        return spec.refuse(ctx, "no performance terms recorded: set_performance_terms first "
                                "(the agreement's KPIs, survey, pass score and revenue plan)")
    year, started = ctx.data["year"], operation_year(ctx.state)
    if started is None or year < started:
        return spec.refuse(ctx, f"{year} is before operation started "
                                f"({(ctx.state.get('operation') or {}).get('started_on', '-')})",
                           year=year, operation_started=started)
    if date(year + 1, 1, 1) > ctx.today:
        return spec.refuse(ctx, f"the year {year} has not ended on {ctx.today.isoformat()}: it "
                                f"is evaluated from {year + 1}-01-01", year=year,
                           opens_at=f"{year + 1}-01-01T00:00:00+08:00")
    on = ctx.data.get("evaluated_on")
    if on and not date(year + 1, 1, 1) <= date.fromisoformat(on) <= ctx.today:
        return spec.refuse(ctx, f"evaluated_on {on} is not between the end of {year} and "
                                f"{ctx.today.isoformat()}", evaluated_on=on)
    return None


def out_of_order(ctx: GuardContext, spec: GuardSpec, key: str, verb: str) -> Refusal | None:
    """The year of the step is the next one of ``key`` (``evaluations`` or ``revenues``):
    each year once, in order (:func:`next_year`). Without terms it says nothing
    (contract_performance_year_open refuses)."""
    if not ctx.state.get("performance_terms"):
        return None
    year, due = ctx.data["year"], next_year(ctx.state, key)
    if year == due:
        return None
    done = [r["year"] for r in ctx.state.get(key) or []]
    why = f"is already {verb}d" if year in done else f"is not next: {verb} {due} first"
    return spec.refuse(ctx, f"the year {year} {why} (each year once, in order)", year=year,
                       next=due, done=done)


@guard("contract_performance_evaluated", rule="contract.performance_evaluation",
       source=EVALUATION_SOURCE, needs=("year", "kpis", "survey"))
def performance_evaluated(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Each operating year is evaluated once, in order; every KPI of the terms is measured
    once and no other; the survey counts at least the terms' minimum sample and no more
    satisfied than surveyed. Computes the result (kpis, satisfaction, score, passed,
    deduction) and whether this is the second failed year running (breach)."""
    terms = ctx.state.get("performance_terms")
    refused = out_of_order(ctx, spec, "evaluations", "evaluate")
    if not terms or refused:
        return refused
    measured = [k["id"] for k in ctx.data["kpis"]]
    wanted = [k["id"] for k in terms["kpis"]]
    problems = {"missing": [k for k in wanted if k not in measured],
                "unknown": sorted({k for k in measured if k not in wanted}),
                "twice": sorted({k for k in measured if measured.count(k) > 1})}
    if any(problems.values()):
        return spec.refuse(ctx, "the KPIs measured are not the agreement's: " + "; ".join(
            f"{k} {', '.join(v)}" for k, v in problems.items() if v),
            missing=problems["missing"], unknown=problems["unknown"], twice=problems["twice"])
    survey, sat = ctx.data["survey"], terms["satisfaction"]
    if survey["satisfied"] > survey["surveyed"]:
        return spec.refuse(ctx, f"{survey['satisfied']} satisfied of {survey['surveyed']} "
                                "surveyed: more satisfied than surveyed", **survey)
    if survey["surveyed"] < sat["min_sample"]:
        return spec.refuse(ctx, f"{survey['surveyed']} residents surveyed, fewer than the "
                                f"agreement's minimum sample of {sat['min_sample']}",
                           surveyed=survey["surveyed"], min_sample=sat["min_sample"])
    for key, value in evaluate(terms, ctx.data, ctx.state.get("evaluations") or []).items():
        ctx.note(key, value)
    return None


def evaluate(terms: Mapping[str, Any], data: Mapping[str, Any],
             earlier: list[Mapping[str, Any]]) -> dict[str, Any]:
    """The year's result from the terms and the measured figures (the event's findings)."""
    actual = {k["id"]: k["actual"] for k in data["kpis"]}
    kpis = [{"id": k["id"], "name": k["name"], "unit": k["unit"], "target": k["target"],
             "direction": k["direction"], "actual": actual[k["id"]],
             "passed": kpi_passed(k, actual[k["id"]])} for k in terms["kpis"]]
    survey, sat = data["survey"], terms["satisfaction"]
    survey_ok = satisfaction_passed(sat["threshold_percent"], survey["surveyed"],
                                    survey["satisfied"])
    score = score_of(terms, {k["id"]: k["passed"] for k in kpis}, survey_ok)
    passed = score >= _dec(terms["pass_score"])
    failed_run = 0 if passed else 1 + _failed_run(earlier, data["year"] - 1)
    return {
        "year": data["year"], "kpis": kpis,
        "satisfaction": {"surveyed": survey["surveyed"], "satisfied": survey["satisfied"],
                         "rate": rate_text(survey["satisfied"], survey["surveyed"]),
                         "threshold": str((_dec(sat["threshold_percent"]) / HUNDRED)
                                          .quantize(RATE_PLACES)),
                         "passed": survey_ok},
        "score": str(score), "pass_score": terms["pass_score"], "passed": passed,
        "deduction": str(deduction_of(terms, score)),
        "consecutive_failures": failed_run, "breach": failed_run >= BREACH_YEARS,
    }


def _failed_run(earlier: list[Mapping[str, Any]], year: int) -> int:
    """How many failed years run back from ``year``."""
    by_year = {e["year"]: e for e in earlier}
    run = 0
    while year in by_year and not by_year[year]["passed"]:
        run, year = run + 1, year - 1
    return run


def performance_view(state: State) -> dict[str, Any]:
    """The terms, the results by year and the breach ground (the latest run of failed years
    reaching :data:`BREACH_YEARS`)."""
    evaluations = state.get("evaluations") or []
    breaches = [e["year"] for e in evaluations if e.get("breach")]
    return {"performance_terms": state.get("performance_terms"),
            "evaluations": evaluations,
            "breach": ({"years": [breaches[-1] - 1, breaches[-1]], "source": BREACH_SOURCE}
                       if breaches else None),
            "next_evaluation": next_year(state, "evaluations")
            if state.get("performance_terms") else None}


@applies("PerformanceTermsSet")
def _terms(state: State, payload: dict[str, Any], at: str) -> None:
    state["performance_terms"] = {**payload["data"], "at": at}


@applies("PerformanceEvaluated")
def _evaluated(state: State, payload: dict[str, Any], at: str) -> None:
    data = payload["data"]
    state.setdefault("evaluations", []).append(
        {**payload["findings"], "evaluated_on": data["evaluated_on"], "at": at,
         **({"report": data["report"]} if data.get("report") else {})})
