"""Evaluation methods: comprehensive scoring (综合评分法) and lowest evaluated price (最低评标价法).

The procurement documents state the method, its weights and the tie rule; the committee
records each member's scores (or the price adjustments); this module computes the ranked list
with every candidate's breakdown. The same function runs when the result is recorded and when
a replay re-decides it, so the recorded ranking is reproducible.

**Comprehensive scoring** (财政部令第87号 第55条 for the base-price formula)::

    price score      = lowest valid price / bid price × price weight
    criterion score  = mean over the members of the member's score for that criterion
    technical score  = sum of the criterion scores
    total            = price score + technical score

**Lowest evaluated price**::

    evaluated price  = bid price + Σ the committee's adjustments under the documents' factors

**Rounding rule** (stated once, the same in every figure): all arithmetic is exact (rational
numbers, no intermediate rounding). Each published figure — a price score, a criterion
average, the technical score, the total, an evaluated price — is rounded once from its exact
value to 2 decimal places, halves away from zero (ROUND_HALF_UP). The total is rounded from
the exact sum, not from the rounded parts, so the published parts may differ from the
published total by a cent. The ranking compares the published (rounded) totals; equal
published totals are *ties*, broken by the rule of the documents:

* ``lower_price`` — the lower bid price ranks first (87号令 第65条);
* ``higher_technical`` — the higher exact technical score ranks first (comprehensive only);
* ``earlier_submission`` — the earlier sealed submission ranks first;
* ``drawing_lots`` — the lot numbers the committee drew and recorded (lower first).

Candidates still equal after every key of the rule share a rank (并列) and the result says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from tenderflow.domain.timeutil import parse_time

METHODS = ("comprehensive", "lowest_evaluated_price")
TIE_KEYS = {
    "comprehensive": ("lower_price", "higher_technical", "earlier_submission", "drawing_lots"),
    "lowest_evaluated_price": ("lower_price", "earlier_submission", "drawing_lots"),
}
PLACES = 2
ROUNDING_RULE = ("exact arithmetic; each published figure rounded once to 2 decimal places, "
                 "ROUND_HALF_UP; ranking on the published totals")
TOTAL_POINTS = Fraction(100)


class MethodError(ValueError):
    """A method definition or a score sheet that does not hold; ``field`` says where."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def to_fraction(text: Any, field: str, *, places: int = 2, signed: bool = False) -> Fraction:
    """A decimal string (or int) with at most ``places`` decimals as an exact fraction."""
    if isinstance(text, bool) or not isinstance(text, (str, int)):
        raise MethodError(f"{text!r} is not a decimal number", field)
    try:
        d = Decimal(str(text).strip())
    except ArithmeticError:
        raise MethodError(f"{text!r} is not a decimal number", field) from None
    if not d.is_finite():
        raise MethodError(f"{text!r} is not a decimal number", field)
    exponent = d.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        raise MethodError(f"{text} has more than {places} decimal places", field)
    if d < 0 and not signed:
        raise MethodError(f"{text} is negative", field)
    return Fraction(d)


def round_half_up(value: Fraction, places: int = PLACES) -> Decimal:
    """Round an exact value to ``places`` decimals, halves away from zero."""
    scale = 10 ** places
    scaled = abs(value) * scale
    whole = int(scaled)
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    sign = -1 if value < 0 else 1
    return Decimal(sign * whole).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def fmt(value: Fraction) -> str:
    return str(round_half_up(value))


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    weight: Fraction


@dataclass(frozen=True)
class Method:
    """An evaluation method as the procurement documents state it."""

    kind: str
    price_weight: Fraction
    criteria: tuple[Criterion, ...]
    factors: tuple[tuple[str, str], ...]
    tie_break: tuple[str, ...]
    data: dict[str, Any] = field(compare=False, default_factory=dict)

    @classmethod
    def from_data(cls, data: Any, where: str = "evaluation") -> Method:
        if not isinstance(data, dict):
            raise MethodError("the evaluation method is a mapping", where)
        kind = data.get("method")
        if kind not in METHODS:
            raise MethodError(f"method {kind!r} is not one of {', '.join(METHODS)}",
                              f"{where}.method")
        tie = tuple(data.get("tie_break") or ())
        for i, k in enumerate(tie):
            if k not in TIE_KEYS[kind]:
                raise MethodError(f"tie rule {k!r} does not apply to {kind} (allowed: "
                                  f"{', '.join(TIE_KEYS[kind])})", f"{where}.tie_break[{i}]")
        if len(set(tie)) != len(tie):
            raise MethodError("a tie rule is listed twice", f"{where}.tie_break")
        if not tie:
            raise MethodError("the documents must state the tie rule", f"{where}.tie_break")
        criteria: list[Criterion] = []
        factors: list[tuple[str, str]] = []
        price_weight = Fraction(0)
        if kind == "comprehensive":
            price_weight = to_fraction(data.get("price_weight"), f"{where}.price_weight")
            if price_weight <= 0:
                raise MethodError("the price weight must be positive", f"{where}.price_weight")
            raw = data.get("criteria") or []
            if not isinstance(raw, list) or not raw:
                raise MethodError("at least one technical criterion is needed",
                                  f"{where}.criteria")
            for i, c in enumerate(raw):
                w = f"{where}.criteria[{i}]"
                if not isinstance(c, dict) or not isinstance(c.get("id"), str):
                    raise MethodError("a criterion is {id, name, weight}", w)
                weight = to_fraction(c.get("weight"), f"{w}.weight")
                if weight <= 0:
                    raise MethodError("a criterion weight must be positive", f"{w}.weight")
                criteria.append(Criterion(c["id"], str(c.get("name", c["id"])), weight))
            ids = [c.id for c in criteria]
            if len(set(ids)) != len(ids):
                raise MethodError("a criterion id is given twice", f"{where}.criteria")
            total = price_weight + sum((c.weight for c in criteria), Fraction(0))
            if total != TOTAL_POINTS:
                raise MethodError(f"the price weight and the criteria weights add up to "
                                  f"{fmt(total)}, not 100", f"{where}.criteria")
        else:
            for i, f in enumerate(data.get("factors") or []):
                if not isinstance(f, dict) or not isinstance(f.get("id"), str):
                    raise MethodError("a factor is {id, name}", f"{where}.factors[{i}]")
                factors.append((f["id"], str(f.get("name", f["id"]))))
        return cls(kind, price_weight, tuple(criteria), tuple(factors), tie, dict(data))

    @property
    def criterion_ids(self) -> list[str]:
        return [c.id for c in self.criteria]


def sheet_problems(method: Method, sheet: Any, bidders: list[str]) -> list[tuple[str, str]]:
    """(field, problem) for one member's score sheet ``{supplier: {criterion: score}}``:
    every bidder scored on every criterion, each score between 0 and the weight, ≤ 2
    decimals."""
    out: list[tuple[str, str]] = []
    if not isinstance(sheet, dict):
        return [("scores", "a score sheet maps each supplier to its criterion scores")]
    for sid in sheet:
        if sid not in bidders:
            out.append((f"scores.{sid}", f"{sid} is not a bid under evaluation"))
    for sid in bidders:
        row = sheet.get(sid)
        if not isinstance(row, dict):
            out.append((f"scores.{sid}", f"{sid} is not scored"))
            continue
        for cid in row:
            if cid not in method.criterion_ids:
                out.append((f"scores.{sid}.{cid}", f"no criterion {cid!r} in the documents"))
        for c in method.criteria:
            if c.id not in row:
                out.append((f"scores.{sid}.{c.id}", f"{sid} is not scored on {c.id}"))
                continue
            try:
                v = to_fraction(row[c.id], f"scores.{sid}.{c.id}")
            except MethodError as exc:
                out.append((exc.field, str(exc)))
                continue
            if v > c.weight:
                out.append((f"scores.{sid}.{c.id}",
                            f"{row[c.id]} is above the weight {fmt(c.weight)} of {c.id}"))
    return out


@dataclass
class Ranking:
    """The ranked list; ``to_dict`` is what the evaluation event records."""

    method: str
    rows: list[dict[str, Any]]
    ties: list[dict[str, Any]]
    needs_lots: list[list[str]]
    base_price: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"method": self.method, "rounding": ROUNDING_RULE,
                             "ranking": self.rows, "ties": self.ties}
        if self.base_price is not None:
            d["base_price"] = self.base_price
        return d

    @property
    def order(self) -> list[str]:
        return [r["supplier"] for r in self.rows]


def _tie_value(key: str, sid: str, ctx: dict[str, Any]) -> Any:
    if key == "lower_price":
        return ctx["prices"][sid]
    if key == "higher_technical":
        return -ctx["technical"][sid]
    if key == "earlier_submission":
        at = ctx["submitted"].get(sid)
        return parse_time(at).timestamp() if at else float("inf")
    if key == "drawing_lots":
        lots = ctx["lots"]
        return lots.get(sid) if sid in lots else None
    raise ValueError(key)


def _rank(method: Method, primary: dict[str, Any], ctx: dict[str, Any]
          ) -> tuple[list[str], dict[str, int], list[dict[str, Any]], list[list[str]]]:
    """Order by ``primary`` (smaller first), then by the tie rule; return the order, the
    ranks (equal ranks for unresolved ties), the ties broken and the ties needing lots."""
    groups: dict[Any, list[str]] = {}
    for sid, value in primary.items():
        groups.setdefault(value, []).append(sid)
    order: list[str] = []
    ranks: dict[str, int] = {}
    ties: list[dict[str, Any]] = []
    needs_lots: list[list[str]] = []
    for value in sorted(groups):
        members = sorted(groups[value])
        if len(members) == 1:
            ranks[members[0]] = len(order) + 1
            order.append(members[0])
            continue
        # Partition the tied group key by key.
        parts: list[list[str]] = [members]
        used: list[str] = []
        for key in method.tie_break:
            if all(len(p) == 1 for p in parts):
                break
            new_parts: list[list[str]] = []
            for p in parts:
                if len(p) == 1:
                    new_parts.append(p)
                    continue
                values = {sid: _tie_value(key, sid, ctx) for sid in p}
                if key == "drawing_lots" and any(v is None for v in values.values()):
                    needs_lots.append(sorted(p))
                    new_parts.append(p)
                    continue
                sub: dict[Any, list[str]] = {}
                for sid in p:
                    sub.setdefault(values[sid], []).append(sid)
                if len(sub) > 1:
                    used.append(key)
                new_parts.extend(sorted(sub[v]) for v in sorted(sub))
            parts = new_parts
        ties.append({"suppliers": members, "broken_by": used,
                     "unresolved": [p for p in parts if len(p) > 1]})
        for p in parts:
            rank = len(order) + 1
            for sid in p:
                ranks[sid] = rank
            order.extend(p)
    return order, ranks, ties, needs_lots


def comprehensive(method: Method, prices: dict[str, str], sheets: dict[str, dict[str, Any]],
                  *, submitted: dict[str, str] | None = None,
                  lots: dict[str, int] | None = None) -> Ranking:
    """Rank the valid bids ``prices`` (supplier → price) with the members' ``sheets``
    (member → {supplier → {criterion → score}})."""
    if method.kind != "comprehensive":
        raise ValueError("not a comprehensive-scoring method")
    if not prices:
        return Ranking(method.kind, [], [], [])
    exact_prices = {sid: to_fraction(p, f"prices.{sid}") for sid, p in prices.items()}
    base = min(exact_prices.values())
    members = sorted(sheets)
    rows: dict[str, dict[str, Any]] = {}
    technical: dict[str, Fraction] = {}
    totals: dict[str, Fraction] = {}
    for sid in sorted(prices):
        price = exact_prices[sid]
        price_score = base / price * method.price_weight if price else method.price_weight
        crit: dict[str, Any] = {}
        tech = Fraction(0)
        for c in method.criteria:
            marks = {m: to_fraction(sheets[m][sid][c.id], f"{m}.{sid}.{c.id}") for m in members}
            avg = sum(marks.values(), Fraction(0)) / len(members) if members else Fraction(0)
            tech += avg
            crit[c.id] = {"name": c.name, "weight": fmt(c.weight),
                          "scores": {m: fmt(v) for m, v in marks.items()},
                          "sum": fmt(sum(marks.values(), Fraction(0))),
                          "average": fmt(avg)}
        total = price_score + tech
        technical[sid] = tech
        totals[sid] = total
        rows[sid] = {"supplier": sid, "price": fmt(price), "price_score": fmt(price_score),
                     "criteria": crit, "technical": fmt(tech), "total": fmt(total)}
    ctx = {"prices": exact_prices, "technical": technical, "submitted": submitted or {},
           "lots": lots or {}}
    # Higher published total first: order by the negated published total.
    primary = {sid: -round_half_up(totals[sid]) for sid in rows}
    order, ranks, ties, needs = _rank(method, primary, ctx)
    for t in ties:
        t["published"] = str(-primary[t["suppliers"][0]])
        t["compared"] = "total"
    out = [{"rank": ranks[sid], **rows[sid]} for sid in order]
    return Ranking(method.kind, out, ties, needs, base_price=fmt(base))


def lowest_evaluated(method: Method, prices: dict[str, str],
                     adjustments: dict[str, list[dict[str, Any]]], *,
                     submitted: dict[str, str] | None = None,
                     lots: dict[str, int] | None = None) -> Ranking:
    """Rank the valid bids by evaluated price (bid price + the adjustments recorded under the
    documents' factors), lowest first."""
    if method.kind != "lowest_evaluated_price":
        raise ValueError("not a lowest-evaluated-price method")
    exact_prices = {sid: to_fraction(p, f"prices.{sid}") for sid, p in prices.items()}
    rows: dict[str, dict[str, Any]] = {}
    evaluated: dict[str, Fraction] = {}
    for sid in sorted(prices):
        adj = adjustments.get(sid, [])
        total_adj = sum((to_fraction(a["amount"], f"adjustments.{sid}", signed=True)
                         for a in adj), Fraction(0))
        evaluated[sid] = exact_prices[sid] + total_adj
        rows[sid] = {"supplier": sid, "price": fmt(exact_prices[sid]),
                     "adjustments": [{"factor": a["factor"], "amount": fmt(to_fraction(
                         a["amount"], "amount", signed=True)), "reason": a.get("reason", "")}
                         for a in adj],
                     "evaluated_price": fmt(evaluated[sid])}
    ctx = {"prices": exact_prices, "technical": {}, "submitted": submitted or {},
           "lots": lots or {}}
    primary = {sid: round_half_up(evaluated[sid]) for sid in rows}
    order, ranks, ties, needs = _rank(method, primary, ctx)
    for t in ties:
        t["published"] = str(primary[t["suppliers"][0]])
        t["compared"] = "evaluated_price"
    out = [{"rank": ranks[sid], **rows[sid]} for sid in order]
    return Ranking(method.kind, out, ties, needs)


def adjustment_problems(method: Method, adjustments: Any, bidders: list[str]
                        ) -> list[tuple[str, str]]:
    """(field, problem) for the committee's adjustments under a lowest-evaluated-price method."""
    out: list[tuple[str, str]] = []
    if not isinstance(adjustments, dict):
        return [("adjustments", "adjustments map each supplier to a list")]
    factors = {f for f, _ in method.factors}
    for sid, items in adjustments.items():
        if sid not in bidders:
            out.append((f"adjustments.{sid}", f"{sid} is not a bid under evaluation"))
            continue
        for i, a in enumerate(items or []):
            if a.get("factor") not in factors:
                out.append((f"adjustments.{sid}[{i}].factor",
                            (f"factor {a.get('factor')!r} is not stated in the documents "
                             f"(stated: {', '.join(sorted(factors)) or 'none'})")))
            try:
                to_fraction(a.get("amount"), "amount", signed=True)
            except MethodError as exc:
                out.append((f"adjustments.{sid}[{i}].amount", str(exc)))
    return out


def abnormally_low(prices: dict[str, str], ratio: Fraction) -> dict[str, dict[str, str]]:
    """Prices below ``ratio`` × the mean of the *other* valid prices (the documents' or the
    parameter's threshold): supplier → {price, others_mean, threshold}. Needs ≥ 2 prices."""
    out: dict[str, dict[str, str]] = {}
    exact = {sid: to_fraction(p, sid) for sid, p in prices.items()}
    if len(exact) < 2:
        return out
    for sid, price in sorted(exact.items()):
        others = [v for k, v in exact.items() if k != sid]
        mean = sum(others, Fraction(0)) / len(others)
        threshold = mean * ratio
        if price < threshold:
            out[sid] = {"price": fmt(price), "others_mean": fmt(mean),
                        "threshold": fmt(threshold), "ratio": str(ratio)}
    return out
