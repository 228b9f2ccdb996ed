"""The agreements read procurements only through the services' loading (issue 13): a snapshot
folded by other code is rebuilt from the events, never trusted, when ``contract verify``
looks for a file among every procurement or the demo picks its award
(``Services.states``)."""

from __future__ import annotations

from typing import Any

from tenderflow.domain import fold_version
from tenderflow.domain import state as fold_module
from tenderflow.domain.timeutil import parse_time


def _opened(services: Any, pid: str) -> None:
    services.open_procurement(pid, "CD-HH-2023", "competitive_negotiation", "staff:wang",
                              parse_time("2023-03-01T09:00+08:00"))


def test_states_load_every_procurement_and_leave_out_unknown_ids(registered: Any) -> None:
    _opened(registered, "CN-1")
    _opened(registered, "CN-2")
    every = registered.states()
    assert sorted(every) == ["CN-1", "CN-2"]
    assert every["CN-1"] == registered.state("CN-1")
    assert sorted(registered.states(["CN-2", "NOPE"])) == ["CN-2"]


def test_states_rebuild_a_snapshot_folded_by_other_code(registered: Any, monkeypatch: Any
                                                        ) -> None:
    _opened(registered, "CN-1")
    original = fold_module.fold_all

    def new_fold(pid: str, events: Any) -> dict[str, Any]:
        return {**original(pid, events), "new_field": "folded by the new code"}

    monkeypatch.setattr(fold_module, "fold_all", new_fold)
    monkeypatch.setattr(fold_version, "FOLD_VERSION", fold_version.FOLD_VERSION + 1)
    assert registered.states()["CN-1"]["new_field"] == "folded by the new code"
    assert registered.states(["CN-1"])["CN-1"]["new_field"] == "folded by the new code"
