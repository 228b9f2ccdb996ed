"""The vocabulary of eligibility: verdicts, severities, the base supplier profile, record
kinds and qualification grades, and the validators that walk parsed data and raise
:class:`InputError` naming the file, location, field and what was expected."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from tenderflow.errors import InputError

PASS, FAIL, WARN, NOT_APPLICABLE = "pass", "fail", "warn", "not_applicable"
#: The check could not be made (e.g. a credit list never imported, or too old): not a pass; a
#: candidate with a disqualifying rule not checked is not eligible (fail closed).
NOT_CHECKED = "not_checked"
VERDICTS = (PASS, FAIL, WARN, NOT_APPLICABLE, NOT_CHECKED)
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


class Where:
    """Carries the file and location for InputError while walking a ruleset."""

    def __init__(self, file: str | None, location: str | None = None) -> None:
        self.file = file
        self.location = location

    def at(self, location: str) -> Where:
        return Where(self.file, location)

    def error(self, message: str, field: str | None = None,
              expected: str | None = None) -> InputError:
        return InputError(message, file=self.file, location=self.location, field=field,
                          expected=expected)


def check_keys(data: Any, where: Where, *, required: Iterable[str], optional: Iterable[str] = (),
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


def check_text(value: Any, where: Where, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise where.error(f"must be non-empty text, got {value!r}", field=name)
    return value


def json_plain(value: Any, where: Where, name: str) -> None:
    """Refuse YAML values that have no canonical JSON form (dates, sets, binary, floats)."""
    if value is None or isinstance(value, (str, bool, int)):
        return
    if isinstance(value, float):
        raise where.error(f"write numbers with decimals as quoted text, got {value!r}",
                          field=name, expected='a decimal string like "0.20"')
    if isinstance(value, list):
        for i, item in enumerate(value):
            json_plain(item, where, f"{name}[{i}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise where.error(f"keys must be text, got {key!r}", field=name)
            json_plain(item, where, f"{name}.{key}" if name else key)
        return
    raise where.error(f"has no plain-data form: {value!r} ({type(value).__name__})", field=name,
                      expected="text, an integer, true/false, a list or a mapping; "
                               "quote dates")


def check_decimal(value: Any, where: Where, name: str) -> Decimal:
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


def check_date(value: Any, where: Where, name: str) -> date:
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


def check_bool(value: Any, where: Where, name: str) -> bool:
    if not isinstance(value, bool):
        raise where.error(f"must be true or false, got {value!r}", field=name)
    return value


def check_str_list(value: Any, where: Where, name: str) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v.strip()
                                                       for v in value):
        raise where.error(f"must be a list of text, got {value!r}", field=name)
    return tuple(value)
