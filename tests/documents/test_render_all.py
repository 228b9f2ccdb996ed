"""Every PDF the demo writes, rendered and read as a reader would (issue 15's done-when).

The demo runs once into a folder; for each PDF it writes:

* every page is rendered to PNG (``pdftoppm -r 60``) into a folder that is kept — the
  ``$TENDERFLOW_RENDER_DIR`` if set, else pytest's temporary folder (kept for the last three
  runs) — and its path is printed (``pytest -s``) and listed in ``pages.txt`` there;
* every character drawn in an embedded font is one that font has a glyph for (read from the
  font's ToUnicode map against the face's own cmap): no blank where ✓ was;
* no line (``pdftotext -bbox-layout``) starts with a closing mark or ends with an opening one,
  and no figure is split between a line and the next;
* each signed document has one signature per party, each placed on the 签署页 with a
  non-empty appearance stream (``/AP /N``).
"""

from __future__ import annotations

import os
import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from tenderflow.documents.linebreak import CLOSING, OPENING
from tenderflow.domain.timeutil import parse_time

SEALED_AT = parse_time("2024-01-02T09:00+08:00")
SIGNED = ("agreement/agreement.pdf", "agreement/package/agreement.pdf",
          "agreement/package/manifest.pdf")
_XHTML = "{http://www.w3.org/1999/xhtml}"
_AMOUNT = re.compile(r"^¥?\d{1,3}(,\d{3})+(\.\d{2})?$|^\d+\.\d{2}$")
_NUMBER_END = re.compile(r"[¥\d][\d,.]*$")
_NUMBER_START = re.compile(r"^[\d,.]+")
# Lines whose opening mark is in the text itself, not made by a line break: the policy handbook
# prints the features' Examples cells verbatim, and two cells of
# features/award/质疑与投诉.feature (the 处理 column) begin with ", remedy:", and cells of
# features/contract/ with ", late_reason:" (optional step text the Examples fill in).
VERBATIM = {("handbook/handbook.pdf", ", remedy:"), ("handbook/handbook.pdf", ", late_re")}
_RUN_END = re.compile(r"[0-9A-Za-z,.¥]+$")
_RUN_START = re.compile(r"^[0-9A-Za-z,.]+")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[Path]]:
    """The demo's output folder, the folder the PNGs are kept in, and the PDFs written."""
    from tenderflow.app.demo import run_demo

    out = tmp_path_factory.mktemp("demo")
    run_demo(out, SEALED_AT)
    kept = Path(os.environ.get("TENDERFLOW_RENDER_DIR") or tmp_path_factory.mktemp("rendered"))
    kept.mkdir(parents=True, exist_ok=True)
    pdfs = sorted(out.rglob("*.pdf"))
    assert len(pdfs) >= 7, pdfs
    pages = []
    for pdf in pdfs:
        stem = str(pdf.relative_to(out).with_suffix("")).replace("/", "_")
        for old in kept.glob(f"{stem}-*.png"):  # a kept folder's pages of an earlier run
            old.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(kept / stem)],
                       check=True, capture_output=True)
        pages += sorted(kept.glob(f"{stem}-*.png"))
    (kept / "pages.txt").write_text("".join(f"{p}\n" for p in pages), encoding="utf-8")
    print(f"\nrendered pages of {len(pdfs)} PDFs: {kept} ({len(pages)} PNG, pages.txt)")
    return out, kept, pdfs


def test_every_page_is_rendered(demo):
    out, kept, pdfs = demo
    for pdf in pdfs:
        stem = str(pdf.relative_to(out).with_suffix("")).replace("/", "_")
        count = len(PdfReader(pdf).pages)
        pngs = list(kept.glob(f"{stem}-*.png"))
        assert len(pngs) == count and all(p.stat().st_size > 1000 for p in pngs), pdf


# ---------------------------------------------------------------------------------------------
# Glyphs


def _faces() -> dict[str, frozenset[int] | dict[int, int]]:
    """PostScript name of each face the renderer embeds → the code points it has."""
    from reportlab.pdfbase import pdfmetrics

    from tenderflow.documents.fonts import register_fonts

    out = {}
    for name in register_fonts().values():
        face = pdfmetrics.getFont(name).face
        out[face.name.decode() if isinstance(face.name, bytes) else face.name] = face.charToGlyph
    return out


def _font_dicts(reader: PdfReader) -> list[Any]:
    """Every font dictionary reachable from the pages, their form XObjects and the
    annotations' appearance streams."""
    found: dict[int, Any] = {}
    seen: set[int] = set()

    def resources(res: Any) -> None:
        res = res.get_object() if isinstance(res, IndirectObject) else res
        if not res:
            return
        for ref in (res.get("/Font") or {}).values():
            found[id(ref.get_object())] = ref.get_object()
        for ref in (res.get("/XObject") or {}).values():
            xobj = ref.get_object()
            if id(xobj) not in seen and xobj.get("/Subtype") == "/Form":
                seen.add(id(xobj))
                resources(xobj.get("/Resources"))

    for page in reader.pages:
        resources(page.get("/Resources"))
        for annot in page.get("/Annots") or []:
            ap = annot.get_object().get("/AP")
            normal = ap.get_object().get("/N") if ap else None
            if normal is not None:
                resources(normal.get_object().get("/Resources"))
    return list(found.values())


def _to_unicode(font: Any) -> list[str]:
    cmap = font.get("/ToUnicode")
    if cmap is None:
        return []
    data = cmap.get_object().get_data().decode("latin-1")
    chars = []
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.DOTALL):
        for _code, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            text = bytes.fromhex(uni).decode("utf-16-be")
            if not all(unicodedata.category(c) == "Cc" for c in text):  # codes never drawn
                chars.append(text)
    return chars


def test_no_character_is_missing_from_its_font(demo):
    _out, _kept, pdfs = demo
    faces = _faces()
    problems = []
    for pdf in pdfs:
        for font in _font_dicts(PdfReader(pdf)):
            base = str(font.get("/BaseFont", ""))
            face = re.sub(r"^/?[A-Z]{6}\+", "", base).rsplit("-", 1)[0]
            assert face in faces, f"{pdf.name}: font {base} is not one the renderer embeds"
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, f"{pdf.name}: {base} is not embedded"
            missing = [c for c in _to_unicode(font) if any(ord(x) not in faces[face] for x in c)]
            if missing:
                problems.append(f"{pdf.name}: {face} lacks {missing}")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# Lines


def _lines(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Per page, the lines pdftotext reads: (xMin, yMin, xMax, yMax, text)."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True,
                         capture_output=True).stdout
    root = ET.fromstring(re.sub(rb"<!DOCTYPE[^>]*>", b"", xml))
    pages = []
    for page in root.iter(f"{_XHTML}page"):
        lines = []
        for line in page.iter(f"{_XHTML}line"):
            words = [w.text or "" for w in line.iter(f"{_XHTML}word")]
            box = [float(line.get(k, 0)) for k in ("xMin", "yMin", "xMax", "yMax")]
            lines.append((*box, " ".join(words)))
        pages.append(lines)
    return pages


def _split_number(upper: tuple, lower: tuple, text_width: float) -> bool:
    """Whether a figure runs from the end of ``upper`` into the start of ``lower``: the lower
    line right below, in the same column, and either the upper one is a full paragraph line
    ending in a figure that the lower one continues, or the two halves make one amount that
    neither is alone (¥1,30 / 0,000.00)."""
    ux0, uy0, ux1, uy1, utext = upper
    lx0, ly0, _lx1, _ly1, ltext = lower
    height = uy1 - uy0
    if not (0 <= ly0 - uy1 <= height * 1.2 and abs(lx0 - ux0) <= height * 2.5):
        return False
    end, start = _NUMBER_END.search(utext.strip()), _NUMBER_START.match(ltext.strip())
    if not end or not start:
        return False
    runs = (_RUN_END.search(utext.strip()), _RUN_START.match(ltext.strip()))
    if any(re.search("[A-Za-z]", r.group()) for r in runs if r):
        return False  # a hash or a code (hexadecimal), not a figure: broken where it must be
    if ux1 - ux0 >= 0.6 * text_width:
        return True
    joined = end.group() + start.group()
    return bool(_AMOUNT.match(joined)) and not _AMOUNT.match(end.group())


def test_no_line_breaks_against_the_rules(demo):
    from tenderflow.documents.pdf import TEXT_WIDTH_MM

    out, _kept, pdfs = demo
    text_width = TEXT_WIDTH_MM * 72 / 25.4
    problems = []
    for pdf in pdfs:
        for number, lines in enumerate(_lines(pdf), start=1):
            where = f"{pdf.relative_to(out)} p.{number}"
            for i, line in enumerate(lines):
                text = line[4].strip()
                if text and text[0] in CLOSING and \
                        (str(pdf.relative_to(out)), text[:9]) not in VERBATIM:
                    problems.append(f"{where}: line starts with {text[0]!r}: {text[:40]!r}")
                if text and text[-1] in OPENING:
                    problems.append(f"{where}: line ends with {text[-1]!r}: {text[-40:]!r}")
                for lower in lines[i + 1:i + 3]:
                    if _split_number(line, lower, text_width):
                        problems.append(f"{where}: figure split: {text[-20:]!r} / "
                                        f"{lower[4].strip()[:20]!r}")
    assert not problems, "\n".join(problems)


def test_the_checks_see_what_they_look_for():
    """The line checks flag the breaks the issue saw (a check that cannot fail proves
    nothing)."""
    full = (85.0, 100.0, 515.0, 112.0, "项目总投资为¥1,30")
    assert _split_number(full, (85.0, 121.0, 300.0, 133.0, "0,000.00元。"), 442)
    cell = (300.0, 100.0, 340.0, 110.0, "¥1,30")
    assert _split_number(cell, (300.0, 112.0, 340.0, 122.0, "0,000.00"), 442)
    digest = (85.0, 100.0, 515.0, 112.0, "摘要3cec0533e45a1710f445")
    assert not _split_number(digest, (85.0, 121.0, 300.0, 133.0, "96215f45b5cb2f5001df"), 442)
    dates = (300.0, 100.0, 350.0, 110.0, "2023-12-01")
    assert not _split_number(dates, (300.0, 112.0, 350.0, 122.0, "2023-12-02"), 442)


# ---------------------------------------------------------------------------------------------
# Signatures


@pytest.mark.parametrize("name", SIGNED)
def test_signatures_are_visible_on_the_signature_page(demo, name):
    out, _kept, _pdfs = demo
    reader = PdfReader(out / name)
    order = re.search(r"signing-order=([a-z_,]+)", reader.metadata["/Keywords"]).group(1)
    widgets = []
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/FT") == "/Sig" or (annot.get("/Parent") or {}).get("/FT") == "/Sig":
                widgets.append((index, page, annot))
    assert sorted(str(a.get("/T")) for _i, _p, a in widgets) == sorted(
        f"Sig_{role}" for role in order.split(","))
    for index, page, annot in widgets:
        x1, y1, x2, y2 = (float(v) for v in annot["/Rect"])
        assert (x2 - x1) > 200 and (y2 - y1) > 80, (annot["/T"], annot["/Rect"])
        normal = annot["/AP"]["/N"].get_object()
        assert normal.get_data().strip(), f"{annot['/T']}: empty appearance"
        assert normal["/Resources"]["/XObject"], f"{annot['/T']}: appearance draws nothing"
        page_text = page.extract_text()
        assert "签署页" in page_text or "签署页" in reader.pages[index - 1].extract_text(), (
            f"{annot['/T']} is on page {index + 1}, not on the 签署页")
