"""The 签署页: one box per signing party, and the visible appearance its signature gets.

The renderer draws, for each party, a box with the party's label and name, its 统一社会信用代码,
a line for the representative's hand signature on a printed copy, an 电子签名 area and a 盖章
circle (38 mm: a company seal is 38–42 mm). Where the box lands is written in
the PDF's Keywords (``signature-box=ROLE@PAGE:x1,y1,x2,y2``, PDF points), so the signing step
(:func:`tenderflow.documents.signing.sign_pdf`) puts the party's signature field exactly over
it. The field's appearance (:func:`appearance_pdf`) fills the 电子签名 area with who signed (the
certificate's organisation and USCC) and when (+08:00), and places the party's seal image in the
circle when the party supplies one (a PNG beside its key, see :func:`seal_for_key`).

Both sides use the geometry below, so the appearance lines up with the page.
"""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO
from pathlib import Path
from typing import Any

from tenderflow.errors import InputError

MM = 72 / 25.4
BOX_HEIGHT = 40 * MM
SEAL_DIAMETER = 38 * MM
SEAL_MARGIN = 6 * MM  # from the box's right edge to the circle
TEXT_X = 4 * MM
# the 电子签名 area: from TEXT_X to the seal column, from AREA_BOTTOM up AREA_HEIGHT
AREA_BOTTOM = 2.5 * MM
AREA_HEIGHT = 14.8 * MM
SEAL_SUFFIX = ".seal.png"
KEYWORD = "signature-box="
_BOX = re.compile(r"signature-box=([a-z][a-z0-9_]*)@(\d+):(-?[\d.]+),(-?[\d.]+),(-?[\d.]+),"
                  r"(-?[\d.]+)")
INK = (0.05, 0.18, 0.5)  # the appearance's text: a dark blue, told apart from the print


def seal_centre(width: float) -> tuple[float, float]:
    return width - SEAL_MARGIN - SEAL_DIAMETER / 2, BOX_HEIGHT / 2


def area_width(width: float) -> float:
    return width - TEXT_X - SEAL_DIAMETER - SEAL_MARGIN - 4 * MM


def box_keywords(boxes: dict[str, tuple[int, float, float, float, float]]) -> list[str]:
    """The Keywords entries for the boxes drawn: ``signature-box=ROLE@PAGE:x1,y1,x2,y2``."""
    return [f"{KEYWORD}{role}@{page}:{x1:.2f},{y1:.2f},{x2:.2f},{y2:.2f}"
            for role, (page, x1, y1, x2, y2) in boxes.items()]


def read_boxes(keywords: str) -> dict[str, tuple[int, tuple[float, float, float, float]]]:
    """``role → (page index from 0, (x1, y1, x2, y2))`` from a PDF's Keywords."""
    out = {}
    for m in _BOX.finditer(keywords or ""):
        x1, y1, x2, y2 = (float(v) for v in m.group(3, 4, 5, 6))
        out[m.group(1)] = (int(m.group(2)) - 1, (x1, y1, x2, y2))
    return out


def signature_box(role: str, label: str, name: str, uscc: str, fonts: dict[str, str],
                  width: float, boxes: dict[str, Any]) -> Any:
    """The flowable that draws one party's box and notes where it landed in ``boxes``."""
    from reportlab.platypus import Flowable

    class SignatureBox(Flowable):  # type: ignore[misc]
        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            return width, BOX_HEIGHT

        def draw(self) -> None:
            c = self.canv
            x, y = c.absolutePosition(0, 0)
            boxes[role] = (c.getPageNumber(), x, y, x + width, y + BOX_HEIGHT)
            _draw_box(c, label, name, uscc, fonts, width)

    box = SignatureBox()
    box.spaceAfter = 2.5 * MM
    return box


def _draw_box(c: Any, label: str, name: str, uscc: str, fonts: dict[str, str],
              width: float) -> None:
    c.saveState()
    c.setStrokeGray(0.55)
    c.setLineWidth(0.5)
    c.rect(0, 0, width, BOX_HEIGHT)
    text_width = area_width(width)
    y = BOX_HEIGHT - 5.5 * MM
    c.setFillGray(0)
    c.setFont(fonts["heading"], 11)
    c.drawString(TEXT_X, y, f"{label}（盖章）")
    y -= 5.5 * MM
    c.setFont(fonts["body"], _fitting(c, name, fonts["body"], 11, text_width))
    c.drawString(TEXT_X, y, name)
    y -= 4.7 * MM
    c.setFont(fonts["body"], 10)
    c.drawString(TEXT_X, y, f"统一社会信用代码：{uscc}")
    y = AREA_BOTTOM + AREA_HEIGHT + 2.8 * MM
    hand = "法定代表人或授权代表（签字）："
    c.drawString(TEXT_X, y, hand)
    c.line(TEXT_X + c.stringWidth(hand, fonts["body"], 10) + 2, y - 1.5,
           TEXT_X + text_width, y - 1.5)
    c.setDash(2, 2)
    c.setStrokeGray(0.7)
    c.rect(TEXT_X, AREA_BOTTOM, text_width, AREA_HEIGHT)
    cx, cy = seal_centre(width)
    c.circle(cx, cy, SEAL_DIAMETER / 2)
    c.setFillGray(0.6)
    c.setFont(fonts["body"], 8)
    c.drawCentredString(TEXT_X + text_width / 2, AREA_BOTTOM + AREA_HEIGHT / 2 - 3,
                        "电子签名（签署后显示签署人、统一社会信用代码和签署时间）")
    c.setFont(fonts["body"], 10)
    c.drawCentredString(cx, cy - 4, "盖章处")
    c.restoreState()


def _fitting(c: Any, text: str, font: str, size: float, width: float) -> float:
    """The largest size down from ``size`` (not below 7 pt) at which ``text`` fits ``width``."""
    while size > 7 and c.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def seal_for_key(p12_path: str | Path) -> Path | None:
    """The seal image a party supplies with its key: ``<key file stem>.seal.png`` beside the
    PKCS#12 file (``social_capital.p12`` → ``social_capital.seal.png``), or None."""
    path = Path(p12_path)
    seal = path.with_name(path.stem + SEAL_SUFFIX)
    return seal if seal.is_file() else None


def appearance_pdf(width: float, height: float, *, name: str, uscc: str, when: dt.datetime,
                   seal: Path | None) -> bytes:
    """A one-page PDF of the box's size: the signature's appearance (who, USCC, time in
    +08:00, and the seal image if given), drawn with the embedded fonts."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from tenderflow.documents.fonts import register_fonts

    fonts = register_fonts()
    local = when.astimezone(dt.timezone(dt.timedelta(hours=8)))
    buf = BytesIO()
    c = Canvas(buf, pagesize=(width, height), invariant=1, initialFontName=fonts["body"])
    text_width = area_width(width)
    c.setFillColorRGB(1, 1, 1)
    c.rect(TEXT_X + 0.5, AREA_BOTTOM + 0.5, text_width - 1, AREA_HEIGHT - 1, stroke=0, fill=1)
    c.setStrokeColorRGB(*INK)
    c.setLineWidth(0.8)
    c.rect(TEXT_X, AREA_BOTTOM, text_width, AREA_HEIGHT)
    c.setFillColorRGB(*INK)
    lines = [(fonts["heading"], 9.5, f"电子签名：{name}"),
             (fonts["body"], 9, f"统一社会信用代码：{uscc}"),
             (fonts["body"], 9, f"签署时间：{local:%Y-%m-%d %H:%M:%S} +08:00")]
    y = AREA_BOTTOM + AREA_HEIGHT - 4.4 * MM
    for font, size, text in lines:
        c.setFont(font, _fitting(c, text, font, size, text_width - 4 * MM))
        c.drawString(TEXT_X + 2 * MM, y, text)
        y -= 4.6 * MM
    if seal is not None:
        try:
            image = ImageReader(str(seal))
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read the seal image: {exc}", file=str(seal),
                             expected="a PNG image") from None
        cx, cy = seal_centre(width)
        size = SEAL_DIAMETER
        c.setFillColorRGB(1, 1, 1)
        c.circle(cx, cy, size / 2 - 1, stroke=0, fill=1)  # over the 盖章处 placeholder
        c.drawImage(image, cx - size / 2, cy - size / 2, size, size, mask="auto",
                    preserveAspectRatio=True, anchor="c")
    c.showPage()
    c.save()
    return buf.getvalue()


def placement(keywords: str, role: str, field: str, who: Any, when: dt.datetime,
              seal: Path | None) -> dict[str, Any]:
    """pyHanko's ``new_field_spec`` (the signature field ``field``) and ``stamp_style`` for
    the party's box (from the PDF's ``keywords``), or nothing (an invisible signature) when the
    PDF has no box for it; ``who`` is the signing certificate's identity (``name``, ``uscc``)."""
    from pyhanko.pdf_utils import layout
    from pyhanko.sign import fields
    from pyhanko.stamp import StaticStampStyle

    box = read_boxes(keywords).get(role)
    if box is None:
        return {}
    page, (x1, y1, x2, y2) = box
    look = appearance_pdf(x2 - x1, y2 - y1, name=who.name or "", uscc=who.uscc or "",
                          when=when, seal=seal)
    # pyHanko's hint says int; it writes the box as PDF numbers, and the box lands on the
    # drawn one to the hundredth of a point only with the fractions kept
    spec = fields.SigFieldSpec(field, on_page=page, box=(x1, y1, x2, y2))  # type: ignore[arg-type]
    return {"new_field_spec": spec,
            "stamp_style": StaticStampStyle(
                background=_appearance_content(look), border_width=0, background_opacity=1.0,
                background_layout=layout.SimpleBoxLayoutRule(  # drawn 1:1, as on the page
                    x_align=layout.AxisAlignment.ALIGN_MIN,
                    y_align=layout.AxisAlignment.ALIGN_MIN, margins=layout.Margins(),
                    inner_content_scaling=layout.InnerScaling.NO_SCALING))}


def _appearance_content(pdf: bytes) -> Any:
    """The first page of ``pdf`` as pyHanko content (a form XObject), under a fixed resource
    name (pyHanko's ``ImportedPdfPage`` reads a file and names it at random, which would make
    the same signature give different bytes)."""
    from pyhanko.pdf_utils.content import PdfContent
    from pyhanko.pdf_utils.layout import BoxConstraints
    from pyhanko.pdf_utils.reader import PdfFileReader

    class Appearance(PdfContent):  # type: ignore[misc]
        def render(self) -> bytes:
            xobj = self._ensure_writer.import_page_as_xobject(
                PdfFileReader(BytesIO(pdf), strict=False), page_ix=0)
            self.resources.xobject["/TfAppearance"] = xobj
            x1, y1, x2, y2 = xobj.get_object()["/BBox"]
            self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
            return b"/TfAppearance Do"

    return Appearance()


def draw_demo_seal(name: str, out: str | Path, *, label: str = "演示用章") -> Path:
    """A seal image for the demo parties (a red ring, the name along its upper arc, a star and
    ``label`` below it), written as PNG with a transparent background: what a party's
    ``<key>.seal.png`` looks like. Not a real seal: the label says so."""
    import math

    from PIL import Image, ImageDraw, ImageFont

    from tenderflow.documents.fonts import find_font

    size, red = 480, (205, 30, 35, 235)  # pixels; the seal prints 38 mm wide (320 dpi)
    heading = find_font("heading")
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    centre = size / 2
    draw.ellipse((8, 8, size - 8, size - 8), outline=red, width=14)
    points = [(centre + (62 if k % 2 == 0 else 24) * math.sin(math.radians(k * 36)),
               centre - 20 - (62 if k % 2 == 0 else 24) * math.cos(math.radians(k * 36)))
              for k in range(10)]
    draw.polygon(points, fill=red)
    font = ImageFont.truetype(str(heading.path), 46, index=heading.subfont_index)
    chars = list(name)
    span = min(270.0, 22.0 * len(chars))  # degrees of the upper arc the name takes
    radius = size / 2 - 58
    step = math.radians(span / len(chars)) * radius  # arc length per character, in pixels
    for k, ch in enumerate(chars):
        angle = -span / 2 + span * (k + 0.5) / len(chars)
        glyph = Image.new("RGBA", (60, 60), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((30, 30), ch, font=font, fill=red, anchor="mm")
        if step < 50:  # a long name: characters narrowed, as seal engravers do
            glyph = glyph.resize((max(24, round(60 * step / 50)), 60), Image.Resampling.LANCZOS)
        glyph = glyph.rotate(-angle, resample=Image.Resampling.BICUBIC, expand=True)
        x = centre + radius * math.sin(math.radians(angle)) - glyph.width / 2
        y = centre - radius * math.cos(math.radians(angle)) - glyph.height / 2
        img.alpha_composite(glyph, (round(x), round(y)))
    small = ImageFont.truetype(str(heading.path), 40, index=heading.subfont_index)
    draw.text((centre, centre + 95), label, font=small, fill=red, anchor="mm")
    path = Path(out)
    img.save(path, format="PNG", optimize=True)
    return path
