"""The structured fields of a project record (issue 14; validated by tenderflow.app.registration):

* ``scope: [{item, category, cost, matter, utilities?}]`` — each scope item with its work
  category (基础类 / 完善类 / 提升类), its cost in yuan (a decimal string), the kind of owners'
  matter it is (``matter``, 民法典 第278条: ``majority`` — more than half of the participating
  owners and area; ``maintenance_funds``, ``rebuild``, ``common_parts_use`` — at least 3/4;
  ``none`` — not an owners' matter) and the utilities whose networks it touches
  (``utilities: [water, power, gas, telecom, heating]``): each named utility becomes a party
  whose sign-off the filing needs (tenderflow.domain.components.signoffs.project_parties).
  A scope item that touches no network leaves ``utilities`` out.
* ``revenue_sources: [{stream, annual, matter}]`` — each revenue stream, its annual amount in
  yuan and its owners' matter (as above; e.g. paid parking on common parts: common_parts_use).
* ``filing: {number, date, authority, document_sha256?}`` — a filing (立项、备案) the project got
  on the government platform before tenderflow: recorded as evidence, it lets a procurement
  open on a project that has no intake (rule project.ready_to_procure).
* ``floor_area`` — the floor area in m², a decimal string.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from tenderflow.domain.components.signoffs import UTILITY_KINDS
from tenderflow.domain.money import Money
from tenderflow.errors import InputError

CATEGORIES = ("基础类", "完善类", "提升类")
MATTERS = ("majority", "maintenance_funds", "rebuild", "common_parts_use", "none")
STRUCTURED = ("scope", "revenue_sources", "filing", "area")
_SHA = re.compile(r"^[0-9a-f]{64}$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def check_structured(value: Any, kind: str, file: str, loc: str, fld: str,
                     csv_text: bool) -> Any:
    """The clean value of a structured project field, or InputError naming file, place,
    field and what was expected."""
    if csv_text and isinstance(value, str) and kind != "area":
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise InputError(f"got {value!r}", file=file, location=loc, field=fld,
                             expected="JSON text in a CSV cell") from None
    if kind == "area":
        return _area(value, file, loc, fld)
    if kind == "filing":
        return _filing(value, file, loc, fld)
    if not isinstance(value, list):
        raise InputError(f"got {value!r}", file=file, location=loc, field=fld,
                         expected="a list of mappings")
    check = _scope_item if kind == "scope" else _revenue
    return [check(item, file, loc, f"{fld}[{i}]") for i, item in enumerate(value)]


def _mapping(value: Any, keys: set[str], required: tuple[str, ...], file: str, loc: str,
             fld: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(f"got {value!r}", file=file, location=loc, field=fld,
                         expected=f"a mapping with {', '.join(required)}")
    unknown = sorted(set(value) - keys)
    if unknown:
        raise InputError(f"unknown key {unknown[0]!r}", file=file, location=loc,
                         field=f"{fld}.{unknown[0]}", expected=", ".join(sorted(keys)))
    for key in required:
        if key not in value:
            raise InputError("missing", file=file, location=loc, field=f"{fld}.{key}")
    return dict(value)


def _text(value: Any, file: str, loc: str, fld: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 4000:
        raise InputError(f"got {value!r}", file=file, location=loc, field=fld,
                         expected="a non-empty text of at most 4000 characters")
    return value.strip()


def _choice(value: Any, choices: tuple[str, ...], file: str, loc: str, fld: str) -> str:
    if value not in choices:
        raise InputError(f"got {value!r}", file=file, location=loc, field=fld,
                         expected=" | ".join(choices))
    return str(value)


def _money(value: Any, file: str, loc: str, fld: str) -> str:
    return str(Money.parse(value, field=fld, file=file, location=loc))


def _scope_item(value: Any, file: str, loc: str, fld: str) -> dict[str, Any]:
    item = _mapping(value, {"item", "category", "cost", "matter", "utilities"},
                    ("item", "category", "cost", "matter"), file, loc, fld)
    clean = {"item": _text(item["item"], file, loc, f"{fld}.item"),
             "category": _choice(item["category"], CATEGORIES, file, loc, f"{fld}.category"),
             "cost": _money(item["cost"], file, loc, f"{fld}.cost"),
             "matter": _choice(item["matter"], MATTERS, file, loc, f"{fld}.matter")}
    if "utilities" in item:
        utilities = item["utilities"]
        if not isinstance(utilities, list) or not utilities:
            raise InputError(f"got {utilities!r}", file=file, location=loc,
                             field=f"{fld}.utilities",
                             expected=f"a non-empty list of {' | '.join(UTILITY_KINDS)}")
        clean["utilities"] = [_choice(u, UTILITY_KINDS, file, loc, f"{fld}.utilities")
                              for u in utilities]
    return clean


def _revenue(value: Any, file: str, loc: str, fld: str) -> dict[str, Any]:
    item = _mapping(value, {"stream", "annual", "matter"}, ("stream", "annual", "matter"),
                    file, loc, fld)
    return {"stream": _text(item["stream"], file, loc, f"{fld}.stream"),
            "annual": _money(item["annual"], file, loc, f"{fld}.annual"),
            "matter": _choice(item["matter"], MATTERS, file, loc, f"{fld}.matter")}


def _filing(value: Any, file: str, loc: str, fld: str) -> dict[str, Any]:
    item = _mapping(value, {"number", "date", "authority", "document_sha256"},
                    ("number", "date", "authority"), file, loc, fld)
    when = item["date"]
    if isinstance(when, date):  # YAML reads an unquoted date as a date
        when = when.isoformat()
    try:
        ok = isinstance(when, str) and bool(_DATE.match(when)) and bool(date.fromisoformat(when))
    except ValueError:
        ok = False
    if not ok:
        raise InputError(f"got {item['date']!r}", file=file, location=loc, field=f"{fld}.date",
                         expected="a date YYYY-MM-DD")
    clean = {"number": _text(item["number"], file, loc, f"{fld}.number"), "date": when,
             "authority": _text(item["authority"], file, loc, f"{fld}.authority")}
    if "document_sha256" in item:
        if not isinstance(item["document_sha256"], str) or not _SHA.match(
                item["document_sha256"]):
            raise InputError(f"got {item['document_sha256']!r}", file=file, location=loc,
                             field=f"{fld}.document_sha256",
                             expected="64 lower-case hex digits (SHA-256 of the document)")
        clean["document_sha256"] = item["document_sha256"]
    return clean


def _area(value: Any, file: str, loc: str, fld: str) -> str:
    if isinstance(value, (bool, float)):
        raise InputError(f"got {value!r}", file=file, location=loc, field=fld,
                         expected='a decimal string of m², e.g. "92400.50"')
    try:
        area = Decimal(str(value).strip())
    except InvalidOperation:
        area = Decimal("NaN")
    if not area.is_finite() or area <= 0 or area > Decimal(100_000_000) or \
            area != area.quantize(Decimal("0.01")):
        raise InputError(f"got {value!r}", file=file, location=loc, field=fld,
                         expected='a positive decimal string of m² with at most 2 places')
    return str(area)
