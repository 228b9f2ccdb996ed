"""A fiscal region's budget and PPP commitments as registered data (财政承受能力数据), read by
the PPP checks of a project's ``fund`` step.

A region's file (YAML, the format of :mod:`tenderflow.domain.components.fiscal`) is validated
whole, then recorded as of a date on the stream ``fiscal:<region>:<as_of>``::

    FiscalDataImported {"region", "as_of", "file", "digest", "data": {region, name, source,
                        budget: [{year, general_expenditure}], commitments: [...]}}

Importing the same content again records nothing; a corrected file for the same date is
recorded after the first and replaces it from its import time on. A ``fund`` step reads the
region's latest import as of its business time (the newest as-of date on or before its day,
as recorded at or before its time) and copies it into its facts (``facts.fiscal``), so that
replay re-decides with the same figures; a region never registered is "not checked", which
refuses (fail closed), naming ``tenderflow fiscal import``.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tenderflow.app.common import check_actor, load_parameters
from tenderflow.app.fiscal_facts import PREFIX, fiscal_stream
from tenderflow.app.procurement import Services
from tenderflow.domain.components.fiscal import RegionBudget, parse_region
from tenderflow.domain.timeutil import iso, local_date
from tenderflow.errors import InputError
from tenderflow.store.canonical import canonical_json
from tenderflow.store.eventstore import EventStore, NewEvent
from tenderflow.workflow.definitions import load_yaml

EVENT = "FiscalDataImported"

def load_region_file(path: str | Path) -> RegionBudget:
    """Read and validate a region's fiscal data file (YAML)."""
    p = Path(path)
    return parse_region(load_yaml(p), file=str(p))


def digest_of(region: RegionBudget) -> str:
    return hashlib.sha256(canonical_json(region.to_dict()).encode("utf-8")).hexdigest()


def snapshot_of(payload: dict[str, Any], imported_at: str) -> dict[str, Any]:
    """The stream's snapshot: its latest import (as of, when, file, digest of the data)."""
    return {"as_of": payload["as_of"], "imported_at": imported_at, "file": payload["file"],
            "digest": payload["digest"]}


def import_fiscal(services: Services, path: Path, actor: str, at: datetime,
                  as_of: date | None = None) -> dict[str, Any]:
    """Record a region's fiscal data file as of ``as_of`` (default: the day of ``at``);
    idempotent."""
    result = record_fiscal(services, load_region_file(path), path.name, actor, at, as_of)
    return {"file": str(path), **result}


def record_fiscal(services: Services, region: RegionBudget, file: str, actor: str,
                  at: datetime, as_of: date | None = None) -> dict[str, Any]:
    """Record a region's validated data, read from ``file`` (its name), as of ``as_of``."""
    check_actor(actor)
    day = local_date(at)
    as_of = as_of or day
    if as_of > day:
        raise InputError(f"the data is as of {as_of.isoformat()}, after the import on "
                         f"{day.isoformat()}", field="--as-of",
                         expected=f"a date on or before {day.isoformat()}")
    digest = digest_of(region)
    recorded_at = services.recording_clock()
    late = services.late_entry_for(load_parameters(services.root), at, recorded_at,
                                   what=f"fiscal data import from {file}")
    sid = fiscal_stream(region.region, as_of.isoformat())
    with services.store.transaction() as tx:
        events = list(tx.read_stream(sid))
        recorded = not events or events[-1].payload.get("digest") != digest
        if recorded:
            payload: dict[str, Any] = {"region": region.region, "as_of": as_of.isoformat(),
                                       "file": file, "digest": digest,
                                       "data": region.to_dict()}
            if late:
                payload["late_entry"] = late
            tx.append(sid, len(events), [NewEvent(EVENT, payload, iso(at), actor, {})],
                      iso(recorded_at))
            tx.save_snapshot(sid, len(events) + 1, snapshot_of(payload, iso(at)))
    return {"region": region.region, "name": region.name, "as_of": as_of.isoformat(),
            "recorded": recorded, "correction": bool(events) and recorded,
            "budget_years": sorted(region.budget), "commitments": len(region.commitments)}


def fiscal_imports(store: EventStore, region: str | None = None) -> list[dict[str, Any]]:
    """Every recorded import (all regions, or one), oldest as-of date first."""
    out: list[dict[str, Any]] = []
    with store.reading() as tx:
        for sid in sorted(tx.stream_ids(f"{PREFIX}{region}:" if region else PREFIX)):
            for ev in tx.read_stream(sid):
                data = ev.payload.get("data") or {}
                out.append({"region": ev.payload.get("region"), "name": data.get("name"),
                            "as_of": ev.payload.get("as_of"), "imported_at": ev.occurred_at,
                            "file": ev.payload.get("file"),
                            "budget_years": [b["year"] for b in data.get("budget", ())],
                            "commitments": len(data.get("commitments", ()))})
    return out
