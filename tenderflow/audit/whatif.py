"""What a change of the rules would do to the recorded procurements (``policy diff
--against-log``), as OpenFisca's reforms do for tax rules.

Each procurement is replayed twice with the audit replay (:func:`tenderflow.audit.replay.
replay_stream`): once with the definitions pinned in its events (the baseline: the log as it
was decided), and once with one pinned definition substituted by the NEW version — the
parameters for every procurement, a mode file for the procurements of that mode, an
eligibility ruleset for the procurements that pinned a ruleset of that id. Every other pin
(calendar, the other definitions) stays as recorded.

A step the baseline allows and the substituted rules do not is reported with the refusal's
rule, reason and legal source (``refused``: a guard refuses it, the trigger is no longer
possible there or not to that role, or its recorded data no longer fits), or with what the
new rules would decide instead
(``differs``: another outcome, e.g. a tick that now fails the procurement, or one that now lets
it go on). Only the first such step of a procurement is re-decided: what follows it in the log
was decided on a state the new rules would not have reached. A procurement whose log does not
replay under its own pins is not compared (fail closed) and is reported as such.

Nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from tenderflow.audit.replay import PinnedDefinitions, Violation, replay_stream

KINDS = ("parameters", "workflow", "ruleset")


class SubstitutedDefinitions(PinnedDefinitions):
    """The pinned definitions with one kind replaced by a new version where it applies."""

    def __init__(self, tx: Any, kind: str, new: Any) -> None:
        super().__init__(tx)
        if kind not in KINDS:
            raise ValueError(f"kind {kind!r}: expected one of {', '.join(KINDS)}")
        self.kind = kind
        self.new = new
        self._swapped: dict[int, Any] = {}

    def definitions(self, pins: dict[str, str]) -> Any:
        defs = super().definitions(pins)
        hit = self._swapped.get(id(defs))
        if hit is not None:
            return hit
        swapped = defs
        if self.kind == "parameters":
            swapped = replace(defs, params=self.new)
        elif self.kind == "workflow" and defs.workflow.mode == self.new.mode:
            swapped = replace(defs, workflow=self.new)
        elif self.kind == "ruleset" and defs.ruleset is not None and \
                defs.ruleset.id == self.new.id:
            swapped = replace(defs, ruleset=self.new)
        self._swapped[id(defs)] = swapped
        return swapped

    def definitions_applies(self, defs: Any) -> bool:
        if self.kind == "parameters":
            return True
        if self.kind == "workflow":
            return bool(defs.workflow.mode == self.new.mode)
        return defs.ruleset is not None and defs.ruleset.id == self.new.id


@dataclass
class Outcome:
    """What the new version does to one recorded procurement."""

    procurement: str
    status: str  # unchanged | refused | differs | not_compared | not_concerned
    state: str | None = None
    step: Violation | None = None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"procurement": self.procurement, "status": self.status, "state": self.state,
                "step": self.step.to_dict() if self.step else None, "note": self.note}


@dataclass
class WhatIf:
    kind: str
    outcomes: list[Outcome] = field(default_factory=list)

    def of(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def changed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status in ("refused", "differs")]

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "outcomes": [o.to_dict() for o in self.outcomes],
                "changed": [o.procurement for o in self.changed],
                "not_compared": [o.procurement for o in self.of("not_compared")]}


def what_if(store: Any, kind: str, new: Any) -> WhatIf:
    """Re-decide every recorded procurement with ``new`` (a Parameters, Workflow or Ruleset,
    as ``kind`` says) in place of the pinned definition of that kind."""
    report = WhatIf(kind)
    with store.reading() as tx:
        pinned = PinnedDefinitions(tx)
        swapped = SubstitutedDefinitions(tx, kind, new)
        rows = {r.id: r for r in tx.procurement_rows()}
        for sid in tx.stream_ids("procurement:"):
            pid = sid.partition(":")[2]
            base = replay_stream(tx, pid, pinned, rows)
            if base.violation is not None:
                report.outcomes.append(Outcome(
                    pid, "not_compared", base.state, base.violation,
                    "the log does not replay under its own pinned rules (tenderflow audit "
                    "replay " + pid + "); not compared"))
                continue
            if not _concerned(tx, sid, swapped):
                report.outcomes.append(Outcome(pid, "not_concerned", base.state))
                continue
            new_run = replay_stream(tx, pid, swapped, rows)
            v = new_run.violation
            if v is None:
                report.outcomes.append(Outcome(pid, "unchanged", base.state))
            elif v.kind in ("refused", "role", "not_possible", "data"):
                report.outcomes.append(Outcome(pid, "refused", base.state, v))
            elif v.kind in ("differs", "time"):
                report.outcomes.append(Outcome(pid, "differs", base.state, v))
            else:
                report.outcomes.append(Outcome(
                    pid, "not_compared", base.state, v,
                    "the new version could not be applied to this procurement"))
    return report


def _concerned(tx: Any, sid: str, swapped: SubstitutedDefinitions) -> bool:
    """Whether the procurement's pins are of the kind the new version replaces (its mode, its
    ruleset's id; every procurement for the parameters)."""
    from tenderflow.audit.reading import events_of

    for ev in events_of(tx, sid):
        if ev.pins:
            return swapped.definitions_applies(PinnedDefinitions.definitions(swapped, ev.pins))
    return False
