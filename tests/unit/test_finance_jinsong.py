"""The 劲松-like example (issue 14's done-when): payback near ten years, NPV, IRR and DSCR from
the return model, checked against an independent computation written here by hand — plain
Decimal loops, a bisection for the IRR, the loan's schedule from its definition — which reads
the example's raw YAML (examples/project_jinsong.yaml, project BJ-JS-PJ, whose comments state
the assumptions) and shares no code with tenderflow.domain.finance (nor numpy).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

import yaml

from tenderflow.domain.finance.inputs import project_inputs
from tenderflow.domain.finance.returns import compute_returns
from tenderflow.paths import examples_dir

D = Decimal
CENT = D("0.01")
DATA = examples_dir() / "project_jinsong.yaml"


def _round(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def _line(item: dict, years: int) -> list[Decimal]:
    start, end = int(item.get("from_year", 1)), int(item.get("to_year", years))
    growth = D(str(item.get("growth_percent", "0"))) / 100
    out = []
    for y in range(1, years + 1):
        amount = D(0)
        if start <= y <= end:
            amount = D(item["annual"])
            for _ in range(y - start):
                amount *= 1 + growth
        out.append(_round(amount))
    return out


def _npv(rate: Decimal, flows: list[Decimal]) -> Decimal:
    total, factor = D(0), D(1)
    for f in flows:
        total += f / factor
        factor *= 1 + rate
    return total


def _irr(flows: list[Decimal]) -> Decimal:
    lo, hi = D("-0.5"), D("1")
    assert _npv(lo, flows) > 0 > _npv(hi, flows)
    for _ in range(100):
        mid = (lo + hi) / 2
        if _npv(mid, flows) > 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _independent(raw: dict) -> dict:
    with localcontext() as ctx:
        ctx.prec = 40
        return _by_hand(raw)


def _by_hand(raw: dict) -> dict:
    ret = raw["returns"]
    n = int(ret["years"])
    investment = D(raw["estimated_investment"])
    revenue = [sum(v) for v in zip(*(_line(s, n) for s in raw["revenue_sources"]))]
    costs = [sum(v) for v in zip(*(_line(c, n) for c in ret["operating_costs"]))]
    net = [r - c for r, c in zip(revenue, costs)]
    # payback: walk the cumulative flow, interpolate inside the year it turns positive
    cumulative, payback = -investment, None
    for year, flow in enumerate(net, start=1):
        if payback is None and cumulative + flow >= 0:
            payback = year - 1 + (-cumulative) / flow
        cumulative += flow
    rate = D(ret["discount_rate_percent"]) / 100
    flows = [-investment, *net]
    # the loan: interest on the opening balance, grace years interest only, then the
    # annuity payment A = P·r / (1 − (1+r)^−m), the last year clearing the balance
    loan = ret["loan"]
    p, r = D(loan["amount"]), D(loan["rate_percent"]) / 100
    term, grace = int(loan["years"]), int(loan["grace_years"])
    m = term - grace
    annuity = _round(p * r / (1 - (1 + r) ** -m))
    balance, service = p, []
    for year in range(1, term + 1):
        interest = _round(balance * r)
        principal = D(0) if year <= grace else (
            balance if year == term else annuity - interest)
        service.append(interest + principal)
        balance -= principal
    assert balance == 0
    dscr = [net[i] / service[i] for i in range(term)]
    return {"payback": payback, "npv": _round(_npv(rate, flows)), "irr": _irr(flows),
            "dscr": dscr, "service": service, "net": net, "annuity": annuity}


def test_jinsong_example_against_an_independent_computation():
    [raw] = [p for p in yaml.safe_load(DATA.read_text(encoding="utf-8"))["projects"]
             if p["id"] == "BJ-JS-PJ"]
    model = compute_returns(project_inputs(raw))
    ind = _independent(raw)

    assert [y.net for y in model.years] == ind["net"]
    # payback near ten years
    assert model.payback_years is not None and D(9) <= model.payback_years <= D(11)
    assert abs(model.payback_years - ind["payback"]) < D("1e-20")
    assert abs(model.npv - ind["npv"]) <= CENT  # numpy-financial in floats, to the cent
    assert abs(model.irr - ind["irr"]) < D("1e-7")
    assert [d.payment for d in model.schedule] == ind["service"]
    assert [y.dscr for y in model.years if y.dscr is not None] == \
        [x.quantize(D("0.0001"), ROUND_HALF_UP) for x in ind["dscr"]]
    assert model.min_dscr == min(ind["dscr"]).quantize(D("0.0001"), ROUND_HALF_UP)
    # the figures the example reports (status, the financing package, the report to the user)
    assert model.figures() == {
        "payback_years": "9.83", "discounted_payback_years": "—", "irr_percent": "0.33",
        "npv": "-10807899.10", "discount_rate_percent": "6.00", "min_dscr": "1.19",
        "average_dscr": "1.63"}
    assert ind["annuity"] == D("2685490.55")
