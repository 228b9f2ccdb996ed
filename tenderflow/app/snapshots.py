"""Procurement snapshots: the one way the application reads a procurement's folded state.

A snapshot is a cache of the fold, stamped with the version of the code that folded it
(tenderflow.domain.fold_version) and trusted only while that stamp is the running code's and it
is at the stream's head; otherwise the state is rebuilt from the events (and, inside a write
transaction, saved again). Every reader of a procurement's state — the services' commands, a
re-opening's look at the failed procurement, the facts copied from another procurement — goes
through :func:`load_state` or :func:`find_state`. Project, supplier, credit and calendar
snapshots are not folds: their state is the latest profile or list, kept without a stamp
(NULL) and read as stored (:func:`stored_snapshot`), as is the stored projection that
``audit replay`` compares with its own fold.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from tenderflow.app.common import STREAM_MODES, candidate_streams, stream_of_state
from tenderflow.domain.state import State
from tenderflow.errors import ProcurementNotFound, TenderflowError
from tenderflow.workflow import engine
from tenderflow.workflow.definitions import Workflow, load_workflow

if TYPE_CHECKING:  # not imported to run: status, next and list read through sqlite3
    # (tenderflow.store.lite, issue 17)
    from tenderflow.store.eventstore import Tx


def stored_snapshot(tx: Tx, stream: str) -> tuple[int, dict[str, Any]] | None:
    """The snapshot row of ``stream`` as stored, ``(version, state)``, whatever code folded it:
    for what is not a fold (a profile) and for comparing the stored projection (replay)."""
    return tx.snapshot(stream)


def save_state(tx: Tx, wf: Workflow, pid: str, state: State) -> None:
    """Store the procurement's snapshot, stamped with the running fold version, and its row
    in the ``procurements`` read model (a project's intake has a snapshot and no row)."""
    from tenderflow.domain import fold_version

    tx.save_snapshot(stream_of_state(state), state["version"], state,
                     fold_version.FOLD_VERSION)
    if state.get("mode") in STREAM_MODES:  # an intake or a contract: no procurement row
        return
    tx.save_procurement_row(pid, state["project"]["id"], state["mode"], state["state"],
                            state["version"], engine.next_due(wf, state))


def find_state(tx: Tx, pid: str, root: Path | None = None) -> State | None:
    """The procurement's state at its head, or None if there is no such procurement: the
    stored snapshot when the running fold made it at the head, else rebuilt from the events
    (and saved, in a write transaction)."""
    from tenderflow.domain import fold_version

    for stream, bare in candidate_streams(pid):
        snap = tx.stamped_snapshot(stream)
        if snap is None:
            continue
        head, _ = tx.head(stream)
        if snap.fold_version == fold_version.FOLD_VERSION and snap.version == head:
            return snap.state
        return _rebuild(tx, stream, bare, root)  # folded by other code, or lagging the head
    return None


def load_state(tx: Tx, pid: str, root: Path | None = None) -> State:
    """As :func:`find_state`; a procurement (or project intake) that does not exist is
    ProcurementNotFound."""
    state = find_state(tx, pid, root)
    if state is None:
        raise ProcurementNotFound(f"no procurement {pid!r} (nor a project's intake)",
                                  procurement=pid)
    return state


def rebuild_state(tx: Tx, pid: str, root: Path | None = None) -> State:
    """Fold the procurement from its events; inside a write transaction, save the snapshot
    (stamped) and the read model row too. A read only returns the rebuilt state."""
    for stream, bare in candidate_streams(pid):
        if tx.head(stream)[0]:
            return _rebuild(tx, stream, bare, root)
    raise ProcurementNotFound(f"no procurement {pid!r}", procurement=pid)


def _rebuild(tx: Tx, stream: str, pid: str, root: Path | None) -> State:
    from tenderflow.domain.state import fold_all

    events = list(tx.read_stream(stream))
    state = fold_all(pid, events)
    if tx.writing:
        save_state(tx, _workflow_in_force(tx, events, state["mode"], root), pid, state)
    return state


def _workflow_in_force(tx: Tx, events: list[Any], mode: str, root: Path | None) -> Workflow:
    """The workflow the stream's last step was decided with (its pin in the definitions
    table), as when that step saved the read model: a timer added to the workflow later does
    not appear as due until a step is taken under it, and ``audit replay`` finds the same
    ``next_due``. The current file when the pin is not there to read."""
    import json

    from tenderflow.store.canonical import sha256_hex
    from tenderflow.workflow.definitions import workflow_from_data

    digest = (events[-1].pins or {}).get("workflow") if events else None
    row = tx.definition(digest) if isinstance(digest, str) else None
    if row is not None and row[0] == "workflow" and sha256_hex(row[2]) == digest:
        try:
            return workflow_from_data(json.loads(row[2]), row[1])
        except (ValueError, TenderflowError):
            pass
    return load_workflow(mode, root)
