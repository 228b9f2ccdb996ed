"""Signing keys and certificates: the identity a certificate names (``O`` = registered name,
``serialNumber`` = 统一社会信用代码, see :mod:`tenderflow.documents.signing`), PKCS#12 key
files, trusted roots, validity at a signing time, and the demo keys (a demo CA and one key per
party, for trying the whole flow). Nothing here reads the wall clock: demo certificates are
issued for the business time they are made for (``valid_from``)."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tenderflow.errors import InputError

DEMO_PASSPHRASE = "demo"
DEMO_LABEL = "DEMO — NOT FOR REAL USE"


def normalise_name(name: str) -> str:
    """Names as compared: NFKC (（）→ ()), white space collapsed."""
    return " ".join(unicodedata.normalize("NFKC", str(name)).split())




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


# PKCS#12 files opened in this process, by SHA-256 of (file bytes, passphrase): opening one
# runs its key derivation (tens of thousands of iterations), which a signature did three times
# (the key's identity, the identity check, pyHanko's signer) - issue 17. Bounded: a command
# opens a handful of keys.
_OPENED: dict[str, tuple[Any, Any, list[Any]]] = {}


def open_p12(data: bytes, passphrase: str | bytes | None) -> tuple[Any, Any, list[Any]]:
    """``(private key, certificate, other certificates)`` of PKCS#12 ``data``, decrypted once
    per process; ValueError as :func:`cryptography...pkcs12.load_key_and_certificates`."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    secret = passphrase_bytes(passphrase)
    digest = hashlib.sha256(hashlib.sha256(data).digest() + b"|" + (secret or b"")).hexdigest()
    hit = _OPENED.get(digest)
    if hit is None:
        key, cert, extra = pkcs12.load_key_and_certificates(data, secret)
        if len(_OPENED) >= 16:
            _OPENED.clear()
        hit = _OPENED[digest] = (key, cert, list(extra))
    return hit


def pyhanko_signer(p12_bytes: bytes, passphrase: str | bytes | None) -> Any:
    """pyHanko's signer for a PKCS#12 key, from the key opened once per process
    (:func:`open_p12`) - what ``SimpleSigner.load_pkcs12_data`` builds, without decrypting
    the file again, and signing with the opened key (:func:`_held_key_signer`)."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key, cert, extra = open_p12(p12_bytes, passphrase)
    der = serialization.Encoding.DER
    registry = SimpleCertificateStore()
    registry.register_multiple([asn1_x509.Certificate.load(c.public_bytes(der)) for c in extra])
    return _held_key_signer()(
        key, signing_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(
            der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        signing_cert=asn1_x509.Certificate.load(cert.public_bytes(der)),
        cert_registry=registry)


@functools.cache
def _held_key_signer() -> Any:
    """pyHanko's ``SimpleSigner`` signing with the private key object already opened.

    pyHanko's own ``sign_raw`` parses the DER key again at every raw signature - twice per
    PDF signature (the size estimate, then the signature) - and OpenSSL re-checks an RSA key
    each time it is loaded: the profile of four signatures (issue 17) spent more there than in
    anything else. An RSA (PKCS#1 v1.5, deterministic: the same bytes as before) or ECDSA
    signature is made with the held key; any other mechanism goes to pyHanko's code."""
    from cryptography.hazmat.primitives.asymmetric.ec import (
        ECDSA,
        EllipticCurvePrivateKey,
    )
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from pyhanko.sign import signers
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class HeldKeySigner(signers.SimpleSigner):  # type: ignore[misc]
        def __init__(self, held: Any, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self._held = held

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            try:
                algo = mechanism.signature_algo
            except ValueError:
                algo = None
            hashing = get_pyca_cryptography_hash(digest_algorithm)
            if algo == "rsassa_pkcs1v15" and isinstance(self._held, RSAPrivateKey):
                return bytes(self._held.sign(data, PKCS1v15(), hashing))
            if algo == "ecdsa" and isinstance(self._held, EllipticCurvePrivateKey):
                return bytes(self._held.sign(data, ECDSA(hashing)))
            return bytes(super().sign_raw(data, digest_algorithm))

    return HeldKeySigner


def load_p12(p12_path: str | Path, passphrase: str | bytes | None) -> tuple[bytes, Any]:
    """The PKCS#12 bytes and the certificate inside; InputError if it cannot be opened."""
    path = Path(p12_path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read key file: {exc.strerror}", file=str(path)) from None
    try:
        key, cert, _extra = open_p12(data, passphrase)
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

    _data, cert = load_p12(p12_path, passphrase)
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


def validity_problem(holder: str | None, not_before: dt.datetime, not_after: dt.datetime,
                     when: dt.datetime) -> str | None:
    """Why a certificate cannot sign at ``when`` (its validity period), or None."""
    if not_before <= when <= not_after:
        return None
    return (f"the certificate of {holder} is valid from {shanghai_time(not_before)} to "
            f"{shanghai_time(not_after)}, not at the signing time {shanghai_time(when)}")


def shanghai_time(value: dt.datetime) -> str:
    from tenderflow.domain.timeutil import SHANGHAI

    return value.astimezone(SHANGHAI).isoformat(timespec="seconds")


def passphrase_bytes(passphrase: str | bytes | None) -> bytes | None:
    return passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase
