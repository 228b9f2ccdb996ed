"""What the state holds about offers, bonds and committees, and what may be shown of it.

Shared by every mode that takes sealed offers (bids in a tender, final quotations in a
negotiation). The state is folded from events; these helpers read it and build the public view
that ``status`` shows: before an opening only that a sealed offer exists, when it was sealed
and its commitment hash — never a price, which is not in the log until the opening.

State layout (keys of the procurement state)::

    sealed:      {kind: {supplier: {commitment, at, documents}}}   # kind: bid | final_quote
    withdrawn_offers: {kind: {supplier: {at, …}}}                  # kind also: response
    openings:    {kind: {at, verdicts: {supplier: {status, reason}}}}
    offers:      {kind: {supplier: {price, content, compliant, reason, at}}}   # after opening
    abnormally_low: {kind: {supplier: {price, others_mean, threshold, ratio}}}
    explanations: {kind: {supplier: {accepted, explanation, at}}}
    bonds:       {supplier: {amount, form, received_at, refund_due, refund_basis, refunded_on}}
    group / recused / candidate_profiles                           # committee (回避)
    challenges:  [{supplier, grounds, at, answer?, upheld?}]       # 质疑 after the award
    complaints:  [{supplier, grounds, at, decision?, upheld?}]     # 投诉 (components.challenges)
"""

from __future__ import annotations

from typing import Any

from tenderflow.domain.fold import State


def sealed_of(state: State, kind: str) -> dict[str, dict[str, Any]]:
    return dict(state.get("sealed", {}).get(kind, {}))


def opened(state: State, kind: str) -> bool:
    return kind in state.get("openings", {})


def offers_of(state: State, kind: str) -> dict[str, dict[str, Any]]:
    """Every opened offer whose commitment held (valid), compliant or not."""
    return dict(state.get("offers", {}).get(kind, {}))


def rejected_low(state: State, kind: str) -> set[str]:
    """Offers flagged abnormally low whose explanation was not accepted."""
    return {sid for sid, e in state.get("explanations", {}).get(kind, {}).items()
            if not e.get("accepted")}


def eligible_offers(state: State, kind: str) -> dict[str, dict[str, Any]]:
    """Opened, commitment held, meeting the substantive requirements, not rejected as
    abnormally low: the offers an award may go to."""
    bad = rejected_low(state, kind)
    return {sid: o for sid, o in offers_of(state, kind).items()
            if o.get("compliant") and sid not in bad}


def unexplained_low(state: State, kind: str) -> list[str]:
    flagged = state.get("abnormally_low", {}).get(kind, {})
    explained = state.get("explanations", {}).get(kind, {})
    compliant = {sid for sid, o in offers_of(state, kind).items() if o.get("compliant")}
    return sorted(sid for sid in flagged if sid not in explained and sid in compliant)


def seated_members(state: State) -> list[dict[str, Any]]:
    """The members still seated (imported here: ``status`` shows bids without it, issue 17)."""
    from tenderflow.domain.components.committee import seated

    return seated(state.get("group", []), state.get("recused", {}))


def candidates(state: State) -> list[dict[str, Any]]:
    return [state["candidate_profiles"][k] for k in sorted(state.get("candidate_profiles", {}))]


def names_public(state: State, kind: str) -> bool:
    """Whether the suppliers that sealed offers of ``kind`` may be named: after the opening
    (for a tender, once the bids were opened at the deadline — 唱标 names the bidders).
    Before it even the bidders' names stay undisclosed (招标投标法 第22条)."""
    return opened(state, kind) or (kind == "bid" and "opened" in state)


def public_view(state: State) -> dict[str, Any]:
    """Offers, bonds, committee and results as ``status`` shows them. Before an opening only
    how many sealed offers there are and their commitments (sorted by value, so that a
    supplier can find its own, without names); after it the suppliers, the verdicts and the
    opened offers."""
    view: dict[str, Any] = {}
    hidden: set[str] = set()
    for kind, sealed in sorted(state.get("sealed", {}).items()):
        entry: dict[str, Any] = {
            "opened": opened(state, kind),
            "sealed": {"count": len(sealed), "commitments": sorted(
                ({"commitment": s["commitment"], "at": s["at"]} for s in sealed.values()),
                key=lambda x: x["commitment"])},
        }
        if names_public(state, kind):
            entry["sealed_by"] = {sid: s["commitment"] for sid, s in sorted(sealed.items())}
        else:
            hidden |= set(sealed) | set(state.get("withdrawn_offers", {}).get(kind, {}))
        if opened(state, kind):
            entry["verdicts"] = state["openings"][kind]["verdicts"]
            entry["offers"] = {sid: {"price": o["price"], "compliant": o["compliant"],
                                     **({"reason": o["reason"]} if o.get("reason") else {})}
                               for sid, o in sorted(offers_of(state, kind).items())}
            low = state.get("abnormally_low", {}).get(kind)
            if low:
                entry["abnormally_low"] = low
            expl = state.get("explanations", {}).get(kind)
            if expl:
                entry["explanations"] = {sid: {"accepted": e["accepted"]}
                                         for sid, e in expl.items()}
        view[kind] = entry
    withdrawn: dict[str, Any] = {}
    for kind, w in sorted(state.get("withdrawn_offers", {}).items()):
        if w:
            withdrawn[kind] = sorted(w) if names_public(state, kind) or kind not in \
                state.get("sealed", {}) else len(w)
    if withdrawn:
        view["withdrawn"] = withdrawn
    bonds = {sid: {k: v for k, v in b.items() if v is not None}
             for sid, b in sorted(state.get("bonds", {}).items()) if sid not in hidden}
    if bonds:
        view["bonds"] = bonds
    refunded = {sid: b for sid, b in sorted(state.get("refunded_bonds", {}).items())
                if sid not in hidden}
    if refunded:
        view["refunded_bonds"] = refunded  # bonds of withdrawn bids, refunded
    if hidden & set(state.get("bonds", {})):
        view["bonds_undisclosed"] = len(hidden & set(state.get("bonds", {})))
    if state.get("recused"):
        view["recused"] = state["recused"]
    if state.get("recommendation"):
        view["ranking"] = [{"rank": r["rank"], "supplier": r["supplier"],
                            **{k: r[k] for k in ("price", "total", "evaluated_price")
                               if k in r}}
                           for r in state["recommendation"]["ranking"]]
    if state.get("challenges"):
        view["challenges"] = state["challenges"]
    if state.get("complaints"):
        view["complaints"] = state["complaints"]
    return view
