"""The inputs of a check as given: supplier profiles as registered, validated against the
base profile and a ruleset's fields (records, qualifications, consortia, simple values), and
the eligibility options of a procurement, validated when it opens."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tenderflow.domain.eligibility.model import FieldSpec
from tenderflow.domain.eligibility.ruleset import Ruleset
from tenderflow.domain.eligibility.schema import (
    BASE_FIELDS,
    GRADE_RANK,
    RECORD_KINDS,
    SIMPLE_TYPES,
    UNGRADED,
    Where,
    check_bool,
    check_date,
    check_decimal,
    check_keys,
    check_str_list,
    check_text,
)
from tenderflow.domain.money import Money
from tenderflow.domain.uscc import uscc_problem
from tenderflow.errors import InputError


def _normalise_record(data: Any, w: Where) -> dict[str, Any]:
    check_keys(data, w, required=("kind", "date", "authority", "description"),
          optional=("until", "amount"), what="a record")
    if data["kind"] not in RECORD_KINDS:
        raise w.error(f"unknown record kind {data['kind']!r}", field="kind",
                      expected=" | ".join(RECORD_KINDS))
    record: dict[str, Any] = {
        "kind": data["kind"], "date": check_date(data["date"], w, "date"),
        "authority": check_text(data["authority"], w, "authority"),
        "description": check_text(data["description"], w, "description"),
        "until": None, "amount": None}
    if data.get("until") is not None:
        if data["kind"] != "debarment":
            raise w.error("only a debarment has an end date", field="until")
        record["until"] = check_date(data["until"], w, "until")
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


def _normalise_qualification(data: Any, w: Where) -> dict[str, Any]:
    check_keys(data, w, required=("type", "grade"), optional=("scope", "valid_until", "certificate"),
          what="a qualification")
    grade = data["grade"]
    if not isinstance(grade, str) or (grade not in GRADE_RANK and grade != UNGRADED):
        raise w.error(f"unknown grade {grade!r}", field="grade",
                      expected=" | ".join([*GRADE_RANK, UNGRADED]))
    out: dict[str, Any] = {"type": check_text(data["type"], w, "type"), "grade": grade,
                           "scope": data.get("scope"), "certificate": data.get("certificate"),
                           "valid_until": None}
    if data.get("valid_until") is not None:
        out["valid_until"] = check_date(data["valid_until"], w, "valid_until")
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
    w = Where(file, location or (f"supplier {pid}" if pid else None))
    out: dict[str, Any] = {"id": check_text(pid, w, "id"), "name": check_text(data.get("name"), w, "name")}
    if "consortium" in data:
        extra = sorted(k for k in data if k in fields and k not in ("id", "name", "consortium"))
        if extra:
            raise w.error("a consortium carries only id, name and consortium; state supplier "
                          "facts on its members", field=extra[0])
        c = check_keys(data["consortium"], w.at(f"consortium {pid}"),
                  required=("members", "lead"), optional=("agreement",), what="a consortium")
        members = check_str_list(c["members"], w, "consortium.members")
        if len(members) < 2 or len(set(members)) != len(members):
            raise w.error(f"needs two or more different members, got {list(members)}",
                          field="consortium.members")
        if c["lead"] not in members:
            raise w.error(f"lead {c['lead']!r} is not a member", field="consortium.lead")
        out["consortium"] = {"members": members, "lead": c["lead"],
                             "agreement": check_bool(c.get("agreement", False), w,
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


def _simple_value(name: str, ftype: str, value: Any, w: Where) -> Any:
    if ftype == "boolean":
        return check_bool(value, w, name)
    if ftype == "string":
        return check_text(value, w, name)
    if ftype == "decimal":
        return check_decimal(value, w, name)
    if ftype == "date":
        return check_date(value, w, name)
    if ftype == "list[string]":
        return check_str_list(value, w, name)
    raise ValueError(f"not a simple field type: {ftype}")


def normalise_value(name: str, ftype: str, value: Any, *, file: str | None = None,
                    location: str | None = None) -> Any:
    """One profile value of a simple type (:data:`SIMPLE_TYPES`), checked and typed as
    :func:`normalise_profile` does; an error names the file, location and field."""
    if ftype not in SIMPLE_TYPES:
        raise ValueError(f"not a simple field type: {ftype}")
    return _simple_value(name, ftype, value, Where(file, location))


def check_options(options: Mapping[str, Any]) -> None:
    """The procurement options the eligibility check reads, validated at opening."""
    req = options.get("required_qualification")
    if req is not None:
        grades = [*GRADE_RANK, UNGRADED]
        if not isinstance(req, Mapping) or set(req) != {"type", "min_grade"} or \
                not isinstance(req.get("type"), str) or not req["type"].strip() or \
                req.get("min_grade") not in grades:
            raise InputError(f"got {req!r}", field="options.required_qualification",
                             expected="{type: 建筑工程施工总承包, min_grade: "
                                      + " | ".join(grades) + "}")
    prior = options.get("prior_service_providers")
    if prior is not None and (not isinstance(prior, list) or not all(
            isinstance(x, str) and x.strip() for x in prior)):
        raise InputError(f"got {prior!r}", field="options.prior_service_providers",
                         expected="a list of supplier ids (or USCCs, or names) that designed, "
                                  "supervised, managed or tested this project")
    if options.get("investment") is not None:
        Money.parse(options["investment"], field="options.investment", allow_zero=False)
