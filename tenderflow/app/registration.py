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
from tenderflow.app.project_record import CATEGORIES, STRUCTURED, check_structured
from tenderflow.domain.eligibility import BASE_FIELDS
from tenderflow.domain.money import Money
from tenderflow.domain.uscc import uscc_problem
from tenderflow.errors import DefinitionError, InputError

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
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
    # issue 14 (tenderflow.app.project_record): the record a project's intake decides on
    "community": "text", "units": "count", "floor_area": "area", "region": "text",
    "scope": "scope", "revenue_sources": "revenue_sources", "social_capital": "party",
    "filing": "filing",
}
PROJECT_REQUIRED = ("id", "name", "estimated_investment", "procurement_category")

# Suppliers. The profile that eligibility rules read is defined by the rulesets: the base
# schema in tenderflow.domain.eligibility.BASE_FIELDS (typed there: boolean, string, decimal,
# date, list[string], records, qualifications, consortium) plus the simple fields a ruleset in
# workflows/eligibility/ declares in ``fields:`` (see supplier_fields()). Registration checks
# every value with the same code the eligibility check uses (normalise_profile), so a profile
# that registers is one that the check can read. A few fields serve the office only and no rule
# reads them; they are listed here with registration's own kinds.
SUPPLIER_OFFICE_FIELDS: dict[str, str] = {
    "address": "text", "contact": "text", "description": "text",
    # ids of projects this supplier designed, supervised, managed or tested: it may not bid for
    # them (政府采购法实施条例 第18条第2款; rule relation.prior_service_provider).
    "designed_or_supervised": "text_list",
}
#: Every field a supplier file may carry with the base rulesets: name -> ruleset type (or the
#: office kind above). supplier_fields() adds the fields rulesets declare.
SUPPLIER_FIELDS: dict[str, str] = {**BASE_FIELDS, **SUPPLIER_OFFICE_FIELDS}
SUPPLIER_REQUIRED = ("id", "name", "uscc", "legal_representative")
CONSORTIUM_REQUIRED = ("id", "name", "consortium")

_SCHEMA_CACHE: dict[tuple[tuple[str, float], ...], dict[str, str]] = {}


def supplier_fields(root: Path | None = None) -> dict[str, str]:
    """The supplier profile schema: base fields, the ``fields:`` of every ruleset in
    ``workflows/eligibility/`` that passes the fairness lint (a ruleset that cannot be pinned
    adds no field a supplier must be described by) and the office fields; name -> type."""
    from tenderflow.domain.eligibility import lint_ruleset
    from tenderflow.paths import workflows_dir
    from tenderflow.workflow.rulesets import load_ruleset

    folder = (root or workflows_dir()) / "eligibility"
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    key = tuple((str(f), f.stat().st_mtime) for f in files)
    if key not in _SCHEMA_CACHE:
        fields = dict(SUPPLIER_FIELDS)
        for f in files:
            ruleset = load_ruleset(f, strict=False)
            if lint_ruleset(ruleset):
                continue
            for name, spec in ruleset.fields.items():
                known = fields.get(name)
                if known is not None and known != spec.type:
                    raise DefinitionError(
                        f"{f}: field {name!r} is declared {spec.type}, elsewhere {known}",
                        file=str(f), field=name)
                fields[name] = spec.type
        _SCHEMA_CACHE[key] = fields
    return _SCHEMA_CACHE[key]


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
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        if not reader.fieldnames:
            raise InputError("CSV has no header row", file=file, location="line 1")
        out = []
        for row in reader:
            loc = f"line {reader.line_num}"
            if None in row:
                raise InputError("row has more cells than the header", file=file, location=loc)
            item = {k.strip(): v.strip() for k, v in row.items()
                    if v is not None and v.strip() != ""}
            out.append((loc, item))
    except csv.Error as exc:  # a stray line break or NUL inside an unquoted cell
        raise InputError(f"not valid CSV: {exc}", file=file,
                         location=f"line {reader.line_num}") from None
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
    if kind in STRUCTURED:
        return check_structured(value, kind, file, loc, fld, csv_text)
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
    """Validate supplier and consortium profiles against the eligibility profile schema.

    Returns plain JSON profiles (dates as ISO text, amounts as decimal text) holding only the
    keys given. A consortium carries ``id``, ``name`` and ``consortium: {members, lead,
    agreement}``; its members are suppliers of their own.
    """
    fields = supplier_fields()
    out: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    codes: dict[str, str] = {}
    for loc, rec in records:
        unknown = sorted(set(rec) - set(fields))
        if unknown:
            raise InputError(f"unknown field '{unknown[0]}'", file=file, location=loc,
                             field=unknown[0], expected=", ".join(sorted(fields)))
        required = CONSORTIUM_REQUIRED if "consortium" in rec else SUPPLIER_REQUIRED
        for fld in required:
            if fld not in rec:
                raise InputError("missing", file=file, location=loc, field=fld)
        clean = _supplier(rec, fields, file, loc, csv_text)
        if clean["id"] in seen:
            raise InputError(f"duplicate id {clean['id']!r} (first at {seen[clean['id']]})",
                             file=file, location=loc, field="id")
        seen[clean["id"]] = loc
        if "uscc" in clean:
            if clean["uscc"] in codes:
                raise InputError(f"USCC {clean['uscc']} is also given for "
                                 f"{codes[clean['uscc']]}", file=file, location=loc,
                                 field="uscc")
            codes[clean["uscc"]] = clean["id"]
        out.append(clean)
    if not out:
        raise InputError("no suppliers in the file", file=file)
    return out


_CSV_STRUCTURED = ("records", "qualifications", "consortium")


def _supplier(rec: dict[str, Any], fields: dict[str, str], file: str, loc: str,
              csv_text: bool) -> dict[str, Any]:
    from tenderflow.domain.eligibility import normalise_profile, normalise_value

    rec = dict(rec)
    _check(rec["id"], "id", file, loc, "id", csv_text)
    where = f"{loc} ({rec['id']})"
    if csv_text:  # CSV cells are text: booleans, ';'-separated lists, JSON for structures
        for key, value in list(rec.items()):
            kind = fields[key]
            if kind == "boolean":
                rec[key] = _check(value, "bool", file, where, key, True)
            elif kind in ("list[string]", "text_list"):
                rec[key] = _check(value, "text_list", file, where, key, True)
            elif kind in _CSV_STRUCTURED:
                rec[key] = _check(value, "mapping" if kind == "consortium" else "list", file,
                                  where, key, True)
    office = {k: _check(rec[k], kind, file, where, k, False)
              for k, kind in SUPPLIER_OFFICE_FIELDS.items() if k in rec}
    profile = {k: v for k, v in rec.items() if k not in SUPPLIER_OFFICE_FIELDS}
    if "name" in profile:
        _check(profile["name"], "text", file, where, "name", False)
    typed = normalise_profile(profile, file=file, location=where)
    extra = {k: v for k, v in profile.items() if k not in BASE_FIELDS}
    if extra and "consortium" in profile:
        raise InputError("a consortium carries only id, name and consortium; state supplier "
                         "facts on its members", file=file, location=where,
                         field=min(extra))
    for key, value in extra.items():
        if value is not None:
            typed[key] = normalise_value(key, fields[key], value, file=file, location=where)
    clean = {k: _plain(typed[k]) for k in rec if k in typed}
    missing = [k for k in profile if k not in typed]
    if missing:  # a value normalise_profile does not keep (None): say so rather than drop it
        raise InputError("has no value", file=file, location=where, field=missing[0])
    clean.update(office)
    return clean


def _plain(value: Any) -> Any:
    """A normalised profile value as JSON: dates ISO, decimals as text, tuples as lists;
    ``None`` entries of records and qualifications left out."""
    from datetime import date
    from decimal import Decimal

    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    return value


def check_consortia(suppliers: list[dict[str, Any]],
                    registered: Any) -> None:
    """Every consortium member is a supplier in the same batch or already registered
    (``registered(id)`` returns its profile or None), and not itself a consortium."""
    batch = {s["id"]: s for s in suppliers}
    for s in suppliers:
        for member in s.get("consortium", {}).get("members", []):
            profile = batch.get(member) or registered(member)
            if profile is None:
                raise InputError(f"consortium {s['id']}: member {member!r} is not registered",
                                 location=s["id"], field="consortium.members",
                                 expected="a supplier registered before or in the same file")
            if "consortium" in profile:
                raise InputError(f"consortium {s['id']}: member {member!r} is itself a "
                                 "consortium", location=s["id"], field="consortium.members",
                                 expected="suppliers, not consortia")


def load_file(path: Path, kind: str) -> list[dict[str, Any]]:
    """Read and validate a projects or suppliers file."""
    records = read_records(path, kind)
    csv_text = path.suffix.lower() == ".csv"
    if kind == "projects":
        return validate_projects(records, str(path), csv_text)
    return validate_suppliers(records, str(path), csv_text)
