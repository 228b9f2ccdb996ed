"""Evaluation: every rule of a ruleset for every candidate on one lot - verdict, value seen,
threshold, legal source. Pure: the check date is an input and the same inputs give the same
result."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from tenderflow.domain.credit import CreditEntry
from tenderflow.domain.eligibility.checks import CHECKS
from tenderflow.domain.eligibility.context import Candidate, Evaluation
from tenderflow.domain.eligibility.model import FieldSpec, Finding, Rule
from tenderflow.domain.eligibility.profile import normalise_profile
from tenderflow.domain.eligibility.ruleset import Ruleset, qualification_requirement
from tenderflow.domain.eligibility.schema import (
    FAIL,
    NOT_CHECKED,
    PASS,
    WARN,
    Where,
    check_date,
    check_str_list,
    check_text,
)
from tenderflow.domain.money import Money
from tenderflow.domain.timeutil import SHANGHAI, local_date
from tenderflow.errors import InputError


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
    """Every rule's outcome for one candidate; eligible when no rule failed and every
    disqualifying rule was checked."""

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


def _normalise_procurement(data: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise InputError("the procurement is a mapping with id and at", field="procurement")
    w = Where(None, f"procurement {data.get('id')}")
    at = data.get("at")
    if isinstance(at, datetime):  # a business time: its calendar day in Beijing
        at = local_date(at if at.tzinfo else at.replace(tzinfo=SHANGHAI))
    out: dict[str, Any] = {"id": check_text(data.get("id"), w, "id"), "at": check_date(at, w, "at")}
    if data.get("investment") is not None:
        out["investment"] = Money.parse(data["investment"], field="investment",
                                        location=w.location, allow_zero=False).amount
    for name in ("notice_date", "bid_deadline"):
        if data.get(name) is not None:
            out[name] = check_date(data[name], w, name)
    # 财库〔2016〕125号: the credit check happens between the notice and the bid deadline.
    if "notice_date" in out and out["at"] < out["notice_date"]:
        raise w.error(f"check date {out['at']} is before the notice {out['notice_date']}",
                      field="at", expected="a date between the notice and the bid deadline")
    if "bid_deadline" in out and out["at"] > out["bid_deadline"]:
        raise w.error(f"check date {out['at']} is after the bid deadline {out['bid_deadline']}",
                      field="at", expected="a date between the notice and the bid deadline")
    if data.get("required_qualification") is not None:
        out["required_qualification"] = qualification_requirement(
            data["required_qualification"], w.at(f"procurement {out['id']} "
                                                 "required_qualification"))
    if data.get("prior_service_providers") is not None:
        out["prior_service_providers"] = check_str_list(data["prior_service_providers"], w,
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
    import rule_engine

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


def _supplier_level(rule: Rule, candidate: Candidate,
                    one: Callable[[Mapping[str, Any]], Finding]) -> Finding:
    if not candidate.members:
        return one(candidate.profile)
    findings = {m["id"]: one(m) for m in candidate.members}
    failed = [m for m, f in findings.items() if f.verdict == FAIL]
    unchecked = [m for m, f in findings.items() if f.verdict == NOT_CHECKED]
    warned = [m for m, f in findings.items() if f.verdict == WARN]
    value = {m: f.value for m, f in findings.items()}
    threshold = next(iter(findings.values())).threshold
    if failed:
        reason = "; ".join(f"member {m}: {findings[m].reason}" for m in failed)
        return Finding(FAIL, value, f"every member: {threshold}", reason)
    if unchecked:
        reason = "; ".join(f"member {m}: {findings[m].reason}" for m in unchecked)
        return Finding(NOT_CHECKED, value, f"every member: {threshold}", reason)
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
             suppliers: Sequence[Mapping[str, Any]] = (),
             credit_imports: Mapping[str, Mapping[str, Any]] | None = None,
             credit_max_age_days: int | None = None) -> EligibilityResult:
    """Check every rule for every candidate on one lot at ``procurement['at']``.

    ``candidates`` are the bids on the lot: supplier profiles or consortium profiles.
    ``suppliers`` are profiles of consortium members that do not bid themselves. The
    procurement gives ``id``, ``at`` (the check date), and as the rules need them
    ``investment``, ``notice_date``/``bid_deadline``, ``required_qualification`` and
    ``prior_service_providers``. ``credit_imports`` says which credit lists were imported
    and as of when ({list: {as_of, imported_at, file}}): a list missing, or older than
    ``credit_max_age_days`` at the check date, makes its rule ``not_checked`` and a candidate
    with a disqualifying rule not checked is not eligible. None (a check recorded before
    imports were recorded) checks the entries alone. Pure: the same inputs give the same result.
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
    norm: list[Candidate] = []
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
        norm.append(Candidate(profile["id"], profile, members))
    ev = Evaluation(ruleset.id, ruleset.parameters, ruleset.fields, proc, norm,
                    tuple(credit_entries), credit_imports, credit_max_age_days)

    results: list[CandidateResult] = []
    for candidate in norm:
        outcomes: list[RuleOutcome] = []
        for rule in ruleset.rules:
            finding = _evaluate_rule(rule, candidate, ev)
            outcomes.append(_outcome(rule, finding))
        eligible = not any(o.verdict == FAIL or (o.verdict == NOT_CHECKED
                                                 and o.severity == "disqualify")
                           for o in outcomes)
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


def _evaluate_rule(rule: Rule, candidate: Candidate, ev: Evaluation) -> Finding:
    if rule.expression is not None:
        fields = ev.fields
        return _supplier_level(rule, candidate,
                               lambda s: _expression_finding(rule, s, fields))
    assert rule.check is not None
    spec = CHECKS[rule.check]
    if spec.level == "supplier":
        return _supplier_level(rule, candidate, lambda s: spec.function(s, ev, rule))
    return spec.function(candidate, ev, rule)
