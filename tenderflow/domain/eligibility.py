"""Supplier eligibility (准入): versioned rulesets, an explained check, and a fairness lint.

A ruleset is data (``workflows/eligibility/*.yaml``): each rule has an id, zh/en titles, its legal
source and status, a severity (``disqualify`` or ``warn``), the evidence it needs, and either

* an ``expression`` over the supplier profile in the `rule-engine` language, compiled against a
  typed context built from the profile schema, so a misspelt field fails when the ruleset is
  loaded (never ``eval``); or
* a named built-in ``check`` (see :data:`CHECKS`) for what an expression cannot say: dated
  records, credit lists, qualifications, the project's investment, and relations between the
  candidates on the same lot.

Public functions, all pure (dates are passed in, nothing reads the clock or a database):

* :func:`load_ruleset` / :meth:`Ruleset.from_data` / :meth:`Ruleset.to_data` - strict loading,
  content hash (SHA-256 of the canonical JSON of the parsed file) for pinning and replay;
* :func:`lint_ruleset` - the fair-competition review (公平竞争审查) of a ruleset;
* :func:`pin_ruleset` / :func:`ruleset_from_pinned` - what opening a procurement stores, refusing
  a ruleset that fails the lint, and its rebuild with a hash check;
* :func:`normalise_profile` - validation of a supplier profile as registered;
* :func:`evaluate` - every rule for every candidate: verdict, value seen, threshold, source.
"""

from __future__ import annotations

import copy
import decimal
import difflib
import hashlib
import itertools
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import rule_engine
import rule_engine.ast
import yaml
from rule_engine import DataType

from tenderflow.domain.credit import CREDIT_LISTS, CreditEntry, listings_at
from tenderflow.domain.money import Money
from tenderflow.domain.timeutil import SHANGHAI, local_date
from tenderflow.domain.uscc import uscc_problem
from tenderflow.errors import DefinitionError, InputError, Refusal, RulesetRefused

PASS, FAIL, WARN, NOT_APPLICABLE = "pass", "fail", "warn", "not_applicable"
VERDICTS = (PASS, FAIL, WARN, NOT_APPLICABLE)
SEVERITIES = ("disqualify", "warn")
STATUSES = ("P", "secondary", "unconfirmed")

# --------------------------------------------------------------------------- profile schema

#: Field types a ruleset may declare in ``fields:``; the structured ones exist only in the base.
SIMPLE_TYPES = ("boolean", "string", "decimal", "date", "list[string]")
STRUCTURED_TYPES = ("records", "qualifications", "consortium")

#: The supplier profile every ruleset can rely on (name -> type). A ruleset's ``fields:`` must
#: document these with the same types and may add simple fields of its own.
BASE_FIELDS: dict[str, str] = {
    "id": "string",
    "name": "string",
    "uscc": "string",
    "legal_representative": "string",
    "legal_representative_id": "string",
    "controlled_by": "list[string]",
    "independent_civil_liability": "boolean",
    "good_commercial_reputation": "boolean",
    "accounts_sound": "boolean",
    "has_equipment_and_technical_capacity": "boolean",
    "tax_social_security_ok": "boolean",
    "net_assets": "decimal",
    "annual_revenue": "decimal",
    "records": "records",
    "qualifications": "qualifications",
    "consortium": "consortium",
}

#: Base fields that identify a supplier: an expression over them points at particular suppliers
#: (and characters 3-8 of a USCC encode the registration area), so the lint refuses them there.
IDENTITY_FIELDS = frozenset({"id", "name", "uscc", "legal_representative",
                             "legal_representative_id", "controlled_by"})
#: Base fields that measure size; only the built-in ``financial_capacity`` check may use them.
SIZE_FIELDS = frozenset({"net_assets", "annual_revenue"})

RECORD_KINDS = ("criminal_penalty", "suspension", "licence_revocation", "large_fine", "fine",
                "debarment", "warning")
#: 政府采购法实施条例 第19条: criminal penalty, 责令停产停业, 吊销许可证或者执照, 较大数额罚款.
MAJOR_RECORD_KINDS = frozenset({"criminal_penalty", "suspension", "licence_revocation",
                                "large_fine"})
#: Qualification grades, higher rank = wider scope of work; 不分等级 has no grade.
GRADE_RANK = {"特级": 4, "一级": 3, "二级": 2, "三级": 1}
UNGRADED = "不分等级"

_RULE_ID = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*")
_EXPR_TYPES = {
    "boolean": DataType.BOOLEAN,
    "string": DataType.STRING,
    "decimal": DataType.FLOAT,
    "date": DataType.DATETIME,
    "list[string]": DataType.ARRAY(DataType.STRING),
}
_FORBIDDEN_BUILTINS = frozenset({"now", "today"})


@dataclass(frozen=True)
class FieldSpec:
    """One field of the supplier profile: its type, description and whether the code owns it."""

    name: str
    type: str
    description: str
    base: bool


@dataclass(frozen=True)
class Parameter:
    """A number or setting a built-in check reads, with its legal source and status."""

    name: str
    value: Any
    source: str
    status: str
    note: str | None = None


@dataclass(frozen=True)
class Rule:
    """One eligibility rule: an expression over the profile or a named built-in check."""

    id: str
    title_zh: str
    title_en: str
    source: str
    status: str
    severity: str
    evidence: tuple[str, ...]
    expression: str | None = None
    check: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    note: str | None = None
    # What the expression refers to, collected when it is compiled (used by the lint).
    symbols: tuple[str, ...] = ()
    unknown_symbols: tuple[str, ...] = ()
    attributes: tuple[str, ...] = ()
    literals: tuple[str, ...] = ()
    compiled: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Ruleset:
    """A loaded ruleset; ``content_hash`` identifies the exact data it was built from."""

    id: str
    version: str
    title_zh: str
    title_en: str
    fields: Mapping[str, FieldSpec]
    parameters: Mapping[str, Parameter]
    rules: tuple[Rule, ...]
    content_hash: str
    file: str | None = None
    _data: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_data(cls, data: Mapping[str, Any], *, file: str | None = None) -> Ruleset:
        """Build and validate a ruleset from parsed data (a YAML file or a pinned copy)."""
        return _build_ruleset(data, file=file, strict=True)

    def to_data(self) -> dict[str, Any]:
        """The parsed data, a deep copy: ``Ruleset.from_data(r.to_data())`` has the same hash."""
        return copy.deepcopy(dict(self._data))

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.rules)


def canonical_json(data: Any) -> str:
    """The canonical JSON text hashed for a ruleset."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(data: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of a parsed ruleset."""
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- YAML loading

class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (PyYAML keeps the last one silently)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_ruleset_data(path: str | Path) -> dict[str, Any]:
    """Parse a ruleset file into plain data (no validation beyond YAML and duplicate keys)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(p)) from None
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        location = f"line {mark.line + 1}" if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"not valid YAML: {problem}", file=str(p), location=location) from None
    if not isinstance(data, dict):
        raise InputError("a ruleset is a mapping with id, version, title, fields, parameters "
                         "and rules", file=str(p))
    return data


def load_ruleset(path: str | Path, *, strict: bool = True) -> Ruleset:
    """Load and validate a ruleset file; expressions are compiled against its fields. With
    ``strict=False`` an expression over an unknown field loads (for the lint to report it)."""
    return _build_ruleset(read_ruleset_data(path), file=str(path), strict=strict)


# --------------------------------------------------------------------------- validation helpers

class _Where:
    """Carries the file and location for InputError while walking a ruleset."""

    def __init__(self, file: str | None, location: str | None = None) -> None:
        self.file = file
        self.location = location

    def at(self, location: str) -> _Where:
        return _Where(self.file, location)

    def error(self, message: str, field: str | None = None,
              expected: str | None = None) -> InputError:
        return InputError(message, file=self.file, location=self.location, field=field,
                          expected=expected)


def _keys(data: Any, where: _Where, *, required: Iterable[str], optional: Iterable[str] = (),
          what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise where.error(f"{what} must be a mapping, got {type(data).__name__}")
    required = tuple(required)
    allowed = set(required) | set(optional)
    for key in data:
        if key not in allowed:
            raise where.error(f"unknown key in {what}", field=str(key),
                              expected="one of " + ", ".join(sorted(allowed)))
    for key in required:
        if key not in data:
            raise where.error(f"missing from {what}", field=key)
    return data


def _text(value: Any, where: _Where, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise where.error(f"must be non-empty text, got {value!r}", field=name)
    return value


def _json_plain(value: Any, where: _Where, name: str) -> None:
    """Refuse YAML values that have no canonical JSON form (dates, sets, binary, floats)."""
    if value is None or isinstance(value, (str, bool, int)):
        return
    if isinstance(value, float):
        raise where.error(f"write numbers with decimals as quoted text, got {value!r}",
                          field=name, expected='a decimal string like "0.20"')
    if isinstance(value, list):
        for i, item in enumerate(value):
            _json_plain(item, where, f"{name}[{i}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise where.error(f"keys must be text, got {key!r}", field=name)
            _json_plain(item, where, f"{name}.{key}" if name else key)
        return
    raise where.error(f"has no plain-data form: {value!r} ({type(value).__name__})", field=name,
                      expected="text, an integer, true/false, a list or a mapping; "
                               "quote dates")


def _decimal(value: Any, where: _Where, name: str) -> Decimal:
    if isinstance(value, (bool, float)):
        raise where.error(f"must be a decimal string, got {value!r}", field=name,
                          expected='a string like "12000000.00"')
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, (int, str)):
        try:
            result = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise where.error(f"not a number: {value!r}", field=name,
                              expected='a string like "12000000.00"') from None
    else:
        raise where.error(f"must be a decimal string, got {type(value).__name__}", field=name,
                          expected='a string like "12000000.00"')
    if not result.is_finite():
        raise where.error(f"not a finite number: {value!r}", field=name)
    return result


def _date(value: Any, where: _Where, name: str) -> date:
    if isinstance(value, datetime):
        raise where.error(f"must be a date without a time, got {value!r}", field=name,
                          expected="a date like 2023-03-01")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise where.error(f"not a date: {value!r}", field=name, expected="a date like 2023-03-01")


def _bool(value: Any, where: _Where, name: str) -> bool:
    if not isinstance(value, bool):
        raise where.error(f"must be true or false, got {value!r}", field=name)
    return value


def _str_list(value: Any, where: _Where, name: str) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v.strip()
                                                       for v in value):
        raise where.error(f"must be a list of text, got {value!r}", field=name)
    return tuple(value)


# --------------------------------------------------------------------------- built-in checks

@dataclass(frozen=True)
class Finding:
    """What a check saw: its raw verdict, the value seen, the threshold and why."""

    verdict: str
    value: Any
    threshold: Any
    reason: str


@dataclass(frozen=True)
class CheckSpec:
    """A named built-in check: the function, what it applies to and what it reads.

    ``level`` is ``supplier`` when the check looks at one supplier (a consortium then passes
    only if every member passes, 政府采购法 第24条) and ``candidate`` when it looks at the
    candidate as a whole or at the other candidates on the same lot.
    """

    name: str
    level: str
    function: Callable[..., Finding]
    params: Mapping[str, str] = field(default_factory=dict)   # rule param -> description
    parameters: tuple[str, ...] = ()                        # ruleset parameters it reads
    doc: str = ""


KNOWN_PARAMETERS: dict[str, str] = {
    "record_window_years": "integer",
    "large_fine_threshold": "decimal",
    "financial_capacity_ratio": "decimal",
    "required_qualification": "qualification",
}


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def _record_text(record: Mapping[str, Any]) -> str:
    text = f"{record['date'].isoformat()} {record['kind']}"
    if record.get("amount") is not None:
        text += f" {record['amount']:.2f} yuan"
    if record.get("until") is not None:
        text += f" until {record['until'].isoformat()}"
    return f"{text} ({record['authority']}: {record['description']})"


def check_major_illegal_record_within_window(supplier: Mapping[str, Any], ev: _Evaluation,
                                             rule: Rule) -> Finding:
    """政府采购法 第22条(五) with 实施条例 第19条: no major illegal record in the window.

    Major = criminal penalty, 责令停产停业, 吊销许可证或者执照, or a large fine (a ``fine`` of at
    least ``large_fine_threshold``). The window holds the records dated from the same calendar
    day ``record_window_years`` years before the check date up to the check date: counting as
    民法典 第201条 does, a record of 2022-06-01 still lies within three years on 2025-06-01.
    A debarment blocks only while in force (``until`` is its last day); once it has expired
    the supplier may take part again (实施条例 第19条第2款).
    """
    at = ev.at
    years = int(ev.parameter("record_window_years"))
    start = _years_before(at, years)
    large_fine = ev.parameter("large_fine_threshold", required=False)
    blocking: list[str] = []
    disregarded: list[str] = []
    for record in supplier.get("records", ()):
        day = record["date"]
        if day > at:
            continue
        kind = record["kind"]
        if kind == "debarment":
            until = record.get("until")
            if until is None or at <= until:
                blocking.append(_record_text(record) + " - debarment in force")
            else:
                disregarded.append(_record_text(record) + " - debarment expired")
            continue
        major = kind in MAJOR_RECORD_KINDS or (
            kind == "fine" and large_fine is not None and record.get("amount") is not None
            and record["amount"] >= Decimal(large_fine))
        if not major:
            disregarded.append(_record_text(record) + " - not a major illegal record")
        elif day >= start:
            blocking.append(_record_text(record))
        else:
            disregarded.append(_record_text(record) + f" - before {start.isoformat()}")
    threshold = (f"no criminal penalty, suspension, licence revocation or large fine from "
                 f"{start.isoformat()} to {at.isoformat()} ({years} years); "
                 f"no debarment in force on {at.isoformat()}")
    value = {"blocking": blocking, "disregarded": disregarded}
    if blocking:
        return Finding(FAIL, value, threshold, "major illegal record: " + "; ".join(blocking))
    return Finding(PASS, value, threshold, "no major illegal record in the window")


def check_credit_lists(supplier: Mapping[str, Any], ev: _Evaluation, rule: Rule) -> Finding:
    """财库〔2016〕125号: refuse a supplier listed on the named credit list at the check date."""
    name = rule.params["list"]
    threshold = f"not listed on {name} on {ev.at.isoformat()}"
    hits = listings_at(ev.credit_by_uscc.get(supplier["uscc"], ()), supplier["uscc"], ev.at,
                       [name])
    value = [h.to_dict() for h in hits]
    if hits:
        first = hits[0]
        return Finding(FAIL, value, threshold,
                       f"{supplier['uscc']} listed on {name} since {first.listed_on.isoformat()}"
                       f" ({first.source})")
    return Finding(PASS, value, threshold, f"not listed on {name}")


def _required_qualification(ev: _Evaluation) -> tuple[dict[str, str], str]:
    override = ev.procurement.get("required_qualification")
    if override is not None:
        return override, "procurement"
    return ev.parameter("required_qualification"), "ruleset parameter required_qualification"


def _grade_meets(held: str, required: str) -> bool:
    if required == UNGRADED:
        return True
    if held == UNGRADED:
        return False
    return GRADE_RANK[held] >= GRADE_RANK[required]


def _valid_qualifications(supplier: Mapping[str, Any], qtype: str,
                          at: date) -> list[Mapping[str, Any]]:
    return [q for q in supplier.get("qualifications", ())
            if q["type"] == qtype and (q.get("valid_until") is None or at <= q["valid_until"])]


def _best_grade(quals: Sequence[Mapping[str, Any]]) -> str:
    graded = [q["grade"] for q in quals if q["grade"] != UNGRADED]
    if graded:
        return max(graded, key=lambda g: GRADE_RANK[g])
    return UNGRADED


def check_qualification_scope(candidate: _Candidate, ev: _Evaluation, rule: Rule) -> Finding:
    """建筑法 第13、26条: the contractor holds the qualification, at a grade whose scope covers
    the works (the procurement states the type and the lowest grade that covers them)."""
    if candidate.members:
        return Finding(NOT_APPLICABLE, None, None,
                       "a consortium is rated by consortium.lower_grade")
    req, origin = _required_qualification(ev)
    threshold = f"{req['type']} {req['min_grade']} or higher, valid on {ev.at.isoformat()} " \
                f"(from {origin})"
    quals = _valid_qualifications(candidate.profile, req["type"], ev.at)
    if not quals:
        held = [f"{q['type']} {q['grade']}" for q in candidate.profile.get("qualifications", ())]
        return Finding(FAIL, held, threshold, f"holds no valid {req['type']} qualification")
    grade = _best_grade(quals)
    value = f"{req['type']} {grade}"
    if _grade_meets(grade, req["min_grade"]):
        return Finding(PASS, value, threshold, "qualification covers the works")
    return Finding(FAIL, value, threshold, f"{grade} is below {req['min_grade']}")


def check_consortium_lower_grade(candidate: _Candidate, ev: _Evaluation, rule: Rule) -> Finding:
    """政府采购法 第24条; 建筑法 第27条: a consortium is rated at the lowest grade among its
    members holding the required qualification type."""
    if not candidate.members:
        return Finding(NOT_APPLICABLE, None, None, "not a consortium")
    req, origin = _required_qualification(ev)
    threshold = f"{req['type']} {req['min_grade']} or higher at the lowest grade among members " \
                f"holding it (from {origin})"
    grades: dict[str, str] = {}
    for member in candidate.members:
        quals = _valid_qualifications(member, req["type"], ev.at)
        if quals:
            grades[member["id"]] = _best_grade(quals)
    if not grades:
        return Finding(FAIL, {}, threshold, f"no member holds a valid {req['type']}")
    graded = {m: g for m, g in grades.items() if g != UNGRADED}
    lowest = min(graded.values(), key=lambda g: GRADE_RANK[g]) if graded else UNGRADED
    value = {"members": grades, "consortium_grade": lowest}
    if _grade_meets(lowest, req["min_grade"]):
        return Finding(PASS, value, threshold, f"consortium rated {lowest}")
    return Finding(FAIL, value, threshold,
                   f"consortium rated {lowest} (its lowest member), below {req['min_grade']}")


def check_financial_capacity(candidate: _Candidate, ev: _Evaluation, rule: Rule) -> Finding:
    """Net assets at least ``financial_capacity_ratio`` times the project's investment.

    Capacity to carry this project, scaled by its investment - not a size threshold (see the
    lint). A consortium counts its members' net assets together, as they answer jointly and
    severally (政府采购法 第24条).
    """
    ratio = Decimal(ev.parameter("financial_capacity_ratio"))
    investment = ev.investment
    if investment is None:
        raise InputError("the procurement has no investment but the ruleset checks financial "
                         "capacity against it", field="investment",
                         location=f"procurement {ev.procurement_id}",
                         expected='a decimal string like "40000000.00"')
    needed = (investment * ratio).quantize(Decimal("0.01"), rounding=decimal.ROUND_HALF_UP)
    threshold = f"net assets >= {ratio} x investment {investment:.2f} = {needed:.2f}"
    parts: dict[str, str | None] = {}
    total = Decimal(0)
    for supplier in candidate.participants:
        net = supplier.get("net_assets")
        parts[supplier["id"]] = None if net is None else f"{net:.2f}"
        if net is not None:
            total += net
    missing = [s for s, v in parts.items() if v is None]
    value: Any = parts if candidate.members else parts[candidate.id]
    if missing:
        return Finding(FAIL, value, threshold, "net assets not stated for " + ", ".join(missing))
    if candidate.members:
        value = {"members": parts, "total": f"{total:.2f}"}
    if total >= needed:
        return Finding(PASS, value, threshold, f"net assets {total:.2f} >= {needed:.2f}")
    return Finding(FAIL, value, threshold, f"net assets {total:.2f} < {needed:.2f}")


def _norm_name(text: str) -> str:
    return re.sub(r"\s+", "", text)


def check_shared_legal_representative(candidate: _Candidate, ev: _Evaluation,
                                      rule: Rule) -> Finding:
    """政府采购法实施条例 第18条; 招标投标法实施条例 第34条: suppliers whose legal representative
    (单位负责人) is the same person may not bid on the same lot - all their bids fail.

    The same person is matched on ``legal_representative_id`` when both profiles carry one,
    otherwise on the name with spaces removed. (The other candidates are found through an index
    of names and identity numbers, so checking n candidates costs about n, not n².)
    """
    threshold = "no other candidate on the same lot has the same legal representative"
    rel = ev.relations()
    pairs: set[tuple[int, int, int]] = set()
    for mi, mine in enumerate(candidate.participants):
        a = mine.get("legal_representative")
        if not a:
            continue
        ida = mine.get("legal_representative_id")
        found = list(rel.by_rep_name.get(_norm_name(a), ()))
        if ida:
            found += rel.by_rep_id.get(ida, ())
        for ci, ti in found:
            if ev.candidates[ci].id != candidate.id:
                pairs.add((ci, mi, ti))
    shared: list[dict[str, str]] = []
    for ci, mi, ti in sorted(pairs):
        other = ev.candidates[ci]
        mine, theirs = candidate.participants[mi], other.participants[ti]
        if mine["id"] == theirs["id"]:
            continue  # the same firm twice is consortium.member_also_bidding
        a, b = mine.get("legal_representative"), theirs.get("legal_representative")
        if not a or not b:
            continue
        ida, idb = mine.get("legal_representative_id"), theirs.get("legal_representative_id")
        same = ida == idb if ida and idb else _norm_name(a) == _norm_name(b)
        if same:
            shared.append({"supplier": mine["id"], "legal_representative": a,
                           "other_candidate": other.id, "other_supplier": theirs["id"],
                           "matched_on": "id" if ida and idb else "name"})
    if shared:
        text = "; ".join(f"{s['supplier']} and {s['other_supplier']} (candidate "
                         f"{s['other_candidate']}) share {s['legal_representative']}"
                         for s in shared)
        return Finding(FAIL, shared, threshold, text)
    return Finding(PASS, [], threshold, "no shared legal representative")


def _names_of(supplier: Mapping[str, Any]) -> set[str]:
    return {str(supplier[k]) for k in ("id", "uscc", "name") if supplier.get(k)}


def check_control_link(candidate: _Candidate, ev: _Evaluation, rule: Rule) -> Finding:
    """政府采购法实施条例 第18条; 招标投标法实施条例 第34条: a supplier that controls or manages
    another (``controlled_by`` names the other's id, USCC or name) may not bid on the same lot.

    Two suppliers controlled by the same third party are not named by the text (第18条 says
    直接控股、管理关系); the check reports them as ``warn`` for the committee to look at.
    """
    threshold = "no direct control or management link with another candidate on the same lot"
    rel = ev.relations()
    pairs: set[tuple[int, int, int]] = set()
    for mi, mine in enumerate(candidate.participants):
        keys = [("named", c) for c in mine.get("controlled_by", ())]   # I am controlled by
        keys += [("controls", n) for n in _names_of(mine)]             # ... controlled by me
        keys += [("controls", c) for c in mine.get("controlled_by", ())]  # same controller
        for key in keys:
            index = rel.by_name if key[0] == "named" else rel.by_controller
            for ci, ti in index.get(key[1], ()):
                if ev.candidates[ci].id != candidate.id:
                    pairs.add((ci, mi, ti))
    direct: list[dict[str, str]] = []
    common: list[dict[str, Any]] = []
    for ci, mi, ti in sorted(pairs):
        other = ev.candidates[ci]
        mine, theirs = candidate.participants[mi], other.participants[ti]
        if mine["id"] == theirs["id"]:
            continue
        mine_by = set(mine.get("controlled_by", ()))
        theirs_by = set(theirs.get("controlled_by", ()))
        if mine_by & _names_of(theirs):
            direct.append({"supplier": mine["id"], "controlled_by": theirs["id"],
                           "other_candidate": other.id})
        elif theirs_by & _names_of(mine):
            direct.append({"supplier": theirs["id"], "controlled_by": mine["id"],
                           "other_candidate": other.id})
        elif mine_by & theirs_by:
            common.append({"supplier": mine["id"], "other_supplier": theirs["id"],
                           "other_candidate": other.id,
                           "common_controller": sorted(mine_by & theirs_by)})
    if direct:
        text = "; ".join(f"{d['supplier']} is controlled by {d['controlled_by']} (candidate "
                         f"{d['other_candidate']})" for d in direct)
        return Finding(FAIL, {"direct": direct, "common": common}, threshold, text)
    if common:
        text = "; ".join(f"{c['supplier']} and {c['other_supplier']} are both controlled by "
                         f"{', '.join(c['common_controller'])} - not a direct link, review"
                         for c in common)
        return Finding(WARN, {"direct": [], "common": common}, threshold, text)
    return Finding(PASS, {"direct": [], "common": []}, threshold, "no control link")


def check_consortium_member_also_bidding(candidate: _Candidate, ev: _Evaluation,
                                         rule: Rule) -> Finding:
    """政府采购法实施条例 第22条: a consortium member may not also bid alone or in another
    consortium on the same lot; every bid involved fails."""
    threshold = "no supplier takes part in more than one candidate on the same lot"
    clashes: list[dict[str, str]] = []
    rel = ev.relations()
    for supplier in candidate.participants:
        for ci in rel.by_supplier.get(supplier["id"], ()):
            other = ev.candidates[ci]
            if other.id != candidate.id:
                how = "in consortium" if other.members else "alone"
                clashes.append({"supplier": supplier["id"], "also_in": other.id, "as": how})
    if clashes:
        text = "; ".join(f"{c['supplier']} also bids {c['as']} as candidate {c['also_in']}"
                         for c in clashes)
        return Finding(FAIL, clashes, threshold, text)
    return Finding(PASS, [], threshold, "no supplier in two candidates")


def check_consortium_joint_agreement(candidate: _Candidate, ev: _Evaluation,
                                     rule: Rule) -> Finding:
    """政府采购法 第24条: a consortium submits its joint agreement (联合协议)."""
    if not candidate.members:
        return Finding(NOT_APPLICABLE, None, None, "not a consortium")
    signed = bool(candidate.profile["consortium"].get("agreement"))
    threshold = "joint agreement submitted (agreement: true)"
    if signed:
        return Finding(PASS, True, threshold, "joint agreement submitted")
    return Finding(FAIL, False, threshold, "no joint agreement")


def check_prior_service_provider(candidate: _Candidate, ev: _Evaluation, rule: Rule) -> Finding:
    """政府采购法实施条例 第18条第2款: a supplier that provided the overall design, specification,
    project management, supervision or testing for this project may not bid for it."""
    providers = set(ev.procurement.get("prior_service_providers", ()))
    threshold = "not among the project's design / supervision / testing providers"
    hits = sorted(s["id"] for s in candidate.participants if _names_of(s) & providers)
    if hits:
        return Finding(FAIL, hits, threshold,
                       "provided services for this project: " + ", ".join(hits))
    return Finding(PASS, [], threshold, "not a prior service provider")


CHECKS: dict[str, CheckSpec] = {
    spec.name: spec for spec in (
        CheckSpec("major_illegal_record_within_window", "supplier",
                  check_major_illegal_record_within_window,
                  parameters=("record_window_years", "large_fine_threshold")),
        CheckSpec("credit_lists", "supplier", check_credit_lists,
                  params={"list": " | ".join(CREDIT_LISTS)}),
        CheckSpec("qualification_scope", "candidate", check_qualification_scope,
                  parameters=("required_qualification",)),
        CheckSpec("consortium_lower_grade", "candidate", check_consortium_lower_grade,
                  parameters=("required_qualification",)),
        CheckSpec("financial_capacity", "candidate", check_financial_capacity,
                  parameters=("financial_capacity_ratio",)),
        CheckSpec("shared_legal_representative", "candidate", check_shared_legal_representative),
        CheckSpec("control_link", "candidate", check_control_link),
        CheckSpec("consortium_member_also_bidding", "candidate",
                  check_consortium_member_also_bidding),
        CheckSpec("consortium_joint_agreement", "candidate", check_consortium_joint_agreement),
        CheckSpec("prior_service_provider", "candidate", check_prior_service_provider),
    )
}
_OPTIONAL_PARAMETERS = frozenset({"large_fine_threshold"})


# --------------------------------------------------------------------------- building a ruleset

def _build_fields(data: Any, where: _Where) -> dict[str, FieldSpec]:
    where = where.at("fields")
    if not isinstance(data, dict):
        raise where.error("must map each profile field to {type, description}", field="fields")
    fields: dict[str, FieldSpec] = {}
    for name, spec in data.items():
        if not isinstance(name, str) or not _FIELD_NAME.fullmatch(name):
            raise where.error(f"field names are lower_snake_case, got {name!r}", field=str(name))
        w = where.at(f"fields.{name}")
        _keys(spec, w, required=("type", "description"), what=f"field {name}")
        ftype = spec["type"]
        base_type = BASE_FIELDS.get(name)
        if base_type is not None and ftype != base_type:
            raise w.error(f"is a base profile field of type {base_type}, declared {ftype!r}",
                          field="type", expected=base_type)
        if base_type is None and ftype not in SIMPLE_TYPES:
            raise w.error(f"unknown type {ftype!r}", field="type",
                          expected=" | ".join(SIMPLE_TYPES))
        fields[name] = FieldSpec(name, ftype, _text(spec["description"], w, "description"),
                                 base_type is not None)
    for name, ftype in BASE_FIELDS.items():
        fields.setdefault(name, FieldSpec(name, ftype, "", True))
    return fields


def _check_parameter_value(name: str, value: Any, w: _Where) -> Any:
    kind = KNOWN_PARAMETERS[name]
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise w.error(f"must be a positive integer, got {value!r}", field="value")
    elif kind == "decimal":
        number = _decimal(value, w, "value")
        if number <= 0 or not isinstance(value, str):
            raise w.error(f"must be a positive decimal string, got {value!r}", field="value",
                          expected='a string like "0.20"')
    elif kind == "qualification":
        _qualification_requirement(value, w)
    return value


def _qualification_requirement(value: Any, w: _Where) -> dict[str, str]:
    _keys(value, w, required=("type", "min_grade"), what="a qualification requirement")
    _text(value["type"], w, "type")
    if value["min_grade"] not in GRADE_RANK and value["min_grade"] != UNGRADED:
        raise w.error(f"unknown grade {value['min_grade']!r}", field="min_grade",
                      expected=" | ".join([*GRADE_RANK, UNGRADED]))
    return {"type": value["type"], "min_grade": value["min_grade"]}


def _build_parameters(data: Any, where: _Where) -> dict[str, Parameter]:
    where = where.at("parameters")
    if not isinstance(data, dict):
        raise where.error("must map parameter names to {value, source, status}",
                          field="parameters")
    out: dict[str, Parameter] = {}
    for name, spec in data.items():
        w = where.at(f"parameters.{name}")
        if name not in KNOWN_PARAMETERS:
            raise w.error("unknown parameter", field=str(name),
                          expected="one of " + ", ".join(sorted(KNOWN_PARAMETERS)))
        _keys(spec, w, required=("value", "source", "status"), optional=("note",),
              what=f"parameter {name}")
        if spec["status"] not in STATUSES:
            raise w.error(f"unknown status {spec['status']!r}", field="status",
                          expected=" | ".join(STATUSES))
        out[name] = Parameter(name, _check_parameter_value(name, spec["value"], w),
                              _text(spec["source"], w, "source"), spec["status"],
                              spec.get("note"))
    return out


def _make_context(fields: Mapping[str, FieldSpec], seen: list[str],
                  strict: bool) -> rule_engine.Context:
    types = {name: _EXPR_TYPES[spec.type] for name, spec in fields.items()
             if spec.type in _EXPR_TYPES}

    def resolve(name: str) -> Any:
        seen.append(name)
        if name in types:
            return types[name]
        if strict:
            raise rule_engine.SymbolResolutionError(name)
        return DataType.UNDEFINED

    return rule_engine.Context(type_resolver=resolve, default_timezone=UTC,
                               decimal_context=decimal.Context(prec=28))


def _walk(node: Any, attributes: list[str], literals: list[str], builtins: list[str],
          depth: int = 0) -> None:
    """Collect attribute names, string literals and built-in symbols from a rule-engine AST."""
    if depth > 200:
        return
    if isinstance(node, rule_engine.ast.GetAttributeExpression):
        attributes.append(node.name)
    elif isinstance(node, rule_engine.ast.StringExpression):
        literals.append(node.value)
    elif isinstance(node, rule_engine.ast.SymbolExpression) and node.scope == "built-in":
        builtins.append(node.name)
    children: list[Any] = []
    values = list(getattr(node, "__dict__", {}).values())
    for klass in type(node).__mro__:  # some nodes (Statement) keep their children in slots
        values.extend(getattr(node, slot, None) for slot in getattr(klass, "__slots__", ()))
    for value in values:
        if isinstance(value, (rule_engine.ast.ExpressionBase, rule_engine.ast.Statement)):
            children.append(value)
        elif isinstance(value, (list, tuple)):
            children.extend(v for v in value if isinstance(v, rule_engine.ast.ExpressionBase))
        elif isinstance(value, dict):
            for k, v in value.items():
                children.extend(x for x in (k, v) if isinstance(x, rule_engine.ast.ExpressionBase))
    for child in children:
        _walk(child, attributes, literals, builtins, depth + 1)


def _compile_expression(text: str, fields: Mapping[str, FieldSpec], w: _Where,
                        strict: bool) -> dict[str, Any]:
    seen: list[str] = []
    context = _make_context(fields, seen, strict)
    try:
        compiled = rule_engine.Rule(text, context=context)
    except rule_engine.SymbolResolutionError as exc:
        name = exc.symbol_name
        if name in fields:
            hint = f" ({fields[name].type} is read by built-in checks only)"
        else:
            close = difflib.get_close_matches(name, list(fields), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise w.error(f"expression refers to unknown field {name!r}{hint}",
                      field="expression",
                      expected="a field declared in fields: or the base profile") from None
    except rule_engine.RuleSyntaxError as exc:
        raise w.error(f"expression syntax error: {exc.message}", field="expression") from None
    except rule_engine.EngineError as exc:
        raise w.error(f"expression refused: {exc.message}", field="expression") from None
    attributes: list[str] = []
    literals: list[str] = []
    builtins: list[str] = []
    _walk(compiled.statement, attributes, literals, builtins)
    bad = sorted(set(builtins) & _FORBIDDEN_BUILTINS)
    if bad:
        raise w.error(f"expression reads the clock (${bad[0]}); eligibility is evaluated at the "
                      "procurement's date", field="expression")
    result_type = compiled.statement.expression.result_type
    if strict and result_type is not DataType.BOOLEAN:
        raise w.error(f"expression gives {result_type.name}, not true/false",
                      field="expression", expected="a condition")
    symbols = tuple(dict.fromkeys(seen))
    unknown = tuple(s for s in symbols if s not in fields or fields[s].type not in _EXPR_TYPES)
    return {"compiled": compiled, "symbols": symbols, "unknown_symbols": unknown,
            "attributes": tuple(dict.fromkeys(attributes)),
            "literals": tuple(dict.fromkeys(literals))}


def _build_rule(data: Any, index: int, fields: Mapping[str, FieldSpec],
                parameters: Mapping[str, Parameter], where: _Where, strict: bool) -> Rule:
    rid = data.get("id") if isinstance(data, dict) else None
    w = where.at(f"rules[{index}]" + (f" ({rid})" if isinstance(rid, str) else ""))
    _keys(data, w, required=("id", "title", "source", "status", "severity", "evidence"),
          optional=("expression", "check", "params", "note"), what="a rule")
    if not isinstance(rid, str) or not _RULE_ID.fullmatch(rid):
        raise w.error(f"rule ids are dotted lower_snake_case like gpl22.tax, got {rid!r}",
                      field="id")
    w = where.at(f"rule {rid}")
    title = _keys(data["title"], w, required=("zh", "en"), what="a title")
    if data["status"] not in STATUSES:
        raise w.error(f"unknown status {data['status']!r}", field="status",
                      expected=" | ".join(STATUSES))
    if data["severity"] not in SEVERITIES:
        raise w.error(f"unknown severity {data['severity']!r}", field="severity",
                      expected=" | ".join(SEVERITIES))
    evidence = _str_list(data["evidence"], w, "evidence")
    if not evidence:
        raise w.error("must name the evidence the rule needs", field="evidence")
    has_expr, has_check = "expression" in data, "check" in data
    if has_expr == has_check:
        raise w.error("a rule has either an expression or a check", field="expression",
                      expected="exactly one of expression, check")
    common: dict[str, Any] = {
        "id": rid, "title_zh": _text(title["zh"], w, "title.zh"),
        "title_en": _text(title["en"], w, "title.en"),
        "source": _text(data["source"], w, "source"), "status": data["status"],
        "severity": data["severity"], "evidence": evidence, "note": data.get("note")}
    if has_expr:
        if "params" in data:
            raise w.error("params belong to a check", field="params")
        text = _text(data["expression"], w, "expression")
        return Rule(expression=text, **common, **_compile_expression(text, fields, w, strict))
    name = data["check"]
    spec = CHECKS.get(name)
    if spec is None:
        raise w.error(f"unknown check {name!r}", field="check",
                      expected=" | ".join(sorted(CHECKS)))
    params = data.get("params", {})
    _keys(params, w, required=tuple(spec.params), what=f"params of check {name}")
    if name == "credit_lists" and params["list"] not in CREDIT_LISTS:
        raise w.error(f"unknown credit list {params['list']!r}", field="params.list",
                      expected=" | ".join(CREDIT_LISTS))
    for needed in spec.parameters:
        if needed not in parameters and needed not in _OPTIONAL_PARAMETERS:
            raise w.error(f"check {name} needs the ruleset parameter {needed}",
                          field=f"parameters.{needed}")
    return Rule(check=name, params=dict(params), **common)


def _build_ruleset(data: Mapping[str, Any], *, file: str | None, strict: bool) -> Ruleset:
    where = _Where(file, "ruleset")
    data = dict(data) if isinstance(data, Mapping) else data
    _keys(data, where, required=("id", "version", "title", "fields", "parameters", "rules"),
          optional=("description",), what="a ruleset")
    _json_plain(data, where, "")
    rs_id = _text(data["id"], where, "id")
    version = data["version"]
    if not isinstance(version, str) or not version.strip():
        raise where.error(f"version must be quoted text like \"2025.1\", got {version!r}",
                          field="version")
    title = _keys(data["title"], where, required=("zh", "en"), what="a title")
    fields = _build_fields(data["fields"], where)
    parameters = _build_parameters(data["parameters"], where)
    if not isinstance(data["rules"], list) or not data["rules"]:
        raise where.error("must list at least one rule", field="rules")
    rules: list[Rule] = []
    for index, rule_data in enumerate(data["rules"]):
        rule = _build_rule(rule_data, index, fields, parameters, where, strict)
        if any(r.id == rule.id for r in rules):
            raise where.at(f"rule {rule.id}").error("duplicate rule id", field="id")
        rules.append(rule)
    frozen = copy.deepcopy(data)
    return Ruleset(id=rs_id, version=version, title_zh=_text(title["zh"], where, "title.zh"),
                   title_en=_text(title["en"], where, "title.en"), fields=fields,
                   parameters=parameters, rules=tuple(rules), content_hash=content_hash(frozen),
                   file=file, _data=frozen)


# --------------------------------------------------------------------------- the fairness lint
#
# What the lint reviews, and why (公平竞争审查):
#
# * Every field a ruleset adds in ``fields:`` - its name and description - even if no rule uses
#   it yet: declaring ``ownership_form`` is already collecting a forbidden criterion.
# * Every expression: the fields it reads (name and description), attribute names, and string
#   literals (``name =~ ".*国有.*"`` restricts ownership through the back door).
# * Built-in checks are reviewed here, in code, once: each one implements a condition the law
#   sets (第22条, 第18-19条, 第24条, 建筑法, 125号), and their params are validated strictly.
#
# Kinds refused, matched on Chinese terms and on English words of identifiers:
#   ownership_form, organisation_form, location, specific_supplier - 政府采购法实施条例 第20条,
#   招标投标法实施条例 第32-33条 (P), with 优化营商环境条例 第13条 / 公平竞争审查条例 第8-9条 for
#   ownership and location; track_record - only track record *in a particular region or industry*
#   (业绩/奖项 with 本地/省/行业/系统); similar-project experience in general is not refused;
#   size - registered capital, assets, revenue, headcount, profit, tax paid: 财政部令第87号
#   第17条, cited with status unconfirmed as POLICY.md marks it; unknown_field - an expression over
#   a field neither the base profile nor ``fields:`` declares (no legal source; a schema error).
#
# Financial capacity versus size. Base fields net_assets and annual_revenue are size measures:
# an expression over them (``net_assets >= 50000000``) is refused as size. The built-in
# ``financial_capacity`` check is allowed because (1) its threshold is a ratio of *this
# project's* investment, so it asks whether the supplier can carry this project - the
# converse of the forbidden "conditions unrelated to the project's characteristics or needs"
# (实施条例 第20条, 招投标条例 第32条) - not whether it is big; (2) capacity to perform is a
# legal condition (招标投标法 第26条; 政府采购法 第22条); (3) it reads net assets (what stands
# behind a liability), never registered capital, revenue or headcount; (4) its ratio has no
# source yet, so the default ruleset marks it unconfirmed and makes it a warning, not a
# disqualification. 87号令 governs 货物和服务招标; whether its size ban reaches a works or PPP
# procurement is itself unconfirmed.
#
# The lint is deliberately conservative (it matches words, e.g. "local", "private"): a false
# finding is resolved by renaming the field or rewording its description, never by exemption.

@dataclass(frozen=True)
class LintFinding:
    """A criterion the fair-competition review refuses, with where it is and why."""

    file: str | None
    rule: str | None      # None for a field declared in ``fields:``
    field: str | None
    kind: str             # unknown_field | ownership_form | organisation_form | location |
    #                       track_record | size | specific_supplier
    message: str
    source: str | None
    status: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "rule": self.rule, "field": self.field, "kind": self.kind,
                "message": self.message, "source": self.source, "status": self.status}

    def to_refusal(self) -> Refusal:
        where = self.rule or f"fields.{self.field}"
        return Refusal(rule=f"lint.{self.kind}", reason=f"{self.file}: {where}: {self.message}",
                       source=self.source or "ruleset schema",
                       numbers={"file": self.file, "rule": self.rule, "field": self.field})

    def __str__(self) -> str:
        where = ":".join(x for x in (self.file, self.rule or "fields", self.field) if x)
        cite = f" ({self.source}" + (f", status {self.status}" if self.status != "P" else "") + \
            ")" if self.source else ""
        return f"{where}: {self.message}{cite}"


_FAIR_SOURCE = "政府采购法实施条例 第20条; 招标投标法实施条例 第32–33条"
_EQUAL_SOURCE = "优化营商环境条例 第13条; 公平竞争审查条例 第8–9条"
LINT_SOURCES: dict[str, tuple[str | None, str | None]] = {
    "unknown_field": (None, None),
    "ownership_form": (f"{_FAIR_SOURCE}; {_EQUAL_SOURCE}", "P"),
    "organisation_form": (_FAIR_SOURCE, "P"),
    "location": (f"{_FAIR_SOURCE}; {_EQUAL_SOURCE}", "P"),
    "track_record": (_FAIR_SOURCE, "P"),
    "specific_supplier": (_FAIR_SOURCE, "P"),
    "size": ("财政部令第87号 第17条", "unconfirmed"),
}

_PROVINCES = ("北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏",
              "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南",
              "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏",
              "宁夏", "新疆", "香港", "澳门")
# Chinese terms matched as substrings; English terms matched as whole words of an identifier
# split at "_", "-", spaces and case changes. Pairs must both occur.
_ZH = {
    "ownership_form": ("所有制", "国有", "国企", "央企", "民营", "民企", "私营", "外资", "外商",
                       "集体企业", "混合所有"),
    "organisation_form": ("组织形式", "企业类型", "公司类型", "企业性质", "法人类型", "有限责任公司",
                          "股份有限", "合伙", "个体工商", "事业单位", "上市公司", "法人资格"),
    "location": ("所在地", "注册地", "住所", "地址", "本地", "本市", "本省", "本区", "本县", "当地",
                 "外地", "属地", "区域", "地区", "行政区", "户籍", "分支机构", "分公司",
                 *_PROVINCES),
    "size": ("注册资本", "注册资金", "资产总额", "总资产", "净资产", "营业收入", "营收", "从业人员",
             "员工人数", "职工人数", "人数", "利润", "纳税额", "规模"),
}
_TRACK_ZH = ("业绩", "奖项", "获奖", "荣誉")
_SECTOR_ZH = ("行业", "系统内", "部门")
_EN_WORDS = {
    "ownership_form": {"ownership", "owned", "soe", "soes", "private", "foreign", "collective"},
    "organisation_form": {"partnership", "proprietorship", "llc", "plc", "incorporated",
                          "incorporation"},
    "location": {"location", "located", "region", "regional", "province", "provincial", "city",
                 "county", "district", "local", "locality", "domicile", "address", "hometown",
                 "branch"},
    "size": {"capital", "assets", "revenue", "revenues", "turnover", "headcount", "employees",
             "employee", "staff", "workforce", "profit", "profits", "size", "scale"},
}
_EN_PAIRS = {
    "organisation_form": {("organisation", "form"), ("organization", "form"), ("legal", "form"),
                          ("company", "type"), ("entity", "type"), ("enterprise", "type"),
                          ("business", "type"), ("legal", "person")},
    "location": {("registered", "place"), ("registration", "place"), ("registered", "area"),
                 ("registration", "area")},
}
_TRACK_EN = {"track", "experience", "project", "projects", "awards", "award", "achievements",
             "references", "honours", "honors"}
_SECTOR_EN = {"industry", "sector", "ministry", "department", "system"}
_WHY = {
    "ownership_form": "restricts suppliers by ownership form (所有制形式)",
    "organisation_form": "restricts suppliers by organisation form (组织形式)",
    "location": "restricts suppliers by location or registered place (所在地)",
    "track_record": "uses track record in a particular region or industry (特定行政区域或者特定"
                    "行业的业绩、奖项)",
    "size": "uses the supplier's size (注册资本, 资产, 营业收入, 从业人员) as a criterion; "
            "financial capacity may only be checked relative to the project's investment "
            "(check: financial_capacity)",
    "specific_supplier": "names or identifies particular suppliers (and USCC characters 3-8 "
                         "encode the registration area)",
}


def _words(text: str) -> list[str]:
    text = re.sub(r"([a-z])([A-Z])", r"\1_\2", text)
    return [w for w in re.split(r"[^A-Za-z0-9]+", text.lower()) if w]


def concepts(text: str) -> set[str]:
    """The forbidden kinds of criterion a name, description or literal refers to."""
    found: set[str] = set()
    words = _words(text)
    wordset = set(words)
    pairs = set(itertools.pairwise(words))
    for kind, terms in _ZH.items():
        if any(t in text for t in terms):
            found.add(kind)
    for kind, words_of_kind in _EN_WORDS.items():
        if wordset & words_of_kind:
            found.add(kind)
    for kind, term_pairs in _EN_PAIRS.items():
        if pairs & term_pairs:
            found.add(kind)
    track = any(t in text for t in _TRACK_ZH) or bool(wordset & _TRACK_EN) or \
        ("track", "record") in pairs or ("track", "records") in pairs
    sector = any(t in text for t in _SECTOR_ZH) or bool(wordset & _SECTOR_EN)
    if track and ("location" in found or sector):
        found.discard("location")
        found.add("track_record")
    return found


def _lint_findings(ruleset: Ruleset) -> list[LintFinding]:
    out: list[LintFinding] = []
    file = ruleset.file

    def add(rule: str | None, fld: str | None, kind: str, message: str) -> None:
        source, status = LINT_SOURCES[kind]
        finding = LintFinding(file, rule, fld, kind, message, source, status)
        if finding not in out:
            out.append(finding)

    # Fields a ruleset adds: their names and descriptions must not name a forbidden criterion.
    for declared in ruleset.fields.values():
        if declared.base:
            continue
        for kind in sorted(concepts(f"{declared.name} {declared.description}")):
            add(None, declared.name, kind, f"field {declared.name!r} {_WHY[kind]}")
    for rule in ruleset.rules:
        if rule.expression is None:
            continue  # built-in checks are reviewed in code (see module docs)
        for name in rule.unknown_symbols:
            spec = ruleset.fields.get(name)
            why = (f"{spec.type} is read by built-in checks only" if spec else
                   "not in the base profile nor declared in fields:")
            add(rule.id, name, "unknown_field", f"expression refers to unknown field {name!r} "
                f"({why})")
        for name in rule.symbols:
            spec = ruleset.fields.get(name)
            if spec is None:
                kinds = concepts(name)
            elif spec.base:
                kinds = set()
                if name in IDENTITY_FIELDS:
                    kinds.add("specific_supplier")
                if name in SIZE_FIELDS:
                    kinds.add("size")
            else:
                kinds = concepts(f"{name} {spec.description}")
            for kind in sorted(kinds):
                add(rule.id, name, kind, f"expression uses {name!r}, which {_WHY[kind]}")
        for attr in rule.attributes:
            for kind in sorted(concepts(attr)):
                add(rule.id, attr, kind, f"expression uses attribute {attr!r}, which "
                    f"{_WHY[kind]}")
        for literal in rule.literals:
            for kind in sorted(concepts(literal)):
                add(rule.id, "expression", kind, f"expression compares with {literal!r}, which "
                    f"{_WHY[kind]}")
    return out


def lint_ruleset(ruleset_or_path: Ruleset | str | Path) -> list[LintFinding]:
    """The fair-competition review of a ruleset; an empty list means it passes.

    Given a path, the file is read leniently so that an expression over an unknown field is
    reported as a finding instead of stopping the load. Structural errors still raise
    :class:`InputError`.
    """
    if isinstance(ruleset_or_path, Ruleset):
        return _lint_findings(ruleset_or_path)
    path = str(ruleset_or_path)
    return _lint_findings(_build_ruleset(read_ruleset_data(path), file=path, strict=False))


@dataclass(frozen=True)
class PinnedRuleset:
    """What a procurement stores when it opens: the ruleset's identity and its exact data."""

    id: str
    version: str
    content_hash: str
    data: Mapping[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version, "content_hash": self.content_hash,
                "data": copy.deepcopy(dict(self.data))}


def pin_ruleset(ruleset_or_path: Ruleset | str | Path) -> PinnedRuleset:
    """Lint then pin a ruleset for an opening procurement; refuses one that fails the lint."""
    if isinstance(ruleset_or_path, Ruleset):
        ruleset = ruleset_or_path
        findings = _lint_findings(ruleset)
    else:
        path = str(ruleset_or_path)
        findings = lint_ruleset(path)
        if findings:
            raise RulesetRefused(path, findings)
        ruleset = load_ruleset(path)
    if findings:
        raise RulesetRefused(f"{ruleset.id} {ruleset.version}", findings)
    return PinnedRuleset(ruleset.id, ruleset.version, ruleset.content_hash, ruleset.to_data())


def ruleset_from_pinned(pinned: PinnedRuleset | Mapping[str, Any]) -> Ruleset:
    """Rebuild a pinned ruleset (audit replay); the data must still have the pinned hash."""
    stored = pinned.to_dict() if isinstance(pinned, PinnedRuleset) else dict(pinned)
    ruleset = Ruleset.from_data(stored["data"], file=f"pinned ruleset {stored.get('id')}")
    if ruleset.content_hash != stored["content_hash"]:
        raise DefinitionError(
            f"pinned ruleset {stored.get('id')} {stored.get('version')}: data hashes to "
            f"{ruleset.content_hash}, pinned as {stored['content_hash']}",
            ruleset=stored.get("id"), expected=stored["content_hash"],
            actual=ruleset.content_hash)
    return ruleset


# --------------------------------------------------------------------------- supplier profiles

def _normalise_record(data: Any, w: _Where) -> dict[str, Any]:
    _keys(data, w, required=("kind", "date", "authority", "description"),
          optional=("until", "amount"), what="a record")
    if data["kind"] not in RECORD_KINDS:
        raise w.error(f"unknown record kind {data['kind']!r}", field="kind",
                      expected=" | ".join(RECORD_KINDS))
    record: dict[str, Any] = {
        "kind": data["kind"], "date": _date(data["date"], w, "date"),
        "authority": _text(data["authority"], w, "authority"),
        "description": _text(data["description"], w, "description"),
        "until": None, "amount": None}
    if data.get("until") is not None:
        if data["kind"] != "debarment":
            raise w.error("only a debarment has an end date", field="until")
        record["until"] = _date(data["until"], w, "until")
        if record["until"] < record["date"]:
            raise w.error(f"ends {record['until']} before it starts {record['date']}",
                          field="until")
    if data.get("amount") is not None:
        record["amount"] = Money.parse(data["amount"], field="amount", file=w.file,
                                       location=w.location).amount
    if data["kind"] == "fine" and record["amount"] is None:
        raise w.error("a fine states its amount (large fines are major illegal records)",
                      field="amount", expected='a decimal string like "50000.00"')
    return record


def _normalise_qualification(data: Any, w: _Where) -> dict[str, Any]:
    _keys(data, w, required=("type", "grade"), optional=("scope", "valid_until", "certificate"),
          what="a qualification")
    grade = data["grade"]
    if grade not in GRADE_RANK and grade != UNGRADED:
        raise w.error(f"unknown grade {grade!r}", field="grade",
                      expected=" | ".join([*GRADE_RANK, UNGRADED]))
    out: dict[str, Any] = {"type": _text(data["type"], w, "type"), "grade": grade,
                           "scope": data.get("scope"), "certificate": data.get("certificate"),
                           "valid_until": None}
    if data.get("valid_until") is not None:
        out["valid_until"] = _date(data["valid_until"], w, "valid_until")
    return out


def normalise_profile(data: Mapping[str, Any], *, ruleset: Ruleset | None = None,
                      file: str | None = None, location: str | None = None) -> dict[str, Any]:
    """Validate a supplier or consortium profile and return it with typed values.

    Dates become :class:`date`, amounts :class:`Decimal`, lists tuples. Keys that neither the
    base schema nor the ruleset's ``fields:`` know are dropped, so no rule can read them.
    A consortium profile has ``id``, ``name`` and ``consortium: {members, lead, agreement}``
    only; the facts belong to its members.
    """
    if not isinstance(data, Mapping):
        raise InputError(f"a profile is a mapping, got {type(data).__name__}", file=file,
                         location=location)
    fields = ruleset.fields if ruleset else {n: FieldSpec(n, t, "", True)
                                              for n, t in BASE_FIELDS.items()}
    pid = data.get("id")
    w = _Where(file, location or (f"supplier {pid}" if pid else None))
    out: dict[str, Any] = {"id": _text(pid, w, "id"), "name": _text(data.get("name"), w, "name")}
    if "consortium" in data:
        extra = sorted(k for k in data if k in fields and k not in ("id", "name", "consortium"))
        if extra:
            raise w.error("a consortium carries only id, name and consortium; state supplier "
                          "facts on its members", field=extra[0])
        c = _keys(data["consortium"], w.at(f"consortium {pid}"),
                  required=("members", "lead"), optional=("agreement",), what="a consortium")
        members = _str_list(c["members"], w, "consortium.members")
        if len(members) < 2 or len(set(members)) != len(members):
            raise w.error(f"needs two or more different members, got {list(members)}",
                          field="consortium.members")
        if c["lead"] not in members:
            raise w.error(f"lead {c['lead']!r} is not a member", field="consortium.lead")
        out["consortium"] = {"members": members, "lead": c["lead"],
                             "agreement": _bool(c.get("agreement", False), w,
                                                "consortium.agreement")}
        return out
    problem = uscc_problem(data.get("uscc"))  # type: ignore[arg-type]
    if problem:
        raise w.error(f"unified social credit code {data.get('uscc')!r} {problem}",
                      field="uscc", expected="an 18-character code (GB 32100-2015)")
    for name, spec in fields.items():
        if name in ("id", "name", "consortium") or data.get(name) is None:
            continue
        value = data[name]
        if spec.type in SIMPLE_TYPES:
            out[name] = _simple_value(name, spec.type, value, w)
        elif spec.type == "records":
            if not isinstance(value, (list, tuple)):
                raise w.error("must be a list of records", field=name)
            out[name] = tuple(_normalise_record(r, w.at(f"supplier {pid} records[{i}]"))
                              for i, r in enumerate(value))
        elif spec.type == "qualifications":
            if not isinstance(value, (list, tuple)):
                raise w.error("must be a list of qualifications", field=name)
            out[name] = tuple(_normalise_qualification(q, w.at(f"supplier {pid} "
                                                                 f"qualifications[{i}]"))
                              for i, q in enumerate(value))
    return out


def _simple_value(name: str, ftype: str, value: Any, w: _Where) -> Any:
    if ftype == "boolean":
        return _bool(value, w, name)
    if ftype == "string":
        return _text(value, w, name)
    if ftype == "decimal":
        return _decimal(value, w, name)
    if ftype == "date":
        return _date(value, w, name)
    if ftype == "list[string]":
        return _str_list(value, w, name)
    raise ValueError(f"not a simple field type: {ftype}")


def normalise_value(name: str, ftype: str, value: Any, *, file: str | None = None,
                    location: str | None = None) -> Any:
    """One profile value of a simple type (:data:`SIMPLE_TYPES`), checked and typed as
    :func:`normalise_profile` does; an error names the file, location and field."""
    if ftype not in SIMPLE_TYPES:
        raise ValueError(f"not a simple field type: {ftype}")
    return _simple_value(name, ftype, value, _Where(file, location))


# --------------------------------------------------------------------------- evaluation

@dataclass(frozen=True)
class RuleOutcome:
    """One rule for one candidate: the verdict, what was seen, the threshold and the source."""

    rule: str
    verdict: str
    value: Any
    threshold: Any
    source: str
    status: str
    severity: str
    title_zh: str
    title_en: str
    reason: str
    evidence: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "verdict": self.verdict, "value": self.value,
                "threshold": self.threshold, "source": self.source, "status": self.status,
                "severity": self.severity, "title_zh": self.title_zh, "title_en": self.title_en,
                "reason": self.reason, "evidence": list(self.evidence)}

    def __str__(self) -> str:
        return f"[{self.rule}] {self.verdict}: {self.reason} ({self.source})"


@dataclass(frozen=True)
class CandidateResult:
    """Every rule's outcome for one candidate; eligible when no rule failed."""

    candidate: str
    name: str
    consortium: bool
    eligible: bool
    outcomes: tuple[RuleOutcome, ...]

    def outcome(self, rule_id: str) -> RuleOutcome:
        for o in self.outcomes:
            if o.rule == rule_id:
                return o
        raise KeyError(rule_id)

    @property
    def failed(self) -> tuple[RuleOutcome, ...]:
        return tuple(o for o in self.outcomes if o.verdict == FAIL)

    @property
    def warnings(self) -> tuple[RuleOutcome, ...]:
        return tuple(o for o in self.outcomes if o.verdict == WARN)

    def to_dict(self) -> dict[str, Any]:
        return {"candidate": self.candidate, "name": self.name, "consortium": self.consortium,
                "eligible": self.eligible, "outcomes": [o.to_dict() for o in self.outcomes]}


@dataclass(frozen=True)
class EligibilityResult:
    """The eligibility check of one procurement (lot) at one date under one pinned ruleset."""

    procurement: str
    at: date
    ruleset: Mapping[str, str]
    candidates: tuple[CandidateResult, ...]

    def candidate(self, candidate_id: str) -> CandidateResult:
        for c in self.candidates:
            if c.candidate == candidate_id:
                return c
        raise KeyError(candidate_id)

    def to_dict(self) -> dict[str, Any]:
        return {"procurement": self.procurement, "at": self.at.isoformat(),
                "ruleset": dict(self.ruleset),
                "candidates": [c.to_dict() for c in self.candidates]}


@dataclass(frozen=True)
class _Candidate:
    id: str
    profile: Mapping[str, Any]
    members: tuple[Mapping[str, Any], ...]

    @property
    def participants(self) -> tuple[Mapping[str, Any], ...]:
        return self.members or (self.profile,)


class _Relations:
    """Where each supplier, name, legal representative and controller occurs among the
    candidates: (candidate index, participant index) pairs, in candidate order."""

    def __init__(self, candidates: Sequence[_Candidate]) -> None:
        Index = dict[str, list[tuple[int, int]]]
        self.by_supplier: dict[str, list[int]] = {}
        self.by_name: Index = {}          # id, USCC or name of a participant
        self.by_controller: Index = {}    # an entry of a participant's controlled_by
        self.by_rep_name: Index = {}      # legal representative's name, spaces removed
        self.by_rep_id: Index = {}        # legal representative's identity number
        for ci, cand in enumerate(candidates):
            for ti, sup in enumerate(cand.participants):
                self.by_supplier.setdefault(sup["id"], []).append(ci)
                for key in _names_of(sup):
                    self.by_name.setdefault(key, []).append((ci, ti))
                for key in set(sup.get("controlled_by", ())):
                    self.by_controller.setdefault(key, []).append((ci, ti))
                if sup.get("legal_representative"):
                    self.by_rep_name.setdefault(_norm_name(sup["legal_representative"]),
                                                []).append((ci, ti))
                if sup.get("legal_representative_id"):
                    self.by_rep_id.setdefault(sup["legal_representative_id"], []).append((ci, ti))


class _Evaluation:
    """The inputs of one evaluation, normalised."""

    def __init__(self, ruleset: Ruleset, procurement: Mapping[str, Any],
                 candidates: list[_Candidate], credit_entries: Sequence[CreditEntry]) -> None:
        self.ruleset = ruleset
        self.procurement = procurement
        self.procurement_id: str = procurement["id"]
        self.at: date = procurement["at"]
        self.investment: Decimal | None = procurement.get("investment")
        self.candidates = candidates
        self.credit_entries = credit_entries
        self.credit_by_uscc: dict[str, list[CreditEntry]] = {}
        for entry in credit_entries:
            self.credit_by_uscc.setdefault(entry.uscc, []).append(entry)
        self._relations: _Relations | None = None

    def relations(self) -> _Relations:
        """Indexes of the candidates' participants, built once for the relation checks."""
        if self._relations is None:
            self._relations = _Relations(self.candidates)
        return self._relations

    def parameter(self, name: str, *, required: bool = True) -> Any:
        param = self.ruleset.parameters.get(name)
        if param is None:
            if required:
                raise DefinitionError(f"ruleset {self.ruleset.id} has no parameter {name}",
                                      ruleset=self.ruleset.id, parameter=name)
            return None
        return param.value


def _normalise_procurement(data: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise InputError("the procurement is a mapping with id and at", field="procurement")
    w = _Where(None, f"procurement {data.get('id')}")
    at = data.get("at")
    if isinstance(at, datetime):  # a business time: its calendar day in Beijing
        at = local_date(at if at.tzinfo else at.replace(tzinfo=SHANGHAI))
    out: dict[str, Any] = {"id": _text(data.get("id"), w, "id"), "at": _date(at, w, "at")}
    if data.get("investment") is not None:
        out["investment"] = Money.parse(data["investment"], field="investment",
                                        location=w.location, allow_zero=False).amount
    for name in ("notice_date", "bid_deadline"):
        if data.get(name) is not None:
            out[name] = _date(data[name], w, name)
    # 财库〔2016〕125号: the credit check happens between the notice and the bid deadline.
    if "notice_date" in out and out["at"] < out["notice_date"]:
        raise w.error(f"check date {out['at']} is before the notice {out['notice_date']}",
                      field="at", expected="a date between the notice and the bid deadline")
    if "bid_deadline" in out and out["at"] > out["bid_deadline"]:
        raise w.error(f"check date {out['at']} is after the bid deadline {out['bid_deadline']}",
                      field="at", expected="a date between the notice and the bid deadline")
    if data.get("required_qualification") is not None:
        out["required_qualification"] = _qualification_requirement(
            data["required_qualification"], w.at(f"procurement {out['id']} "
                                                 "required_qualification"))
    if data.get("prior_service_providers") is not None:
        out["prior_service_providers"] = _str_list(data["prior_service_providers"], w,
                                                   "prior_service_providers")
    return out


def _expression_finding(rule: Rule, supplier: Mapping[str, Any],
                        fields: Mapping[str, FieldSpec]) -> Finding:
    seen = {s: supplier.get(s) for s in rule.symbols}
    shown = {s: _plain(v) for s, v in seen.items()}
    missing = [s for s, v in seen.items() if v is None]
    if missing:
        return Finding(FAIL, shown, rule.expression,
                       "not stated in the profile: " + ", ".join(missing))
    context: dict[str, Any] = {}
    for name, value in seen.items():
        if isinstance(value, date):
            value = datetime(value.year, value.month, value.day, tzinfo=UTC)
        context[name] = value
    try:
        matched = bool(rule.compiled.matches(context))
    except rule_engine.EngineError as exc:
        return Finding(FAIL, shown, rule.expression, f"could not evaluate: {exc.message}")
    if matched:
        return Finding(PASS, shown, rule.expression, "condition holds")
    return Finding(FAIL, shown, rule.expression, "condition does not hold")


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _supplier_level(rule: Rule, candidate: _Candidate,
                    one: Callable[[Mapping[str, Any]], Finding]) -> Finding:
    if not candidate.members:
        return one(candidate.profile)
    findings = {m["id"]: one(m) for m in candidate.members}
    failed = [m for m, f in findings.items() if f.verdict == FAIL]
    warned = [m for m, f in findings.items() if f.verdict == WARN]
    value = {m: f.value for m, f in findings.items()}
    threshold = next(iter(findings.values())).threshold
    if failed:
        reason = "; ".join(f"member {m}: {findings[m].reason}" for m in failed)
        return Finding(FAIL, value, f"every member: {threshold}", reason)
    if warned:
        reason = "; ".join(f"member {m}: {findings[m].reason}" for m in warned)
        return Finding(WARN, value, f"every member: {threshold}", reason)
    return Finding(PASS, value, f"every member: {threshold}", "every member meets it")


def _outcome(rule: Rule, finding: Finding) -> RuleOutcome:
    verdict = finding.verdict
    if verdict == FAIL and rule.severity == "warn":
        verdict = WARN
    return RuleOutcome(rule=rule.id, verdict=verdict, value=_plain(finding.value),
                       threshold=finding.threshold, source=rule.source, status=rule.status,
                       severity=rule.severity, title_zh=rule.title_zh, title_en=rule.title_en,
                       reason=finding.reason, evidence=rule.evidence)


def evaluate(ruleset: Ruleset, candidates: Sequence[Mapping[str, Any]], *,
             procurement: Mapping[str, Any], credit_entries: Iterable[CreditEntry] = (),
             suppliers: Sequence[Mapping[str, Any]] = ()) -> EligibilityResult:
    """Check every rule for every candidate on one lot at ``procurement['at']``.

    ``candidates`` are the bids on the lot: supplier profiles or consortium profiles.
    ``suppliers`` are profiles of consortium members that do not bid themselves. The
    procurement gives ``id``, ``at`` (the check date), and as the rules need them
    ``investment``, ``notice_date``/``bid_deadline``, ``required_qualification`` and
    ``prior_service_providers``. Pure: the same inputs give the same result.
    """
    proc = _normalise_procurement(procurement)
    profiles = [normalise_profile(c, ruleset=ruleset, location=_where_profile("candidate", i, c))
                for i, c in enumerate(candidates)]
    ids = [p["id"] for p in profiles]
    dup = sorted(i for i, n in Counter(ids).items() if n > 1)
    if dup:
        raise InputError("candidate appears twice", field="id", location=f"candidate {dup[0]}")
    registry: dict[str, Mapping[str, Any]] = {}
    for profile in [normalise_profile(s, ruleset=ruleset, location=_where_profile("supplier", i, s))
                    for i, s in enumerate(suppliers)] + profiles:
        if "consortium" not in profile:
            registry[profile["id"]] = profile
    norm: list[_Candidate] = []
    for profile in profiles:
        members: tuple[Mapping[str, Any], ...] = ()
        if "consortium" in profile:
            missing = [m for m in profile["consortium"]["members"] if m not in registry]
            if missing:
                raise InputError(f"consortium member {missing[0]!r} has no supplier profile",
                                 location=f"candidate {profile['id']}",
                                 field="consortium.members",
                                 expected="the member among the candidates or suppliers")
            members = tuple(registry[m] for m in profile["consortium"]["members"])
        norm.append(_Candidate(profile["id"], profile, members))
    ev = _Evaluation(ruleset, proc, norm, tuple(credit_entries))

    results: list[CandidateResult] = []
    for candidate in norm:
        outcomes: list[RuleOutcome] = []
        for rule in ruleset.rules:
            finding = _evaluate_rule(rule, candidate, ev)
            outcomes.append(_outcome(rule, finding))
        eligible = not any(o.verdict == FAIL for o in outcomes)
        results.append(CandidateResult(candidate.id, candidate.profile["name"],
                                       bool(candidate.members), eligible, tuple(outcomes)))
    return EligibilityResult(
        procurement=proc["id"], at=proc["at"],
        ruleset={"id": ruleset.id, "version": ruleset.version,
                 "content_hash": ruleset.content_hash},
        candidates=tuple(results))


def _where_profile(what: str, index: int, data: Any) -> str:
    pid = data.get("id") if isinstance(data, Mapping) else None
    return f"{what} {pid}" if isinstance(pid, str) and pid else f"{what} #{index + 1}"


def _evaluate_rule(rule: Rule, candidate: _Candidate, ev: _Evaluation) -> Finding:
    if rule.expression is not None:
        fields = ev.ruleset.fields
        return _supplier_level(rule, candidate,
                               lambda s: _expression_finding(rule, s, fields))
    assert rule.check is not None
    spec = CHECKS[rule.check]
    if spec.level == "supplier":
        return _supplier_level(rule, candidate, lambda s: spec.function(s, ev, rule))
    return spec.function(candidate, ev, rule)
