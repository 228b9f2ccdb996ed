"""Four parties sign in turn; verification finds every broken, untrusted or misplaced signature."""

from __future__ import annotations

import re

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from tenderflow.documents.keys import DEMO_LABEL, make_demo_keys
from tenderflow.documents.signing import (
    field_name,
    pdf_metadata,
    sign_pdf,
    verify_pdf,
)
from tenderflow.errors import CheckFailed, InputError
from tests.documents.conftest import KEYS_FROM, SIGNED_AT


def _flip(data: bytes, index: int) -> bytes:
    out = bytearray(data)
    out[index] ^= 0x01
    return bytes(out)


def _byte_ranges(pdf: bytes) -> list[tuple[int, int, int, int]]:
    return [tuple(int(x) for x in m.groups()) for m in
            re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)]


def _inside(index: int, byte_range: tuple[int, int, int, int]) -> bool:
    a, b, c, d = byte_range
    return a <= index < a + b or c <= index < c + d


def test_four_parties_sign_in_turn_and_verify(signed_agreement, demo_keys, registered_parties,
                                             signing_order, record_digest):
    report = verify_pdf(signed_agreement, [demo_keys.ca_cert], parties=registered_parties)
    assert report.ok, report.all_problems()
    assert [s["field"] for s in report.signatures] == [field_name(r) for r in signing_order]
    for sig, role in zip(report.signatures, signing_order, strict=True):
        assert sig["intact"] is True
        assert sig["valid"] is True
        assert sig["trusted"] is True
        assert sig["identity_ok"] is True
        assert sig["signer"] == registered_parties[role]["name"]
        assert sig["signer_uscc"] == registered_parties[role]["uscc"]
        assert sig["signing_time"]
        assert sig["problems"] == []
    assert [s["coverage"] for s in report.signatures] == [
        "ENTIRE_REVISION", "ENTIRE_REVISION", "ENTIRE_REVISION", "ENTIRE_FILE"]
    assert [s["modification_level"] for s in report.signatures] == [
        "FORM_FILLING", "FORM_FILLING", "FORM_FILLING", "NONE"]
    assert report.missing == []
    assert report.signing_order == signing_order
    assert report.record_digest == record_digest
    assert report.to_dict()["ok"] is True


def test_each_signature_is_an_incremental_update(agreement_pdf, signed_agreement):
    assert signed_agreement.startswith(agreement_pdf)
    assert signed_agreement.count(b"%%EOF") == agreement_pdf.count(b"%%EOF") + 4


def test_flipped_byte_in_the_agreement_breaks_every_signature(signed_agreement, demo_keys):
    first_stream = signed_agreement.index(b"stream", 1000) + 200
    ranges = _byte_ranges(signed_agreement)
    assert all(_inside(first_stream, r) for r in ranges)
    report = verify_pdf(_flip(signed_agreement, first_stream), [demo_keys.ca_cert])
    assert not report.ok
    assert [s["intact"] for s in report.signatures] == [False] * 4
    assert report.broken() == [s["field"] for s in report.signatures]
    assert all("not intact" in p for s in report.signatures for p in s["problems"][:1])


def test_flipped_byte_in_the_last_signature_names_it(signed_agreement, demo_keys):
    index = signed_agreement.rindex(b"/Reason (") + 12  # inside the last signature's dictionary
    ranges = _byte_ranges(signed_agreement)
    assert _inside(index, ranges[-1])
    report = verify_pdf(_flip(signed_agreement, index), [demo_keys.ca_cert])
    assert not report.ok
    assert report.broken() == ["Sig_subdistrict_office"]
    last = report.signatures[-1]
    assert last["intact"] is False
    assert "Sig_subdistrict_office: not intact: the signed bytes were changed" in \
        report.all_problems()
    assert [s["intact"] for s in report.signatures[:3]] == [True, True, True]


def test_unknown_root_is_not_trusted(signed_agreement, tmp_path, registered_parties):
    other = make_demo_keys(tmp_path, {"social_capital": registered_parties["social_capital"]},
                           valid_from=KEYS_FROM)
    report = verify_pdf(signed_agreement, [other.ca_cert])
    assert not report.ok
    assert [s["trusted"] for s in report.signatures] == [False] * 4
    assert [s["intact"] for s in report.signatures] == [True] * 4
    assert "does not chain to a trusted root" in report.signatures[0]["problems"][0]


def test_verify_checks_registered_identities(signed_agreement, demo_keys, registered_parties):
    swapped = dict(registered_parties)
    swapped["residents_committee"] = {"name": "另一个居民委员会",
                                      "uscc": registered_parties["residents_committee"]["uscc"]}
    report = verify_pdf(signed_agreement, [demo_keys.ca_cert], parties=swapped)
    assert not report.ok
    assert report.broken() == ["Sig_residents_committee"]
    assert report.signatures[2]["identity_ok"] is False


def test_partly_signed_lists_who_is_missing(agreement_pdf, demo_keys, registered_parties):
    pdf = sign_pdf(agreement_pdf, demo_keys.party_keys["implementing_agency"],
                   demo_keys.passphrase, "implementing_agency",
                   registered_parties["implementing_agency"], signing_time=SIGNED_AT)
    report = verify_pdf(pdf, [demo_keys.ca_cert])
    assert report.signatures[0]["intact"] and report.signatures[0]["trusted"]
    assert report.missing == ["social_capital", "residents_committee", "subdistrict_office"]
    assert not report.ok


def test_unsigned_document_is_not_ok(agreement_pdf, demo_keys):
    report = verify_pdf(agreement_pdf, [demo_keys.ca_cert])
    assert not report.ok
    assert "the document has no signatures" in report.problems


def test_wrong_party_key_is_refused(agreement_pdf, demo_keys, registered_parties):
    with pytest.raises(InputError, match="key refused for implementing_agency") as caught:
        sign_pdf(agreement_pdf, demo_keys.party_keys["social_capital"], demo_keys.passphrase,
                 "implementing_agency", registered_parties["implementing_agency"],
                 signing_time=SIGNED_AT)
    assert "成都安居城市更新有限公司" in str(caught.value)


def test_key_with_right_name_but_other_uscc_is_refused(agreement_pdf, tmp_path,
                                                       registered_parties):
    impostor = {"name": registered_parties["implementing_agency"]["name"],
                "uscc": "91510100MA6C1234XT"}
    keys = make_demo_keys(tmp_path, {"implementing_agency": impostor}, valid_from=KEYS_FROM)
    with pytest.raises(InputError, match="serialNumber"):
        sign_pdf(agreement_pdf, keys.party_keys["implementing_agency"], keys.passphrase,
                 "implementing_agency", registered_parties["implementing_agency"],
                 signing_time=SIGNED_AT)


def test_full_width_brackets_match_ascii(agreement_pdf, tmp_path):
    keys = make_demo_keys(tmp_path, {"implementing_agency": {
        "name": "成都市锦城区住房和城乡建设局（测试）", "uscc": "11510107MB01234567"}},
        valid_from=KEYS_FROM)
    signed = sign_pdf(agreement_pdf, keys.party_keys["implementing_agency"], keys.passphrase,
                      "implementing_agency",
                      {"name": "成都市锦城区住房和城乡建设局(测试)", "uscc": "11510107mb01234567"},
                      signing_time=SIGNED_AT)
    assert signed.startswith(agreement_pdf)


def test_wrong_passphrase_is_refused(agreement_pdf, demo_keys, registered_parties):
    with pytest.raises(InputError, match="passphrase"):
        sign_pdf(agreement_pdf, demo_keys.party_keys["implementing_agency"], "wrong",
                 "implementing_agency", registered_parties["implementing_agency"],
                 signing_time=SIGNED_AT)


def test_out_of_turn_is_refused(agreement_pdf, demo_keys, registered_parties):
    with pytest.raises(CheckFailed, match="implementing_agency must sign first"):
        sign_pdf(agreement_pdf, demo_keys.party_keys["social_capital"], demo_keys.passphrase,
                 "social_capital", registered_parties["social_capital"], signing_time=SIGNED_AT)


def test_signing_twice_is_refused(signed_agreement, demo_keys, registered_parties):
    with pytest.raises(CheckFailed, match="already signed"):
        sign_pdf(signed_agreement, demo_keys.party_keys["social_capital"], demo_keys.passphrase,
                 "social_capital", registered_parties["social_capital"], signing_time=SIGNED_AT)


def test_party_outside_the_order_is_refused(agreement_pdf, tmp_path):
    stranger = {"name": "某某公司", "uscc": "91510100MA6C1234XT"}
    keys = make_demo_keys(tmp_path, {"bank": stranger}, valid_from=KEYS_FROM)
    with pytest.raises(CheckFailed, match="not a signing party"):
        sign_pdf(agreement_pdf, keys.party_keys["bank"], keys.passphrase, "bank", stranger,
                 signing_time=SIGNED_AT)


def test_refuses_to_sign_over_a_broken_signature(agreement_pdf, demo_keys, registered_parties):
    pdf = sign_pdf(agreement_pdf, demo_keys.party_keys["implementing_agency"],
                   demo_keys.passphrase, "implementing_agency",
                   registered_parties["implementing_agency"], signing_time=SIGNED_AT)
    tampered = _flip(pdf, pdf.index(b"stream", 1000) + 200)
    with pytest.raises(CheckFailed, match="no longer matches"):
        sign_pdf(tampered, demo_keys.party_keys["social_capital"], demo_keys.passphrase,
                 "social_capital", registered_parties["social_capital"], signing_time=SIGNED_AT)


def test_explicit_signing_order_overrides_the_pdf(agreement_pdf, demo_keys, registered_parties):
    order = ["social_capital", "implementing_agency"]
    pdf = sign_pdf(agreement_pdf, demo_keys.party_keys["social_capital"], demo_keys.passphrase,
                   "social_capital", registered_parties["social_capital"], signing_order=order,
                   signing_time=SIGNED_AT)
    report = verify_pdf(pdf, [demo_keys.ca_cert])
    assert [s["field"] for s in report.signatures] == ["Sig_social_capital"]
    assert report.signatures[0]["intact"] and report.signatures[0]["trusted"]
    # the PDF's own order (implementing agency first) is not met: verification says so
    assert "signed in the order social_capital" in report.problems[0]


def test_demo_keys_are_labelled(demo_keys, registered_parties):
    ca = x509.load_pem_x509_certificate(demo_keys.ca_cert.read_bytes())
    common_name = ca.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert "DEMO" in common_name and "NOT FOR REAL USE" in common_name
    assert set(demo_keys.party_keys) == set(registered_parties)
    assert "NOT FOR REAL USE" in demo_keys.readme.read_text(encoding="utf-8")
    from cryptography.hazmat.primitives.serialization import pkcs12

    _key, cert, _chain = pkcs12.load_key_and_certificates(
        demo_keys.party_keys["social_capital"].read_bytes(), demo_keys.passphrase.encode())
    subject = {a.oid: a.value for a in cert.subject}
    assert subject[NameOID.ORGANIZATION_NAME] == registered_parties["social_capital"]["name"]
    assert subject[NameOID.SERIAL_NUMBER] == registered_parties["social_capital"]["uscc"]
    assert subject[NameOID.ORGANIZATIONAL_UNIT_NAME] == DEMO_LABEL


def test_metadata_survives_signing(signed_agreement, signing_order, record_digest):
    meta = pdf_metadata(signed_agreement)
    assert meta == {"signing_order": signing_order, "record_digest": record_digest,
                    "log_hash": None, "procurement": None, "document": None,
                    "manifest_sha256": None}


def test_not_a_pdf(demo_keys):
    report = verify_pdf(b"hello", [demo_keys.ca_cert])
    assert not report.ok and report.problems


def test_trust_file_must_hold_a_certificate(signed_agreement, tmp_path):
    bad = tmp_path / "ca.pem"
    bad.write_text("nothing here")
    with pytest.raises(InputError):
        verify_pdf(signed_agreement, [bad])


def test_report_ties_the_signed_file_to_the_rendered_hash(agreement_pdf, signed_agreement,
                                                          demo_keys):
    import hashlib

    from tenderflow.documents.signing import original_revision

    assert original_revision(signed_agreement) == agreement_pdf
    report = verify_pdf(signed_agreement, [demo_keys.ca_cert])
    assert report.original_sha256 == hashlib.sha256(agreement_pdf).hexdigest()
    assert report.sha256 == hashlib.sha256(signed_agreement).hexdigest()


def test_unsigned_update_after_signing_is_reported(signed_agreement, demo_keys):
    """Someone appends an incremental update that adds text to page 1."""
    from io import BytesIO

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(signed_agreement))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    extra = writer.add_object(generic.StreamObject(stream_data=b"BT 100 700 Td (X) Tj ET"))
    page["/Contents"] = generic.ArrayObject([page.raw_get("/Contents"), extra])
    writer.update_container(page)
    out = BytesIO()
    writer.write(out)
    report = verify_pdf(out.getvalue(), [demo_keys.ca_cert])
    assert not report.ok
    assert [s["intact"] for s in report.signatures] == [True] * 4
    assert all(s["modification_level"] == "OTHER" for s in report.signatures)
    assert "the file was changed after the last signature" in " ".join(
        report.signatures[-1]["problems"])


def test_appended_bytes_are_reported(signed_agreement, demo_keys):
    report = verify_pdf(signed_agreement + b"\n% appended\n", [demo_keys.ca_cert])
    assert not report.ok
    assert report.broken() == ["Sig_subdistrict_office"]


def test_the_opened_key_signs_without_loading_it_again(agreement_pdf, demo_keys,
                                                      registered_parties, monkeypatch):
    """The key decrypted once signs the size estimate and the signature itself: pyHanko's
    re-parse of the DER key at every raw signature (issue 17's profile) is not taken, and the
    signature still verifies (RSA PKCS#1 v1.5: the bytes pyHanko would have written)."""
    from cryptography.hazmat.primitives import serialization

    first = sign_pdf(agreement_pdf, demo_keys.party_keys["implementing_agency"],
                     demo_keys.passphrase, "implementing_agency",
                     registered_parties["implementing_agency"], signing_time=SIGNED_AT)

    def reloaded(*args, **kwargs):
        raise AssertionError("the private key was parsed again")

    monkeypatch.setattr(serialization, "load_der_private_key", reloaded)
    again = sign_pdf(agreement_pdf, demo_keys.party_keys["implementing_agency"],
                     demo_keys.passphrase, "implementing_agency",
                     registered_parties["implementing_agency"], signing_time=SIGNED_AT)
    assert again == first
    monkeypatch.undo()
    report = verify_pdf(again, [demo_keys.ca_cert])
    assert report.signatures[0]["intact"] and report.signatures[0]["trusted"]


def test_a_file_the_log_vouches_for_is_not_validated_again(agreement_pdf, demo_keys,
                                                           registered_parties):
    """With ``earlier_intact`` (the caller matched the file's SHA-256 with the log's record)
    the earlier signatures are not validated again — the turn is still read from their fields;
    without it the same broken file is refused."""
    pdf = sign_pdf(agreement_pdf, demo_keys.party_keys["implementing_agency"],
                   demo_keys.passphrase, "implementing_agency",
                   registered_parties["implementing_agency"], signing_time=SIGNED_AT)
    tampered = _flip(pdf, pdf.index(b"stream", 1000) + 200)
    args = (demo_keys.party_keys["social_capital"], demo_keys.passphrase, "social_capital",
            registered_parties["social_capital"])
    with pytest.raises(CheckFailed, match="no longer matches"):
        sign_pdf(tampered, *args, signing_time=SIGNED_AT)
    sign_pdf(tampered, *args, signing_time=SIGNED_AT, earlier_intact=True)
    with pytest.raises(CheckFailed, match="has already signed"):
        sign_pdf(pdf, demo_keys.party_keys["implementing_agency"], demo_keys.passphrase,
                 "implementing_agency", registered_parties["implementing_agency"],
                 signing_time=SIGNED_AT, earlier_intact=True)
    with pytest.raises(CheckFailed, match="must sign first"):
        sign_pdf(agreement_pdf, *args, signing_time=SIGNED_AT, earlier_intact=True)
