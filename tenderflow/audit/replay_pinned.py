"""The definitions a replay decides with: read from the ``definitions`` table by the content
hashes an event pins (never from today's ``workflows/``), re-hashed, and loaded once per pin
set for a whole run (a national year pins a handful of sets across 50,000 procurements); and
the registry histories a run reads more than once (supplier profiles, see
:class:`tenderflow.audit.reading.ProfileHistories`)."""

from __future__ import annotations

import json
from typing import Any

from tenderflow.audit.reading import ProfileHistories
from tenderflow.errors import TenderflowError
from tenderflow.store.canonical import sha256_hex

PINNED_KINDS = ("workflow", "parameters", "calendar")


class PinnedDefinitionError(TenderflowError):
    """Raised when a pinned definition is missing, altered or no longer loads."""

    exit_code = 1


class PinnedDefinitions:
    """Definitions loaded from the ``definitions`` table by content hash, re-hashed, cached
    for the run (once per pin set); ``profiles``, the supplier histories the run has read."""

    def __init__(self, tx: Any) -> None:
        self.tx = tx
        self.profiles = ProfileHistories(tx)
        self._bodies: dict[str, tuple[str, Any]] = {}
        self._defs: dict[tuple[str, ...], Any] = {}

    def body(self, kind: str, digest: str) -> tuple[str, Any]:
        if digest not in self._bodies:
            row = self.tx.definition(digest)
            if row is None:
                raise PinnedDefinitionError(
                    f"pinned {kind} {digest[:16]}… is not in the definitions table")
            stored_kind, name, body = row
            if stored_kind != kind:
                raise PinnedDefinitionError(
                    f"pinned {kind} {digest[:16]}… is stored as a {stored_kind}")
            if sha256_hex(body) != digest:
                raise PinnedDefinitionError(
                    f"pinned {kind} {name} {digest[:16]}… was altered: its body hashes to "
                    f"{sha256_hex(body)[:16]}…")
            try:
                self._bodies[digest] = (name, json.loads(body))
            except (ValueError, RecursionError):
                raise PinnedDefinitionError(
                    f"pinned {kind} {name} {digest[:16]}… is not JSON") from None
        return self._bodies[digest]

    def definitions(self, pins: dict[str, str]) -> Any:
        from tenderflow.domain.calendar import WorkingDayCalendar
        from tenderflow.domain.parameters import Parameters
        from tenderflow.workflow.definitions import workflow_from_data
        from tenderflow.workflow.engine import Definitions

        missing = [k for k in PINNED_KINDS if not isinstance(pins.get(k), str)]
        if missing:
            raise PinnedDefinitionError(f"the event pins no {', '.join(missing)}")
        key = (pins["workflow"], pins["parameters"], pins["calendar"], pins.get("ruleset") or "")
        if key not in self._defs:
            try:
                name, wf_data = self.body("workflow", key[0])
                workflow = workflow_from_data(wf_data, f"{name}@{key[0][:12]}")
                _, param_data = self.body("parameters", key[1])
                params = Parameters(param_data, file=f"pinned parameters@{key[1][:12]}")
                _, cal_data = self.body("calendar", key[2])
                calendar = WorkingDayCalendar.from_data(cal_data)
                ruleset = self.ruleset(key[3]) if key[3] else None  # eligibility (optional)
            except PinnedDefinitionError:
                raise
            except TenderflowError as exc:
                raise PinnedDefinitionError(f"a pinned definition no longer loads: "
                                            f"{exc.message}") from None
            except Exception as exc:  # noqa: BLE001 - a forged body of any shape: say so
                raise PinnedDefinitionError(f"a pinned definition does not load "
                                            f"({type(exc).__name__}: {exc})") from None
            self._defs[key] = Definitions(workflow, params, calendar, ruleset)
        return self._defs[key]

    def ruleset(self, digest: str) -> Any:
        """The eligibility ruleset pinned when the procurement opened (kind ``ruleset``)."""
        from tenderflow.domain.eligibility import ruleset_from_pinned

        name, data = self.body("ruleset", digest)
        ident, _, version = name.partition(" ")
        return ruleset_from_pinned({"id": ident, "version": version, "content_hash": digest,
                                    "data": data})
