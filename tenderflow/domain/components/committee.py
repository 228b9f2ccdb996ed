"""Evaluation committees (评标委员会) and negotiating groups (谈判小组): composition and 回避.

A member has a name, a role and the affiliations they declare (employers, firms they hold
shares in, people they are related to). A member is *related to a candidate* — and must be
recused (回避, 招标投标法实施条例 第46条; 政府采购法实施条例 第9条) — when, after normalising
(Unicode NFKC, case and white space folded):

* a declared affiliation equals the candidate's id, name or legal representative, or one of
  the controllers the candidate registered (``controlled_by``); or
* the member's own name equals the candidate's legal representative or one of its controllers.

Matching is exact on the normalised text: tenderflow cannot know that two differently written
names are the same firm, so a member declares affiliations as registered names.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

ROLES = ("expert", "finance_expert", "legal_expert", "purchaser_representative")
EXPERT_ROLES = ("expert", "finance_expert", "legal_expert")


def normalise(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass(frozen=True)
class Recusal:
    """Why a member may not serve: the candidate and the relation found."""

    member: str
    supplier: str
    relation: str
    matched: str

    def reason(self) -> str:
        return f"{self.member} is related to {self.supplier}: {self.relation} ({self.matched})"

    def to_dict(self) -> dict[str, str]:
        return {"member": self.member, "supplier": self.supplier, "relation": self.relation,
                "matched": self.matched, "reason": self.reason()}


def candidate_of(sid: str, profile: dict[str, Any]) -> dict[str, Any]:
    """The fields of a registered supplier profile that 回避 looks at."""
    return {"id": sid, "name": profile.get("name", sid),
            "legal_representative": profile.get("legal_representative"),
            "controlled_by": list(profile.get("controlled_by") or [])}


def relations(member: dict[str, Any], candidate: dict[str, Any]) -> list[Recusal]:
    """Every relation between one member and one candidate."""
    name = str(member.get("name", ""))
    sid = str(candidate["id"])
    targets: list[tuple[str, str]] = [
        ("affiliated with the supplier (id)", sid),
        ("affiliated with the supplier (name)", str(candidate.get("name") or "")),
    ]
    people: list[tuple[str, str]] = []
    if candidate.get("legal_representative"):
        people.append(("the supplier's legal representative",
                       str(candidate["legal_representative"])))
    for c in candidate.get("controlled_by") or []:
        people.append(("a controller of the supplier", str(c)))
    found: list[Recusal] = []
    for aff in member.get("affiliations") or []:
        key = normalise(str(aff))
        if not key:
            continue
        for relation, value in targets + [(f"affiliated with {r}", v) for r, v in people]:
            if value and normalise(value) == key:
                found.append(Recusal(name, sid, relation, str(aff)))
    for relation, value in people:
        if value and normalise(value) == normalise(name):
            found.append(Recusal(name, sid, f"the member is {relation}", name))
    return found


def screen(members: list[dict[str, Any]], candidates: list[dict[str, Any]]) -> list[Recusal]:
    """Every (member, candidate) relation, one per pair (the first relation found)."""
    out: list[Recusal] = []
    for m in members:
        for c in candidates:
            rel = relations(m, c)
            if rel:
                out.append(rel[0])
    return out


@dataclass(frozen=True)
class Composition:
    """What the law asks of a committee: size, odd number, expert share, required roles."""

    min_size: int
    expert_share: Fraction
    required_roles: tuple[str, ...] = ()

    def problems(self, members: list[dict[str, Any]]) -> list[tuple[str, str, dict[str, Any]]]:
        """(kind, reason, numbers) for each way the members fall short; kinds are
        ``size``, ``odd``, ``expert_share``, ``roles``, ``duplicate``."""
        out: list[tuple[str, str, dict[str, Any]]] = []
        size = len(members)
        experts = sum(1 for m in members if m.get("role") in EXPERT_ROLES)
        names = [str(m.get("name")) for m in members]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            out.append(("duplicate", f"member {dupes[0]} is listed twice", {"member": dupes[0]}))
        if size < self.min_size:
            out.append(("size", f"{size} members, at least {self.min_size} required",
                        {"members": size, "minimum": self.min_size}))
        if size % 2 == 0:
            out.append(("odd", f"{size} members: the number must be odd", {"members": size}))
        if size and Fraction(experts, size) < self.expert_share:
            out.append(("expert_share", (f"{experts} of {size} members are experts, at least "
                                         f"{self.expert_share} required"),
                        {"experts": experts, "members": size, "share": str(self.expert_share)}))
        missing = [r for r in self.required_roles if not any(m.get("role") == r for m in members)]
        if missing:
            out.append(("roles", (f"the committee lacks a {' and a '.join(missing)} "
                                  "(PPP projects need a finance and a legal expert)"),
                        {"missing_roles": missing}))
        return out


def seated(group: list[dict[str, Any]], recused: dict[str, Any]) -> list[dict[str, Any]]:
    """The members still serving after recusals."""
    return [m for m in group if m.get("name") not in recused]


def named_again(members: list[dict[str, Any]], given: list[dict[str, Any]]) -> list[str]:
    """The names of ``given`` (replacement members) that already served among ``members`` or
    are listed twice."""
    names = {m["name"] for m in members}
    new = [m["name"] for m in given]
    return sorted((set(new) & names) | {n for n in new if new.count(n) > 1})


# --- what a committee's events add to a procurement's state (tender and negotiation) ---------

def recuse(state: dict[str, Any], payload: dict[str, Any], at: str) -> None:
    """Record the recusals an accepted event found (``findings.recusals``): the first stands."""
    for r in payload.get("findings", {}).get("recusals", []):
        state.setdefault("recused", {}).setdefault(r["member"], {**r, "at": at})


def appoint(state: dict[str, Any], key: str, payload: dict[str, Any], at: str) -> None:
    """Members appointed to the committee or group kept under ``key``, and their recusals."""
    state[key] = state.get(key, []) + payload["data"]["members"]
    recuse(state, payload, at)
