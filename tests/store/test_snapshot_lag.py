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


def test_init_keeps_a_large_snapshot_behind_the_head_and_rebuilds_a_wrong_one(
        registered: Any) -> None:
    """A state over LAG_FROM (long late-entry reasons: each step adds ~4 kB to the state) has
    its snapshot saved behind the head by design: ``init`` checks that, with the events after
    it folded on, it is the fold of the whole stream, says so and leaves it; the same
    snapshot saying something else is rebuilt."""
    from tenderflow.domain import fold_version
    from tenderflow.domain.entry import Entry
    from tests.conftest import HISTORIC
    from tests.store.test_snapshot_version import _init

    store = registered.store
    _opened(registered)
    wordy = registered.with_entry(Entry("补录：纸质档案逐页核对后录入，" * 300, HISTORIC.receipt))
    _check(wordy, 40)
    snap, head = _stored(store)
    assert snap.size > snapshots.LAG_FROM and snap.fold_version == fold_version.FOLD_VERSION
    assert 2 < snap.version < head == 42  # saved once over LAG_FROM, behind the head since
    with store.reading() as tx:
        assert tx.stale_snapshots("procurement:", fold_version.FOLD_VERSION) == [SID]
        assert snapshots.lags_soundly(tx, SID, PID)
    r = _init(store.url)
    assert r.exit_code == 0, r.output
    assert "kept 1 snapshots saved behind the head" in r.output and "rebuilt" not in r.output
    assert _stored(store) == (snap, head)  # left as it was
    assert registered.rebuild_snapshots() == {"rebuilt": [], "failed": {}, "lagging": [PID]}
    assert registered.state(PID) == _replayed(store)

    with store.transaction() as tx:  # the same snapshot, saying something the events do not
        tx.save_snapshot(SID, snap.version, {**snap.state, "folded_by": "other code"},
                         fold_version.FOLD_VERSION)
    with store.reading() as tx:
        assert not snapshots.lags_soundly(tx, SID, PID)
    r = _init(store.url)
    assert r.exit_code == 0 and "rebuilt 1 stale procurement snapshot" in r.output, r.output
    rebuilt, head = _stored(store)
    assert rebuilt.version == head and rebuilt.state == _replayed(store)
    assert registered.rebuild_snapshots() == {"rebuilt": [], "failed": {}, "lagging": []}

    # lagging again after one more step; a read model row that is not the fold's: rebuilt
    _check(wordy, 1, start=40)
    snap, head = _stored(store)
    assert snap.version == head - 1 and snap.size > snapshots.LAG_FROM
    assert registered.rebuild_snapshots()["lagging"] == [PID]
    with store.transaction() as tx:
        row = tx.procurement_row(PID)
        tx.save_procurement_row(PID, row.project, row.mode, "awarded", row.version, None)
    assert registered.rebuild_snapshots() == {"rebuilt": [PID], "failed": {}, "lagging": []}
    truth = _replayed(store)
    with store.reading() as tx:
        assert tx.procurement_row(PID).state == truth["state"] != "awarded"
