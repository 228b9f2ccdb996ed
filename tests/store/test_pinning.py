"""The pins of a command: computed once per loaded definition, stored only when new."""

from __future__ import annotations

from typing import Any

from tenderflow.app.pinning import definition_pins
from tenderflow.store.canonical import sha256_hex
from tenderflow.workflow.rulesets import ruleset_for_opening


def _definitions(services: Any) -> Any:
    with services.store.reading() as tx:
        return services.definitions("open_tender", ruleset_for_opening(None), tx)


def test_pins_are_the_definitions_content_hashes(services: Any) -> None:
    defs = _definitions(services)
    pins, rows = definition_pins(defs)
    assert pins == defs.pins()
    assert set(pins) == {"workflow", "parameters", "calendar", "ruleset"}
    for digest, kind, _name, body in rows:
        assert pins[kind] == digest == sha256_hex(body)


def test_hashes_and_bodies_are_computed_once_per_loaded_object(services: Any) -> None:
    defs = _definitions(services)
    first = definition_pins(defs)[1]
    again = definition_pins(_definitions(services))[1]  # the loaders' cached objects
    assert all(a[3] is b[3] for a, b in zip(first, again, strict=True))


def test_a_definition_is_written_only_when_its_hash_is_not_stored(services: Any) -> None:
    from sqlalchemy import event

    defs = _definitions(services)
    _, rows = definition_pins(defs)
    inserts: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO DEFINITIONS"):
            inserts.append(statement)

    event.listen(services.store.engine, "before_cursor_execute", count)
    try:
        with services.store.transaction() as tx:
            tx.pin_definitions(rows)
        assert len(inserts) == len(rows)
        with services.store.transaction() as tx:
            tx.pin_definitions(rows)
        assert len(inserts) == len(rows)  # all there: nothing written again
    finally:
        event.remove(services.store.engine, "before_cursor_execute", count)
    with services.store.reading() as tx:
        stored = {r.hash: r.body for r in tx.definitions()}
    assert {d: b for d, _, _, b in rows} == {d: stored[d] for d, _, _, _ in rows}
