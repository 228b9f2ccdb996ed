"""Multi-party PAdES signatures with pyHanko: demo keys, signing in turn, verification.

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

Signatures are invisible (no appearance stream): pyHanko's stamp would bring a non-embedded
standard font into a document that otherwise embeds all its fonts; the signature page names
the parties and viewers list the signatures in their signature panel.

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
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from tenderflow.errors import CheckFailed, InputError

# pyHanko logs its diff-analysis findings with tracebacks; verify_pdf reports them per
# signature instead. Without this, Python's last-resort handler would print the tracebacks on
# stderr of a CLI that has not configured logging; an application that has configured logging
# still receives them (records propagate past a NullHandler).
logging.getLogger("pyhanko").addHandler(logging.NullHandler())

FIELD_PREFIX = "Sig_"
DEMO_PASSPHRASE = "demo"
DEMO_LABEL = "DEMO — NOT FOR REAL USE"
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


def normalise_name(name: str) -> str:
    """Names as compared: NFKC (（）→ ()), white space collapsed."""
    return " ".join(unicodedata.normalize("NFKC", str(name)).split())


# ---------------------------------------------------------------------------------------------
# Certificates and keys


@dataclass(frozen=True)
class Identity:
    """Who a certificate names: organisation name, USCC and common name."""

    name: str | None
    uscc: str | None
    common_name: str | None

    def matches(self, expected: Mapping[str, Any]) -> list[str]:
        """What differs from the registered identity ``{"name": …, "uscc": …}``; empty if none."""
        problems = []
        want_name = normalise_name(expected.get("name") or "")
        want_uscc = str(expected.get("uscc") or "").strip().upper()
        if not want_name or not want_uscc:
            raise InputError("a registered identity needs both name and uscc",
                             field="expected_identity")
        if normalise_name(self.name or "") != want_name:
            problems.append(f"certificate O is {self.name!r}, the party is registered as "
                            f"{expected.get('name')!r}")
        if (self.uscc or "").strip().upper() != want_uscc:
            problems.append(f"certificate serialNumber (USCC) is {self.uscc!r}, the party's "
                            f"USCC is {want_uscc!r}")
        return problems

    def to_dict(self) -> dict[str, str | None]:
        return {"name": self.name, "uscc": self.uscc, "common_name": self.common_name}


def identity_of(cert: Any) -> Identity:
    """Read O / serialNumber / CN from a ``cryptography`` or ``asn1crypto`` certificate."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    if not isinstance(cert, x509.Certificate):  # asn1crypto (pyHanko's type)
        cert = x509.load_der_x509_certificate(cert.dump())

    def first(oid: Any) -> str | None:
        values = cert.subject.get_attributes_for_oid(oid)
        return str(values[0].value) if values else None

    return Identity(first(NameOID.ORGANIZATION_NAME), first(NameOID.SERIAL_NUMBER),
                    first(NameOID.COMMON_NAME))


@dataclass(frozen=True)
class DemoKeys:
    """Where ``make_demo_keys`` wrote the demo CA certificate and each party's PKCS#12."""

    ca_cert: Path
    party_keys: dict[str, Path]
    passphrase: str
    readme: Path

    def to_dict(self) -> dict[str, Any]:
        return {"ca_cert": str(self.ca_cert), "passphrase": self.passphrase,
                "party_keys": {k: str(v) for k, v in self.party_keys.items()},
                "readme": str(self.readme)}


# How long demo certificates are valid, from the day before the business time they are made
# for: long enough for a procurement's signing dates, short enough that an archived package
# outlives them (verification judges each signature at its signing time, not today).
DEMO_CA_DAYS = 3650
DEMO_PARTY_DAYS = 730


def make_demo_keys(out_dir: str | Path, parties: Mapping[str, Mapping[str, Any]], *,
                   valid_from: dt.datetime, valid_until: dt.datetime | None = None,
                   passphrase: str = DEMO_PASSPHRASE) -> DemoKeys:
    """A demo CA (``demo-ca.pem``) and one ``<role>.p12`` per party, for trying the whole flow.

    ``parties`` maps a role to ``{"name": …, "uscc": …}``. Every certificate says
    "DEMO — NOT FOR REAL USE"; the CA's private key is not kept. RSA-2048, SHA-256.
    ``valid_from`` is the business time the keys are made for (e.g. when the procurement was
    opened): certificates are valid from the day before it, the CA for ``DEMO_CA_DAYS``, the
    parties for ``DEMO_PARTY_DAYS`` — or every certificate until ``valid_until`` if given —
    never derived from the wall clock. The keys and serial numbers are random, so signed files
    differ between two sets of demo keys: the demo signs with the fixed set shipped in
    ``examples/keys/`` (made once with this function, see its README.md).
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    if not parties:
        raise InputError("no parties to make demo keys for", field="parties")
    for role, who in parties.items():
        if not re.match(r"^[a-z][a-z0-9_]*$", str(role)):
            raise InputError(f"role {role!r} is not a lower-case key", field="parties")
        if not isinstance(who, Mapping) or not who.get("name") or not who.get("uscc"):
            raise InputError(f"party {role!r} needs name and uscc", field=f"parties.{role}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if valid_from.utcoffset() is None:
        raise InputError("valid_from needs a time zone", field="valid_from")
    not_before = (valid_from - dt.timedelta(days=1)).astimezone(dt.UTC).replace(microsecond=0)
    if valid_until is not None:
        if valid_until.utcoffset() is None:
            raise InputError("valid_until needs a time zone", field="valid_until")
        until = valid_until.astimezone(dt.UTC).replace(microsecond=0)
        if until <= not_before:
            raise InputError("valid_until is before valid_from", field="valid_until")
    ca_until = until if valid_until is not None else not_before + dt.timedelta(days=DEMO_CA_DAYS)
    party_until = (until if valid_until is not None
                   else not_before + dt.timedelta(days=DEMO_PARTY_DAYS))

    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "tenderflow demo"),
        x509.NameAttribute(NameOID.COMMON_NAME, f"tenderflow Demo CA — {DEMO_LABEL}"),
    ])
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(ca_until)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=False, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_path = out / "demo-ca.pem"
    ca_path.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))

    encryption = serialization.BestAvailableEncryption(passphrase.encode("utf-8"))
    paths: dict[str, Path] = {}
    for role, who in parties.items():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        subject = x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, str(who["name"]).strip()),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEMO_LABEL),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, str(who["uscc"]).strip().upper()),
            x509.NameAttribute(NameOID.COMMON_NAME, str(who["name"]).strip()),
        ])
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject).issuer_name(ca_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(party_until)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(
                ca_ski), critical=False)
            .sign(ca_key, hashes.SHA256())
        )
        p12 = pkcs12.serialize_key_and_certificates(
            name=f"{role} ({DEMO_LABEL})".encode(), key=key, cert=cert,
            cas=[ca_cert], encryption_algorithm=encryption)
        path = out / f"{role}.p12"
        path.write_bytes(p12)
        paths[role] = path

    readme = out / "README-DEMO.txt"
    readme.write_text(
        "These keys are a DEMONSTRATION ONLY — NOT FOR REAL USE.\n"
        "Anyone can make them; a signature made with them proves nothing about anybody.\n\n"
        "demo-ca.pem  the demo certificate authority (pass it to verify --trust)\n"
        + "".join(f"{p.name}  {role}: {parties[role]['name']} ({parties[role]['uscc']})\n"
                  for role, p in paths.items())
        + f"\nPKCS#12 passphrase: {passphrase}\n",
        encoding="utf-8",
    )
    return DemoKeys(ca_path, paths, passphrase, readme)


def _load_p12(p12_path: str | Path, passphrase: str | bytes | None) -> tuple[bytes, Any]:
    """The PKCS#12 bytes and the certificate inside; InputError if it cannot be opened."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    path = Path(p12_path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read key file: {exc.strerror}", file=str(path)) from None
    try:
        key, cert, _extra = pkcs12.load_key_and_certificates(data, _secret(passphrase))
    except ValueError:
        raise InputError("cannot open the PKCS#12 key file: wrong passphrase or not a "
                         "PKCS#12 file", file=str(path), field="passphrase") from None
    if key is None or cert is None:
        raise InputError("the PKCS#12 file holds no private key with its certificate",
                         file=str(path))
    return data, cert


@dataclass(frozen=True)
class KeyInfo:
    """What a PKCS#12 key file's certificate says: identity, issuer, validity, fingerprint."""

    identity: Identity
    issuer: str
    serial: str
    not_before: dt.datetime
    not_after: dt.datetime
    sha256: str  # fingerprint of the DER certificate

    def valid_at(self, when: dt.datetime) -> bool:
        return self.not_before <= when <= self.not_after

    def validity_problem(self, when: dt.datetime) -> str | None:
        """Why this certificate cannot sign at ``when``, or None."""
        return validity_problem(self.identity.name, self.not_before, self.not_after, when)

    def to_dict(self) -> dict[str, Any]:
        return {**self.identity.to_dict(), "issuer": self.issuer, "serial": self.serial,
                "not_before": self.not_before.isoformat(), "not_after": self.not_after.isoformat(),
                "sha256": self.sha256}


def key_info(p12_path: str | Path, passphrase: str | bytes | None) -> KeyInfo:
    """Open a PKCS#12 key file (InputError if it cannot be) and describe its certificate."""
    from cryptography.hazmat.primitives import serialization

    _data, cert = _load_p12(p12_path, passphrase)
    der = cert.public_bytes(serialization.Encoding.DER)
    return KeyInfo(identity_of(cert), cert.issuer.rfc4514_string(), format(cert.serial_number, "x"),
                   cert.not_valid_before_utc, cert.not_valid_after_utc,
                   hashlib.sha256(der).hexdigest())


def load_trust_roots(trust_pem_paths: Iterable[str | Path]) -> list[Any]:
    """Certificates (asn1crypto, for pyHanko) from PEM or DER files; each file may hold several."""
    from asn1crypto import pem, x509

    roots = []
    for p in trust_pem_paths:
        path = Path(p)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read trust anchor: {exc.strerror}", file=str(path)) from None
        try:
            if pem.detect(data):
                found = [x509.Certificate.load(der) for kind, _h, der in pem.unarmor(data, True)
                         if kind == "CERTIFICATE"]
            else:
                found = [x509.Certificate.load(data)]
            for cert in found:
                cert.native  # noqa: B018 - parses fully, so a corrupt file fails here
        except (ValueError, TypeError):
            raise InputError("not a certificate (PEM or DER)", file=str(path)) from None
        if not found:
            raise InputError("no certificate in file", file=str(path))
        roots.extend(found)
    if not roots:
        raise InputError("verification needs at least one trusted certificate", field="trust")
    return roots


# ---------------------------------------------------------------------------------------------
# Reading what a PDF says about itself


def _reader(pdf_bytes: bytes) -> Any:
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        return PdfFileReader(BytesIO(pdf_bytes), strict=False)
    except (PdfError, ValueError, KeyError, IndexError) as exc:
        raise InputError(f"not a readable PDF: {exc}", field="pdf") from None


def pdf_metadata(pdf_bytes: bytes) -> dict[str, Any]:
    """The signing order, record digest (or, in older files, log hash), procurement, document
    and manifest hash tenderflow wrote in the PDF's Keywords (each None if absent)."""
    return _metadata(_reader(pdf_bytes))


def _metadata(reader: Any) -> dict[str, Any]:
    try:
        keywords = str(reader.trailer_view["/Info"].get("/Keywords", ""))
    except (KeyError, TypeError, AttributeError):
        keywords = ""
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
             reason: str | None = None, location: str | None = None) -> bytes:
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
    """
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError

    when = signing_moment(signing_time)
    p12_bytes, cert = _load_p12(p12_path, passphrase)
    who = identity_of(cert)
    problems = who.matches(expected_identity)
    if problems:
        raise InputError(f"key refused for {party_role}: " + "; ".join(problems),
                         file=str(p12_path), field="key")
    refusal = validity_problem(who.name, cert.not_valid_before_utc, cert.not_valid_after_utc,
                               when)
    if refusal:
        raise CheckFailed(refusal, party=party_role, file=str(p12_path))

    reader = _reader(in_bytes)
    order = list(signing_order) if signing_order else _metadata(reader)["signing_order"]
    existing = _existing_signatures(reader)
    _check_turn(party_role, order, existing)

    signer = signers.SimpleSigner.load_pkcs12_data(p12_bytes, other_certs=[],
                                                   passphrase=_secret(passphrase))
    meta = signers.PdfSignatureMetadata(
        field_name=field_name(party_role),
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or f"{party_role} signs",
        location=location,
        name=who.name,
    )
    try:
        seed = hashlib.sha256(b"%s|%s|%s" % (hashlib.sha256(in_bytes).digest(),
                                              when.isoformat().encode(),
                                              field_name(party_role).encode())).digest()
        writer = _writer_at(when, seed[:16])(BytesIO(in_bytes), strict=False)
        out = _signer_at(when)(meta, signer=signer).sign_pdf(writer)
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


def validity_problem(holder: str | None, not_before: dt.datetime, not_after: dt.datetime,
                     when: dt.datetime) -> str | None:
    """Why a certificate cannot sign at ``when`` (its validity period), or None."""
    if not_before <= when <= not_after:
        return None
    return (f"the certificate of {holder} is valid from {_local(not_before)} to "
            f"{_local(not_after)}, not at the signing time {_local(when)}")


def _local(value: dt.datetime) -> str:
    from tenderflow.domain.timeutil import SHANGHAI

    return value.astimezone(SHANGHAI).isoformat(timespec="seconds")


def _signer_at(when: dt.datetime) -> Any:
    """A pyHanko ``PdfSigner`` whose signing session uses ``when`` as its time (pyHanko takes
    the session's ``system_time`` for the signingTime attribute and ``/M``; left alone it
    would read the wall clock)."""
    from pyhanko.sign import signers

    class AtTime(signers.PdfSigner):  # type: ignore[misc]
        def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False
                                 ) -> Any:
            session = super().init_signing_session(pdf_out,
                                                   existing_fields_only=existing_fields_only)
            session.system_time = when
            return session

    return AtTime


def _writer_at(when: dt.datetime, id2: bytes) -> Any:
    """pyHanko's incremental writer, stamping the document's modification date (``/ModDate``
    in the Info dictionary, and XMP's if the file has it) with ``when`` and giving the updated
    file the second ``/ID`` part ``id2`` (a hash of the input, the time and the field). Left
    alone it writes the wall clock and a random ID, which would put the computer's day into
    the file and make the same signature at the same business time give different bytes; so
    the same file, key and time give the same signed bytes."""
    import dataclasses

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.metadata.model import DocumentMetadata

    class MetaAt(DocumentMetadata):  # type: ignore[misc]
        def __setattr__(self, name: str, value: Any) -> None:
            if name == "last_modified" and value == "now":
                value = when
            super().__setattr__(name, value)

    class WriterAt(IncrementalPdfFileWriter):  # type: ignore[misc]
        @classmethod
        def _handle_id(cls, prev: Any) -> Any:
            ids = super()._handle_id(prev)  # keeps the first part, as ISO 32000 § 14.4 asks
            return generic.ArrayObject([ids[0], generic.ByteStringObject(id2)])

        def _update_meta(self) -> None:
            current = self._meta
            if not isinstance(current, MetaAt):
                self._meta = MetaAt(**{f.name: getattr(current, f.name)
                                       for f in dataclasses.fields(current)})
            super()._update_meta()

    return WriterAt


def _secret(passphrase: str | bytes | None) -> bytes | None:
    return passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase


def _existing_signatures(reader: Any) -> list[tuple[str, Any]]:
    return [(sig.field_name, sig) for sig in reader.embedded_signatures]


def _check_turn(role: str, order: list[str] | None, existing: list[tuple[str, Any]]) -> None:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    signed = [name for name, _sig in existing]
    if field_name(role) in signed:
        raise CheckFailed(f"{role} has already signed this document", party=role)
    for name, sig in existing:
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
            entry.update(signing_time=_local(declared), time_basis=TIME_BASIS)
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
