"""Projects and social-capital suppliers from YAML, JSON or CSV files, validated field by field.

Every error names the file, the row or item, the field and what was expected; nothing is
returned (and so nothing written) unless the whole file is valid.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import yaml

from tenderflow import yamlio

from tenderflow.domain.money import Money
from tenderflow.domain.uscc import uscc_problem
from tenderflow.errors import InputError

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
CATEGORIES = ("基础类", "完善类", "提升类")
PROCUREMENT_CATEGORIES = ("works", "goods", "services")
MAX_FILE_BYTES = 20 * 1024 * 1024

PROJECT_FIELDS: dict[str, str] = {
    "id": "id", "name": "text", "city": "text", "district": "text", "built_year": "year",
    "communities": "count", "buildings": "count", "households": "count",
    "categories": "categories", "estimated_investment": "money",
    "procurement_category": "procurement_category", "ppp": "bool", "state_funded": "bool",
    "purchaser": "party", "implementing_agency": "party", "residents_committee": "party",
    "subdistrict_office": "party", "funding_sources": "text_list", "description": "text",
    "concession_years": "count", "owner_consent": "mapping",
}
PROJECT_REQUIRED = ("id", "name", "estimated_investment", "procurement_category")

SUPPLIER_FIELDS: dict[str, str] = {
    "id": "id", "name": "text", "uscc": "uscc", "legal_representative": "text",
    "controlled_by": "text_list", "independent_legal_person": "bool", "accounts_sound": "bool",
    "tax_social_security_ok": "bool", "has_equipment_and_technical_capacity": "bool",
    "records": "list", "qualifications": "list", "net_assets": "money",
    "annual_revenue": "money", "consortium": "mapping", "address": "text", "contact": "text",
    "designed_or_supervised": "text_list", "description": "text",
}
SUPPLIER_REQUIRED = ("id", "name", "uscc", "legal_representative")


def read_records(path: Path, kind: str) -> list[tuple[str, dict[str, Any]]]:
    """Read a list of records (location, mapping) from a YAML, JSON or CSV file."""
    file = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", file=file) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", file=file) from None
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(f"file is larger than {MAX_FILE_BYTES} bytes", file=file)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", file=file) from None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(text, file)
    try:
        data = json.loads(text) if suffix == ".json" else yamlio.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}" if mark else (
            f"line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else None)
        raise InputError(f"not valid {'JSON' if suffix == '.json' else 'YAML'}", file=file,
                         location=line) from None
    except RecursionError:
        raise InputError("nested too deeply", file=file) from None
    if isinstance(data, dict) and set(data) == {kind}:
        data = data[kind]
    if not isinstance(data, list):
        raise InputError(f"expected a list of {kind} (or a mapping with the key '{kind}')",
                         file=file)
    out = []
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            raise InputError(f"item must be a mapping, got {type(item).__name__}", file=file,
                             location=f"{kind}[{i}]")
        out.append((f"{kind}[{i}]", item))
    return out


def _read_csv(text: str, file: str) -> list[tuple[str, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise InputError("CSV has no header row", file=file, location="line 1")
    out = []
    for row in reader:
        loc = f"line {reader.line_num}"
        if None in row:
            raise InputError("row has more cells than the header", file=file, location=loc)
        item = {k.strip(): v.strip() for k, v in row.items() if v is not None and v.strip() != ""}
        out.append((loc, item))
    return out


def _check(value: Any, kind: str, file: str, loc: str, fld: str, csv_text: bool) -> Any:
    def bad(expected: str) -> InputError:
        return InputError(f"got {value!r}", file=file, location=loc, field=fld, expected=expected)

    if kind == "id":
        if not isinstance(value, str) or not ID_RE.match(value):
            raise bad("an id of letters, digits, '.', '_' or '-', at most 100 characters")
        return value
    if kind == "text":
        if not isinstance(value, str) or not value.strip() or len(value) > 4000:
            raise bad("a non-empty text of at most 4000 characters")
        return value.strip()
    if kind in ("year", "count"):
        if csv_text and isinstance(value, str) and value.isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad("a whole number")
        lo, hi = (1800, 2100) if kind == "year" else (0, 10_000_000)
        if not lo <= value <= hi:
            raise bad(f"a number from {lo} to {hi}")
        return value
    if kind == "bool":
        if csv_text and isinstance(value, str) and value.lower() in ("true", "false", "yes", "no"):
            return value.lower() in ("true", "yes")
        if not isinstance(value, bool):
            raise bad("true or false")
        return value
    if kind == "money":
        return str(Money.parse(value, field=fld, file=file, location=loc))
    if kind == "uscc":
        problem = uscc_problem(value) if isinstance(value, str) else "must be text"
        if problem:
            raise InputError(f"{value!r}: {problem}", file=file, location=loc, field=fld,
                             expected="an 18-character 统一社会信用代码 (GB 32100-2015)")
        return value
    if kind in ("categories", "text_list"):
        if csv_text and isinstance(value, str):
            value = [v.strip() for v in value.split(";") if v.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise bad("a list of texts (in CSV: separated by ';')")
        if kind == "categories":
            wrong = [v for v in value if v not in CATEGORIES]
            if wrong or not value:
                raise bad(" / ".join(CATEGORIES))
        return value
    if kind == "procurement_category":
        if value not in PROCUREMENT_CATEGORIES:
            raise bad(" | ".join(PROCUREMENT_CATEGORIES))
        return value
    if kind == "party":
        if not isinstance(value, dict) or not isinstance(value.get("name"), str):
            raise bad("a mapping with name (and uscc where the party has one)")
        if "uscc" in value:
            _check(value["uscc"], "uscc", file, loc, f"{fld}.uscc", False)
        return value
    if kind in ("list", "mapping"):
        expected_type = list if kind == "list" else dict
        if csv_text and isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                raise bad(f"a {kind} (in CSV: JSON text)") from None
        if not isinstance(value, expected_type):
            raise bad(f"a {kind}")
        return value
    raise AssertionError(kind)


def _validate(kind: str, fields: dict[str, str], required: tuple[str, ...],
              records: list[tuple[str, dict[str, Any]]], file: str, csv_text: bool
              ) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for loc, rec in records:
        unknown = sorted(set(rec) - set(fields))
        if unknown:
            raise InputError(f"unknown field '{unknown[0]}'", file=file, location=loc,
                             field=unknown[0], expected=", ".join(sorted(fields)))
        for fld in required:
            if fld not in rec:
                raise InputError("missing", file=file, location=loc, field=fld)
        clean = {k: _check(v, fields[k], file, loc, k, csv_text) for k, v in rec.items()}
        if clean["id"] in seen:
            raise InputError(f"duplicate id {clean['id']!r} (first at {seen[clean['id']]})",
                             file=file, location=loc, field="id")
        seen[clean["id"]] = loc
        out.append(clean)
    if not out:
        raise InputError(f"no {kind} in the file", file=file)
    return out


def validate_projects(records: list[tuple[str, dict[str, Any]]], file: str,
                      csv_text: bool = False) -> list[dict[str, Any]]:
    projects = _validate("projects", PROJECT_FIELDS, PROJECT_REQUIRED, records, file, csv_text)
    for p in projects:
        p.setdefault("ppp", False)
        p.setdefault("state_funded", True)
        Money.parse(p["estimated_investment"], allow_zero=False, file=file, location=p["id"],
                    field="estimated_investment")
    return projects


def validate_suppliers(records: list[tuple[str, dict[str, Any]]], file: str,
                       csv_text: bool = False) -> list[dict[str, Any]]:
    suppliers = _validate("suppliers", SUPPLIER_FIELDS, SUPPLIER_REQUIRED, records, file,
                          csv_text)
    codes: dict[str, str] = {}
    for s in suppliers:
        if s["uscc"] in codes:
            raise InputError(f"USCC {s['uscc']} is also given for {codes[s['uscc']]}",
                             file=file, location=s["id"], field="uscc")
        codes[s["uscc"]] = s["id"]
    return suppliers


def load_file(path: Path, kind: str) -> list[dict[str, Any]]:
    """Read and validate a projects or suppliers file."""
    records = read_records(path, kind)
    csv_text = path.suffix.lower() == ".csv"
    if kind == "projects":
        return validate_projects(records, str(path), csv_text)
    return validate_suppliers(records, str(path), csv_text)
