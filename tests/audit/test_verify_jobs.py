"""``audit verify --jobs N``: N processes split by stream give the single walk's report, on a
sound log and on one tampered in several streams at once (issue 17)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tenderflow.audit.verify_jobs import ranges, verify_store
from tests.audit.attacker import INSERT_EVENT, insert_values
from tests.audit.conftest import AWARD, FAILED


def test_ranges_split_the_events_evenly_and_cover_every_stream() -> None:
    counts = [("a", 10), ("b", 10), ("c", 10), ("d", 10)]
    assert ranges(counts, 1) == [(None, None)]
    assert ranges(counts, 2) == [(None, "c"), ("c", None)]
    assert ranges(counts, 4) == [(None, "b"), ("b", "c"), ("c", "d"), ("d", None)]
    assert ranges([("a", 1)], 3) == [(None, None)]  # fewer streams than processes
    assert ranges([], 2) == [(None, None)]


@pytest.mark.parametrize("jobs", [2, 3])
def test_jobs_give_the_same_report_on_a_sound_log(recorded: Any, invoke: Any,
                                                  jobs: int) -> None:
    one, _ = verify_store(recorded.store)
    many, _ = verify_store(recorded.store, jobs=jobs)
    assert one.ok and many.to_dict() == one.to_dict()
    single = invoke("audit", "verify")
    parallel = invoke("audit", "verify", "--jobs", str(jobs))
    assert parallel.exit_code == single.exit_code == 0
    assert parallel.stdout == single.stdout


def test_jobs_give_the_same_report_on_a_tampered_log(recorded: Any, attacker: Any,
                                                     invoke: Any) -> None:
    row = attacker.event(AWARD, 3)
    attacker.set_column(AWARD, 3, "body", row["body"].replace('"staff:', '"staff:x', 1))
    attacker.set_column(FAILED, 2, "actor", "staff:mallory")
    attacker.sql("DELETE FROM events WHERE stream_id = ? AND stream_seq = 4", (FAILED,))
    fields = {"global_seq": 10_000, "stream_id": "procurement:FAKE", "stream_seq": 2,
              "type": "ProcurementCreated", "schema_version": 1,
              "occurred_at": "2023-01-01T09:00:00+08:00",
              "recorded_at": "2023-01-01T09:00:00+08:00", "actor": "staff:wang", "pins": {},
              "payload": {"mode": "competitive_negotiation"}, "prev_hash": "0" * 64}
    attacker.sql(INSERT_EVENT, insert_values(fields))
    one, _ = verify_store(recorded.store)
    assert len(one.problems) == 3 and one.notes  # the inserted row leaves a gap
    for jobs in (2, 4):
        many, _ = verify_store(recorded.store, jobs=jobs)
        assert many.to_dict() == one.to_dict()
    single = invoke("--json", "audit", "verify")
    parallel = invoke("--json", "audit", "verify", "--jobs", "3")
    assert parallel.exit_code == single.exit_code == 1
    assert json.loads(parallel.stdout) == json.loads(single.stdout)


def test_jobs_must_be_a_positive_number(recorded: Any, invoke: Any) -> None:
    result = invoke("audit", "verify", "--jobs", "0")
    assert result.exit_code == 2 and "--jobs" in result.stderr
    assert "Traceback" not in result.output


def _last_range(store: Any, jobs: int) -> list[tuple[str, int]]:
    """The streams (and their event counts) the last of ``jobs`` processes walks."""
    with store.reading() as tx:
        counts = sorted((sid, sum(1 for _ in tx.raw_events(stream_id=sid)))
                        for sid in tx.stream_ids())
    first, _ = ranges(counts, jobs)[-1]
    assert first is not None
    return [(sid, n) for sid, n in counts if sid >= first]


def test_a_tampered_row_in_the_second_process_and_an_unnumbered_row(recorded: Any,
                                                                    attacker: Any) -> None:
    """The second process's streams: a changed column, and a row whose stream_seq is no
    number (the single walk leaves its global_seq out of the numbering, which shows as a
    gap). Both are named as the single walk names them, and the gap is noted the same way
    (the processes count the numbers they walked: a sound log needs no gap query)."""
    from tenderflow.audit import verify_jobs

    counted: list[int] = []
    real = verify_jobs._gaps

    def gaps(tx: Any, upto: int, numbered: int) -> list[tuple[int, int]]:
        counted.append(numbered)
        return real(tx, upto, numbered)

    verify_jobs._gaps = gaps  # type: ignore[assignment]
    try:
        sound, _ = verify_store(recorded.store, jobs=2)
        assert sound.ok and not sound.notes and counted == [sound.events]
        second = sorted(_last_range(recorded.store, 2), key=lambda c: -c[1])
        (unnumbered, n), (changed, m) = second[0], second[1]
        assert n >= 3 and m >= 1
        attacker.set_column(changed, m, "actor", "staff:mallory")
        attacker.set_column(unnumbered, 2, "stream_seq", "late")
        one, _ = verify_store(recorded.store)
        many, _ = verify_store(recorded.store, jobs=2)
    finally:
        verify_jobs._gaps = real  # type: ignore[assignment]
    assert counted[-1] == many.events - 1  # the unnumbered row is not counted
    kinds = {p.stream: p.kind for p in one.problems}
    assert kinds[changed] == "column" and kinds[unnumbered] in ("column", "sequence")
    assert one.notes and "1 gap(s), 1 number(s) unused" in one.notes[0]
    assert many.to_dict() == one.to_dict()
