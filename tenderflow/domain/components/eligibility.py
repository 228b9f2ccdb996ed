"""Eligibility (准入) in the workflow: the recorded check and the gate on inviting and bidding.

Every mode has a self-loop trigger ``check_eligibility`` (event ``EligibilityChecked``) whose
transition declares ``facts: [eligibility]``: the services copy into the event what the check
reads - the registered profiles of the candidates and of consortium members, the credit-list
entries recorded for their USCCs, and the procurement's investment, required qualification and
prior service providers. The guard :func:`eligibility_evaluated` evaluates the ruleset pinned
when the procurement opened against those facts at the event's business date and notes the
result (every rule for every candidate: verdict, value seen, threshold, source) in the event's
``findings.eligibility``; an auditor's replay re-decides the event and recomputes the same
result from the same recorded facts.

:func:`candidates_eligible` guards inviting and bidding: each supplier named must have been
checked, together with every supplier already taking part on the lot (the relation rules -
shared legal representative, control links, consortium members bidding twice - compare the
candidates with each other), in the latest recorded check, and must have passed every
disqualifying rule there. A refusal names the failed rule ids of the ruleset and their sources.

Fail closed (财库〔2016〕125号): a credit list never imported, or older than
``credit.list_max_age_days`` at the check date, leaves its rule ``not_checked``; a candidate
with a disqualifying rule not checked is not eligible, and the gate refuses with
``credit.list_not_checked`` naming the lists and the import command. A check after the
submission deadline (or before the notice) is refused with ``credit.check_window``. A check
recorded before imports were recorded (no ``credit_imports`` in its facts) is re-decided as it
was: from the entries alone.

Event shapes (see also ``Services.fire``)::

    EligibilityChecked.payload = {
      "trigger": "check_eligibility", "from": S, "to": S,
      "data": {"candidates": [id, ...], "note"?: text},
      "checks": [{"guard": "eligibility_evaluated", "rule": "eligibility.evaluated", ...}],
      "facts": {"eligibility": {
          "candidates": [profile, ...],          # as registered, consortia included
          "suppliers": [profile, ...],           # consortium members not bidding themselves
          "procurement": {"investment", "required_qualification"?, "prior_service_providers",
                          "window"?: {"notice_date", "deadline"}},
          "credit": [{"list", "uscc", "name", "listed_on", "removed_on", "source"}, ...],
          "credit_lists": {list name: version of stream credit:<list> read},
          "credit_imports": {list name: {"as_of", "imported_at", "file"}}}},
      "findings": {"eligibility": EligibilityResult.to_dict()}}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from tenderflow.domain.credit import CreditEntry
from tenderflow.domain.eligibility import FAIL, NOT_CHECKED, WARN, evaluate
from tenderflow.domain.fold import State, applies
from tenderflow.domain.rules import GuardContext, GuardSpec, guard
from tenderflow.domain.timeutil import parse_time
from tenderflow.errors import Refusal

RULE_CHECKED = "eligibility.checked"
SOURCE_CHECKED = "政府采购法 第22条、第23条; 政府采购法 第38条第(三)项; 招标投标法 第18条"
RULE_EVALUATED = "eligibility.evaluated"
SOURCE_CREDIT = "财库〔2016〕125号"
RULE_WINDOW = "credit.check_window"
RULE_NOT_CHECKED = "credit.list_not_checked"
PARAM_MAX_AGE = "credit.list_max_age_days"
SOURCE_EVALUATED = "政府采购法 第22条、第23条"

# Where the modes record the suppliers taking part on the lot (dicts keyed by supplier id).
_PARTICIPANT_PATHS = (("invited",), ("responses",), ("bids",), ("final_quotes",))


def participants(state: Mapping[str, Any]) -> list[str]:
    """The suppliers (or consortia) already taking part on the lot: invited, responded, bid;
    sorted. (Prequalification applicants that did not pass are not on the lot.)"""
    found: set[str] = set()
    for path in _PARTICIPANT_PATHS:
        value: Any = state
        for part in path:
            value = value.get(part) if isinstance(value, Mapping) else None
        if isinstance(value, Mapping):
            found.update(str(k) for k in value)
    return sorted(found)


def acting_suppliers(data: Mapping[str, Any]) -> list[str]:
    """The suppliers a trigger's data names: ``suppliers`` (ids or {id}), ``supplier``,
    ``bidder``, ``invited`` (ids or {id})."""
    ids: list[str] = []
    for key in ("suppliers", "invited"):
        for item in data.get(key) or ():
            if isinstance(item, str):
                ids.append(item)
            elif isinstance(item, Mapping) and isinstance(item.get("id"), str):
                ids.append(item["id"])
    for key in ("supplier", "bidder"):
        if isinstance(data.get(key), str):
            ids.append(data[key])
    return list(dict.fromkeys(ids))


def check_procurement(state: Mapping[str, Any],
                      profiles: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """What the check needs to know about the procurement, from its recorded state.

    ``investment``: ``options.investment`` or the project's estimated investment;
    ``required_qualification``: ``options.required_qualification`` when given (else the
    ruleset's default applies); ``prior_service_providers``: ``options.prior_service_providers``
    and every supplier whose registered ``designed_or_supervised`` names this project;
    ``window``: the notice date and the submission deadline, once recorded.
    """
    options = state.get("options") or {}
    project = state.get("project") or {}
    out: dict[str, Any] = {}
    investment = options.get("investment") or project.get("estimated_investment")
    if investment is not None:
        out["investment"] = str(investment)
    if options.get("required_qualification") is not None:
        out["required_qualification"] = options["required_qualification"]
    # 财库〔2016〕125号: the credit check happens between the notice (the documents first
    # issued) and the submission deadline; a check before any notice prepares an invitation.
    documents = state.get("documents") or {}
    notice = documents.get("first_issued_on") or state.get("documents_issued_on")
    deadlines = state.get("deadlines") or {}
    deadline = deadlines.get("bid_deadline") or deadlines.get("response_deadline")
    if notice or deadline:
        out["window"] = {"notice_date": notice, "deadline": deadline}
    prior = set(options.get("prior_service_providers") or ())
    for profile in profiles:
        if project.get("id") and project["id"] in (profile.get("designed_or_supervised") or ()):
            prior.add(profile["id"])
    out["prior_service_providers"] = sorted(prior)
    return out


@guard("eligibility_evaluated", rule=RULE_EVALUATED, source=SOURCE_EVALUATED)
def eligibility_evaluated(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Evaluate the pinned ruleset against the recorded facts; the result becomes the event's
    ``findings.eligibility``."""
    inputs = ctx.facts.get("eligibility")
    if inputs is None:  # ``next`` probes without facts: nothing to evaluate yet
        return None
    ruleset = getattr(ctx, "ruleset", None)
    if ruleset is None:
        return spec.refuse(ctx, f"{ctx.procurement} has no pinned eligibility ruleset (opened "
                                "before rulesets were pinned): open a new procurement")
    if not inputs.get("candidates"):
        return spec.refuse(ctx, "no candidate to check", candidates=0)
    outside = outside_window(ctx, inputs.get("procurement", {}).get("window"))
    if outside is not None:
        return Refusal(rule=RULE_WINDOW, reason=outside, source=SOURCE_CREDIT,
                       numbers={"at": ctx.at.isoformat(),
                                **inputs.get("procurement", {}).get("window", {})},
                       guard=spec.name)
    ctx.note("eligibility", evaluate_recorded(ctx, ruleset, inputs))
    return None


def evaluate_recorded(ctx: GuardContext, ruleset: Any,
                      inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The pinned ruleset evaluated against the recorded ``facts.eligibility`` at the event's
    business date (``EligibilityResult.to_dict()``); also used by the delegation's decision,
    which checks the entity it names in the same event."""
    procurement = {**inputs.get("procurement", {}), "id": ctx.procurement, "at": ctx.at}
    imports = inputs.get("credit_imports")  # absent in checks recorded before imports were
    max_age = int(ctx.p(PARAM_MAX_AGE)) if imports is not None else None
    result = evaluate(ruleset, inputs["candidates"], procurement=procurement,
                      credit_entries=[CreditEntry.from_dict(e) for e in inputs.get("credit", ())],
                      suppliers=inputs.get("suppliers", ()), credit_imports=imports,
                      credit_max_age_days=max_age)
    return result.to_dict()


def outside_window(ctx: GuardContext, window: Mapping[str, Any] | None) -> str | None:
    """Why the check time lies outside 财库〔2016〕125号's window (from the notice to the
    submission deadline), or None."""
    if not window:
        return None
    notice, deadline = window.get("notice_date"), window.get("deadline")
    if notice and ctx.today < date.fromisoformat(notice):
        return (f"the credit check on {ctx.today.isoformat()} is before the notice of "
                f"{notice}: check between the notice and the deadline {deadline or '—'}")
    if deadline and ctx.at > parse_time(deadline):
        return (f"the credit check at {ctx.at.isoformat()} is after the submission deadline "
                f"{deadline}: the lists are checked between the notice ({notice or '—'}) and "
                "the deadline")
    return None


@guard("candidates_eligible", rule=RULE_CHECKED, source=SOURCE_CHECKED)
def candidates_eligible(ctx: GuardContext, spec: GuardSpec) -> Refusal | None:
    """Only suppliers that passed the latest eligibility check - taken together with everyone
    already on the lot - are invited or bid (政府采购法 第22、23条, 第38条第(三)项: invitees
    come from suppliers meeting the conditions)."""
    ids = acting_suppliers(ctx.data)
    if not ids:  # nobody named (an open tender's notice): nothing to gate
        return None
    checked = ctx.state.get("eligibility")
    if not checked:
        named = f" ({', '.join(ids)})" if ids else ""
        return spec.refuse(ctx, f"no eligibility check is recorded for {ctx.procurement}: "
                                f"check the candidates{named} first (tenderflow eligibility "
                                f"check {ctx.procurement} --candidate …)",
                           unchecked=ids)
    covered: Mapping[str, Any] = checked["candidates"]
    lot = list(dict.fromkeys([*ids, *participants(ctx.state)]))
    missing = [i for i in lot if i not in covered]
    if missing:
        return spec.refuse(
            ctx, f"{', '.join(missing)} not in the latest eligibility check ({checked['date']}, "
                 f"candidates {', '.join(sorted(covered))}); the candidates on one lot are "
                 "checked together, as the relation rules compare them (政府采购法实施条例 "
                 "第18条、第22条)",
            unchecked=missing, checked=sorted(covered), checked_on=checked["date"])
    failed = [(i, covered[i]) for i in ids if not covered[i]["eligible"]]
    if not failed:
        return None
    rules = [f for _, c in failed for f in c["failed"]]
    unchecked = [f for _, c in failed for f in c.get("unchecked", ())]
    sources = list(dict.fromkeys(f["source"] for f in [*rules, *unchecked]))
    reason = "; ".join(f"{i} ({c['name']}) " + _why_not(c, checked["date"]) for i, c in failed)
    rule = rules[0]["rule"] if rules else RULE_NOT_CHECKED
    return Refusal(rule=rule, reason=reason, source="; ".join(sources),
                   numbers={"failed": [{"candidate": i, "rules": [f["rule"] for f in c["failed"]]}
                                       for i, c in failed],
                            "not_checked": [{"candidate": i,
                                             "rules": [f["rule"] for f in c["unchecked"]]}
                                            for i, c in failed if c.get("unchecked")],
                            "checked_on": checked["date"],
                            "ruleset": checked["ruleset"].get("version")},
                   guard=spec.name)


def _why_not(candidate: Mapping[str, Any], checked_on: str) -> str:
    """The failed rules and the disqualifying rules not checked (never a pass: fail closed)."""
    parts = []
    if candidate["failed"]:
        parts.append(f"failed the eligibility check of {checked_on}: " + ", ".join(
            f"[{f['rule']}] {f['reason']} ({f['source']})" for f in candidate["failed"]))
    if candidate.get("unchecked"):
        parts.append(f"was not checked on {checked_on}, and not checked is not a pass: "
                     + ", ".join(f"[{f['rule']}] {f['reason']}" for f in candidate["unchecked"]))
    return "; ".join(parts)


# --------------------------------------------------------------------------- appliers

@applies("ProcurementCreated")
def _ruleset_pinned(state: State, payload: dict[str, Any], at: str) -> None:
    if payload.get("ruleset"):
        state["ruleset"] = payload["ruleset"]


def _brief(outcome: Mapping[str, Any]) -> dict[str, Any]:
    return {"rule": outcome["rule"], "source": outcome["source"], "reason": outcome["reason"]}


@applies("EligibilityChecked")
def _checked(state: State, payload: dict[str, Any], at: str) -> None:
    result = payload["findings"]["eligibility"]
    previous = state.get("eligibility") or {}
    members = {p["id"]: list(p["consortium"]["members"])
               for p in payload.get("facts", {}).get("eligibility", {}).get("candidates", ())
               if "consortium" in p}
    candidates = {}
    for c in result["candidates"]:
        entry: dict[str, Any] = {
            "name": c["name"], "eligible": c["eligible"],
            "failed": [_brief(o) for o in c["outcomes"] if o["verdict"] == FAIL],
            "warnings": [_brief(o) for o in c["outcomes"] if o["verdict"] == WARN]}
        unchecked = [_brief(o) for o in c["outcomes"]
                     if o["verdict"] == NOT_CHECKED and o["severity"] == "disqualify"]
        if unchecked:  # fail closed: a disqualifying rule not checked keeps the gate shut
            entry["unchecked"] = unchecked
        if c["consortium"]:
            entry["members"] = members.get(c["candidate"], [])
        candidates[c["candidate"]] = entry
    state["eligibility"] = {"checks": previous.get("checks", 0) + 1, "at": at,
                            "date": result["at"], "version": state["version"],
                            "ruleset": result["ruleset"], "candidates": candidates}
