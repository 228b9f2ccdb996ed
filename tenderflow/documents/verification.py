"""Verifying a signed agreement or financing package: its signatures (pyHanko, through
:func:`tenderflow.documents.signing.verify_pdf`), then, with the log, whether the file is
byte for byte the document as the log last recorded it, whether each declared signing time
is the ``occurred_at`` of the event that recorded the signature, and whether the record
digest printed on every page is that of the stored event it names.

The log is given as a :class:`Log` (the application service reads the store for it); without
one, only the signatures are checked (``contract verify --no-log``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from tenderflow.documents.contract_templates import MANIFEST_PDF
from tenderflow.documents.files import read_input
from tenderflow.documents.record import (
    SIGNED_DIGEST_LABEL,
    TERMS_DIGEST_LABEL,
    record_digest,
)
from tenderflow.domain import agreement as dom
from tenderflow.domain.terms import parties_of
from tenderflow.domain.timeutil import SHANGHAI, iso, parse_time
from tenderflow.errors import InputError
from tenderflow.store.canonical import sha256_hex


class Log(Protocol):
    """The procurement log as verification reads it."""

    url: str  # where the log is, named when no procurement recorded a file

    def procurements(self, original_sha256: str, named: str | None) -> list[str]:
        """The procurements a file may belong to: the one its keywords name, else those
        that rendered a document whose SHA-256 is the file's first revision's."""
        ...

    def events(self, pid: str) -> list[Any]:
        """The procurement's stored events, in order."""
        ...


def verify(path: Path, trust: Sequence[Path], log: Log | None) -> dict[str, Any]:
    """Verify a signed PDF (its signatures, then the log unless ``log`` is None), or a
    package folder."""
    if path.is_dir():
        return verify_package_dir(path, trust, log)
    return verify_file(path, read_input(path, "the PDF"), trust, log)


def verify_file(path: Path, pdf: bytes, trust: Sequence[Path], log: Log | None
                ) -> dict[str, Any]:
    from tenderflow.documents.keys import load_trust_roots
    from tenderflow.documents.signing import pdf_metadata, verify_pdf

    load_trust_roots(trust)  # a bad --trust file is bad input (exit 2), before anything
    if not pdf.lstrip()[:5] == b"%PDF-":
        raise InputError("not a PDF file", file=str(path))
    try:
        meta = pdf_metadata(pdf)
    except InputError as exc:
        raise InputError(exc.message, file=str(path)) from None
    checked: dict[str, Any] = {"consulted": log is not None, "ok": None, "problems": []}
    parties = None
    found = None
    if log is not None:
        found = locate(log, pdf, meta)
        if found is None:
            checked["ok"] = False
            checked["problems"].append(
                f"no procurement in the log ({log.url}) recorded this file "
                f"(SHA-256 {sha256_hex(pdf)})")
        else:
            parties = found["parties"]
    report = verify_pdf(pdf, trust, parties=parties)
    if found is not None:
        checked.update(log_check(found, report))
    out = {"file": str(path), **report.to_dict(), "document": meta.get("document"),
           "procurement": meta.get("procurement"), "log": checked}
    out["ok"] = report.ok and (checked["ok"] is True or log is None)
    return out


def locate(log: Log, pdf: bytes, meta: Mapping[str, Any]) -> dict[str, Any] | None:
    """The procurement and document a PDF belongs to: by the ``procurement=`` keyword it
    carries, else by its hash among the procurements' recorded documents."""
    from tenderflow.documents.signing import original_revision

    try:
        original = sha256_hex(original_revision(pdf))
    except InputError:
        original = sha256_hex(pdf)
    named = str(meta["procurement"]) if meta.get("procurement") else None
    for pid in log.procurements(original, named):
        events = log.events(pid)
        options = []
        for document, render_type, sign_type, key in (
                (dom.AGREEMENT, dom.RENDERED, dom.SIGNED, "sha256"),
                (dom.PACKAGE_DOC, dom.PACKAGE, dom.PACKAGE_SIGNED, "manifest_pdf_sha256")):
            renders = [e for e in events if e.type == render_type]
            if not renders:
                continue
            # the rendering the file starts from, else the kind the file says it is
            if any(e.payload[key] == original for e in renders):
                rank = 0
            elif meta.get("document") in (None, document):
                rank = 1
            else:
                continue
            options.append((rank, {"procurement": pid, "document": document,
                                   "events": events, "original_sha256": original,
                                   "render_type": render_type, "sign_type": sign_type,
                                   "parties": parties_of(events)}))
        if options:
            return min(options, key=lambda o: o[0])[1]
    return None


def log_check(found: Mapping[str, Any], report: Any) -> dict[str, Any]:
    """Whether the file is, byte for byte, the document as the log last recorded it: the
    last signature recorded on the latest rendering (or that rendering, if unsigned)."""
    pid, events = found["procurement"], found["events"]
    render_type, sign_type = found["render_type"], found["sign_type"]
    key = "sha256" if render_type == dom.RENDERED else "manifest_pdf_sha256"
    renders = [e for e in events if e.type == render_type]
    latest = renders[-1]
    sigs = [e for e in events if e.type == sign_type
            and e.payload["rendered_sha256"] == latest.payload[key]]
    last = sigs[-1] if sigs else latest
    last_sha = last.payload["sha256"] if sigs else latest.payload[key]
    who = f" ({last.payload['party']}, signature {last.payload['signature']} of " \
          f"{last.payload['of']})" if sigs else ""
    out: dict[str, Any] = {
        "procurement": pid, "document": found["document"],
        "expected": {"event": last.type, "seq": last.stream_seq, "sha256": last_sha,
                     "party": last.payload.get("party")}}
    problems: list[str] = []
    if report.sha256 == last_sha:
        out["matches"] = f"{last.type} #{last.stream_seq}{who}"
    else:
        problems.append(f"the file's SHA-256 {report.sha256} differs from the hash in the "
                        f"log: {last.type} #{last.stream_seq}{who} recorded {last_sha}")
        earlier = next((e for e in sigs if e.payload["sha256"] == report.sha256), None)
        older = next((e for e in renders if e.payload[key] == report.original_sha256), None)
        if earlier is not None:
            problems.append(f"it is the {found['document']} as signed by "
                            f"{earlier.payload['party']} ({earlier.type} "
                            f"#{earlier.stream_seq}), before the later signatures")
        elif older is None:
            problems.append(f"its first revision (SHA-256 {report.original_sha256}) is "
                            f"not the {found['document']} as rendered "
                            f"({latest.type} #{latest.stream_seq}: {latest.payload[key]})")
        elif older is not latest:
            problems.append(f"it was rendered at {older.type} #{older.stream_seq}, "
                            f"superseded by #{latest.stream_seq}")
    times: list[dict[str, Any]] = []
    if report.original_sha256 == latest.payload[key]:
        times, mismatched = signing_times(report.signatures, sigs)
        problems += mismatched
    out["signing_times"] = times
    if report.original_sha256 == latest.payload[key]:
        digest_row, mismatched = digest_check(pid, latest, report, events)
        out["record_digest"] = digest_row
        problems += mismatched
    return {**out, "ok": not problems, "problems": problems}


def verify_package_dir(folder: Path, trust: Sequence[Path], log: Log | None
                       ) -> dict[str, Any]:
    """Both signed PDFs of a package folder, every file against manifest.json, and
    manifest.json against the hash the signed manifest.pdf names."""
    from tenderflow.documents.package import MANIFEST, check_package

    manifest_pdf = folder / MANIFEST_PDF
    results = {}
    problems: list[str] = []
    for name in (MANIFEST_PDF, "agreement.pdf"):
        p = folder / name
        if not p.exists():
            problems.append(f"{name}: missing")
            continue
        results[name] = verify_file(p, read_input(p, "the PDF"), trust, log)
    problems += check_package(folder)
    if manifest_pdf.exists() and (folder / MANIFEST).exists():
        from tenderflow.documents.signing import original_revision, pdf_metadata

        meta = pdf_metadata(original_revision(read_input(manifest_pdf, "the manifest")))
        actual = sha256_hex(read_input(folder / MANIFEST, "the manifest"))
        if meta.get("manifest_sha256") != actual:
            problems.append(f"{MANIFEST}: SHA-256 {actual} is not the one the signed "
                            f"{MANIFEST_PDF} names ({meta.get('manifest_sha256')})")
    ok = not problems and len(results) == 2 and all(r["ok"] for r in results.values())
    return {"folder": str(folder), "ok": ok, "files": results, "problems": problems}


def signing_times(signatures: Sequence[Mapping[str, Any]], events: Sequence[Any]
                  ) -> tuple[list[dict[str, Any]], list[str]]:
    """Each signature's declared signing time against the ``occurred_at`` of the event that
    recorded it (the party's signature of this rendering): they must be the same instant.
    There is no time-stamp authority, so this is what makes the declared time trustworthy."""
    by_party = {e.payload.get("party"): e for e in events}
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    for sig in signatures:
        event = by_party.get(sig.get("role"))
        if event is None or not sig.get("signing_time"):
            continue  # an unrecorded signature is reported by the hash comparison
        declared = parse_time(sig["signing_time"])
        occurred = parse_time(event.occurred_at)
        agrees = declared == occurred
        rows.append({"field": sig["field"], "declared": sig["signing_time"],
                     "event": event.type, "seq": event.stream_seq,
                     "occurred_at": iso(occurred.astimezone(SHANGHAI)), "agrees": agrees})
        if not agrees:
            problems.append(f"{sig['field']} declares the signing time {sig['signing_time']}, "
                            f"but {event.type} #{event.stream_seq} records it at "
                            f"{iso(occurred.astimezone(SHANGHAI))}")
    return rows, problems


# Where a rendering records the digest it printed and the event it is of: (digest field, seq
# field, what the footer calls it). Older renderings recorded the event's chain hash as
# ``log_hash`` / ``log_seq``.
DIGEST_FIELDS = {dom.RENDERED: ("terms_digest", "terms_seq", TERMS_DIGEST_LABEL),
                 dom.PACKAGE: ("agreement_signed_digest", "agreement_signed_seq",
                               SIGNED_DIGEST_LABEL)}


def digest_check(pid: str, rendering: Any, report: Any, events: Sequence[Any]
                 ) -> tuple[dict[str, Any], list[str]]:
    """The digest printed in the file against the one its rendering recorded, and that one
    recomputed from the stored event it names: the record digest
    (:func:`~tenderflow.documents.record.record_digest`), or for a rendering from before it,
    the event's chain hash."""
    payload = rendering.payload
    by_seq = {e.stream_seq: e for e in events}
    if "log_hash" in payload:  # rendered before the record digest
        kind, recorded, seq = "log_hash", payload["log_hash"], payload["log_seq"]
        printed = report.log_hash
        basis = by_seq.get(seq)
        actual = basis.hash if basis is not None else None
        what = "log hash"
    else:
        digest_field, seq_field, what = DIGEST_FIELDS[rendering.type]
        kind, recorded, seq = digest_field, payload[digest_field], payload[seq_field]
        printed = report.record_digest
        basis = by_seq.get(seq)
        actual = record_digest(basis) if basis is not None else None
    row = {"kind": kind, "printed": printed, "recorded": recorded, "event_seq": seq,
           "event": basis.type if basis is not None else None,
           "matches": printed == recorded == actual}
    problems = []
    if printed != recorded:
        problems.append(f"the {what} printed in the file ({printed}) is not the one "
                        f"{rendering.type} #{rendering.stream_seq} recorded ({recorded})")
    elif actual != recorded:
        problems.append(f"the {what} {recorded} is not that of event #{seq} of {pid} as "
                        f"stored ({actual})")
    return row, problems
