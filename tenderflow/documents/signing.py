"""Multi-party PAdES signatures with pyHanko: signing in turn, verification (the keys and
certificates are :mod:`tenderflow.documents.keys`).

Certificate identity convention
-------------------------------
A party's signing certificate names the organisation as registered with the procurement:

* ``O`` (organizationName) — the party's registered name, e.g. 成都安居城市更新有限公司;
* ``serialNumber`` (2.5.4.5) — its 统一社会信用代码 (USCC, 18 characters);
* ``CN`` — a display name (the demo keys use the organisation name); ``C`` = CN.

A key is accepted for a party only if both ``O`` and ``serialNumber`` match the party's
registered identity (names compared after NFKC normalisation, so full-width and ASCII brackets
are the same). Each party's signature goes in the field ``Sig_<role>`` (``Sig_social_capital``),
as an incremental update, in the order the template lists the parties; the order is written in
the PDF's Keywords by the renderer, so a PDF carries its own signing order.

Signatures are visible: the renderer writes where each party's box on the 签署页 is
(``signature-box=`` in the Keywords, :mod:`tenderflow.documents.signature_page`), and the
party's field is placed there with an appearance drawn by reportlab with the document's own
embedded fonts (who signed, USCC, time in +08:00, and the party's seal image when it supplies
one beside its key: ``<key>.seal.png``). A PDF without boxes (rendered before they existed)
gets an invisible signature, as before.

Time
----
Nothing here reads the wall clock. A signature carries the business time its caller gives
(``signing_time``: the ``occurred_at`` the procurement log records for the signing), both as
the CMS ``signingTime`` attribute and as the signature dictionary's ``/M``; the certificate must
be valid at that time. Verification validates each signature's certificate chain at the time
the signer declared (``signingTime``), so an archived document still verifies after its
certificates expire. That time is the signer's own statement — there is no time-stamp
authority — which the application checks against the log's ``occurred_at`` when it has one.
Demo certificates are issued for the business time they are made for (``valid_from``).

No network is used: revocation information is not fetched (demo certificates carry no CRL or
OCSP pointers).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from tenderflow.documents.keys import (
    identity_of,
    load_p12,
    load_trust_roots,
    pyhanko_signer,
    shanghai_time,
    validity_problem,
)
from tenderflow.documents.pdf_update import opened_at, signer_at
from tenderflow.documents.signature_page import placement, seal_for_key
from tenderflow.errors import CheckFailed, InputError

# pyHanko logs its diff-analysis findings with tracebacks; verify_pdf reports them per
# signature instead. Without this, Python's last-resort handler would print the tracebacks on
# stderr of a CLI that has not configured logging; an application that has configured logging
# still receives them (records propagate past a NullHandler).
logging.getLogger("pyhanko").addHandler(logging.NullHandler())

FIELD_PREFIX = "Sig_"
_KEYWORD_ORDER = re.compile(r"signing-order=([a-z0-9_,]+)")
_KEYWORD_DIGEST = re.compile(r"record-digest=([0-9a-f]{64})")
# Before the record digest, documents carried the hash of their event (which covers the time
# it was recorded): still read, so that a document rendered then still verifies.
_KEYWORD_LOG_HASH = re.compile(r"log-hash=([0-9a-f]{64})")
_KEYWORD_PROCUREMENT = re.compile(r"procurement=([A-Za-z0-9][A-Za-z0-9._-]{0,99})")
_KEYWORD_DOCUMENT = re.compile(r"document=([a-z][a-z0-9_-]*)")
_KEYWORD_MANIFEST = re.compile(r"manifest-sha256=([0-9a-f]{64})")


def field_name(role: str) -> str:
    """The signature field of a party: ``Sig_<role>``."""
    return f"{FIELD_PREFIX}{role}"


def role_of_field(name: str) -> str | None:
    return name[len(FIELD_PREFIX):] if name.startswith(FIELD_PREFIX) else None


# ---------------------------------------------------------------------------------------------
# Reading what a PDF says about itself


def _reader(pdf_bytes: bytes) -> Any:
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        return PdfFileReader(BytesIO(pdf_bytes), strict=False)
    except (PdfError, ValueError, KeyError, IndexError) as exc:
        raise InputError(f"not a readable PDF: {exc}", field="pdf") from None


def page_count(pdf_bytes: bytes) -> int:
    return int(_reader(pdf_bytes).root["/Pages"]["/Count"])


def pdf_metadata(pdf_bytes: bytes) -> dict[str, Any]:
    """The signing order, record digest (or, in older files, log hash), procurement, document
    and manifest hash tenderflow wrote in the PDF's Keywords (each None if absent)."""
    return _metadata(_reader(pdf_bytes))


def _keywords(reader: Any) -> str:
    try:
        return str(reader.trailer_view["/Info"].get("/Keywords", ""))
    except (KeyError, TypeError, AttributeError):
        return ""


def _metadata(reader: Any) -> dict[str, Any]:
    keywords = _keywords(reader)
    found = {name: pattern.search(keywords) for name, pattern in (
        ("signing_order", _KEYWORD_ORDER), ("record_digest", _KEYWORD_DIGEST),
        ("log_hash", _KEYWORD_LOG_HASH),
        ("procurement", _KEYWORD_PROCUREMENT), ("document", _KEYWORD_DOCUMENT),
        ("manifest_sha256", _KEYWORD_MANIFEST))}
    out: dict[str, Any] = {k: m.group(1) if m else None for k, m in found.items()}
    if out["signing_order"]:
        out["signing_order"] = out["signing_order"].split(",")
    return out


def original_revision(pdf_bytes: bytes) -> bytes:
    """The file as first written, before any incremental update (signatures are appended).

    Its SHA-256 is what the procurement log recorded when the agreement was rendered, so
    ``sha256(original_revision(signed)) == recorded`` ties a signed file to the log.
    """
    return _original_revision(_reader(pdf_bytes), pdf_bytes)


def _original_revision(reader: Any, pdf_bytes: bytes) -> bytes:
    end = reader.xrefs.get_xref_container_info(0).end_location
    eof = pdf_bytes.index(b"%%EOF", end) + len(b"%%EOF")
    for eol in (b"\r\n", b"\n", b"\r"):
        if pdf_bytes.startswith(eol, eof):
            eof += len(eol)
            break
    return pdf_bytes[:eof]


# ---------------------------------------------------------------------------------------------
# Signing


def sign_pdf(in_bytes: bytes, p12_path: str | Path, passphrase: str | bytes | None,
             party_role: str, expected_identity: Mapping[str, Any], *,
             signing_time: dt.datetime, signing_order: Sequence[str] | None = None,
             reason: str | None = None, location: str | None = None,
             seal_image: str | Path | None = None, earlier_intact: bool = False) -> bytes:
    """Add ``party_role``'s PAdES signature to the PDF as an incremental update.

    ``signing_time`` (aware) is the business time of the signing — the ``occurred_at`` the
    log records for it: it becomes the CMS ``signingTime`` attribute and the ``/M`` entry
    (whole seconds), and the certificate must be valid at that time.

    Refused with :class:`InputError` (nothing produced) when the key file cannot be opened or
    when its certificate's O / serialNumber do not match ``expected_identity``
    (``{"name": …, "uscc": …}``). Refused with :class:`CheckFailed` when the certificate is
    not valid at ``signing_time``, or when the party is not due to sign: it is not in the
    signing order, it has signed already, a party before it has not signed yet, or an earlier
    signature no longer matches the document. The order is ``signing_order`` if given, else
    the order the renderer wrote into the PDF.

    Where the PDF has a signature box for the party, the field goes there with a visible
    appearance; ``seal_image`` (a PNG) is the party's seal, by default the
    ``<key>.seal.png`` beside the key file if there is one.

    ``earlier_intact``: the caller has proved the file is, byte for byte, one the log recorded
    as the output of the last signing (its SHA-256 is the log's latest record of the
    document), so the earlier signatures are those made and checked then: they are not
    validated again (their fields still decide whose turn it is). Without it each earlier
    signature is validated, and one that no longer matches refuses the signing.
    """
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError

    when = signing_moment(signing_time)
    p12_bytes, cert = load_p12(p12_path, passphrase)
    who = identity_of(cert)
    problems = who.matches(expected_identity)
    if problems:
        raise InputError(f"key refused for {party_role}: " + "; ".join(problems),
                         file=str(p12_path), field="key")
    refusal = validity_problem(who.name, cert.not_valid_before_utc, cert.not_valid_after_utc,
                               when)
    if refusal:
        raise CheckFailed(refusal, party=party_role, file=str(p12_path))

    seed = hashlib.sha256(b"%s|%s|%s" % (hashlib.sha256(in_bytes).digest(),
                                          when.isoformat().encode(),
                                          field_name(party_role).encode())).digest()
    writer = opened_at(in_bytes, when, seed[:16])
    reader = writer.prev  # the file is parsed once, for the checks and for the update
    order = list(signing_order) if signing_order else _metadata(reader)["signing_order"]
    if earlier_intact:
        _check_turn(party_role, order, [(name, None) for name in _signed_fields(reader)],
                    validate=False)
    else:
        _check_turn(party_role, order, _existing_signatures(reader))

    placed = placement(_keywords(reader), party_role, field_name(party_role), who, when,
                       Path(seal_image) if seal_image else seal_for_key(p12_path))
    signer = pyhanko_signer(p12_bytes, passphrase)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name(party_role),
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or f"{party_role} signs",
        location=location,
        name=who.name,
    )
    try:
        out = signer_at(when)(meta, signer=signer, **placed).sign_pdf(writer)
    except SigningError as exc:
        raise CheckFailed(f"pyHanko refused to sign for {party_role}: {exc}",
                          party=party_role) from None
    except PdfError as exc:
        raise InputError(f"cannot add a signature to this PDF: {exc}", field="pdf") from None
    return out.getvalue()


def signing_moment(value: dt.datetime) -> dt.datetime:
    """A signing time as signatures carry it: aware, whole seconds, in Asia/Shanghai (the CMS
    attribute stores it in UTC, ``/M`` with the +08'00' offset)."""
    from tenderflow.domain.timeutil import SHANGHAI

    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise InputError(f"a signing time needs a date, a time and a time zone: {value!r}",
                         field="signing_time")
    return value.astimezone(SHANGHAI).replace(microsecond=0)


def _existing_signatures(reader: Any) -> list[tuple[str, Any]]:
    return [(sig.field_name, sig) for sig in reader.embedded_signatures]


def _signed_fields(reader: Any) -> list[str]:
    """The names of the filled signature fields (without reading their signatures)."""
    from pyhanko.sign.fields import enumerate_sig_fields

    return [name for name, _value, _ref in enumerate_sig_fields(reader, filled_status=True)]


def _check_turn(role: str, order: list[str] | None, existing: list[tuple[str, Any]],
                *, validate: bool = True) -> None:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    signed = [name for name, _sig in existing]
    if field_name(role) in signed:
        raise CheckFailed(f"{role} has already signed this document", party=role)
    for name, sig in existing if validate else ():
        # Integrity only: trust is the verifier's business, so the signer's own certificate
        # stands in as the root (an explicit root also keeps the OS trust store out of it).
        try:
            context = ValidationContext(trust_roots=[sig.signer_cert], allow_fetching=False,
                                        moment=_declared_time(sig))
            status = validate_pdf_signature(sig, context, skip_diff=True)
            holds = status.intact and status.valid
        except Exception:  # noqa: BLE001 - a damaged signature is a refusal, not a crash
            holds = False
        if not holds:
            raise CheckFailed(f"refusing to sign for {role}: the earlier signature {name} no "
                              f"longer matches the document", party=role, field=name)
    if order is None:
        return
    if role not in order:
        raise CheckFailed(f"{role} is not a signing party of this document "
                          f"(order: {', '.join(order)})", party=role, order=order)
    due = [r for r in order[: order.index(role)] if field_name(r) not in signed]
    if due:
        raise CheckFailed(f"{role} cannot sign yet: {', '.join(due)} must sign first "
                          f"(order: {', '.join(order)})", party=role, waiting_for=due)


# ---------------------------------------------------------------------------------------------
# Verification


@dataclass
class VerificationReport:
    """One entry per signature, in file order; ``ok`` when every one holds and none is due.

    Each entry: ``field``, ``role``, ``signer`` (certificate O), ``signer_uscc``,
    ``signer_common_name``, ``signing_time`` (ISO in +08:00, as the signer declared it; the
    certificate chain is validated at that time), ``time_basis`` (what that time rests on),
    ``intact``,
    ``valid``, ``trusted``, ``coverage`` and ``modification_level`` (pyHanko's names),
    ``identity_ok`` (None unless registered identities were given) and ``problems``.
    """

    signatures: list[dict[str, Any]] = field(default_factory=list)
    signing_order: list[str] | None = None
    missing: list[str] = field(default_factory=list)  # roles that have not signed
    record_digest: str | None = None  # as written in the PDF by the renderer
    log_hash: str | None = None  # what older files carry instead: their event's hash
    original_sha256: str | None = None  # of the file as rendered, before any signature
    sha256: str | None = None  # of the whole file as verified
    problems: list[str] = field(default_factory=list)  # document-level problems

    @property
    def ok(self) -> bool:
        return (bool(self.signatures) and not self.problems and not self.missing
                and all(not s["problems"] for s in self.signatures))

    def broken(self) -> list[str]:
        """Fields of the signatures that do not hold."""
        return [s["field"] for s in self.signatures if s["problems"]]

    def all_problems(self) -> list[str]:
        out = list(self.problems)
        for s in self.signatures:
            out += [f"{s['field']}: {p}" for p in s["problems"]]
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "signatures": self.signatures, "signing_order": self.signing_order,
                "missing": self.missing, "record_digest": self.record_digest,
                **({"log_hash": self.log_hash} if self.log_hash else {}),
                "original_sha256": self.original_sha256, "sha256": self.sha256,
                "problems": self.all_problems()}


ACCEPTED_MODIFICATIONS = ("NONE", "LTA_UPDATES", "FORM_FILLING")


# What a reported signing time rests on: the demo and the application use no time-stamp
# authority, so it is the signer's own statement (checked against the log by the application).
TIME_BASIS = "declared by the signer (signingTime; no time-stamp authority)"


def _declared_time(sig: Any) -> dt.datetime | None:
    """The signing time the signer declared in the CMS signingTime attribute (aware), if any."""
    try:
        when = sig.self_reported_timestamp
    except Exception:  # noqa: BLE001 - an unreadable attribute is the same as none
        return None
    if when is None:
        return None
    return when if when.utcoffset() is not None else when.replace(tzinfo=dt.UTC)


def verify_pdf(pdf_bytes: bytes, trust_pem_paths: Iterable[str | Path], *,
               parties: Mapping[str, Mapping[str, Any]] | None = None) -> VerificationReport:
    """Check every signature: intact, cryptographically valid, chained to a trusted root at
    the signing time it declares,
    covering its revision (the last one the whole file), later changes limited to adding
    signatures; with ``parties`` (role → ``{"name", "uscc"}``) also that each field's
    certificate names its party. Parties listed in the PDF's signing order that have not
    signed make the report not ok (``missing``).

    Whether the file matches the hash recorded in the procurement log is for the caller.
    """
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    roots = load_trust_roots(trust_pem_paths)
    report = VerificationReport(sha256=hashlib.sha256(pdf_bytes).hexdigest())
    try:
        reader = _reader(pdf_bytes)
        meta = _metadata(reader)
        report.original_sha256 = hashlib.sha256(_original_revision(reader, pdf_bytes)).hexdigest()
        sigs = list(reader.embedded_signatures)
    except InputError as exc:
        report.problems.append(exc.message)
        return report
    except Exception as exc:  # noqa: BLE001 - a damaged file is a finding, not a crash
        report.problems.append(f"cannot read the signatures: {exc}")
        return report
    report.signing_order = meta["signing_order"]
    report.record_digest = meta["record_digest"]
    report.log_hash = meta["log_hash"]
    if not sigs:
        report.problems.append("the document has no signatures")

    for index, sig in enumerate(sigs):
        name = str(sig.field_name)
        role = role_of_field(name)
        entry: dict[str, Any] = {
            "field": name, "role": role, "signer": None, "signer_uscc": None,
            "signer_common_name": None, "signing_time": None, "time_basis": None,
            "intact": None,
            "valid": None, "trusted": None, "coverage": None, "modification_level": None,
            "identity_ok": None, "problems": [],
        }
        report.signatures.append(entry)
        try:
            who = identity_of(sig.signer_cert)
            entry.update(signer=who.name, signer_uscc=who.uscc, signer_common_name=who.common_name)
            declared = _declared_time(sig)
            if declared is None:
                entry["problems"].append("declares no signing time: its certificate cannot be "
                                         "judged at the time it signed")
                continue
            entry.update(signing_time=shanghai_time(declared), time_basis=TIME_BASIS)
            # The chain is judged at the declared signing time, so that a signature made while
            # its certificate was valid still verifies after the certificate has expired.
            context = ValidationContext(trust_roots=roots, allow_fetching=False,
                                        revocation_mode="soft-fail", moment=declared)
            status = validate_pdf_signature(sig, context)
        except Exception as exc:  # noqa: BLE001 - reported per signature, with its field
            entry["problems"].append(f"cannot be validated: {type(exc).__name__}: {exc}")
            continue
        entry.update(
            intact=bool(status.intact), valid=bool(status.valid), trusted=bool(status.trusted),
            coverage=status.coverage.name if status.coverage else None,
            modification_level=(status.modification_level.name
                                if status.modification_level is not None else None),
        )
        problems = entry["problems"]
        if not status.intact:
            problems.append("not intact: the signed bytes were changed")
        elif not status.valid:
            problems.append("the signature value does not verify")
        if status.intact and status.valid and not status.trusted:
            problems.append("the signer's certificate does not chain to a trusted root")
        last = index == len(sigs) - 1
        wanted = "ENTIRE_FILE" if last else "ENTIRE_REVISION"
        if entry["coverage"] not in (wanted, "ENTIRE_FILE"):
            problems.append(f"covers {entry['coverage']}, expected {wanted}"
                            + ("; the file was changed after the last signature" if last else ""))
        if entry["modification_level"] not in ACCEPTED_MODIFICATIONS:
            problems.append(f"later changes go beyond adding signatures "
                            f"({entry['modification_level']})")
        elif not status.docmdp_ok and status.modification_level is not None:
            problems.append("later changes are not permitted by the document's policy")
        if parties is not None:
            expected = parties.get(role or "")
            if expected is None:
                entry["identity_ok"] = False
                problems.append(f"field {name} belongs to no registered party")
            else:
                mismatch = who.matches(expected)
                entry["identity_ok"] = not mismatch
                problems.extend(mismatch)

    signed_roles = [s["role"] for s in report.signatures]
    if report.signing_order:
        report.missing = [r for r in report.signing_order if r not in signed_roles]
        in_order = [r for r in signed_roles if r in report.signing_order]
        expected_prefix = report.signing_order[: len(in_order)]
        if in_order != expected_prefix:
            report.problems.append(f"signed in the order {', '.join(map(str, in_order))}, "
                                   f"the document requires {', '.join(report.signing_order)}")
        strangers = [s["field"] for s in report.signatures
                     if s["role"] not in report.signing_order]
        if strangers:
            report.problems.append(f"signatures by no listed party: {', '.join(strangers)}")
    return report
