"""Event bodies stored once (DESIGN §4), deflated with a dictionary trained on the store's own
events. Pure: no database here.

The canonical JSON an event's hash covers is the only copy of the event: every field a reader
sees (payload, pins, times, ``prev_hash`` …) is read from it, and verifying hashes exactly these
bytes, inflated, never re-serialised. The bytes are kept as raw DEFLATE (RFC 1951, ``zlib``
with ``wbits=-15``) with a preset dictionary: events of one procurement system repeat one
another — the same keys, rule ids and legal sources, supplier facts, and the same pinned
definition hashes in every event — and a dictionary of recent bodies lets DEFLATE refer to
them (about 330 bytes a body for the generated mix against 1,100 without a dictionary and
2,950 as text).

A dictionary is a ``body_codecs`` row, never changed once written, named by the ``global_seq``
of the event whose append trained it (so two writers never train the same one). Every event
row names the codec its bytes were deflated with; codec 0 has an empty dictionary. The store
trains a new one when the ``global_seq`` it draws is :data:`FIRST_TRAINING` or a multiple of
:data:`RETRAIN_EVERY`, from the latest body of each event type among the last
:data:`TRAINING_WINDOW` events, so the dictionary follows what the log holds now.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterable

FIRST_TRAINING = 256
RETRAIN_EVERY = 100_000
TRAINING_WINDOW = 2000
DICTIONARY_BYTES = 32768  # DEFLATE's window: a longer dictionary is not used
PER_TYPE_BYTES = 2048
LEVEL = 6


class BodyUnreadable(ValueError):
    """Stored bytes that do not inflate with their codec (damaged, or the codec is missing)."""


def deflate(body: bytes, dictionary: bytes) -> bytes:
    z = (zlib.compressobj(LEVEL, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, dictionary)
         if dictionary else zlib.compressobj(LEVEL, zlib.DEFLATED, -15, 9))
    return z.compress(body) + z.flush()


def inflate(stored: bytes, dictionary: bytes) -> bytes:
    """The canonical bytes as written; BodyUnreadable if ``stored`` is not a complete DEFLATE
    stream under ``dictionary``."""
    try:
        z = zlib.decompressobj(-15, dictionary) if dictionary else zlib.decompressobj(-15)
        body = z.decompress(stored)
    except (zlib.error, TypeError) as exc:
        raise BodyUnreadable(f"the stored body does not inflate ({exc})") from None
    if not z.eof or z.unused_data:
        raise BodyUnreadable("the stored body is not one complete DEFLATE stream")
    return body


def trains_at(global_seq: int) -> bool:
    """Whether appending the event numbered ``global_seq`` trains a new dictionary."""
    return global_seq == FIRST_TRAINING or (global_seq > 0 and global_seq % RETRAIN_EVERY == 0)


def train(samples: Iterable[tuple[str, bytes]]) -> bytes:
    """A dictionary from ``(type, body)`` pairs in log order: the end of the latest body of
    each type, the rarest types first so the commonest sit nearest (DEFLATE reaches the end of
    a dictionary in the fewest bits), at most :data:`DICTIONARY_BYTES`."""
    counts: Counter[str] = Counter()
    latest: dict[str, bytes] = {}
    for type_, body in samples:
        counts[type_] += 1
        latest[type_] = body
    order = sorted(counts, key=lambda t: (counts[t], t))
    return b"".join(latest[t][-PER_TYPE_BYTES:] for t in order)[-DICTIONARY_BYTES:]
