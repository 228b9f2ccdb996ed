"""What an eligibility check reads from the store, copied into its ``EligibilityChecked``
event (``facts.eligibility``) so that replay needs nothing else: the candidates' registered
profiles, the consortium members', the credit-list entries for their USCCs and each list's
version, and each list's latest import before the check (as-of date, import time, file). The
procurement services gather these when a transition asks for the
``eligibility`` facts; :mod:`tenderflow.app.eligibility` lists the credit entries."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from tenderflow.domain.components.eligibility import (
    acting_suppliers,
    check_procurement,
    participants,
)
from tenderflow.domain.timeutil import local_date, parse_time
from tenderflow.errors import InputError, NotFound
from tenderflow.store.eventstore import Tx

CREDIT_PREFIX = "credit:"
#: One stream per list and as-of date of an export (``credit-asof:<list>:<YYYY-MM-DD>``), holding
#: its ``CreditListImported`` event: which lists were imported, as of when, and when. Kept apart
#: from the entries so that records entered after the fact may import an older export.
IMPORT_PREFIX = "credit-asof:"

#: A registered supplier's profile by id, or None.
Profile = Callable[[str], "dict[str, Any] | None"]


def credit_stream(list_name: str) -> str:
    return f"{CREDIT_PREFIX}{list_name}"


def import_stream(list_name: str, as_of: str) -> str:
    return f"{IMPORT_PREFIX}{list_name}:{as_of}"


def import_record(as_of: str, imported_at: str, file: str | None) -> dict[str, Any]:
    """What a check reads of one import (the snapshot of its ``credit-asof`` stream)."""
    return {"as_of": as_of, "imported_at": imported_at, "file": file}


def credit_imports(tx: Tx, at: datetime | None = None) -> dict[str, dict[str, Any]]:
    """Each credit list as last imported before ``at`` (all imports when None): the latest
    as-of date recorded at or before ``at``, with its import time and file."""
    day = local_date(at).isoformat() if at is not None else None
    by_list: dict[str, list[str]] = {}
    for sid in tx.stream_ids(IMPORT_PREFIX):
        name, _, as_of = sid[len(IMPORT_PREFIX):].rpartition(":")
        if day is None or as_of <= day:
            by_list.setdefault(name, []).append(as_of)
    found: dict[str, dict[str, Any]] = {}
    for name, dates in by_list.items():
        # newest as-of first: only the imports that could be the answer are read, not every
        # import ever recorded (one stream per list and day accumulates over the years)
        for as_of in sorted(dates, reverse=True):
            event = next(iter(tx.read_stream(import_stream(name, as_of))), None)
            if event is None or (at is not None and parse_time(event.occurred_at) > at):
                continue
            found[name] = import_record(as_of, event.occurred_at, event.payload.get("file"))
            break
    return dict(sorted(found.items()))


def credit_entries(tx: Tx, usccs: set[str] | None = None
                   ) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The recorded entries (all, or those for ``usccs``) and each list stream's version."""
    found: list[dict[str, Any]] = []
    versions: dict[str, int] = {}
    for sid in tx.stream_ids(CREDIT_PREFIX):
        snap = tx.snapshot(sid)
        if snap is None:
            continue
        versions[sid[len(CREDIT_PREFIX):]] = snap[0]
        for key in sorted(snap[1]["entries"]):
            entry = snap[1]["entries"][key]
            if usccs is None or entry["uscc"] in usccs:
                found.append(entry)
    return found, versions


def eligibility_facts(tx: Tx, state: Mapping[str, Any], data: Any,
                      profile: Profile, at: datetime) -> dict[str, Any]:
    """What a check reads, copied from the store into the ``EligibilityChecked`` event."""
    named = data.get("candidates") if isinstance(data, Mapping) else None
    named = [c for c in named if isinstance(c, str)] if isinstance(named, list) else []
    # the candidates named, the supplier a decision names (a delegation's entity), and who is
    # already on the lot
    ids = list(dict.fromkeys([*named, *(acting_suppliers(data) if isinstance(data, Mapping)
                                       else ()), *participants(state)]))
    if not ids:
        raise InputError(f"{state['id']}: no candidate to check", field="with.candidates",
                         expected="supplier ids (eligibility check ID --candidate S-…), or "
                                  "suppliers already invited or bidding")
    candidates = [_profile(profile, cid) for cid in ids]
    members: list[dict[str, Any]] = []
    for c in candidates:
        for m in (c.get("consortium") or {}).get("members", ()):
            if m not in ids and all(x["id"] != m for x in members):
                members.append(_profile(profile, m, f"member of consortium {c['id']}"))
    usccs = {p["uscc"] for p in [*candidates, *members] if p.get("uscc")}
    entries, versions = credit_entries(tx, usccs)
    return {"candidates": candidates, "suppliers": members,
            "procurement": check_procurement(state, [*candidates, *members]),
            "credit": entries, "credit_lists": versions,
            "credit_imports": credit_imports(tx, at)}


def _profile(profile: Profile, sid: str, what: str = "candidate") -> dict[str, Any]:
    found = profile(sid)
    if found is None:
        raise NotFound(f"supplier {sid!r} ({what}) is not registered", supplier=sid)
    return found
