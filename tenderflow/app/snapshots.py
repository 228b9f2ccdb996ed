"""Procurement snapshots: the one way the application reads a procurement's folded state.

A snapshot is a cache of the fold, stamped with the version of the code that folded it
(tenderflow.domain.fold_version) and trusted only while that stamp is the running code's (the
events after it, if it is behind the stream's head, folded on); otherwise the state is rebuilt
from the events (and, inside a write transaction, saved again). Every reader of a
procurement's state — the services' commands, a re-opening's look at the failed procurement,
the facts copied from another procurement — goes through :func:`load_state` or
:func:`find_state`. Project, supplier, credit and calendar snapshots are not folds: their state
is the latest profile or list, kept without a stamp (NULL) and read as stored
(:func:`stored_snapshot`), as is the stored projection that ``audit replay`` compares with its
own fold.

Fire's cost flat in the state's size (issue 17): a command that writes keeps the state it
folded, per store and stream, and the next command on that stream takes it back instead of
reading and parsing the snapshot when the stream's head (version and hash) is still the one it
folded to (a head moved by anyone else, or a transaction that did not commit, leaves it unused).
A snapshot larger than :data:`LAG_FROM` characters is not rewritten on every event: it is saved
again once the events since it weigh as much as it does, so its writing costs at most as much
again as the events' own; a reader folds those events onto it (:func:`find_state`,
:func:`stored_snapshot`), which is the same fold as from the start of the stream.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tenderflow.app.common import STREAM_MODES, candidate_streams, stream_of_state
from tenderflow.domain.fold import State
from tenderflow.errors import ProcurementNotFound, TenderflowError
from tenderflow.workflow import engine
from tenderflow.workflow.definitions import Workflow, load_workflow

if TYPE_CHECKING:  # not imported to run: status, next and list read through sqlite3
    # (tenderflow.store.lite, issue 17)
    from tenderflow.store.eventstore import StoredEvent, Tx

# A snapshot of at most this many characters is saved at every event; a larger one when the
# events since it weigh as much as it does.
LAG_FROM = 128 * 1024
# states kept per store (the streams written last)
HELD_STREAMS = 64


@dataclass
class _Held:
    """A state a write folded, at the stream's ``head`` (version, hash), and what the stored
    snapshot is: its version and size, and the size of the events after it."""

    state: State
    head: tuple[int, str]
    fold_version: int
    saved: int
    saved_size: int
    tail_size: int


@dataclass
class _Kept:
    """One store's states: ``held`` for the next write (least recently written first), and
    ``lent`` to a write in progress. Taking one moves it from the first to the second (each a
    single dict operation: two threads never take the same state object)."""

    held: OrderedDict[str, _Held]
    lent: OrderedDict[str, _Held]


# store (its engine) -> its states
_KEPT: weakref.WeakKeyDictionary[Any, _Kept] = weakref.WeakKeyDictionary()


def _kept(tx: Tx) -> _Kept:
    engine_ = tx.conn.engine
    found = _KEPT.get(engine_)
    if found is None:
        found = _KEPT[engine_] = _Kept(OrderedDict(), OrderedDict())
    return found


def _keep(place: OrderedDict[str, _Held], stream: str, held: _Held) -> None:
    place[stream] = held
    while len(place) > HELD_STREAMS:
        place.popitem(last=False)


def stored_snapshot(tx: Tx, stream: str) -> tuple[int, dict[str, Any]] | None:
    """The snapshot row of ``stream`` as stored, ``(version, state)``, whatever code folded it:
    for what is not a fold (a profile) and for comparing the stored projection (replay). A
    fold's snapshot the running code saved behind the head (see :data:`LAG_FROM`) is given
    with the events after it folded on, at the head."""
    from tenderflow.domain import fold_version

    snap = tx.stamped_snapshot(stream)
    if snap is None:
        return None
    if snap.fold_version == fold_version.FOLD_VERSION:
        head = tx.head(stream)[0]
        if snap.version < head:
            state, _ = _fold_tail(tx, stream, snap.state, snap.version)
            return head, state
    return snap.version, snap.state


def _fold_tail(tx: Tx, stream: str, state: State, after: int) -> tuple[State, int]:
    """``state`` (folded up to ``after``) with the stream's later events folded on, and the
    size of those events."""
    from tenderflow.domain.state import fold

    size = 0
    for ev in tx.read_stream(stream, after=after):
        state = fold(state, ev.type, ev.payload, ev.occurred_at, ev.stream_seq)
        size += len(ev.body)
    return state, size


def save_state(tx: Tx, wf: Workflow, pid: str, state: State,
               appended: StoredEvent | None = None) -> None:
    """Store the procurement's snapshot, stamped with the running fold version, and its row
    in the ``procurements`` read model (a project's intake has a snapshot and no row).

    With ``appended`` (the event just folded into ``state``, taken by :func:`load_state` in
    this transaction), a snapshot larger than :data:`LAG_FROM` is saved only when the events
    since the stored one weigh as much as it does, and the state is kept for the next write."""
    from tenderflow.domain import fold_version

    stream = stream_of_state(state)
    kept_states = _kept(tx)
    kept_states.held.pop(stream, None)
    taken = kept_states.lent.pop(stream, None)
    kept: _Held | None
    if (appended is not None and taken is not None and taken.state is state
            and taken.fold_version == fold_version.FOLD_VERSION
            and lag_is_cheaper(taken.saved_size, taken.tail_size + len(appended.body))):
        kept = _Held(state, (appended.stream_seq, appended.hash), fold_version.FOLD_VERSION,
                     taken.saved, taken.saved_size, taken.tail_size + len(appended.body))
    else:
        size = tx.save_snapshot(stream, state["version"], state, fold_version.FOLD_VERSION)
        kept = (_Held(state, (appended.stream_seq, appended.hash), fold_version.FOLD_VERSION,
                      state["version"], size, 0) if appended is not None else None)
    if kept is not None:
        _keep(kept_states.held, stream, kept)
    if state.get("mode") in STREAM_MODES:  # an intake or a contract: no procurement row
        return
    tx.save_procurement_row(pid, state["project"]["id"], state["mode"], state["state"],
                            state["version"], engine.next_due(wf, state))


def lag_is_cheaper(saved_size: int, tail_size: int) -> bool:
    """Whether a snapshot of ``saved_size`` characters is better left behind the head than
    written again, the events after it weighing ``tail_size``: a large one (over
    :data:`LAG_FROM`), until those events weigh as much as it does."""
    return saved_size > LAG_FROM and tail_size < saved_size


def find_state(tx: Tx, pid: str, root: Path | None = None) -> State | None:
    """The procurement's state at its head, or None if there is no such procurement: the
    stored snapshot when the running fold made it (with the events after it folded on, see
    :data:`LAG_FROM`), else rebuilt from the events (and saved, in a write transaction).

    In a write transaction the state a previous write of this process kept at the same head
    is taken instead of the snapshot (the caller owns it: :func:`save_state` keeps it again)."""
    from tenderflow.domain import fold_version

    kept = _kept(tx) if tx.writing else None
    for stream, bare in candidate_streams(pid):
        if kept is not None:
            mine = kept.held.pop(stream, None)
            if (mine is not None and mine.fold_version == fold_version.FOLD_VERSION
                    and mine.head == tx.head(stream)):
                _keep(kept.lent, stream, mine)
                return mine.state
        snap = tx.stamped_snapshot(stream)
        if snap is None:
            continue
        head = tx.head(stream)
        if snap.fold_version != fold_version.FOLD_VERSION or snap.version > head[0]:
            return _rebuild(tx, stream, bare, root)  # folded by other code, or damaged
        state, tail = snap.state, 0
        if snap.version < head[0]:  # saved behind the head (LAG_FROM) or lagging
            state, tail = _fold_tail(tx, stream, state, snap.version)
        if kept is not None:
            _keep(kept.lent, stream, _Held(state, head, fold_version.FOLD_VERSION,
                                           snap.version, snap.size, tail))
        return state
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


def lags_soundly(tx: Tx, stream: str, pid: str, root: Path | None = None) -> bool:
    """Whether the snapshot of ``stream`` lags by design: stamped by the running fold, larger
    than :data:`LAG_FROM` and behind the head, it is with the events after it folded on the
    fold of the whole stream (what every reader takes it for, :func:`find_state`), and the read
    model row is the one a rebuild would write. Such a snapshot is not stale."""
    from tenderflow.domain import fold_version
    from tenderflow.domain.state import fold, fold_all

    snap = tx.stamped_snapshot(stream)
    if (snap is None or snap.fold_version != fold_version.FOLD_VERSION
            or snap.size <= LAG_FROM or not snap.version < tx.head(stream)[0]):
        return False
    events = list(tx.read_stream(stream))
    state = snap.state
    for ev in events[snap.version:]:
        state = fold(state, ev.type, ev.payload, ev.occurred_at, ev.stream_seq)
    whole = fold_all(pid, events)
    if state != whole:
        return False
    if whole.get("mode") in STREAM_MODES:  # an intake or a contract: no read model row
        return True
    row = tx.procurement_row(pid)
    wf = _workflow_in_force(tx, events, whole["mode"], root)
    return row is not None and (row.project, row.mode, row.state, row.version, row.next_due) == (
        whole["project"]["id"], whole["mode"], whole["state"], whole["version"],
        engine.next_due(wf, whole))


def rebuild_stale(store: Any, root: Path | None = None) -> dict[str, Any]:
    """Rebuild every stale procurement or intake snapshot (another fold version, none, ahead
    of the head, or behind it and not the fold of the stream) and its read model row from the
    events, one transaction each (``tenderflow init``). A large snapshot left behind the head
    by design (:data:`LAG_FROM`) that folds on to the fold of the whole stream, its read model
    row current (:func:`lags_soundly`), is left as it is. Returns the ids ``rebuilt``, ``lagging``
    (left) and ``failed`` (id → why this code cannot fold its events: its stale snapshot is
    not trusted on read either)."""
    from tenderflow.domain import fold_version

    with store.reading() as tx:
        stale = [s for kind in ("procurement:", "intake:")
                 for s in tx.stale_snapshots(kind, fold_version.FOLD_VERSION)]
    rebuilt: list[str] = []
    lagging: list[str] = []
    failed: dict[str, str] = {}
    for sid in stale:
        pid = sid.split(":", 1)[1]
        try:
            with store.reading() as tx:
                sound = lags_soundly(tx, sid, pid, root)
        except (KeyError, TypeError, ValueError, TenderflowError):
            sound = False  # the rebuild says why, or does it
        if sound:
            lagging.append(pid)
            continue
        try:
            with store.transaction() as tx:
                rebuild_state(tx, pid, root)
        except (KeyError, TypeError, ValueError, TenderflowError) as exc:
            failed[pid] = f"{type(exc).__name__}: {exc}"
            continue
        rebuilt.append(pid)
    return {"rebuilt": rebuilt, "failed": failed, "lagging": lagging}
