"""The pins of a command: each definition's content hash and canonical body, computed once per
loaded definition object, and written to the definitions table only when not there yet.

Every command pins the workflow, the parameters, the working-day calendar (22 years of days)
and the eligibility ruleset it decided with. The loaders cache those objects (by file and
modification time, by the heads of the imported calendars); serialising and hashing them again
on every command cost 42% of ``fire`` (issue 17). A definition object is treated as immutable
once loaded, as every cache of the loaders already does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tenderflow.store.canonical import canonical_json, sha256_hex

# id(object) -> (the object, kept alive so that its id is not reused; hash; canonical body)
_CACHE: dict[int, tuple[Any, str, str]] = {}
_LIMIT = 64


def hash_and_body(obj: Any, data: Callable[[], Any],
                  digest: Callable[[], str] | None = None) -> tuple[str, str]:
    """``(content hash, canonical JSON body)`` of a loaded definition, computed once per
    object; the hash is SHA-256 of the body unless the object has its own (``digest``)."""
    hit = _CACHE.get(id(obj))
    if hit is not None and hit[0] is obj:
        return hit[1], hit[2]
    body = canonical_json(data())
    found = digest() if digest is not None else sha256_hex(body)
    if len(_CACHE) >= _LIMIT:
        _CACHE.clear()
    _CACHE[id(obj)] = (obj, found, body)
    return found, body


def definition_pins(defs: Any) -> tuple[dict[str, str], list[tuple[str, str, str, str]]]:
    """The pins of ``defs`` (an engine ``Definitions``) — equal to ``defs.pins()`` — and the
    ``(hash, kind, name, body)`` of each definition for the definitions table."""
    wf_hash, wf_body = hash_and_body(defs.workflow, lambda: defs.workflow.data)
    par_hash, par_body = hash_and_body(defs.params, lambda: defs.params.data)
    cal_hash, cal_body = hash_and_body(defs.calendar, defs.calendar.to_data,
                                       defs.calendar.content_hash)
    pins = {"workflow": wf_hash, "parameters": par_hash, "calendar": cal_hash}
    rows = [(wf_hash, "workflow", defs.workflow.mode, wf_body),
            (par_hash, "parameters", "parameters", par_body),
            (cal_hash, "calendar", "calendar", cal_body)]
    if defs.ruleset is not None:
        rs = defs.ruleset
        rs_hash, rs_body = hash_and_body(rs, rs.to_data, lambda: rs.content_hash)
        pins["ruleset"] = rs_hash
        rows.append((rs_hash, "ruleset", f"{rs.id} {rs.version}", rs_body))
    return pins, rows
