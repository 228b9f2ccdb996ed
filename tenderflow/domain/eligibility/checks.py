"""The built-in checks (:data:`CHECKS`): what an expression cannot say - dated records,
credit lists, qualifications, the project's investment, and relations between the candidates
on the same lot. Each returns a :class:`Finding` (verdict, value seen, threshold, reason)."""

from __future__ import annotations

import decimal
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from tenderflow.domain.credit import CREDIT_LISTS, listings_at
from tenderflow.domain.eligibility.context import (
    Candidate,
    Evaluation,
    names_of,
    norm_name,
)
from tenderflow.domain.eligibility.model import CheckSpec, Finding, Rule
from tenderflow.domain.eligibility.schema import (
    FAIL,
    GRADE_RANK,
    MAJOR_RECORD_KINDS,
    NOT_APPLICABLE,
    NOT_CHECKED,
    PASS,
    UNGRADED,
    WARN,
)
from tenderflow.errors import InputError

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


def check_major_illegal_record_within_window(supplier: Mapping[str, Any], ev: Evaluation,
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


IMPORT_HINT = "tenderflow credit import FILE --as-of DATE --list {name}"


def credit_list_unchecked(name: str, ev: Evaluation) -> str | None:
    """Why the list ``name`` cannot be checked at the check date, or None when it can: it was
    never imported, or the export is older than ``credit.list_max_age_days`` (fail closed)."""
    if ev.credit_imports is None:  # recorded before imports were recorded: not judged here
        return None
    hint = IMPORT_HINT.format(name=name)
    imported = ev.credit_imports.get(name)
    if not imported:
        return f"{name} list not imported: no {name} list recorded on {ev.at.isoformat()}; " \
               f"import it ({hint})"
    as_of = date.fromisoformat(str(imported["as_of"]))
    max_age = ev.credit_max_age_days
    if max_age is not None and (ev.at - as_of).days > int(max_age):
        return (f"{name} list as of {as_of.isoformat()} is {(ev.at - as_of).days} days old on "
                f"{ev.at.isoformat()}, more than {max_age} (credit.list_max_age_days); import "
                f"a current export ({hint})")
    return None


def check_credit_lists(supplier: Mapping[str, Any], ev: Evaluation, rule: Rule) -> Finding:
    """财库〔2016〕125号: refuse a supplier listed on the named credit list at the check date.
    A list never imported, or older than its freshness, is not checked (never a pass)."""
    name = rule.params["list"]
    threshold = f"not listed on {name} on {ev.at.isoformat()}"
    unchecked = credit_list_unchecked(name, ev)
    if unchecked is not None:
        return Finding(NOT_CHECKED, {"list": name, "imported": (ev.credit_imports or {})
                                     .get(name)}, threshold, unchecked)
    if ev.credit_imports is not None:
        imported = ev.credit_imports[name]
        threshold += f" (list as of {imported['as_of']}, imported {imported['imported_at']})"
    hits = listings_at(ev.credit_by_uscc.get(supplier["uscc"], ()), supplier["uscc"], ev.at,
                       [name])
    value = [h.to_dict() for h in hits]
    if hits:
        first = hits[0]
        return Finding(FAIL, value, threshold,
                       f"{supplier['uscc']} listed on {name} since {first.listed_on.isoformat()}"
                       f" ({first.source})")
    return Finding(PASS, value, threshold, f"not listed on {name}")


def _required_qualification(ev: Evaluation) -> tuple[dict[str, str], str]:
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


def check_qualification_scope(candidate: Candidate, ev: Evaluation, rule: Rule) -> Finding:
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


def check_consortium_lower_grade(candidate: Candidate, ev: Evaluation, rule: Rule) -> Finding:
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


def check_financial_capacity(candidate: Candidate, ev: Evaluation, rule: Rule) -> Finding:
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


def check_shared_legal_representative(candidate: Candidate, ev: Evaluation,
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
        found = list(rel.by_rep_name.get(norm_name(a), ()))
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
        same = ida == idb if ida and idb else norm_name(a) == norm_name(b)
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


def check_control_link(candidate: Candidate, ev: Evaluation, rule: Rule) -> Finding:
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
        keys += [("controls", n) for n in names_of(mine)]             # ... controlled by me
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
        if mine_by & names_of(theirs):
            direct.append({"supplier": mine["id"], "controlled_by": theirs["id"],
                           "other_candidate": other.id})
        elif theirs_by & names_of(mine):
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


def check_consortium_member_also_bidding(candidate: Candidate, ev: Evaluation,
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


def check_consortium_joint_agreement(candidate: Candidate, ev: Evaluation,
                                     rule: Rule) -> Finding:
    """政府采购法 第24条: a consortium submits its joint agreement (联合协议)."""
    if not candidate.members:
        return Finding(NOT_APPLICABLE, None, None, "not a consortium")
    signed = bool(candidate.profile["consortium"].get("agreement"))
    threshold = "joint agreement submitted (agreement: true)"
    if signed:
        return Finding(PASS, True, threshold, "joint agreement submitted")
    return Finding(FAIL, False, threshold, "no joint agreement")


def check_prior_service_provider(candidate: Candidate, ev: Evaluation, rule: Rule) -> Finding:
    """政府采购法实施条例 第18条第2款: a supplier that provided the overall design, specification,
    project management, supervision or testing for this project may not bid for it."""
    providers = set(ev.procurement.get("prior_service_providers", ()))
    threshold = "not among the project's design / supervision / testing providers"
    hits = sorted(s["id"] for s in candidate.participants if names_of(s) & providers)
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
OPTIONAL_PARAMETERS = frozenset({"large_fine_threshold"})
