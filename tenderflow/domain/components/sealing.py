"""Sealed offers by commit–reveal: bids, responses and final quotations.

The event log is the only storage and anyone allowed to read it (staff, auditors, the JSONL and
OCDS exports) could read a price written there. So a sealed offer never enters the log before
its opening. Before the deadline a supplier records only a **commitment**::

    commitment = SHA-256( canonical JSON of
        {"content": CONTENT, "kind": KIND, "nonce": NONCE,
         "procurement": PROCUREMENT_ID, "supplier": SUPPLIER_ID} )

where CONTENT is the offer itself (price, investment, concession term, revenue plan, and the
SHA-256 of each document), KIND says what is sealed (``bid`` in a tender, ``final_quote`` in a
negotiation; a negotiation's response is recorded by its documents' SHA-256 only)
and NONCE is a fresh random value of at least 128 bits (32–128 lowercase hex digits), without
which a price could be found by trying every amount. Binding the procurement, the supplier and
the kind stops one supplier from copying another's commitment or re-using it elsewhere.

At the opening every offer is revealed at once (content and nonce) and checked against its
commitment: a revealed content that differs in any byte of its canonical JSON — a price changed
after the deadline — fails its commitment and the offer is rejected; an offer that is not
revealed is rejected as well. ``tenderflow bid seal`` computes a commitment and writes the
reveal file the supplier keeps until the opening.

Canonical JSON is the one of DESIGN §4: UTF-8, sorted keys, no insignificant white space,
non-ASCII kept.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

KINDS = ("bid", "final_quote")
NONCE_RE = re.compile(r"^[0-9a-f]{32,128}$")
HASH_RE = re.compile(r"^[0-9a-f]{64}$")

# JSON Schema of a sealed offer's content (shared by the workflow files and the seal command).
MONEY_PATTERN = r"^[0-9]{1,13}(\.[0-9]{1,2})?$"
DOCUMENTS_SCHEMA: dict[str, Any] = {
    "type": "array", "maxItems": 100,
    "items": {"type": "object", "additionalProperties": False, "required": ["name", "sha256"],
              "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 200},
                             "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}},
}
CONTENT_SCHEMA: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "required": ["price"],
    "properties": {
        "price": {"type": "string", "pattern": MONEY_PATTERN},
        "investment": {"type": "string", "pattern": MONEY_PATTERN},
        "concession_years": {"type": "integer", "minimum": 1, "maximum": 99},
        "revenue_plan": {
            "type": "array", "maxItems": 50,
            "items": {"type": "object", "additionalProperties": False,
                      "required": ["source", "annual_amount"],
                      "properties": {"source": {"type": "string", "minLength": 1,
                                                "maxLength": 200},
                                     "annual_amount": {"type": "string",
                                                       "pattern": MONEY_PATTERN}}}},
        "documents": DOCUMENTS_SCHEMA,
    },
}


def canonical_json(value: Any) -> str:
    """DESIGN §4 canonical JSON (the same function as the store's, kept here so that the
    domain does not import the store)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def commitment(procurement: str, supplier: str, kind: str, content: dict[str, Any],
               nonce: str) -> str:
    """The SHA-256 commitment to a sealed offer (hex)."""
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one of {KINDS}")
    if not NONCE_RE.match(nonce):
        raise ValueError("the nonce must be 32 to 128 lowercase hex digits (at least 128 bits)")
    body = {"content": content, "kind": kind, "nonce": nonce, "procurement": procurement,
            "supplier": supplier}
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def new_nonce() -> str:
    """A fresh 256-bit nonce (used only by the seal command, never by a decision)."""
    return secrets.token_hex(32)


@dataclass(frozen=True)
class Verdict:
    """The outcome of opening one sealed offer."""

    supplier: str
    status: str  # "valid" | "commitment_mismatch" | "not_revealed"
    reason: str
    content: dict[str, Any] | None = None

    @property
    def valid(self) -> bool:
        return self.status == "valid"

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"status": self.status, "reason": self.reason}
        if self.content is not None:
            d["content"] = self.content
        return d


def open_sealed(procurement: str, kind: str, sealed: dict[str, dict[str, Any]],
                reveals: list[dict[str, Any]]) -> dict[str, Verdict]:
    """Check every reveal against its commitment. ``sealed`` maps a supplier to its recorded
    ``{"commitment": HEX, ...}`` (withdrawn offers left out); ``reveals`` is a list of
    ``{"supplier", "content", "nonce"}``. Every sealed supplier gets a verdict."""
    by_supplier = {r["supplier"]: r for r in reveals}
    out: dict[str, Verdict] = {}
    for sid in sorted(sealed):
        expected = sealed[sid]["commitment"]
        reveal = by_supplier.get(sid)
        if reveal is None:
            out[sid] = Verdict(sid, "not_revealed",
                               f"the sealed {kind} of {sid} was not revealed at the opening")
            continue
        got = commitment(procurement, sid, kind, reveal["content"], reveal["nonce"])
        if got != expected:
            out[sid] = Verdict(sid, "commitment_mismatch",
                               f"the revealed {kind} of {sid} does not match its commitment "
                               f"(sealed {expected[:16]}…, revealed content hashes to "
                               f"{got[:16]}…): the offer was changed after sealing",
                               reveal["content"])
            continue
        out[sid] = Verdict(sid, "valid", "matches its commitment", reveal["content"])
    return out


def reveal_problems(sealed: dict[str, dict[str, Any]], reveals: list[dict[str, Any]]
                    ) -> list[str]:
    """What makes a set of reveals unusable as a whole (a reveal for no sealed offer, a
    supplier revealed twice)."""
    problems = []
    seen: set[str] = set()
    for r in reveals:
        sid = r["supplier"]
        if sid in seen:
            problems.append(f"{sid} is revealed twice")
        seen.add(sid)
        if sid not in sealed:
            problems.append(f"{sid} has no sealed offer to reveal")
    return problems


# --- what sealing and opening add to a procurement's state (tender and negotiation) ----------

def seal(state: dict[str, Any], kind: str, data: dict[str, Any], at: str) -> None:
    """Record a sealed offer of ``kind``: its commitment, when, and its documents."""
    state.setdefault("sealed", {}).setdefault(kind, {})[data["supplier"]] = {
        "commitment": data["commitment"], "at": at, "documents": data.get("documents", [])}


def opening(state: dict[str, Any], payload: dict[str, Any], kind: str, at: str
            ) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Record the opening of the offers of ``kind`` (its verdicts); return the verdicts, the
    reveals by supplier and the opened offers of ``kind`` for the mode to fill."""
    verdicts = payload.get("findings", {}).get("opening", {})
    state.setdefault("openings", {})[kind] = {"at": at, "verdicts": verdicts}
    reveals = {r["supplier"]: r for r in payload["data"]["reveals"]}
    return verdicts, reveals, state.setdefault("offers", {}).setdefault(kind, {})


def flag_abnormally_low(state: dict[str, Any], payload: dict[str, Any], kind: str) -> None:
    """The offers of ``kind`` the opening found abnormally low, if any."""
    findings = payload.get("findings", {})
    if findings.get("abnormally_low"):
        state.setdefault("abnormally_low", {})[kind] = findings["abnormally_low"]


def explain(state: dict[str, Any], kind: str, data: dict[str, Any], at: str) -> None:
    """A supplier's explanation of an abnormally low offer of ``kind``, accepted or not."""
    state.setdefault("explanations", {}).setdefault(kind, {})[data["supplier"]] = {
        "accepted": bool(data["accepted"]), "explanation": data["explanation"], "at": at}
