"""What the store reads and writes, without the database library: the event records
(:class:`NewEvent`, :class:`StoredEvent`, a row as stored :class:`RawEvent`), a stored row
parsed into the event a reader sees (:func:`to_event`), the store's error, the database URL
accepted and the head revision of the migrations. :mod:`tenderflow.store.eventstore` (over
SQLAlchemy) and :mod:`tenderflow.store.lite` (the read path of ``status``, ``next`` and
``list`` over the standard library's sqlite3, issue 17) both read rows through these, so the
two give the same objects; importing this module does not import SQLAlchemy.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from tenderflow.errors import InputError, TenderflowError
from tenderflow.store.bodies import BodyUnreadable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tenderflow.events.catalogue import Catalogue

MIGRATIONS = Path(__file__).parent / "migrations"


_REVISION_LINE = re.compile(r"""^(down_revision|revision)\s*=\s*(?:"([^"]*)"|None)\s*$""", re.MULTILINE)


@cache
def head_revision() -> str:
    """The newest Alembic revision shipped with this tenderflow: the one no other revision
    names as its ``down_revision``. Read from the migration files' two assignment lines rather
    than through Alembic's ScriptDirectory, whose import costs a quarter of a second on every
    command; tests/store/test_store_suite.py checks that both agree."""
    revisions: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS / "versions").glob("[0-9]*.py")):
        found = {k: v or None for k, v in _REVISION_LINE.findall(path.read_text("utf-8"))}
        if "revision" not in found or "down_revision" not in found:
            raise StoreError(f"{path.name}: a migration needs revision and down_revision lines")
        revisions[str(found["revision"])] = found["down_revision"]
    heads = set(revisions) - set(revisions.values())
    if len(heads) != 1:
        raise StoreError(f"migrations have {len(heads)} heads {sorted(heads)}: expected one")
    return heads.pop()



def check_revision(url: str, rev: str | None) -> None:
    """StoreError unless the database at ``url``, at revision ``rev`` (None: no
    ``alembic_version``), is at this tenderflow's head revision (``tenderflow init`` first)."""
    if rev is None:
        raise StoreError(f"database {url} is not initialised: run 'tenderflow init'")
    head = head_revision()
    if rev != head:
        raise StoreError(f"database {url} is at revision {rev}, this tenderflow needs "
                         f"{head}: run 'tenderflow init' to upgrade")


@dataclass(frozen=True)
class Snapshot:
    """A stored snapshot: the state folded up to ``version``, stamped with the
    ``fold_version`` of the code that folded it (None: unknown, or not a fold)."""

    version: int
    state: dict[str, Any]
    fold_version: int | None
    # the stored JSON's length in characters (what reading and writing it cost)
    size: int = field(default=0, compare=False)


@dataclass(frozen=True)
class NewEvent:
    """An event decided by the domain, not yet stored. The store stamps the catalogue's
    ``schema_version``; one given here must be that version (old versions are never written)."""

    type: str
    payload: dict[str, Any]
    occurred_at: str
    actor: str
    pins: dict[str, str]
    schema_version: int | None = None


@dataclass(frozen=True)
class StoredEvent:
    global_seq: int
    stream_id: str
    stream_seq: int
    type: str
    schema_version: int
    occurred_at: str
    recorded_at: str
    actor: str
    pins: dict[str, str]
    payload: dict[str, Any]
    prev_hash: str
    hash: str
    body: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "global_seq": self.global_seq, "stream_id": self.stream_id,
            "stream_seq": self.stream_seq, "type": self.type,
            "schema_version": self.schema_version, "occurred_at": self.occurred_at,
            "recorded_at": self.recorded_at, "actor": self.actor, "pins": self.pins,
            "payload": self.payload, "prev_hash": self.prev_hash, "hash": self.hash,
        }


class StoreError(TenderflowError):
    """Raised when the database cannot be opened or is not initialised."""

    exit_code = 2


class RawEvent(NamedTuple):
    """A stored event row: the canonical body as written (text), the columns that repeat its
    fields for lookup, its stored hash. ``unreadable`` says why there is no body (the stored
    bytes do not inflate, or their codec is missing); ``body`` is then empty."""

    global_seq: Any
    stream_id: Any
    stream_seq: Any
    type: Any
    actor: Any
    hash: Any
    txid: Any
    body: str
    unreadable: str | None = None


class EventUnreadable(StoreError, BodyUnreadable):
    """A stored row whose body is not an event (it does not inflate, its codec is missing, or
    its JSON is not an event's): a StoreError for the officer's commands (the message says to
    run ``audit verify``), a BodyUnreadable (a ValueError) for the audit's readers, which report the row
    (tenderflow.audit.reading)."""


def to_event(raw: RawEvent, events: Catalogue) -> StoredEvent:
    """A stored row as read: every field from its body (the one copy), the payload upcast to
    the type's current version; :class:`EventUnreadable` for a body that cannot be read."""
    where = f"{raw.stream_id} #{raw.stream_seq} (global {raw.global_seq})"
    if raw.unreadable:
        raise EventUnreadable(f"{where}: {raw.unreadable}; run 'tenderflow audit verify'")
    try:
        fields = json.loads(raw.body)
        version, payload = events.upcast(fields["type"], fields["schema_version"],
                                         fields["payload"])
        return StoredEvent(
            global_seq=fields["global_seq"], stream_id=fields["stream_id"],
            stream_seq=fields["stream_seq"], type=fields["type"], schema_version=version,
            occurred_at=fields["occurred_at"], recorded_at=fields["recorded_at"],
            actor=fields["actor"], pins=fields["pins"], payload=payload,
            prev_hash=fields["prev_hash"], hash=raw.hash, body=raw.body)
    except (ValueError, KeyError, TypeError) as exc:
        raise EventUnreadable(f"{where}: the stored body is not an event ({exc!r}); run "
                              f"'tenderflow audit verify'") from None


def normalise_url(url: str) -> str:
    """Accept a bare file path as SQLite; validate the scheme."""
    if "://" not in url:
        return f"sqlite:///{url}"
    if not url.startswith(("sqlite", "postgresql")):
        raise InputError(f"unsupported database URL {url!r}", field="--db",
                         expected="sqlite:///FILE or postgresql+psycopg://USER@HOST/DB")
    return url
