"""What a project's ``fund`` step reads of its region's registered fiscal data, copied into
its event (``facts.fiscal``) so that replay needs nothing else. The procurement services call
it when a transition asks for the ``fiscal`` facts; :mod:`tenderflow.app.fiscal` records the
imports."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tenderflow.domain.timeutil import local_date, parse_time

if TYPE_CHECKING:  # not imported to run: status, next and list read through sqlite3
    # (tenderflow.store.lite, issue 17)
    from tenderflow.store.eventstore import Tx

#: One stream per region and as-of date (``fiscal:<region>:<YYYY-MM-DD>``), holding its
#: ``FiscalDataImported`` events (a later one corrects the data of the same date).
PREFIX = "fiscal:"


def fiscal_stream(region: str, as_of: str) -> str:
    return f"{PREFIX}{region}:{as_of}"


def fiscal_facts(tx: Tx, region: str, at: datetime, before_global: int | None = None
                 ) -> dict[str, Any]:
    """The region's registered data a check at ``at`` reads: ``{"region", "import": {as_of,
    imported_at, file} | None, "data": ... | None}``. ``before_global`` (replay) ignores the
    imports recorded at or after that position of the log, which the check could not see."""
    day = local_date(at).isoformat()
    prefix = f"{PREFIX}{region}:"
    dates = sorted((sid[len(prefix):] for sid in tx.stream_ids(prefix)
                    if sid[len(prefix):] <= day), reverse=True)
    for as_of in dates:
        found = None
        for ev in tx.read_stream(fiscal_stream(region, as_of)):
            if parse_time(ev.occurred_at) <= at and (before_global is None
                                                     or ev.global_seq < before_global):
                found = ev
        if found is not None:
            return {"region": region,
                    "import": {"as_of": as_of, "imported_at": found.occurred_at,
                               "file": found.payload.get("file")},
                    "data": found.payload["data"]}
    return {"region": region, "import": None, "data": None}


def project_facts(tx: Tx, state: Mapping[str, Any], at: datetime, wanted: Collection[str]
                  ) -> dict[str, Any]:
    """The project facts a transition asks for: ``project`` (the record the state holds) and
    ``fiscal`` (its region's registered data at ``at``; ``{"region": None}`` for a project
    naming no region, which the checks refuse as not checked)."""
    facts: dict[str, Any] = {}
    if "project" in wanted:
        facts["project"] = state["project"]
    if "fiscal" in wanted:
        region = (state.get("project") or {}).get("region")
        facts["fiscal"] = fiscal_facts(tx, str(region), at) if region else {"region": None}
    return facts
