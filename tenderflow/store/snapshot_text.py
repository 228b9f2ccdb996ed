"""How a snapshot's state is kept in its text column (issue 17). Pure: no database here.

A snapshot is a cache of a fold, rewritten as the stream moves; in the generated mix the
procurements' snapshots weighed more than their events (7 kB of JSON each, 570 bytes an event
of the whole file). A state whose JSON is longer than :data:`PACK_FROM` characters is kept
packed: ``z1:`` and the base64 of its UTF-8 JSON, raw DEFLATE (``zlib``, ``wbits=-15``) —
about a fifth of the text. A shorter one, and every snapshot written before this, is kept as
its JSON, which always starts with ``{``; the reader tells them apart by the first characters.
The column stays text, so nothing in the schema changes and older rows read as they are.
"""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any

PACKED = "z1:"
PACK_FROM = 1024
LEVEL = 6


class SnapshotUnreadable(ValueError):
    """A stored snapshot that is neither JSON nor a packed state that unpacks."""


def pack(text: str) -> str:
    """The text to store for a state whose canonical JSON is ``text``."""
    if len(text) <= PACK_FROM:
        return text
    z = zlib.compressobj(LEVEL, zlib.DEFLATED, -15, 9)
    data = z.compress(text.encode("utf-8")) + z.flush()
    return PACKED + base64.b64encode(data).decode("ascii")


def unpack(stored: str) -> str:
    """The state's JSON from the stored text."""
    if not stored.startswith(PACKED):
        return stored
    try:
        z = zlib.decompressobj(-15)
        text = z.decompress(base64.b64decode(stored[len(PACKED):], validate=True))
        if not z.eof or z.unused_data:
            raise ValueError("not one complete DEFLATE stream")
        return text.decode("utf-8")
    except (ValueError, zlib.error) as exc:
        raise SnapshotUnreadable(f"a packed snapshot does not unpack ({exc})") from None


def load(stored: str) -> tuple[Any, int]:
    """The state and the length of its JSON (what the snapshot weighs unpacked)."""
    text = unpack(stored)
    return json.loads(text), len(text)
