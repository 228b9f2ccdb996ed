"""Reading a stream's events for the audit, where a tampered row must not crash the auditor."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tenderflow.errors import CheckFailed


class UnreadableEvent(CheckFailed):
    """Raised when a stored event cannot be read (a JSON column broken, a value of the wrong
    type): the log was altered; ``audit verify`` locates the row."""


def events_of(tx: Any, stream: str) -> Iterator[Any]:
    """The stream's events as the store reads them (upcast), or :class:`UnreadableEvent`."""
    rows = iter(tx.read_stream(stream))
    while True:
        try:
            event = next(rows)
        except StopIteration:
            return
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
            raise UnreadableEvent(
                f"{stream}: a stored event cannot be read ({type(exc).__name__}: {exc}); run "
                f"'tenderflow audit verify' to locate it", stream=stream) from None
        yield event


def events_or_noted(tx: Any, stream: str, result: Any) -> list[Any] | None:
    """The stream's events; ``None`` when one cannot be read, with "not compared" and the
    reason added to ``result``'s projection (a StreamReplay)."""
    try:
        return list(events_of(tx, stream))
    except UnreadableEvent as exc:
        result.projection.append(f"not compared: {exc.message}")
        return None


class ProfileHistories:
    """Registry streams read once for a whole replay, not once per event that names them: a
    supplier bids in many procurements, and every step whose facts copy its profile asks for
    the profile registered before that step. Each stream is kept as its ``(global_seq,
    profile)`` steps (at most ``limit`` streams; the oldest read is dropped past that)."""

    def __init__(self, tx: Any, limit: int = 20_000) -> None:
        self.tx = tx
        self.limit = limit
        self._streams: dict[str, tuple[list[tuple[int, Any]], UnreadableEvent | None]] = {}

    def profile_before(self, stream: str, global_seq: int) -> dict[str, Any] | None:
        """The last ``profile`` the stream recorded before position ``global_seq`` of the log
        (``None`` if none); :class:`UnreadableEvent` if an event before it cannot be read."""
        if stream not in self._streams:
            if len(self._streams) >= self.limit:
                del self._streams[next(iter(self._streams))]
            self._streams[stream] = self._read(stream)
        steps, error = self._streams[stream]
        profile = None
        for seq, recorded in steps:
            if seq >= global_seq:
                return profile
            if recorded is not None:
                profile = recorded
        if error is not None:  # the unreadable event comes before the position asked for
            raise error
        return profile

    def _read(self, stream: str) -> tuple[list[tuple[int, Any]], UnreadableEvent | None]:
        steps: list[tuple[int, Any]] = []
        try:
            for ev in events_of(self.tx, stream):
                profile = ev.payload.get("profile")
                steps.append((ev.global_seq, profile if isinstance(profile, dict) else None))
        except UnreadableEvent as exc:
            return steps, exc
        return steps, None
