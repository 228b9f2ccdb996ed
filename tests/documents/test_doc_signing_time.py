"""Signatures carry business time: the signing time the caller gives (the log's occurred_at)
is the CMS signingTime and /M, the certificate must be valid then, and verification judges
each certificate at the time its signature declares — so a document signed years ago with
certificates that have long expired still verifies, on any day the test runs."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509

from tenderflow.documents.filling import as_date
from tenderflow.documents.keys import DEMO_CA_DAYS, DEMO_PARTY_DAYS, make_demo_keys
from tenderflow.documents.reports import time_text
from tenderflow.documents.signing import (
    TIME_BASIS,
    _reader,
    sign_pdf,
    verify_pdf,
)
from tenderflow.domain.timeutil import SHANGHAI
from tenderflow.errors import CheckFailed, InputError
from tests.documents.conftest import SIGNED_AT

# A signing long ago: certificates valid 2015-03-31 to 2017-03-30 (parties), so expired on
# any day this test runs.
OPENED = datetime(2015, 4, 1, 9, 0, tzinfo=SHANGHAI)
SIGNINGS = [datetime(2015, 6, 30, 10, 0, tzinfo=SHANGHAI) + timedelta(minutes=30 * i)
            for i in range(4)]


@pytest.fixture(scope="module")
def old_keys(tmp_path_factory, registered_parties):
    return make_demo_keys(tmp_path_factory.mktemp("old-keys"), registered_parties,
                          valid_from=OPENED)


@pytest.fixture(scope="module")
def signed_long_ago(agreement_pdf, old_keys, registered_parties, signing_order):
    pdf = agreement_pdf
    for role, when in zip(signing_order, SIGNINGS, strict=True):
        pdf = sign_pdf(pdf, old_keys.party_keys[role], old_keys.passphrase, role,
                       registered_parties[role], signing_time=when)
    return pdf


def _cert(path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def test_demo_certificates_are_valid_from_the_business_time_they_are_made_for(old_keys):
    from cryptography.hazmat.primitives.serialization import pkcs12

    ca = _cert(old_keys.ca_cert)
    start = (OPENED - timedelta(days=1)).astimezone(UTC)
    assert ca.not_valid_before_utc == start
    assert ca.not_valid_after_utc == start + timedelta(days=DEMO_CA_DAYS)
    for path in old_keys.party_keys.values():
        _key, cert, _chain = pkcs12.load_key_and_certificates(path.read_bytes(), b"demo")
        assert cert.not_valid_before_utc == start
        assert cert.not_valid_after_utc == start + timedelta(days=DEMO_PARTY_DAYS)


def test_demo_keys_need_an_aware_business_time(tmp_path, registered_parties):
    with pytest.raises(InputError, match="time zone"):
        make_demo_keys(tmp_path, registered_parties, valid_from=datetime(2015, 4, 1))


def test_the_signature_carries_the_given_signing_time(signed_long_ago, signing_order):
    sigs = list(_reader(signed_long_ago).embedded_signatures)
    assert [s.self_reported_timestamp for s in sigs] == SIGNINGS
    # /M of each signature and the file's /ModDate: the business time in +08'00', never the
    # wall clock; the only other date is the rendering's creation date (the agreement's date)
    dates = set(re.findall(rb"/(?:M|ModDate|CreationDate) \(D(?::|\\072)([0-9]{14})",
                           signed_long_ago))
    assert dates == {b"20250630000000", *(f"{w:%Y%m%d%H%M%S}".encode() for w in SIGNINGS)}
    assert b"D\\07220150630100000\\05308\\04700\\047" in signed_long_ago  # +08'00'


def test_an_expired_signature_verifies_at_its_signing_time(signed_long_ago, old_keys,
                                                           registered_parties):
    """In process, without faketime: the certificates expired in 2017, the verification runs
    today, and every signature holds because each is judged at the time it declares."""
    ca = _cert(old_keys.ca_cert)
    assert ca.not_valid_after_utc < datetime(2026, 1, 1, tzinfo=UTC)
    report = verify_pdf(signed_long_ago, [old_keys.ca_cert], parties=registered_parties)
    assert report.ok, report.all_problems()
    assert [s["signing_time"] for s in report.signatures] == [
        w.isoformat() for w in SIGNINGS]
    assert all(s["signing_time"].endswith("+08:00") for s in report.signatures)
    assert {s["time_basis"] for s in report.signatures} == {TIME_BASIS}
    assert all(s["trusted"] for s in report.signatures)


def test_a_certificate_not_valid_at_the_signing_time_is_refused(agreement_pdf, old_keys,
                                                                 registered_parties):
    role = "implementing_agency"
    for when in (datetime(2018, 1, 2, 9, 0, tzinfo=SHANGHAI),   # after it expired
                 datetime(2015, 3, 1, 9, 0, tzinfo=SHANGHAI)):  # before it was issued
        with pytest.raises(CheckFailed, match="valid from 2015-03-31T09:00:00\\+08:00 to "
                                              "2017-03-30T09:00:00\\+08:00, not at the signing "
                                              "time") as caught:
            sign_pdf(agreement_pdf, old_keys.party_keys[role], old_keys.passphrase, role,
                     registered_parties[role], signing_time=when)
        assert when.isoformat() in caught.value.message


def test_a_signing_time_needs_a_time_zone(agreement_pdf, demo_keys, registered_parties):
    role = "implementing_agency"
    with pytest.raises(InputError, match="time zone"):
        sign_pdf(agreement_pdf, demo_keys.party_keys[role], demo_keys.passphrase, role,
                 registered_parties[role], signing_time=datetime(2025, 6, 30, 10, 0))


def test_same_file_key_and_time_give_the_same_bytes(agreement_pdf, demo_keys,
                                                    registered_parties):
    role = "implementing_agency"

    def sign(when: datetime) -> bytes:
        return sign_pdf(agreement_pdf, demo_keys.party_keys[role], demo_keys.passphrase, role,
                        registered_parties[role], signing_time=when)

    first = sign(SIGNED_AT)
    assert sign(SIGNED_AT) == first
    # the same instant given in UTC is the same signing time
    assert sign(SIGNED_AT.astimezone(UTC)) == first
    assert sign(SIGNED_AT + timedelta(minutes=1)) != first


def test_times_in_documents_are_beijing_time():
    assert time_text("2023-10-30T01:00:00+00:00") == "2023-10-30 09:00"
    assert time_text("2023-10-30T09:00+08:00") == "2023-10-30 09:00"
    assert time_text("2023-10-30T17:30:00Z") == "2023-10-31 01:30"
    assert time_text(None) == "—"
    assert as_date("2023-11-09T20:00:00+00:00", "x").isoformat() == "2023-11-10"
    assert as_date(datetime(2023, 11, 9, 20, 0, tzinfo=UTC), "x").isoformat() \
        == "2023-11-10"
    assert as_date("2023-11-10", "x").isoformat() == "2023-11-10"


def test_rsa_signatures_are_pkcs1_v15_and_the_same_in_another_process(agreement_pdf, demo_keys,
                                                                     registered_parties,
                                                                     tmp_path):
    """PKCS#1 v1.5 is deterministic (PSS is salted): the same file, key and signing time give
    the same bytes in any process, which is what lets the demo, signing with the shipped keys
    (examples/keys/), record the same events on any run date."""
    import subprocess
    import sys

    role = "implementing_agency"
    signed = sign_pdf(agreement_pdf, demo_keys.party_keys[role], demo_keys.passphrase, role,
                      registered_parties[role], signing_time=SIGNED_AT)
    [sig] = _reader(signed).embedded_signatures
    assert sig.signer_info["signature_algorithm"]["algorithm"].native in (
        "rsassa_pkcs1v15", "sha256_rsa")
    source = tmp_path / "in.pdf"
    source.write_bytes(agreement_pdf)
    out = tmp_path / "out.pdf"
    code = (
        "import sys, json\n"
        "from pathlib import Path\n"
        "from datetime import datetime\n"
        "from tenderflow.documents.signing import sign_pdf\n"
        "a = json.loads(sys.argv[1])\n"
        "Path(a['out']).write_bytes(sign_pdf(Path(a['in']).read_bytes(), a['key'], 'demo',\n"
        "    a['role'], a['who'], signing_time=datetime.fromisoformat(a['at'])))\n")
    import json

    args = {"in": str(source), "out": str(out), "key": str(demo_keys.party_keys[role]),
            "role": role, "who": registered_parties[role], "at": SIGNED_AT.isoformat()}
    res = subprocess.run([sys.executable, "-c", code, json.dumps(args)], capture_output=True,
                         text=True, timeout=120, check=False)
    assert res.returncode == 0, res.stderr
    assert out.read_bytes() == signed
