"""One way to read a procurement's state (issue 13): the services' commands, a re-opening's
look at the failed procurement and the facts copied from another procurement all read through
tenderflow.app.snapshots, which rebuilds a snapshot folded by other code instead of trusting
it; nothing else in the application layer or in replay reads a snapshot row itself."""

from __future__ import annotations

import inspect
from typing import Any

from tenderflow.app import procurement, scenario, snapshots
from tenderflow.audit import replay
from tenderflow.domain import fold_version
from tenderflow.domain import state as fold_module
from tests.store.test_snapshot_version import PID, _opened, _stored


def test_a_stale_snapshot_is_rebuilt_by_the_one_loading_function(registered: Any,
                                                                 monkeypatch: Any) -> None:
    store = registered.store
    _opened(registered)
    old = _stored(store)
    original = fold_module.fold_all

    def new_fold(pid: str, events: Any) -> dict[str, Any]:
        return {**original(pid, events), "new_field": "folded by the new code"}

    monkeypatch.setattr(fold_module, "fold_all", new_fold)
    monkeypatch.setattr(fold_version, "FOLD_VERSION", old.fold_version + 1)
    with store.reading() as tx:
        assert snapshots.find_state(tx, PID)["new_field"] == "folded by the new code"
        assert snapshots.find_state(tx, "NO-SUCH") is None
    assert _stored(store) == old  # a read writes nothing
    with store.transaction() as tx:  # a write transaction saves the rebuilt state, stamped
        snapshots.load_state(tx, PID)
    assert _stored(store).fold_version == old.fold_version + 1


def test_no_other_reader_of_snapshot_rows() -> None:
    for module in (procurement, scenario, replay):
        source = inspect.getsource(module)
        assert "tx.snapshot(" not in source and "stamped_snapshot" not in source, module
