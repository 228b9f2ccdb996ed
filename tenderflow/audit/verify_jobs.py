"""``audit verify --jobs N``: the same walk in N processes, split by stream.

Every check of :class:`~tenderflow.audit.verify.ChainVerifier` but one is about one stream, so
the streams are cut into N contiguous ranges of ``stream_id`` holding about as many events each
(counted by the database), and each process walks its range in global order with its own
verifier and its own connection. The parent merges what they kept — one record per stream,
the first problem of each broken stream, the pinned definitions — and makes the one check
that spans streams, the gaps in ``global_seq``: the processes count the numbers they walked,
and when these are every number from the lowest to the highest there is no gap (the usual
case: two index lookups); otherwise one query over the numbers finds them. Then it catches
up with appends made meanwhile and compares the heads and definitions as the single walk
does. The report is the single walk's, problem for problem
(tests/audit/test_verify_jobs.py).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from itertools import pairwise
from typing import Any

from sqlalchemy import func, select

from tenderflow.audit import verify as single
from tenderflow.audit.verify import ChainVerifier, VerifyReport
from tenderflow.store import models as m


def ranges(counts: list[tuple[str, int]], jobs: int) -> list[tuple[str | None, str | None]]:
    """``(first, stop)`` ranges of stream ids (sorted ``counts`` of events per stream) holding
    about the same number of events each; the first starts and the last stops unbounded."""
    total = sum(n for _, n in counts)
    cuts: list[str] = []
    seen = 0
    for sid, n in counts:
        if len(cuts) + 1 < jobs and seen >= total * (len(cuts) + 1) / jobs:
            cuts.append(sid)
        seen += n
    bounds: list[str | None] = [None, *cuts, None]
    return list(pairwise(bounds))


class _Unnoted(list):  # type: ignore[type-arg]
    """A process's verifier sees only some numbers: the gaps it would note are not gaps."""

    def append(self, _gap: Any) -> None:
        return None


def _walk(url: str, streams: tuple[str | None, str | None], batch: int) -> dict[str, Any]:
    from tenderflow.store.eventstore import EventStore

    store = EventStore(url)
    verifier = ChainVerifier()
    verifier.gaps = _Unnoted()
    try:
        with store.reading(shared=True) as tx:
            verifier.feed_stored(tx.stored_rows(batch=batch, streams=streams))
    finally:
        store.dispose()
    return {"tails": verifier.tails, "broken": verifier.broken, "pinned": verifier.pinned,
            "events": verifier.events, "last_global": verifier.last_global,
            "unnumbered": verifier.unnumbered}


def _gaps(tx: Any, upto: int, numbered: int) -> list[tuple[int, int]]:
    """Consecutive numbers of the walked rows more than 1 apart, as the single walk notes them
    (rows whose sequence numbers are integers, ``global_seq`` from 1). ``numbered``: how many
    such rows the processes walked, ``upto`` the highest; when they are every number from the
    lowest there is to ``upto`` (an index lookup), there is no gap to look for."""
    g = m.events.c.global_seq
    low = select(func.min(g)).where(g >= 1)
    if tx.dialect == "sqlite":
        low = low.where(func.typeof(g) == "integer")
    lowest = tx.conn.execute(low).scalar()
    if lowest is None or numbered == upto - int(lowest) + 1:
        return []
    q = select(g.label("g"), func.lag(g).over(order_by=g).label("prev")).where(g >= 1, g <= upto)
    if tx.dialect == "sqlite":  # SQLite keeps whatever type a column is given
        q = q.where(func.typeof(g) == "integer",
                    func.typeof(m.events.c.stream_seq) == "integer")
    sub = q.subquery()
    rows = tx.conn.execute(select(sub.c.prev, sub.c.g)
                           .where(sub.c.prev.is_not(None), sub.c.g != sub.c.prev + 1)
                           .order_by(sub.c.g))
    return [(int(a), int(b)) for a, b in rows]


def verify_parallel(store: Any, jobs: int, progress: Callable[[int], None] | None = None,
                    batch: int = 1000) -> tuple[VerifyReport, ChainVerifier]:
    with store.reading() as tx:
        counts = [(str(s), int(n)) for s, n in tx.conn.execute(
            select(m.events.c.stream_id, func.count()).group_by(m.events.c.stream_id)
            .order_by(m.events.c.stream_id))]
    parts = ranges(counts, jobs)
    context = multiprocessing.get_context("fork" if "fork" in
                                          multiprocessing.get_all_start_methods() else "spawn")
    verifier = ChainVerifier()
    numbered = 0
    with ProcessPoolExecutor(max_workers=len(parts), mp_context=context) as pool:
        futures = [pool.submit(_walk, store.url, part, batch) for part in parts]
        for future in futures:
            done = future.result()
            verifier.tails.update(done["tails"])
            verifier.broken.update(done["broken"])
            verifier.pinned |= done["pinned"]
            verifier.events += done["events"]
            numbered += done["events"] - done["unnumbered"]
            verifier.last_global = max(verifier.last_global, done["last_global"])
            if progress is not None:
                progress(done["events"])
    with store.reading() as tx:
        verifier.gaps = _gaps(tx, verifier.last_global, numbered)
        heads = tx.heads()
        verifier.catch_up(tx, heads)
        report = verifier.finish(heads, tx.definitions())
    return report, verifier


def verify_store(store: Any, progress: Callable[[int], None] | None = None,
                 batch: int = 1000, jobs: int = 1) -> tuple[VerifyReport, ChainVerifier]:
    """``audit verify`` in ``jobs`` processes (1: the single walk), the same report."""
    if jobs > 1:
        return verify_parallel(store, jobs, progress, batch)
    return single.verify_store(store, progress, batch)
