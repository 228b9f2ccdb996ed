"""Fire's cost flat in the state's size (issue 17): the state a write folded is kept for the
next write on the same head, and a large snapshot is saved behind the head until the events
since it weigh as much as it does (tenderflow.app.snapshots). Every reader still sees the
fold of the whole stream, ``audit replay`` finds nothing to report, and a write that did not
commit leaves nothing behind that a later command would trust.
"""

from __future__ import annotations

from typing import Any

import pytest

from tenderflow.app import snapshots
from tenderflow.app.procurement import Services
from tenderflow.audit.replay import replay
from tenderflow.domain.state import fold_all
from tenderflow.domain.timeutil import parse_time
from tenderflow.store.eventstore import EventStore
from tests.store.test_snapshot_version import PID, SID, _opened

CHECK = {"candidates": ["S-CDJG", "S-HXJS"]}


def _check(services: Any, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        services.fire(PID, "check_eligibility", CHECK, "staff:wang",
                      parse_time(f"2023-03-01T11:{i:02d}+08:00"))


def _replayed(store: EventStore) -> dict[str, Any]:
    with store.reading() as tx:
        return fold_all(PID, tx.read_stream(SID))


def _stored(store: EventStore) -> Any:
    with store.reading() as tx:
        return tx.stamped_snapshot(SID), tx.head(SID)[0]


def test_a_large_snapshot_lags_and_every_reader_sees_the_whole_fold(
        registered: Any, monkeypatch: Any) -> None:
    store = registered.store
    _opened(registered)
    # every snapshot here left behind the head (the events weigh more than these states)
    monkeypatch.setattr(snapshots, "lag_is_cheaper", lambda saved, tail: True)
    _check(registered, 6)
    snap, head = _stored(store)
    assert head == 8
    assert snap.version == 2  # saved by the opening steps, behind the head since
    truth = _replayed(store)
    assert registered.state(PID) == truth
    with store.reading() as tx:
        assert snapshots.stored_snapshot(tx, SID) == (head, truth)
        assert snapshots.find_state(tx, PID) == truth
    report = replay(store, PID)
    assert report.ok, report.to_dict()
    # another process (its own store, nothing kept) writes on the lagging snapshot
    other = Services(EventStore(store.url), entry=registered.entry,
                     recording_clock=registered.recording_clock)
    _check(other, 2, start=6)
    other.store.dispose()
    assert registered.state(PID) == _replayed(store)
    _check(registered, 1, start=8)  # and this one sees the head moved: its kept state unused
    assert registered.state(PID) == _replayed(store)
    assert replay(store, PID).ok


def test_a_small_snapshot_is_saved_at_every_event(registered: Any) -> None:
    _opened(registered)
    _check(registered, 3)
    snap, head = _stored(registered.store)
    assert snap.version == head == 5 and snap.state == _replayed(registered.store)


def test_a_large_snapshot_is_saved_once_the_events_since_weigh_as_much() -> None:
    large = snapshots.LAG_FROM + 1
    assert not snapshots.lag_is_cheaper(snapshots.LAG_FROM, 0)  # small: saved at each event
    assert snapshots.lag_is_cheaper(large, 0)
    assert snapshots.lag_is_cheaper(large, large - 1)
    assert not snapshots.lag_is_cheaper(large, large)


def test_a_write_that_did_not_commit_leaves_no_state_to_trust(registered: Any,
                                                              monkeypatch: Any) -> None:
    store = registered.store
    _opened(registered)
    _check(registered, 1)
    before = _replayed(store)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    with monkeypatch.context() as m:  # fold in place, then fail before the commit
        m.setattr("tenderflow.store.projections.Projections.save_procurement_row", broken)
        with pytest.raises(RuntimeError):
            _check(registered, 1, start=1)
    assert _replayed(store) == before  # nothing was written
    assert registered.state(PID) == before
    _check(registered, 1, start=1)  # the next write decides on the stored state, not the lost one
    after = _replayed(store)
    assert after["version"] == before["version"] + 1
    assert registered.state(PID) == after
    assert replay(store, PID).ok
