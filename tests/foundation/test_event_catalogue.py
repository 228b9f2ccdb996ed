"""The event catalogue (tenderflow/events, DESIGN §4): it covers every event the workflows
record, no trigger accepts what its event does not declare, and the store refuses — writing
nothing — an event the catalogue does not describe."""

from __future__ import annotations

import copy
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tenderflow.errors import DefinitionError, EventSchemaError
from tenderflow.events.catalogue import SCHEMAS, Catalogue, EventType, catalogue, load
from tenderflow.events.drift import drift
from tenderflow.paths import workflows_dir
from tenderflow.store.eventstore import NewEvent
from tenderflow.workflow.definitions import Workflow, load_workflow

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "store-main-dcece75.sqlite"
T = "2023-03-01T09:00:00+08:00"
MODES = ("open_tender", "competitive_negotiation", "delegation", "project", "ppp_contract")


def workflows() -> list[Workflow]:
    return [load_workflow(mode) for mode in MODES]


def test_the_modes_are_all_the_workflows() -> None:
    found = {p.stem for p in workflows_dir().glob("*.yaml")
             if "transitions" in p.read_text(encoding="utf-8")}
    assert found == set(MODES)


def test_every_event_a_workflow_records_is_catalogued_and_accepts_its_triggers_data() -> None:
    assert drift(catalogue(), workflows()) == []


def test_an_edited_trigger_schema_is_caught() -> None:
    wf = load_workflow("competitive_negotiation")
    cancel = next(t for t in wf.transitions if t.trigger == "cancel")
    schema = copy.deepcopy(cancel.schema)
    assert schema is not None
    schema["properties"]["reason"] = {"type": "integer"}   # a type changed
    schema["properties"]["urgency"] = {"type": "string"}   # a property added
    edited = [t.__class__(**{**t.__dict__, "schema": schema}) if t is cancel else t
              for t in wf.transitions]
    changed = type("Edited", (), {"mode": wf.mode, "transitions": edited})()
    problems = drift(catalogue(), [changed])
    assert any("cancel → ProcurementCancelled: data.reason is ['integer', 'number'] in the "
               "trigger, ['string'] in the event" in p for p in problems), problems
    assert any("data.urgency is accepted by the trigger, not declared by the event" in p
               for p in problems), problems
    renamed = [t.__class__(**{**t.__dict__, "event": "ProcurementDropped"}) if t is cancel
               else t for t in wf.transitions]
    other = type("Renamed", (), {"mode": wf.mode, "transitions": renamed})()
    expected = ("competitive_negotiation.cancel records ProcurementDropped, which is not in the "
                "event catalogue")
    assert drift(catalogue(), [other]) == [expected]


def test_every_file_is_one_event_type_at_a_version_with_its_upcasters() -> None:
    names = {p.stem for p in SCHEMAS.glob("*.json")}
    assert names == {t.name for t in catalogue()}
    for t in catalogue():
        assert t.version >= 1 and sorted(t.upcasters) == list(range(1, t.version))


def test_the_events_written_by_the_old_main_validate() -> None:
    """Every event of the fixture database (the demo on main at dcece75) matches its type."""
    with sqlite3.connect(FIXTURE) as con:
        rows = con.execute("SELECT type, schema_version, payload FROM events").fetchall()
    assert len(rows) == 205
    for kind, version, payload in rows:
        assert catalogue().check(kind, json.loads(payload), version) == version


def test_a_version_without_its_upcaster_or_an_upcaster_without_a_reason_is_refused() -> None:
    with pytest.raises(DefinitionError, match=r"schema_version 3 but has no upcaster from "
                                              r"version\(s\) \[2\]"):
        Catalogue([EventType("X", 3, {"type": "object"}, {1: lambda p: p})])

    def silent(payload: dict[str, Any]) -> dict[str, Any]:
        return payload

    with pytest.raises(DefinitionError, match="does not say what changed"):
        Catalogue([EventType("X", 2, {"type": "object"}, {1: silent})])
    with pytest.raises(DefinitionError, match="not in the catalogue"):
        load(upcasters={("NoSuchEvent", 1): silent})


def test_the_store_refuses_an_unknown_type_and_writes_nothing(store: Any) -> None:
    with store.transaction() as tx, pytest.raises(EventSchemaError) as caught:
        tx.append("project:P", 0, [NewEvent("ProjectRegistered", {"profile": {"id": "P"}}, T,
                                            "staff:wang", {}),
                                   NewEvent("ProjectRenamed", {}, T, "staff:wang", {})], T)
    assert caught.value.exit_code == 2
    assert caught.value.context == {"event_type": "ProjectRenamed", "field": "type",
                                    "expected": "a catalogued event type"}
    with store.reading() as tx:
        assert tx.head("project:P")[0] == 0 and tx.count_events() == 0


def test_the_store_refuses_a_payload_its_schema_does_not_accept(store: Any) -> None:
    payload = {"trigger": "cancel", "from": "created", "to": "cancelled",
               "data": {"reason": 42}, "checks": []}
    with store.transaction() as tx, pytest.raises(EventSchemaError) as caught:
        tx.append("procurement:A", 0, [NewEvent("ProcurementCancelled", payload, T,
                                                "staff:wang", {})], T)
    err = caught.value
    assert err.context["event_type"] == "ProcurementCancelled"
    assert err.context["field"] == "payload.data.reason"
    assert err.context["expected"] == "type string"
    assert "event ProcurementCancelled (schema_version 1): payload.data.reason" in err.message
    assert "nothing was written" in err.message
    missing = {k: v for k, v in payload.items() if k != "checks"}
    with store.transaction() as tx, pytest.raises(EventSchemaError, match="'checks' is a "
                                                                          "required property"):
        tx.append("procurement:A", 0, [NewEvent("ProcurementCancelled", missing, T,
                                                "staff:wang", {})], T)
    with store.reading() as tx:
        assert tx.count_events() == 0


def test_the_store_stamps_the_catalogue_version_and_never_writes_an_old_one(store: Any) -> None:
    profile = {"profile": {"id": "P"}}
    with store.transaction() as tx:
        [written] = tx.append("project:P", 0, [NewEvent("ProjectRegistered", profile, T,
                                                        "staff:wang", {})], T)
    assert written.schema_version == catalogue().get("ProjectRegistered").version == 1
    assert json.loads(written.body)["schema_version"] == 1
    newer = catalogue().extended(EventType("ProjectRegistered", 2, {"type": "object"},
                                           {1: _same}))
    store.events = newer
    with store.transaction() as tx, pytest.raises(EventSchemaError, match="only the current "
                                                                          "version is written"):
        tx.append("project:P", 1, [NewEvent("ProjectRegistered", profile, T, "staff:wang", {},
                                            schema_version=1)], T)
    with store.transaction() as tx:
        [stamped] = tx.append("project:P", 1, [NewEvent("ProjectRegistered", profile, T,
                                                        "staff:wang", {})], T)
    assert stamped.schema_version == 2


def _same(payload: dict[str, Any]) -> dict[str, Any]:
    """Version 2 is version 1 (a test of the stamp)."""
    return payload
