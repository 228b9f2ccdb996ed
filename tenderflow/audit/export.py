"""``audit export``: JSONL of the canonical events, or an OCDS release package.

JSONL: one line per event in global order, the stored ``body`` (canonical JSON of every event
field but ``hash``, DESIGN §4) with ``hash`` added among its sorted keys — still canonical
JSON. Anyone can check a line without tenderflow: drop ``hash``, re-encode canonically
(UTF-8, sorted keys, separators ``,`` and ``:``, non-ASCII kept), SHA-256 it, compare; and check
that ``prev_hash`` is the previous line's ``hash`` of the same ``stream_id`` (``"0" * 64``
for the first). An event whose stored body does not hash to its stored hash is not exported
(run ``audit verify``). Sealed offers are commitments in the log until their opening
(:mod:`tenderflow.domain.components.sealing`), so the log, and this export of it, hold no
sealed content.

Files are written whole or not at all (a temporary file renamed into place); ``-`` writes to
standard output.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from tenderflow.errors import CheckFailed, InputError, ProcurementNotFound
from tenderflow.store.canonical import canonical_json, sha256_hex


def jsonl_lines(store: Any, procurements: list[str] | None = None) -> Iterator[str]:
    """Each event as one canonical JSON line (body plus hash), in global order; only the
    named procurements' streams if any are named."""
    with store.reading() as tx:
        wanted: set[str] | None = None
        if procurements:
            known = set(tx.stream_ids("procurement:"))
            wanted = set()
            for pid in procurements:
                sid = f"procurement:{pid}"
                if sid not in known:
                    raise ProcurementNotFound(f"no procurement {pid!r}", procurement=pid)
                wanted.add(sid)
        for row in tx.raw_events():
            if wanted is None or row.stream_id in wanted:
                yield event_line(row)


def event_line(row: Any) -> str:
    """The JSONL line of one stored row; refuses a row that does not verify."""
    where = f"{row.stream_id} #{row.stream_seq} (global {row.global_seq})"
    if sha256_hex(row.body) != row.hash:
        raise CheckFailed(f"{where}: the stored body does not hash to the stored hash; nothing "
                          f"more is exported — run 'tenderflow audit verify'")
    try:
        fields = json.loads(row.body)
    except ValueError:
        raise CheckFailed(f"{where}: the stored body is not JSON; run 'tenderflow audit "
                          f"verify'") from None
    if not isinstance(fields, dict) or "hash" in fields or canonical_json(fields) != row.body:
        raise CheckFailed(f"{where}: the stored body is not canonical JSON; run 'tenderflow "
                          f"audit verify'")
    fields["hash"] = row.hash
    return canonical_json(fields)


@contextmanager
def output(out: Path) -> Iterator[IO[str]]:
    """A text stream to ``out`` ('-' for stdout), replaced atomically when complete."""
    if str(out) == "-":
        yield sys.stdout
        return
    if out.is_dir():
        raise InputError("is a folder, not a file", file=str(out), field="--out")
    if not out.parent.is_dir():
        raise InputError("the folder does not exist", file=str(out), field="--out",
                         expected="a file in an existing folder")
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export_jsonl(store: Any, out: Path, procurements: list[str] | None = None) -> int:
    """Write the JSONL export; returns the number of events written."""
    count = 0
    with output(out) as fh:
        for line in jsonl_lines(store, procurements):
            fh.write(line + "\n")
            count += 1
    return count


def export_ocds(store: Any, out: Path, procurements: list[str] | None = None, *,
                prefix: str, publisher: str) -> dict[str, Any]:
    """Write the OCDS release package; returns it."""
    from tenderflow.audit.ocds import release_package, schema_errors

    package = release_package(store, procurements, prefix=prefix, publisher=publisher)
    errors = schema_errors(package)
    if errors:  # a bug in the mapping: never publish a package that breaks the standard
        raise CheckFailed("the OCDS package does not validate against the PPP profile "
                          "schema, so it is not written: " + "; ".join(errors))
    with output(out) as fh:
        fh.write(json.dumps(package, ensure_ascii=False, indent=2) + "\n")
    return package
