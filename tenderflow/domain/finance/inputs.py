"""The return model's input formats, validated: every error names the field and what was
expected (the caller adds the file). Amounts are decimal strings in yuan (floats refused, as
everywhere); percentages and counts may be numbers or strings.

Two shapes give the same :class:`~.returns.ReturnInputs`:

1. **The project record** (intake, ``status``): the annual amount of each revenue source and a
   ``returns`` section::

       estimated_investment: "40000000.00"
       revenue_sources:                  # INTAKE.md; from_year and growth_percent optional
         - {stream: parking, annual: "1836000.00", matter: common_parts_use,
            from_year: 2, growth_percent: "2"}
       returns:
         years: 15                       # the years of operation modelled
         investment: "40000000.00"       # optional: default estimated_investment
         operating_costs:                # "1750000.00", one line, or a list of lines
           - {item: operation, annual: "1750000.00", from_year: 2, growth_percent: "2"}
         discount_rate_percent: "6"
         loan: {amount: "24000000.00", rate_percent: "4.2", years: 10, grace_years: 2,
                repayment: equal_instalment}      # or equal_principal / 等额本息 / 等额本金

   A stream earns nothing outside ``from_year`` … ``to_year`` (default: every year) and grows
   by ``growth_percent`` a year from ``from_year`` (compounded, rounded to the cent each
   year); each cost line likewise, and the lines are summed.

2. **A per-year plan** (the agreement's terms: ``revenue_plan`` with one entry per year, an
   amount or a mapping stream → amount, and ``operating_costs`` with one amount per year).

The loan of a financing file is given in its ``financing`` fields (:func:`financing_loan`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from tenderflow.domain.finance.loan import METHODS, Loan, cents
from tenderflow.domain.finance.returns import ReturnInputs
from tenderflow.domain.money import Money
from tenderflow.errors import InputError

MAX_YEARS = 50
REPAYMENT = {**{k: k for k in METHODS}, **{v: k for k, v in METHODS.items()}}
RETURNS_KEYS = ("years", "investment", "operating_costs", "discount_rate_percent", "loan")
LOAN_KEYS = ("amount", "rate_percent", "years", "grace_years", "repayment")
SOURCE_KEYS = ("stream", "annual", "matter", "from_year", "to_year", "growth_percent")
#: The financing file's fields the model reads (beside ``amount`` and ``term_years``, which the
#: cover letter prints too).
FINANCING_MODEL_FIELDS = frozenset({"financing.rate_percent", "financing.grace_years",
                                    "financing.repayment", "financing.discount_rate_percent"})
GROWING_KEYS = ("annual", "growth_percent", "from_year", "to_year")
COST_KEYS = ("item", *GROWING_KEYS)


def _err(message: str, field: str, expected: str) -> InputError:
    return InputError(message, field=field, expected=expected)


def money(value: Any, field: str, *, positive: bool = False) -> Decimal:
    if isinstance(value, Money):
        value = str(value.amount)
    elif isinstance(value, Decimal):
        value = str(value)
    return Money.parse(value, field=field, allow_zero=not positive).amount


def percent(value: Any, field: str, low: Decimal = Decimal(0),
            high: Decimal = Decimal(100)) -> Decimal:
    """A percentage as a fraction (``"4.2"`` → 0.042), from ``low`` (inclusive) to ``high``."""
    expected = f"a percentage from {low} to below {high}, e.g. \"4.2\""
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise _err(f"got {value!r}", field, expected)
    try:
        number = Decimal(str(value).strip().rstrip("%"))
    except InvalidOperation:
        raise _err(f"got {value!r}", field, expected) from None
    if not number.is_finite() or not low <= number < high:
        raise _err(f"got {value!r}", field, expected)
    return number / 100


def count(value: Any, field: str, low: int, high: int) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _err(f"got {value!r}", field, f"a whole number from {low} to {high}")
    return value


def mapping(value: Any, field: str, keys: Sequence[str], required: Sequence[str]
            ) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _err(f"got {value!r}", field, f"a mapping with {', '.join(keys)}")
    for key in value:
        if key not in keys:
            raise _err(f"unknown key {key!r}", f"{field}.{key}", " | ".join(keys))
    for key in required:
        if key not in value:
            raise _err("missing", f"{field}.{key}", "a value")
    return value


def loan(raw: Any, field: str = "returns.loan") -> Loan:
    """A loan from ``{amount, rate_percent, years, grace_years, repayment}``."""
    m = mapping(raw, field, LOAN_KEYS, ("amount", "rate_percent", "years"))
    years = count(m["years"], f"{field}.years", 1, MAX_YEARS)
    grace = count(m.get("grace_years", 0), f"{field}.grace_years", 0, years - 1)
    method = m.get("repayment", "equal_principal")
    if method not in REPAYMENT:
        raise _err(f"got {method!r}", f"{field}.repayment", " | ".join(REPAYMENT))
    return Loan(money(m["amount"], f"{field}.amount", positive=True),
                percent(m["rate_percent"], f"{field}.rate_percent"), years, grace,
                REPAYMENT[method])


def financing_missing(financing: Mapping[str, Any], template_fields: Iterable[str]
                      ) -> list[str]:
    """The ``financing.*`` fields a financing file lacks: those its templates print
    (``template_fields``) and those the model needs (all but ``grace_years``)."""
    needed = set(template_fields) | (FINANCING_MODEL_FIELDS - {"financing.grace_years"}) \
        | {"financing.amount", "financing.term_years"}
    return sorted(f for f in needed if f.split(".", 1)[1] not in financing)


def financing_loan(financing: Mapping[str, Any], field: str = "financing"
                   ) -> tuple[Loan, Decimal]:
    """The loan and the discount rate a financing file's ``financing`` fields give:
    ``amount``, ``term_years``, ``rate_percent``, ``grace_years``, ``repayment`` and
    ``discount_rate_percent``."""
    for key in ("amount", "term_years", "rate_percent", "repayment", "discount_rate_percent"):
        if key not in financing:
            raise _err("missing: the financial summary's repayment schedule and DSCR need it",
                       f"{field}.{key}", "a value")
    raw = {"amount": financing["amount"], "rate_percent": financing["rate_percent"],
           "years": financing["term_years"], "grace_years": financing.get("grace_years", 0),
           "repayment": financing["repayment"]}
    try:
        result = loan(raw, field)
    except InputError as exc:
        raise InputError(exc.message.replace(f"'{field}.years'", f"'{field}.term_years'")
                         ) from None
    return result, percent(financing["discount_rate_percent"], f"{field}.discount_rate_percent")


def _growing(raw: Any, field: str, years: int) -> list[Decimal]:
    """Amounts of years 1 … ``years`` from an annual amount (or ``{annual, growth_percent,
    from_year, to_year}``): nothing outside from_year … to_year, compounded growth from
    from_year, to the cent."""
    m = raw if isinstance(raw, Mapping) else {"annual": raw}
    annual = money(m["annual"], f"{field}.annual" if isinstance(raw, Mapping) else field)
    growth = percent(m.get("growth_percent", 0), f"{field}.growth_percent", Decimal(-50))
    start = count(m.get("from_year", 1), f"{field}.from_year", 1, years)
    end = count(m.get("to_year", years), f"{field}.to_year", start, years)
    return [cents(annual * (1 + growth) ** (y - start)) if start <= y <= end
            else Decimal("0.00") for y in range(1, years + 1)]


def _costs(raw: Any, years: int) -> list[Decimal]:
    """Operating costs by year: an annual amount, one cost line ``{annual, growth_percent,
    from_year, to_year}``, or a list of such lines (each with an ``item`` name), summed."""
    field = "returns.operating_costs"
    if isinstance(raw, Mapping):
        lines = [(field, mapping(raw, field, COST_KEYS, ("annual",)))]
    elif isinstance(raw, list) and raw:
        lines = [(f"{field}[{i}]", mapping(line, f"{field}[{i}]", COST_KEYS, ("annual",)))
                 for i, line in enumerate(raw)]
    else:
        return _growing(raw, field, years)
    total = [Decimal("0.00")] * years
    for where, line in lines:
        total = [a + b for a, b in zip(total, _growing(line, where, years), strict=True)]
    return total


def returns_section(raw: Any) -> dict[str, Any]:
    """The project record's ``returns`` section checked on its own (keys, kinds; the years a
    line names are checked against ``years`` by :func:`project_inputs`), as given."""
    ret = mapping(raw, "returns", RETURNS_KEYS, ("years", "operating_costs"))
    years = count(ret["years"], "returns.years", 1, MAX_YEARS)
    if "investment" in ret:
        money(ret["investment"], "returns.investment", positive=True)
    _costs(ret["operating_costs"], years)
    if "discount_rate_percent" in ret:
        percent(ret["discount_rate_percent"], "returns.discount_rate_percent")
    if "loan" in ret:
        loan(ret["loan"])
    return {k: (str(v) if isinstance(v, float) else v) for k, v in ret.items()}


def source_timing(item: Mapping[str, Any], field: str) -> dict[str, Any]:
    """A revenue source's optional ``from_year``, ``to_year`` and ``growth_percent``, checked
    on their own (against the years modelled by :func:`project_inputs`)."""
    out: dict[str, Any] = {}
    for key in ("from_year", "to_year"):
        if key in item:
            out[key] = count(item[key], f"{field}.{key}", 1, MAX_YEARS)
    if "growth_percent" in item:
        percent(item["growth_percent"], f"{field}.growth_percent", Decimal(-50))
        out["growth_percent"] = str(item["growth_percent"])
    return out


def project_inputs(record: Mapping[str, Any]) -> ReturnInputs:
    """The model's inputs from a project record (its ``revenue_sources`` and ``returns``)."""
    ret = mapping(record.get("returns"), "returns", RETURNS_KEYS, ("years", "operating_costs"))
    years = count(ret["years"], "returns.years", 1, MAX_YEARS)
    if "investment" in ret:
        investment = money(ret["investment"], "returns.investment", positive=True)
    elif record.get("estimated_investment") is not None:
        investment = money(record["estimated_investment"], "estimated_investment",
                           positive=True)
    else:
        raise _err("missing", "returns.investment", "the amount invested, or the project's "
                   "estimated_investment")
    sources = record.get("revenue_sources")
    if not isinstance(sources, list) or not sources:
        raise _err(f"got {sources!r}", "revenue_sources",
                   "a list of {stream, annual, matter} with at least one source")
    by_stream: dict[str, list[Decimal]] = {}
    for i, src in enumerate(sources):
        where = f"revenue_sources[{i}]"
        m = mapping(src, where, SOURCE_KEYS, ("stream", "annual"))
        stream = m["stream"]
        if not isinstance(stream, str) or not stream.strip():
            raise _err(f"got {stream!r}", f"{where}.stream", "the stream's name")
        if stream in by_stream:
            raise _err(f"{stream!r} is given twice", f"{where}.stream", "each stream once")
        by_stream[stream] = _growing({k: v for k, v in m.items() if k in GROWING_KEYS},
                                     where, years)
    revenue = tuple({s: amounts[y] for s, amounts in by_stream.items()} for y in range(years))
    costs = _costs(ret["operating_costs"], years)
    rate = (percent(ret["discount_rate_percent"], "returns.discount_rate_percent")
            if "discount_rate_percent" in ret else None)
    return ReturnInputs(investment, revenue, tuple(costs), rate,
                        loan(ret["loan"]) if "loan" in ret else None)


def plan_inputs(investment: Any, revenue_plan: Any, operating_costs: Any = None, *,
                discount_rate: Decimal | None = None, with_loan: Loan | None = None
                ) -> ReturnInputs:
    """The model's inputs from a per-year plan (the agreement's ``revenue_plan`` and
    ``operating_costs``)."""
    inv = money(investment, "investment", positive=True)
    if not isinstance(revenue_plan, Sequence) or isinstance(revenue_plan, (str, bytes)) \
            or not revenue_plan:
        raise _err(f"got {revenue_plan!r}", "revenue_plan",
                   "a list with one entry per year: an amount or a mapping stream → amount")
    costs = list(operating_costs or [])
    if costs and len(costs) != len(revenue_plan):
        raise _err(f"{len(costs)} years of operating costs for {len(revenue_plan)} years "
                   f"of revenue", "operating_costs", "one amount per year of the revenue plan")
    revenue = []
    for i, entry in enumerate(revenue_plan):
        where = f"revenue_plan[{i}]"
        if isinstance(entry, Mapping):
            revenue.append({str(k): money(v, f"{where}.{k}") for k, v in entry.items()})
        else:
            revenue.append({"total": money(entry, where)})
    cost = [money(c, f"operating_costs[{i}]") for i, c in enumerate(costs)] \
        or [Decimal("0.00")] * len(revenue)
    return ReturnInputs(inv, tuple(revenue), tuple(cost), discount_rate, with_loan)


def rounded_percent(fraction: Decimal) -> str:
    return str((fraction * 100).quantize(Decimal("0.01"), ROUND_HALF_UP))
