"""``audit replay --all --jobs N``: the streams replayed by N worker processes.

Each stream replays on its own (its events, the definitions its events pin, the registries
it names), so the work splits by stream: every worker opens the database itself, keeps one
reading transaction, one cache of pinned definitions and one read of the ``procurements``
read model for all the streams it is given, and returns each stream's
:class:`~tenderflow.audit.replay.StreamReplay`. The results come back in the order of the
streams, so the report — and its first failure, and the printed output — is the one a single
process gives.

Workers are forked (Linux): they inherit the store's catalogue of events (its upcasters)
without pickling it, and the imports already made. Where fork does not exist, or the database
lives only in this process's memory, the streams replay here, one after the other.

Each worker reads a snapshot of the log taken when it starts (read-only, deferred: SQLite's
WAL lets readers share the file). The list of streams is read before: on a log being written
meanwhile a stream opened after the listing is not replayed, as with one process.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

#: Streams handed to a worker at a time (at most): enough to keep the queue cheap, few
#: enough that the workers finish together and the progress bar moves.
CHUNK = 16

_worker: dict[str, Any] = {}


def can_fork(store: Any) -> bool:
    """Whether worker processes can open this store (a database in a file or a server)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    return not (store.dialect == "sqlite" and store.sqlite_path() is None)


def replay_streams(store: Any, streams: list[str], jobs: int, replay_one: Callable[..., Any],
                   progress: Callable[[int], None] | None = None) -> Iterator[Any]:
    """Each stream's StreamReplay, in the order of ``streams``, replayed by ``jobs``
    processes; ``replay_one(tx, stream, pinned, rows)`` replays one
    (:func:`tenderflow.audit.replay.replay_any`)."""
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(jobs, initializer=_open,
                  initargs=(store.url, store.events, replay_one)) as pool:
        chunk = max(1, min(CHUNK, len(streams) // (jobs * 8)))
        for result in pool.imap(_replay_one, streams, chunksize=chunk):
            if progress is not None:
                progress(1)
            yield result


def _open(url: str, events: Any, replay_one: Callable[..., Any]) -> None:
    """A worker's start: its own engine, reading transaction, definitions cache and rows."""
    from tenderflow.audit.replay_pinned import PinnedDefinitions
    from tenderflow.store.eventstore import EventStore, make_engine

    stack = ExitStack()
    # the store begins its transactions IMMEDIATE (the write lock): workers holding it would
    # replay one at a time, so theirs are read-only snapshots (make_engine's read_only)
    store = EventStore(url, make_engine(url, read_only=True), events=events)
    stack.callback(store.dispose)
    tx = stack.enter_context(store.reading())
    _worker.update(stack=stack, tx=tx, pinned=PinnedDefinitions(tx), replay=replay_one,
                   rows={r.id: r for r in tx.procurement_rows()})


def _replay_one(sid: str) -> Any:
    return _worker["replay"](_worker["tx"], sid, _worker["pinned"], _worker["rows"])
