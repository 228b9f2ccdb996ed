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
