"""Upcasters of old event versions (STYLE 5: stored events are never rewritten; an old version
is turned into the current one when read).

To change the shape of an event type: bump ``schema_version`` in its ``schemas/<Type>.json``,
describe the new shape there, and add here a function from the old payload to the new one,
registered under ``(type, old_version)``, whose docstring says what changed. Bump
``tenderflow.domain.fold_version.FOLD_VERSION`` too if the folded state changes. The
catalogue refuses to load when a version has no upcaster to reach the current one.

No event type has changed shape since the catalogue was introduced (every type is at version
1), so the table is empty; ``tests/store/test_event_catalogue.py`` proves the mechanism on a
real store with an old-shaped row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Payload = dict[str, Any]
Upcaster = Callable[[Payload], Payload]

# (event type, version it reads) -> the function returning the payload at version + 1
UPCASTERS: dict[tuple[str, int], Upcaster] = {}
