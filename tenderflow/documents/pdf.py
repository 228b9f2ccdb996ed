"""PDF rendering with reportlab: A4, an embedded TrueType CJK font, deterministic bytes.

Every page carries its number (第 N 页 共 M 页) and the record digest of the event its data
comes from (:mod:`tenderflow.documents.record`: the event as recorded, not the time it was
recorded). The same inputs (template, data, record digest, font file, reportlab version) give
byte-identical PDFs:
the canvas runs in invariant mode, the creation date comes from the data, and the file ID is
derived from the content instead of the clock.

The caller records the SHA-256 of the returned bytes as an event (DESIGN §8).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

from tenderflow.documents.filling import as_date, fill
from tenderflow.documents.fonts import BODY, HEADING, register_fonts
from tenderflow.documents.templates import (
    Entry,
    FilledDocument,
    Table,
    chinese_ordinal,
    load_template,
)
from tenderflow.domain.money import Money
from tenderflow.errors import InputError

_HASH = re.compile(r"^[0-9a-f]{64}$")
# Written as the file ID while rendering, then replaced by a hash of the finished file.
_ID_PLACEHOLDER = b"<" + b"0" * 32 + b">"
KEYWORD_SIGNING_ORDER = "signing-order="
KEYWORD_RECORD_DIGEST = "record-digest="
# What the footer calls the digest unless the caller names the record (e.g. 条款记录摘要).
RECORD_DIGEST_LABEL = "记录摘要"
KEYWORD_PROCUREMENT = "procurement="
KEYWORD_DOCUMENT = "document="

# A4 after GB/T 9704-2012 (党政机关公文格式) §5.2.1: 天头 37 mm, 订口 (left) 28 mm, 版心
# 156 mm × 225 mm, so 26 mm on the right and 35 mm at the foot.
MARGIN_TOP_MM = 37
MARGIN_LEFT_MM = 28
TEXT_WIDTH_MM = 156
TEXT_HEIGHT_MM = 225
MARGIN_RIGHT_MM = 210 - MARGIN_LEFT_MM - TEXT_WIDTH_MM
MARGIN_BOTTOM_MM = 297 - MARGIN_TOP_MM - TEXT_HEIGHT_MM
PAGE_MARGIN_MM = MARGIN_LEFT_MM  # the left margin (older name)


def check_digest(digest: str) -> str:
    """A record digest: 64 hexadecimal digits (SHA-256), returned lower-case."""
    if not isinstance(digest, str) or not _HASH.match(digest.strip().lower()):
        raise InputError(f"not a SHA-256 record digest: {digest!r}", field="record_digest",
                         expected="64 hexadecimal digits")
    return digest.strip().lower()


def check_label(label: str) -> str:
    """The footer's name for the digest: one short line of text."""
    if not isinstance(label, str) or not label.strip() or len(label) > 20 \
            or any(c in label for c in "\r\n"):
        raise InputError(f"not a short label for the record digest: {label!r}",
                         field="digest_label")
    return label.strip()


def money_text(amount: Any) -> str:
    """An amount in figures and in 大写: ``¥40,000,000.00（人民币肆仟万元整）``."""
    money = amount if isinstance(amount, Money) else Money.parse(
        str(amount) if not isinstance(amount, (str, int)) else amount)
    return f"{money.formatted()}（{money.chinese()}）"


# ---------------------------------------------------------------------------------------------
# Public entry points


def render_agreement(template_path: str | Path, data: Mapping[str, Any], record_digest: str, *,
                     keywords: Sequence[str] = (),
                     digest_label: str = RECORD_DIGEST_LABEL) -> bytes:
    """Render a contract template (the agreement, or the financing cover letter) as PDF bytes.

    Raises :class:`~tenderflow.documents.templates.MissingFields` listing every missing field,
    or :class:`InputError` listing every malformed one, before any PDF is produced; a broken
    template raises :class:`DefinitionError`.
    """
    record_digest = check_digest(record_digest)
    template = load_template(template_path)
    filled = fill(template, data)
    return render_filled(filled, record_digest, keywords=keywords, digest_label=digest_label)


def render_filled(doc: FilledDocument, record_digest: str, *, keywords: Sequence[str] = (),
                  digest_label: str = RECORD_DIGEST_LABEL) -> bytes:
    """Lay out an already filled template. ``keywords`` are added to the PDF's Keywords (the
    application writes ``procurement=ID`` and ``document=KIND`` there, so that a file names
    the record it belongs to). ``record_digest`` is printed on every page as
    "``digest_label``（SHA-256）" and written to the Keywords as ``record-digest=``."""
    record_digest = check_digest(record_digest)
    digest_label = check_label(digest_label)
    st = _styles()
    story: list[Any] = []
    story += _title_block(doc.title, doc.subtitle, doc.number, st)
    if doc.salutation:
        story.append(_para(doc.salutation, st["salutation"]))
    story += _entries(doc.preamble, st)
    for clause in doc.clauses:
        laid = _entries(clause.body, st)
        story += _heading(f"{clause.number}{clause.heading}", laid, st) + laid
    story += _entries(doc.closing, st)
    boxes: dict[str, Any] = {}
    if doc.parties:
        story += _signature_page(doc, st, boxes)
    all_keywords = [
        f"tenderflow {doc.template_id} {doc.template_version}",
        KEYWORD_SIGNING_ORDER + ",".join(doc.signing_order),
        KEYWORD_RECORD_DIGEST + record_digest,
        *_checked_keywords(keywords),
    ]
    return _build(story, title=doc.title, subject=f"{doc.template_id} {doc.template_version}",
                  keywords=all_keywords, footer=f"{digest_label}（SHA-256）：{record_digest}",
                  document_date=doc.document_date, boxes=boxes)


def render_document(title: str, sections: Sequence[Mapping[str, Any]], record_digest: str, *,
                    subtitle: str = "", document_date: date | str | None = None,
                    numbered: bool = True, keywords: Sequence[str] = (),
                    digest_label: str = RECORD_DIGEST_LABEL) -> bytes:
    """A generic report (eligibility report, award record, financial summary, timeline).

    ``sections`` is a list of ``{"heading": str, "body": [entry, ...]}`` where an entry is a
    paragraph (str), a numbered list (list of str), ``{"table": {"columns": [...],
    "rows": [[...], ...]}}``, or a reportlab flowable the caller laid out (a chart). Headings are numbered 一、二、… unless ``numbered`` is false.
    ``document_date`` (ISO date) becomes the PDF's creation date; without it the fixed
    invariant date is used, so the bytes never depend on the clock.
    """
    record_digest = check_digest(record_digest)
    digest_label = check_label(digest_label)
    if not isinstance(title, str) or not title.strip():
        raise InputError("a document needs a title", field="title")
    when = as_date(document_date, "document_date") if document_date is not None else None
    st = _styles()
    story: list[Any] = _title_block(title, subtitle, "", st)
    for i, section in enumerate(sections, start=1):
        where = f"sections[{i - 1}]"
        if not isinstance(section, Mapping) or not isinstance(section.get("heading"), str):
            raise InputError("a section is {heading, body}", field=where)
        heading = section["heading"]
        if numbered:
            heading = f"{chinese_ordinal(i)}、{heading}"
        laid = _entries(_plain_entries(section.get("body") or [], where), st)
        story += _heading(heading, laid, st) + laid
    return _build(story, title=title, subject=title,
                  keywords=[KEYWORD_RECORD_DIGEST + record_digest, *_checked_keywords(keywords)],
                  footer=f"{digest_label}（SHA-256）：{record_digest}", document_date=when)


def _checked_keywords(keywords: Sequence[str]) -> list[str]:
    """Extra keywords: ``name=value`` with no ';' (the separator) and no line break."""
    out = []
    for word in keywords:
        if not isinstance(word, str) or not re.match(r"^[a-z][a-z0-9-]*=[^;\r\n]{1,200}$", word):
            raise InputError(f"not a keyword: {word!r}", field="keywords",
                             expected="name=value without ';'")
        out.append(word)
    return out


def write_pdf(out_path: str | Path, pdf_bytes: bytes) -> str:
    """Write a rendered PDF atomically (a temporary file renamed into place); its SHA-256.

    Render first, then write: a refused render leaves no file behind.
    """
    out = Path(out_path)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        tmp.write_bytes(pdf_bytes)
        tmp.replace(out)
    except OSError as exc:
        raise InputError(f"cannot write the PDF: {exc.strerror}", file=str(out)) from None
    return hashlib.sha256(pdf_bytes).hexdigest()


_FONT_HASHES: dict[str, str] = {}


def renderer_info() -> dict[str, str]:
    """What else the bytes depend on: reportlab's version and the embedded font files
    (``font`` the 黑体 face, ``body_font`` the 宋体 face)."""
    import reportlab

    from tenderflow.documents.fonts import find_font

    out = {"reportlab": reportlab.Version}
    for prefix, role in (("font", HEADING), ("body_font", BODY)):
        font = find_font(role)
        key = str(font.path)
        if key not in _FONT_HASHES:
            _FONT_HASHES[key] = hashlib.sha256(font.path.read_bytes()).hexdigest()
        out[prefix] = f"{font.path.name}#{font.subfont_index}"
        out[f"{prefix}_sha256"] = _FONT_HASHES[key]
    return out


def _plain_entries(body: Any, where: str) -> list[Entry]:
    if not isinstance(body, (list, tuple)):
        raise InputError("a section body is a list", field=f"{where}.body")
    out: list[Entry] = []
    for i, entry in enumerate(body):
        if isinstance(entry, str):
            out.append(entry)
        elif isinstance(entry, (list, tuple)):
            out.append(tuple(str(x) for x in entry))
        elif isinstance(entry, Table):
            out.append(entry)
        elif hasattr(entry, "wrapOn") and hasattr(entry, "drawOn"):
            out.append(entry)  # a reportlab flowable laid out by the caller (a chart, a table)
        elif isinstance(entry, Mapping) and isinstance(entry.get("table"), Mapping):
            t = entry["table"]
            columns = tuple(str(c) for c in t.get("columns") or ())
            rows = tuple(tuple(str(c) for c in row) for row in t.get("rows") or ())
            if not columns or any(len(r) != len(columns) for r in rows):
                raise InputError("each table row needs one cell per column",
                                 field=f"{where}.body[{i}]")
            out.append(Table(columns, rows))
        else:
            raise InputError(f"cannot lay out a {type(entry).__name__}",
                             field=f"{where}.body[{i}]",
                             expected="text, a list of text or {table: {columns, rows}}")
    return out


# ---------------------------------------------------------------------------------------------
# Layout


def _styles() -> dict[str, Any]:
    """The styles: body text in the 宋体 face (小四, 12 pt), titles and headings in 黑体."""
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    fonts = register_fonts()
    font, bold = fonts[BODY], fonts[HEADING]
    body = ParagraphStyle("tf-body", fontName=font, fontSize=12, leading=21,
                          firstLineIndent=24, alignment=TA_JUSTIFY, wordWrap="CJK",
                          spaceAfter=3)
    return {
        "font": font,
        "bold": bold,
        "fonts": fonts,
        "title": ParagraphStyle("tf-title", parent=body, fontName=bold, fontSize=18,
                                leading=28, alignment=TA_CENTER, firstLineIndent=0,
                                spaceAfter=6),
        "subtitle": ParagraphStyle("tf-subtitle", parent=body, fontSize=12, leading=18,
                                   alignment=TA_CENTER, firstLineIndent=0, spaceAfter=4),
        "number": ParagraphStyle("tf-number", parent=body, fontSize=10.5, alignment=TA_CENTER,
                                 firstLineIndent=0, spaceAfter=14),
        "heading": ParagraphStyle("tf-heading", parent=body, fontName=bold, fontSize=12.5,
                                  leading=22, firstLineIndent=0, spaceBefore=8, spaceAfter=4,
                                  keepWithNext=1, alignment=TA_LEFT),
        "body": body,
        "salutation": ParagraphStyle("tf-salutation", parent=body, firstLineIndent=0),
        "item": ParagraphStyle("tf-item", parent=body),
        "cell": ParagraphStyle("tf-cell", parent=body, firstLineIndent=0, fontSize=10,
                               leading=14, spaceAfter=0, alignment=TA_LEFT),
        "head_cell": ParagraphStyle("tf-head-cell", parent=body, fontName=bold,
                                    firstLineIndent=0, fontSize=10, leading=14, spaceAfter=0,
                                    alignment=TA_CENTER),
        "amount": ParagraphStyle("tf-amount", parent=body, firstLineIndent=0, fontSize=10,
                                 leading=14, spaceAfter=0, alignment=TA_RIGHT),
        "sign": ParagraphStyle("tf-sign", parent=body, firstLineIndent=0, leading=22),
    }


def _para(text: str, style: Any) -> Any:
    """A paragraph of plain text, broken into lines after the Chinese rules
    (:mod:`tenderflow.documents.linebreak`); a character the style's face lacks is set in
    the other face."""
    from tenderflow.documents.linebreak import paragraph

    fonts = register_fonts()
    other = fonts[HEADING] if style.fontName == fonts[BODY] else fonts[BODY]
    return paragraph(text, style, other)


def _title_block(title: str, subtitle: str, number: str, st: dict[str, Any]) -> list[Any]:
    out = []
    if subtitle:
        out.append(_para(subtitle, st["subtitle"]))
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm

    from tenderflow.documents.linebreak import title_lines

    style = st["title"]
    lines = title_lines(title, style.fontName, style.fontSize, TEXT_WIDTH_MM * mm - 12)
    for n, line in enumerate(lines, start=1):
        out.append(_para(line, style if n == len(lines) else ParagraphStyle(
            "tf-title-line", parent=style, spaceAfter=0)))
    if number:
        out.append(_para(number, st["number"]))
    else:
        from reportlab.platypus import Spacer

        out.append(Spacer(1, 10))
    return out


# Room at a page's foot for a heading, a long table's heading row and its first rows.
HEADING_WITH_ROWS_MM = 45


def _heading(text: str, laid: Sequence[Any], st: dict[str, Any]) -> list[Any]:
    """A section's heading, kept with what follows it (``laid``); before a table, with room
    for it if short, for its first rows if long (keeping a long one whole left pages empty)."""
    from reportlab.platypus import Table as RLTable

    if laid and isinstance(laid[0], RLTable):
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.lib.units import mm
        from reportlab.platypus import CondPageBreak

        heading = _para(text, ParagraphStyle("tf-heading-loose", parent=st["heading"],
                                             keepWithNext=0))
        width = TEXT_WIDTH_MM * mm
        whole = (heading.wrap(width, 10**6)[1] + heading.getSpaceBefore()
                 + heading.getSpaceAfter() + laid[0].wrap(width, 10**6)[1])
        room = CondPageBreak(min(whole, HEADING_WITH_ROWS_MM * mm))
        room._SPACETRANSFER = True  # the frame passes the space after the flowable before on
        return [room, heading]
    return [_para(text, st["heading"])]


def _entries(entries: Sequence[Entry], st: dict[str, Any]) -> list[Any]:
    out: list[Any] = []
    for entry in entries:
        if isinstance(entry, str):
            out.append(_para(entry, st["body"]))
        elif isinstance(entry, tuple):
            for n, item in enumerate(entry, start=1):
                out.append(_para(f"（{chinese_ordinal(n)}）{item}", st["item"]))
        elif isinstance(entry, Table):
            out.append(_table(entry, st))
        else:
            out.append(entry)
    return out


def _table(table: Table, st: dict[str, Any]) -> Any:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Table as RLTable
    from reportlab.platypus import TableStyle

    from tenderflow.documents.linebreak import column_widths, columns_fit

    # the cell text's size: 10 pt, smaller (down to 6 pt, with less padding) for a table
    # whose figures would otherwise not fit their columns whole
    cells = [[table.columns[j], *(row[j] for row in table.rows)]
             for j in range(len(table.columns))]
    total, font = TEXT_WIDTH_MM * mm, st["cell"].fontName
    size, pad = next(((s, p) for s, p in ((10, 6), (9, 5), (8, 4), (7, 3), (6.5, 2.5),
                                          (6, 2)) if columns_fit(cells, font, s, total, 2 * p)),
                     (6, 2))
    styles = {k: ParagraphStyle(f"{k}-{size}", parent=st[k], fontSize=size,
                                leading=round(size * 1.4, 1))
              for k in ("cell", "head_cell", "amount")}
    data = [[_para(c, styles["head_cell"]) for c in table.columns]]
    data += [[_para(c, styles["amount"] if c.startswith("¥") else styles["cell"]) for c in row]
             for row in table.rows]
    widths = column_widths(cells, font, size, total, 2 * pad)
    t = RLTable(data, colWidths=widths, repeatRows=1, hAlign="CENTER")
    t.spaceBefore = 4
    t.spaceAfter = 8
    t.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), st["font"]),  # the default, Helvetica, is not embedded
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
    ]))
    return t


def _signature_page(doc: FilledDocument, st: dict[str, Any],
                    boxes: dict[str, Any]) -> list[Any]:
    """The 签署页: the note, then one box per party (name, USCC, a line for the hand
    signature, the 电子签名 area and the 盖章 circle) whose place ``boxes`` records, so that
    the signatures land on it (:mod:`tenderflow.documents.signature_page`)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Spacer

    from tenderflow.documents.signature_page import signature_box

    out: list[Any] = [PageBreak(), _para("签署页", st["title"])]
    order = "、".join(p.label.split("（")[0] for p in doc.parties)
    note = doc.signature_note or (
        f"本文件由{order}按上述顺序依次以可靠的电子签名签署。各方的电子签名"
        f"嵌入本文件，可使用 PDF 阅读器或 tenderflow contract verify 核验。")
    out.append(_para(note, st["body"]))
    out.append(Spacer(1, 4))
    for party in doc.parties:
        out.append(signature_box(party.role, party.label, party.name, party.uscc, st["fonts"],
                                 TEXT_WIDTH_MM * mm, boxes))
    return out


def _build(story: list[Any], *, title: str, subject: str, keywords: list[str], footer: str,
           document_date: date | None, boxes: dict[str, Any] | None = None) -> bytes:
    """The PDF bytes of ``story``; ``boxes`` (filled while the signature boxes are drawn)
    is written to the Keywords once the layout is done."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    font = register_fonts()[BODY]
    stamp = (f"D:{document_date:%Y%m%d}000000+08'00'" if document_date
             else "D:20000101000000+00'00'")
    buf = BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=A4, invariant=1, pageCompression=1,
        leftMargin=MARGIN_LEFT_MM * mm, rightMargin=MARGIN_RIGHT_MM * mm,
        topMargin=MARGIN_TOP_MM * mm, bottomMargin=MARGIN_BOTTOM_MM * mm,
        title=title, author="tenderflow", subject=subject, creator="tenderflow",
        keywords="; ".join(keywords),
    )
    doc.build(story, canvasmaker=_canvas_class(font, title, footer, stamp, boxes))
    data = buf.getvalue()
    if data.count(_ID_PLACEHOLDER) != 2:
        raise RuntimeError("reportlab did not write the file ID where expected")
    file_id = b"<" + hashlib.sha256(data).hexdigest()[:32].upper().encode() + b">"
    return data.replace(_ID_PLACEHOLDER, file_id)


def _canvas_class(font: str, title: str, footer: str, stamp: str,
                  boxes: dict[str, Any] | None = None) -> type:
    """A canvas that writes the page footer once the page count is known, and the places of
    the signature boxes into the Keywords once they are drawn."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    header = title if len(title) <= 40 else title[:39] + "…"

    class FooterCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["invariant"] = 1
            kwargs["initialFontName"] = font  # else Helvetica, a font that is not embedded
            super().__init__(*args, **kwargs)
            self.setDateFormatter(lambda *_: stamp)
            # A fixed-width stand-in, replaced by a content hash once the file is complete.
            self._doc._ID = b"\n[" + _ID_PLACEHOLDER + _ID_PLACEHOLDER + b"]\n"
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            if boxes:
                from tenderflow.documents.signature_page import box_keywords

                self.setKeywords("; ".join([self._doc.info.keywords, *box_keywords(boxes)]))
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._footer(number, total)
                Canvas.showPage(self)
            Canvas.save(self)

        def _footer(self, number: int, total: int) -> None:
            width, _height = A4
            self.saveState()
            self.setFillGray(0.25)
            self.setStrokeGray(0.6)
            self.setLineWidth(0.4)
            top = 297 * mm - 24 * mm
            self.setFont(font, 8)
            left, right = MARGIN_LEFT_MM * mm, width - MARGIN_RIGHT_MM * mm
            self.drawString(left, top, header)
            self.line(left, top - 2.5 * mm, right, top - 2.5 * mm)
            self.line(left, 18 * mm, right, 18 * mm)
            self.setFont(font, 9)
            self.drawCentredString(width / 2, 13 * mm, f"第 {number} 页　共 {total} 页")
            self.setFont(font, 6.5)
            self.drawCentredString(width / 2, 8.5 * mm, footer)
            self.restoreState()

    return FooterCanvas
