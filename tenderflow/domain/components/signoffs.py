"""Coordination sign-offs: the parties a step needs, each recording agreement or objection with
who and when; the step waits until every required party has agreed and none objects.

One component for every workflow that needs parties to agree before it moves on: the project's
filing (立项、备案: the district department, 街道办, 社区/居委会, the social-capital side when known
and the utilities the scope touches — 国办发〔2020〕23号 asks for a project agreed by every party
on a shared platform), and the contract's utilities and local bodies before construction (issue 16,
:func:`contract_parties`). A workflow
uses it in three places:

* its fold records each sign-off with :func:`record_signoff` (the latest word of a party is the
  one that counts: an objection is resolved by the same party agreeing later);
* its guards judge with :func:`missing_parties` and :func:`open_objections`;
* its views show :func:`signoff_view` (who agreed, who objects, who is missing).

The parties a step needs are computed by the workflow (e.g. :func:`project_parties` from the
project record) and passed in: this module reads no record of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

#: Party keys and their labels. ``utility.<kind>`` is the utility (专业经营单位) for a kind.
UTILITY_KINDS = ("water", "power", "gas", "telecom", "heating")
PARTY_LABELS: dict[str, tuple[str, str]] = {
    "district": ("区政府主管部门", "district government department"),
    "subdistrict": ("街道办事处", "sub-district office"),
    "community": ("社区/居委会", "community / residents' committee"),
    "social_capital": ("社会资本方", "social capital"),
    "utility.water": ("供水单位", "water utility"),
    "utility.power": ("供电单位", "power utility"),
    "utility.gas": ("供气单位", "gas utility"),
    "utility.telecom": ("通信单位", "telecom operators"),
    "utility.heating": ("供热单位", "heating utility"),
}


def party_label(party: str, lang: str = "zh") -> str:
    zh, en = PARTY_LABELS.get(party, (party, party))
    return zh if lang == "zh" else en


def utilities_of(scope: Iterable[Mapping[str, Any]]) -> list[str]:
    """The utility parties the scope touches: every ``utilities`` kind a scope item names
    (``scope: [{item, category, cost, matter, utilities: [water, power]}]``), in the order of
    :data:`UTILITY_KINDS`."""
    touched = {u for item in scope for u in (item.get("utilities") or [])}
    return [f"utility.{k}" for k in UTILITY_KINDS if k in touched]


def project_parties(project: Mapping[str, Any]) -> list[str]:
    """The parties a project's filing needs: the district department, the sub-district office
    and the community always; the social-capital side when the record names it
    (``social_capital``); the utilities its scope items touch (:func:`utilities_of`)."""
    parties = ["district", "subdistrict", "community"]
    if project.get("social_capital"):
        parties.append("social_capital")
    return parties + utilities_of(project.get("scope") or [])


#: The utilities every contract's works are coordinated with before construction (issue 16):
#: pipes and cables run under every renovated community, so their sign-off is never assumed.
CONTRACT_UTILITIES = ("water", "power", "gas", "telecom")


def contract_parties(project: Mapping[str, Any]) -> list[str]:
    """The parties a contract's construction needs: the sub-district office, the community
    (居委会), the water, power, gas and telecom utilities always, and any other utility the
    project's scope touches (e.g. heating: :func:`utilities_of`)."""
    touched = set(CONTRACT_UTILITIES) | {p.split(".", 1)[1] for p in
                                         utilities_of(project.get("scope") or [])}
    return ["subdistrict", "community"] + [f"utility.{k}" for k in UTILITY_KINDS
                                           if k in touched]


def record_signoff(signoffs: dict[str, Any], data: Mapping[str, Any], at: str) -> None:
    """Fold one sign-off into ``signoffs`` (party → its latest word, with its history)."""
    entry = {"decision": data["decision"], "organisation": data["organisation"],
             "signatory": data["signatory"], "at": at}
    for key in ("reason", "document_sha256"):
        if data.get(key):
            entry[key] = data[key]
    previous = signoffs.get(data["party"])
    history = (previous or {}).get("history", [])
    if previous:
        history = [*history, {k: v for k, v in previous.items() if k != "history"}]
    signoffs[data["party"]] = {**entry, **({"history": history} if history else {})}


def missing_parties(signoffs: Mapping[str, Any], required: Iterable[str]) -> list[str]:
    """The required parties that have not signed off at all."""
    return [p for p in required if p not in signoffs]


def open_objections(signoffs: Mapping[str, Any], required: Iterable[str]) -> dict[str, str]:
    """Required party → the reason of its objection, for parties whose latest word objects."""
    return {p: str(signoffs[p].get("reason", "")) for p in required
            if p in signoffs and signoffs[p]["decision"] == "object"}


def missing_refusal(ctx: Any, spec: Any, required: list[str]) -> Any:
    """The refusal (GuardSpec.refuse) naming every required party that has not signed off,
    or None: the guards of the project's filing and the contract's construction."""
    missing = missing_parties(ctx.state.get("signoffs") or {}, required)
    if missing:
        names = ", ".join(f"{p} ({party_label(p)})" for p in missing)
        return spec.refuse(ctx, f"not signed off by: {names}", missing=missing,
                           required=required)
    return None


def objection_refusal(ctx: Any, spec: Any, required: list[str]) -> Any:
    """The refusal naming every required party whose latest word objects (with its reason),
    or None."""
    objecting = open_objections(ctx.state.get("signoffs") or {}, required)
    if objecting:
        names = "; ".join(f"{p} ({party_label(p)}): {why}" for p, why in objecting.items())
        return spec.refuse(ctx, f"objection open: {names}", objecting=sorted(objecting))
    return None


def signoff_view(signoffs: Mapping[str, Any], required: Iterable[str]) -> dict[str, Any]:
    """Who agreed (with who signed and when), who objects (with the reason), who is missing."""
    required = list(required)
    agreed = {p: {"organisation": s["organisation"], "signatory": s["signatory"], "at": s["at"]}
              for p, s in signoffs.items() if s["decision"] == "agree"}
    return {"required": required, "agreed": agreed,
            "objecting": open_objections(signoffs, required),
            "missing": missing_parties(signoffs, required),
            "not_required": sorted(set(signoffs) - set(required))}
