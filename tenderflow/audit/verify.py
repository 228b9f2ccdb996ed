"""``audit verify``: walk every stream's hash chain from the rows as stored.

For each event row, in global order, the verifier checks that

* the stored ``body`` is a JSON object with exactly the event fields (DESIGN §4);
* SHA-256 of the stored body bytes equals the stored ``hash`` (never re-serialised);
* every column equals the body's field (so changing a column such as ``occurred_at`` or
  ``payload`` without the body is found; ``pins`` and ``payload`` compare as canonical text);
* ``stream_seq`` continues the stream without a gap (1, 2, 3 …), which also proves that the
  global order agrees with each stream's order;
* ``prev_hash`` is the previous event's ``hash`` (``"0" * 64`` for the first).

At the end the head of every stream in ``streams`` must be its last event (version and hash),
every pinned definition body must hash to its key, and every hash pinned by an event must be
stored. Only the first broken event of each stream is reported (what follows it cannot be
trusted either). Memory is bounded by the number of streams, not of events: rows are read in
batches.

The walk reads the rows as stored (:meth:`tenderflow.store.eventstore.Tx.stored_rows`) and
takes a row that is sound in one loop (:meth:`ChainVerifier.feed_stored`): it inflates the
body, hashes the bytes as they are, and compares the columns, the link and the pins with the
body's first and last bytes, without parsing it; a row that does not pass is read whole and
compared here, field by field (:meth:`ChainVerifier.feed`). Either way the same checks are
made; only how fast a sound row passes changes.

What the chain alone cannot prove — that a whole stream was not deleted, its tail cut with the
head moved back, or a stream rewritten with recomputed hashes — a signed checkpoint proves
(:mod:`tenderflow.audit.seal`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from zlib import decompressobj
from zlib import error as zlib_error

from tenderflow.audit.diff import short
from tenderflow.store.canonical import EVENT_FIELDS, GENESIS, canonical_json, sha256_hex
from tenderflow.store.rows import INDEXED_FIELDS, RawEvent

_GENESIS_BYTES = GENESIS.encode("ascii")
_sha256 = hashlib.sha256
_encode_str = json.encoder.encode_basestring  # what canonical_json writes for a str


@dataclass
class Problem:
    """One thing found wrong: where (stream, sequence number, global sequence) and what."""

    stream: str
    stream_seq: int | None
    kind: str  # body | hash | column | sequence | link | head | definition | checkpoint …
    details: list[str]
    global_seq: int | None = None

    @property
    def text(self) -> str:
        where = self.stream
        if self.stream_seq is not None:
            where += f" #{self.stream_seq}"
        if self.global_seq is not None:
            where += f" (global {self.global_seq})"
        return f"{where}: {'; '.join(self.details)}"

    def to_dict(self) -> dict[str, Any]:
        return {"stream": self.stream, "stream_seq": self.stream_seq,
                "global_seq": self.global_seq, "kind": self.kind, "details": self.details}


@dataclass(slots=True)
class _Tail:
    seq: int
    hash: str
    last_global: int
    sid_text: bytes = b""  # the stream id as canonical JSON writes it (the fast path's)


@dataclass
class VerifyReport:
    """What ``audit verify`` found."""

    events: int = 0
    streams: int = 0
    definitions: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    checkpoint: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ok": self.ok, "events": self.events, "streams": self.streams,
            "definitions": self.definitions,
            "problems": [p.to_dict() for p in self.problems], "notes": self.notes}
        if self.checkpoint is not None:
            out["checkpoint"] = self.checkpoint
        return out


class ChainVerifier:
    """Feed rows in global order, then :meth:`finish` with the stream heads.

    Keeps one small record per stream, so it can verify any number of events; it can also be
    resumed (``audit seal`` verifies everything, then the few rows appended meanwhile)."""

    def __init__(self) -> None:
        self.tails: dict[str, _Tail] = {}
        self.broken: dict[str, Problem] = {}
        self.pinned: set[tuple[str, str]] = set()  # (kind, hash) pinned by some event
        self._pins_seen: set[bytes] = set()
        self._last_pins = b"\x00"  # matches nothing
        self._texts: dict[Any, bytes] = {}  # actor and type values as canonical JSON writes them
        self.events = 0
        self.full_checks = 0  # rows feed_stored passed to feed
        # rows whose global_seq is no number of the log's (not an integer, or below 1)
        self.unnumbered = 0
        self.last_global = 0
        self.gaps: list[tuple[int, int]] = []

    def feed(self, row: Any) -> None:
        """One row in global order, with every check: a
        :class:`~tenderflow.store.rows.RawEvent` (body as text) or a tuple as
        :func:`as_raw_event` takes it (body as bytes)."""
        if type(row) is tuple:
            row = as_raw_event(row)
        self.events += 1
        if not (isinstance(row.global_seq, int) and isinstance(row.stream_seq, int)):
            self.unnumbered += 1
            sid = str(row.stream_id)
            if sid not in self.broken:  # SQLite keeps whatever type an attacker writes
                what = (f"global_seq {row.global_seq!r} / stream_seq {row.stream_seq!r}: a "
                        f"sequence number column is not an integer")
                self.broken[sid] = Problem(sid, None, "column", [what])
            return
        if row.global_seq > self.last_global:
            if self.last_global and row.global_seq != self.last_global + 1:
                self.gaps.append((self.last_global, row.global_seq))
            self.last_global = row.global_seq
        elif row.global_seq < 1:
            self.unnumbered += 1
        sid = row.stream_id
        tail = self.tails.get(sid)
        expected_seq = tail.seq + 1 if tail else 1
        expected_prev = tail.hash if tail else GENESIS
        self.tails[sid] = _Tail(row.stream_seq, row.hash, row.global_seq,
                                _encode_str(sid).encode("utf-8") if type(sid) is str else b"")
        if sid in self.broken:
            self.tails[sid].sid_text = b""  # the fast path leaves a broken stream alone
            return
        details: list[str] = []
        kind = ""
        data, text = _body_of(row)
        prev: Any = None
        if data is None:
            details.append(f"the stored body cannot be read: {row.unreadable}")
            kind = "body"
        else:
            digest = sha256_hex(data)
            if digest != row.hash:
                details.append(f"stored hash {row.hash[:16]}… but the stored body hashes to "
                               f"{digest[:16]}…")
                kind = "hash"
            body = _parse_body(text)
            if isinstance(body, str):
                details.insert(0, body)
                kind = "body"
            else:
                column_diffs = _column_differences(row, body)
                details += column_diffs
                if column_diffs:
                    kind = kind or "column"
                elif canonical_json(body) != text:
                    details.append("the stored body is not in canonical form")
                    kind = kind or "body"
                pins = body.get("pins")
                if isinstance(pins, dict):
                    self.pinned.update((str(k), str(v)) for k, v in pins.items())
                prev = body.get("prev_hash")
        if row.global_seq < 1:
            details.append(f"global_seq {row.global_seq} is below 1 (placed before the log's "
                           f"first event)")
            kind = kind or "sequence"
        if row.stream_seq != expected_seq:
            if row.stream_seq > expected_seq:
                missing = (f"event {expected_seq} is" if row.stream_seq == expected_seq + 1
                           else f"events {expected_seq}–{row.stream_seq - 1} are")
                details.append(f"stream_seq jumps from {expected_seq - 1} to {row.stream_seq}: "
                               f"{missing} missing")
            else:
                details.append(f"stream_seq {row.stream_seq} comes after {expected_seq - 1} in "
                               f"global order (events reordered or duplicated)")
            kind = kind or "sequence"
        if prev is not None and prev != expected_prev:
            before = (f"event {expected_seq - 1}'s hash {expected_prev[:16]}…" if tail
                      else f"the genesis value {GENESIS[:16]}…")
            details.append(f"prev_hash {short(prev)[:20]}… does not link to {before}")
            kind = kind or "link"
        if details:
            located = expected_seq if kind == "sequence" and row.stream_seq > expected_seq \
                else row.stream_seq
            self.broken[sid] = Problem(sid, located, kind, details, row.global_seq)
            self.tails[sid].sid_text = b""

    def _note_pins(self, text: bytes) -> bool:
        """Note the definitions a pins text names; False if it is not a canonical JSON object
        of names to hashes (the row then takes :meth:`feed`'s full checks)."""
        try:
            pins = json.loads(text)
        except (TypeError, ValueError, RecursionError):
            return False
        if not (isinstance(pins, dict) and all(type(v) is str for v in pins.values())
                and canonical_json(pins).encode("utf-8") == text):
            return False
        self._pins_seen.add(text)
        self.pinned.update((k, v) for k, v in pins.items())
        return True

    def feed_all(self, rows: Iterable[Any], progress: Callable[[int], None] | None = None
                 ) -> None:
        for row in rows:
            self.feed(row)
            if progress is not None:
                progress(1)

    def feed_stored(self, stored: Any, progress: Callable[[int], None] | None = None
                    ) -> None:
        """Every row of ``stored`` (:class:`~tenderflow.store.verifying.StoredRows`: rows as
        stored, in global order), each inflated and checked in this one loop when all is
        well: its sequence numbers continue the stream, its inflated bytes hash to its
        ``hash``, the body begins and ends with the fields its columns repeat (``actor``,
        ``global_seq`` … ``type``: canonical JSON writes the keys sorted, and no key can
        follow the top-level ``prev_hash`` unescaped but the four scalar fields after it),
        its ``prev_hash`` links to the stream's last hash, and its pins are a JSON object
        (read once per distinct text). A row that fails any of these leaves the loop having
        changed nothing, and :meth:`feed` parses the body, makes every check and says what
        is wrong (``full_checks`` counts those rows).

        The payload's JSON is not parsed here: the bytes are those the hash covers, so a
        payload could only be malformed if whoever wrote it also recomputed the chain,
        which no parse would reveal either (a checkpoint does); the replay parses every
        body. Everything a row needs is bound to a local name: the loop is what ``audit
        verify`` spends its time in, beside inflating and hashing (issue 17)."""
        tails = self.tails
        tail_of = tails.get
        texts = self._texts
        pins_seen = self._pins_seen
        last_pins = self._last_pins
        note_gap = self.gaps.append
        full = self._feed_full
        known: dict[Any, bytes] = {}  # codec → dictionary
        sha256, encode, inflater, new_tail = _sha256, _encode_str, decompressobj, _Tail
        for rows in stored.batches():
            last_global = self.last_global
            taken = self.full_checks
            for row in rows:
                gs, sid, seq, type_, actor, digest, codec, deflated = row
                if type(seq) is not int or type(gs) is not int or gs < 1:
                    last_global = full(row, None, stored, last_global)
                    continue
                tail = tail_of(sid)
                if tail is None:
                    if seq != 1 or type(sid) is not str or sid in self.broken:
                        last_global = full(row, None, stored, last_global)
                        continue
                    expected_prev = _GENESIS_BYTES
                    sid_text = encode(sid).encode("utf-8")
                elif seq != tail.seq + 1 or not tail.sid_text:  # (emptied when it broke)
                    last_global = full(row, None, stored, last_global)
                    continue
                else:
                    expected_prev = tail.hash.encode("ascii")
                    sid_text = tail.sid_text
                dictionary = known.get(codec)
                if dictionary is None:
                    dictionary = stored.dictionary(codec)
                    if dictionary is None:
                        last_global = full(row, None, stored, last_global)
                        continue
                    known[codec] = dictionary
                try:  # inflate (tenderflow.store.bodies.inflate, inline: once per event)
                    z = inflater(-15, dictionary) if dictionary else inflater(-15)
                    data = z.decompress(deflated)
                except (zlib_error, TypeError, ValueError):
                    last_global = full(row, None, stored, last_global)
                    continue
                if not z.eof or z.unused_data or sha256(data).hexdigest() != digest:
                    last_global = full(row, None, stored, last_global)
                    continue
                actor_text = texts.get(actor)
                type_text = texts.get(type_)
                if actor_text is None or type_text is None:
                    if type(actor) is not str or type(type_) is not str:
                        last_global = full(row, data, stored, last_global)
                        continue
                    actor_text = texts[actor] = encode(actor).encode("utf-8")
                    type_text = texts[type_] = encode(type_).encode("utf-8")
                at = data.rfind(b',"prev_hash":"')
                if not (data.startswith(b'{"actor":%b,"global_seq":%d,"occurred_at":"'
                                        % (actor_text, gs))
                        and data.endswith(b',"stream_id":%b,"stream_seq":%d,"type":%b}'
                                          % (sid_text, seq, type_text))
                        and data.startswith(expected_prev, at + 14)
                        and data.startswith(b'","recorded_at":"', at + 78)):
                    last_global = full(row, data, stored, last_global)
                    continue
                # b',"pins":{…}' of the last sound row: mostly this one's too
                if not data.startswith(last_pins, at - len(last_pins)):
                    pins_at = data.rfind(b',"pins":{', 0, at)
                    if pins_at < 0 or (data[pins_at + 8:at] not in pins_seen
                                       and not self._note_pins(data[pins_at + 8:at])):
                        last_global = full(row, data, stored, last_global)
                        continue
                    last_pins = self._last_pins = data[pins_at:at]
                if gs > last_global:
                    if last_global and gs != last_global + 1:
                        note_gap((last_global, gs))
                    last_global = gs
                if tail is None:
                    tails[sid] = new_tail(seq, digest, gs, sid_text)
                else:
                    tail.seq, tail.hash, tail.last_global = seq, digest, gs
            self.last_global = last_global
            self.events += len(rows) - (self.full_checks - taken)  # feed counted its own
            if progress is not None:
                progress(len(rows))

    def _feed_full(self, row: Any, data: bytes | None, stored: Any, last_global: int) -> int:
        """A row of :meth:`feed_stored` through :meth:`feed` (its body inflated again when
        ``data`` is None, to say why it cannot be read); the walk's last global number."""
        gs, sid, seq, type_, actor, digest, codec, deflated = row
        why = None
        if data is None:
            data, why = stored.inflate(codec, deflated)
        self.full_checks += 1
        self.last_global = last_global
        self.feed((gs, sid, seq, type_, actor, digest, data, why))
        return self.last_global

    def catch_up(self, tx: Any, heads: dict[str, tuple[int, str]]) -> None:
        """Feed the events of streams whose head moved past what the walk saw (appended while
        verifying, or committed out of global order), up to the head read."""
        for sid, (version, _) in heads.items():
            tail = self.tails.get(sid)
            if tail is not None and tail.seq >= version:
                continue
            for row in tx.raw_events(stream_id=sid, after=tail.last_global if tail else 0):
                if row.stream_seq > version:
                    break
                self.feed(row)

    def finish(self, heads: dict[str, tuple[int, str]],
               definitions: Iterable[Any] = ()) -> VerifyReport:
        """Compare each stream's last event with its head; check the pinned definitions."""
        report = VerifyReport(events=self.events, streams=len(set(self.tails) | set(heads)))
        problems: dict[str, Problem] = dict(self.broken)
        for sid, tail in self.tails.items():
            if sid in problems:
                continue
            head = heads.get(sid)
            if head is None:
                problems[sid] = Problem(sid, tail.seq, "head", [
                    f"{tail.seq} events but no head in the streams table"], tail.last_global)
            elif head != (tail.seq, tail.hash):
                details = []
                if head[0] > tail.seq:
                    details.append(f"the head says version {head[0]} but the last event is "
                                   f"{tail.seq}: events {tail.seq + 1}–{head[0]} are missing")
                elif head[0] < tail.seq:
                    details.append(f"the head says version {head[0]} but events run to "
                                   f"{tail.seq}")
                if head[1] != tail.hash:
                    details.append(f"head hash {head[1][:16]}… is not the last event's hash "
                                   f"{tail.hash[:16]}…")
                located = tail.seq + 1 if head[0] > tail.seq else tail.seq
                problems[sid] = Problem(sid, located, "head", details, tail.last_global)
        for sid, (version, _) in heads.items():
            if sid not in self.tails:
                problems[sid] = Problem(sid, 1, "head", [
                    f"the streams table has version {version} but the stream has no events"])
        stored: set[str] = set()
        for row in definitions:
            report.definitions += 1
            stored.add(row.hash)
            digest = sha256_hex(row.body)
            if digest != row.hash:
                problems[f"definition:{row.hash}"] = Problem(
                    f"definitions:{row.kind}:{row.name}", None, "definition",
                    [(f"body hashes to {digest[:16]}…, stored under {row.hash[:16]}… "
                     "(the pinned definition was altered)")])
        for kind, digest in sorted(self.pinned):
            if digest not in stored:
                problems[f"pin:{digest}"] = Problem(
                    f"definitions:{kind}", None, "definition",
                    [f"pinned {kind} {digest[:16]}… is not in the definitions table"])
        report.problems = sorted(problems.values(),
                                 key=lambda p: (p.global_seq is None, p.global_seq or 0,
                                                p.stream))
        if self.gaps:
            missing = sum(b - a - 1 for a, b in self.gaps)
            first = self.gaps[0]
            report.notes.append(
                f"global_seq has {len(self.gaps)} gap(s), {missing} number(s) unused (first "
                f"after {first[0]}); PostgreSQL sequences leave gaps on rollback, SQLite does "
                f"not — a checkpoint proves whether events were deleted")
        return report


def _text(value: str) -> bytes:
    """A column's value as canonical JSON writes it (TypeError if it is not text)."""
    if type(value) is not str:
        raise TypeError(value)
    return _encode_str(value).encode("utf-8")


def as_raw_event(row: tuple[Any, ...]) -> RawEvent:
    """A row of :meth:`ChainVerifier.feed_stored`, its body inflated (``global_seq … hash``,
    the bytes or None, why not), for the full checks: its bytes kept exactly (bytes that are
    not UTF-8 decoded with ``surrogateescape``, so they encode back unchanged)."""
    global_seq, sid, seq, type_, actor, digest, data, why = row
    text = "" if data is None else data.decode("utf-8", "surrogateescape")
    return RawEvent(global_seq, sid, seq, type_, actor, digest, None, text, why)


def _body_of(row: RawEvent) -> tuple[bytes | None, str]:
    """The stored body as bytes (None if unreadable) and as text."""
    if row.unreadable:
        return None, ""
    return row.body.encode("utf-8", "surrogateescape"), row.body


def _parse_body(text: str) -> dict[str, Any] | str:
    try:
        body = json.loads(text)
    except (ValueError, RecursionError):
        return "the stored body is not valid JSON"
    if not isinstance(body, dict):
        return "the stored body is not a JSON object"
    keys = set(body)
    expected = set(EVENT_FIELDS)
    if keys != expected:
        extra, missing = sorted(keys - expected), sorted(expected - keys)
        parts = []
        if missing:
            parts.append(f"lacks {', '.join(missing)}")
        if extra:
            parts.append(f"has unknown {', '.join(extra)}")
        return f"the stored body {' and '.join(parts)}"
    return body


def _column_differences(row: Any, body: dict[str, Any]) -> list[str]:
    """The columns that repeat a field of the body (INDEXED_FIELDS) and differ from it."""
    out = []
    for name in INDEXED_FIELDS:
        column = getattr(row, name)
        value = body[name]
        if column != value or type(column) is not type(value):
            out.append(f"column {name}: body {short(value)}, column {short(column)}")
    return out


def verify_store(store: Any, progress: Callable[[int], None] | None = None,
                 batch: int = 1000) -> tuple[VerifyReport, ChainVerifier]:
    """Verify every stream of ``store``; the verifier is returned to be resumed (in several
    processes: tenderflow.audit.verify_jobs.verify_store)."""
    verifier = ChainVerifier()
    with store.reading(shared=True) as tx:
        verifier.feed_stored(tx.stored_rows(batch=batch), progress)
        heads = tx.heads()
        verifier.catch_up(tx, heads)
        report = verifier.finish(heads, tx.definitions())
    return report, verifier


def count_events(store: Any) -> int:
    with store.reading() as tx:
        return int(tx.count_events())
