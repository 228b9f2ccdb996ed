"""The 签署页's boxes and the visible signatures placed on them."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tenderflow.documents.signature_page import box_keywords, read_boxes, seal_for_key
from tests.documents.conftest import SIGNED_AT, SIGNING_ORDER


def _widgets(pdf: bytes) -> dict[str, tuple[int, object]]:
    reader = PdfReader(io.BytesIO(pdf))
    out = {}
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/FT") == "/Sig":
                out[str(annot["/T"])] = (index, annot)
    return out


def _images(xobject: object, seen: set[int] | None = None) -> int:
    """How many images a form XObject draws, through nested forms."""
    seen = seen if seen is not None else set()
    count = 0
    for ref in ((xobject.get("/Resources") or {}).get("/XObject") or {}).values():
        obj = ref.get_object()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        count += 1 if obj.get("/Subtype") == "/Image" else _images(obj, seen)
    return count


def test_boxes_round_trip_through_the_keywords():
    boxes = {"social_capital": (9, 85.37, 393.15, 527.57, 506.54)}
    words = box_keywords(boxes)
    assert words == ["signature-box=social_capital@9:85.37,393.15,527.57,506.54"]
    assert read_boxes("a=b; " + "; ".join(words)) == {
        "social_capital": (8, (85.37, 393.15, 527.57, 506.54))}


def test_the_signature_page_has_a_box_per_party(agreement_pdf):
    reader = PdfReader(io.BytesIO(agreement_pdf))
    boxes = read_boxes(reader.metadata["/Keywords"])
    assert list(boxes) == SIGNING_ORDER
    last = len(reader.pages) - 1
    assert {page for page, _box in boxes.values()} == {last}
    assert "签署页" in reader.pages[last].extract_text()
    assert "盖章处" in reader.pages[last].extract_text()


def test_each_signature_is_placed_on_its_box_with_an_appearance(signed_agreement):
    boxes = read_boxes(PdfReader(io.BytesIO(signed_agreement)).metadata["/Keywords"])
    widgets = _widgets(signed_agreement)
    assert sorted(widgets) == sorted(f"Sig_{r}" for r in SIGNING_ORDER)
    for role in SIGNING_ORDER:
        page, annot = widgets[f"Sig_{role}"]
        assert page == boxes[role][0]
        rect = [round(float(v), 2) for v in annot["/Rect"]]
        assert rect == [round(v, 2) for v in boxes[role][1]]
        normal = annot["/AP"]["/N"].get_object()
        assert normal.get_data().strip() and normal["/Resources"]["/XObject"]
        assert _images(normal) == 0  # the test keys come with no seal image


def test_a_seal_image_beside_the_key_is_drawn(agreement_pdf, demo_keys, registered_parties,
                                              tmp_path):
    import shutil

    from tenderflow.documents.signature_page import draw_demo_seal
    from tenderflow.documents.signing import sign_pdf, verify_pdf

    role = SIGNING_ORDER[0]
    key = tmp_path / f"{role}.p12"
    shutil.copyfile(demo_keys.party_keys[role], key)
    assert seal_for_key(key) is None
    draw_demo_seal(registered_parties[role]["name"], tmp_path / f"{role}.seal.png")
    assert seal_for_key(key) == tmp_path / f"{role}.seal.png"
    signed = sign_pdf(agreement_pdf, key, demo_keys.passphrase, role, registered_parties[role],
                      signing_time=SIGNED_AT)
    _page, annot = _widgets(signed)[f"Sig_{role}"]
    assert _images(annot["/AP"]["/N"].get_object()) == 1
    report = verify_pdf(signed, [demo_keys.ca_cert])
    assert [s["role"] for s in report.signatures] == [role]
    assert not [p for s in report.signatures for p in s["problems"]]
    # the same file, key, seal and time give the same bytes
    assert sign_pdf(agreement_pdf, key, demo_keys.passphrase, role, registered_parties[role],
                    signing_time=SIGNED_AT) == signed


def test_the_appearance_says_who_and_when_in_beijing_time(agreement_pdf, demo_keys,
                                                          registered_parties):
    import datetime as dt
    import subprocess

    from tenderflow.documents.signing import sign_pdf

    role = SIGNING_ORDER[0]
    at = dt.datetime(2025, 6, 30, 2, 5, 7, tzinfo=dt.UTC)  # 10:05:07 in Beijing
    signed = sign_pdf(agreement_pdf, demo_keys.party_keys[role], demo_keys.passphrase, role,
                      registered_parties[role], signing_time=at)
    # what a viewer shows: poppler draws the appearance
    text = subprocess.run(["pdftotext", "-f", "9", "-l", "9", "-", "-"], input=signed,
                          capture_output=True, check=True).stdout.decode()
    assert "签署时间：2025-06-30 10:05:07 +08:00" in text
    assert f"电子签名：{registered_parties[role]['name']}" in text
    assert f"统一社会信用代码：{registered_parties[role]['uscc']}" in text
