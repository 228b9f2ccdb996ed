"""Chinese line breaking (避头尾) for every paragraph the documents draw.

reportlab's CJK wrapping (``wordWrap='CJK'``) breaks after any character: a line may start
with ，。；： (the issue saw one ； alone on a line), end with （《, and split an amount or a
Latin word in two. :func:`break_opportunities` says where a line may break, after the rules
of GB/T 15834-2011 (标点符号用法) as typesetters apply them:

* no line starts with a closing mark: 点号 ，。、；：？！, the closing halves of 括号、引号、
  书名号 ）》」』】〕〉”’, and %‰℃° (which belong to the figure before them);
* no line ends with an opening mark: （《「『【〔〈“‘ and the currency signs ¥ ￥ $;
* a run of figures or Latin letters is never split: 1,005,000.50, 2023-12-01, 10:00, GB/T,
  SHA-256 (joiners . , : / - _ ' inside a run), and neither is —— or …… (标号 that may open a
  line, but not be cut in two);
* between a space and what follows, a line may break (Latin text), unless a closing mark
  follows the space or it is the space between a date and its time (2023-03-08 09:30);
* a run of letters and figures longer than 24 characters (a SHA-256 digest) is not a word: it
  breaks where the line ends.

:class:`ZhParagraph` lays a paragraph out with these rules (greedy: each line takes as much as
fits and breaks at the last allowed place, pushing the characters after it to the next line).
Only a single run longer than a line (a 64-digit hash in a narrow cell) is broken inside, and
even then not before a closing mark.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

CLOSING = "，。、；：？！）》」』】〕〗〉”’,.;:?!)]}％%‰℃°·"
OPENING = "（《「『【〔〖〈“‘([{¥￥$"
# A run that is never broken: figures and Latin letters with the joiners inside numbers,
# dates, times and codes.
_RUN = re.compile(r"[A-Za-z0-9０-９]+(?:[.,:/\-_'’][A-Za-z0-9０-９]+)*")
_PAIRED = "—…"  # ——  and  …… are one mark of two characters
# A run of letters and figures longer than this is a hash or a code, not a word: it may break
# anywhere rather than leave a line stretched to the width of a 64-digit digest.
LONG_RUN = 24
# A line is justified by spacing its characters, up to this fraction of the font size per gap;
# a line that would need more is set flush left.
MAX_STRETCH = 0.25
# A table column whose longest cell is at most this many ems wide is kept on one line when
# the other columns' unbreakable runs leave room for it (column_widths).
SHORT_CELL_EMS = 6


def break_opportunities(text: str) -> list[bool]:
    """``allowed[k]`` is true when a line may break before ``text[k]`` (``allowed[0]`` is
    false: nothing comes before the first character)."""
    n = len(text)
    allowed = [True] * n
    if n:
        allowed[0] = False
    for m in _RUN.finditer(text):
        if m.end() - m.start() > LONG_RUN and re.search("[A-Za-z]", m.group()):
            continue  # a hash or a code, not a word or a figure: it may break anywhere
        for k in range(m.start() + 1, m.end()):
            allowed[k] = False
    for k in range(1, n):
        prev, cur = text[k - 1], text[k]
        if not _punctuation_allows(prev, cur):
            allowed[k] = False
    for m in re.finditer(r" +", text):  # a break at spaces drops them: look past them
        before, after = m.start(), m.end()
        if after < n and (text[after] in CLOSING
                          or (before and text[before - 1].isdigit() and text[after].isdigit())):
            # no line opens with the mark after the spaces, and a date and its time
            # (2023-03-08 09:30) stay on one line
            for k in range(max(before, 1), after + 1):
                allowed[k] = False
    return allowed


def _punctuation_allows(prev: str, cur: str) -> bool:
    """Whether the marks alone allow a break between ``prev`` and ``cur``."""
    if cur in CLOSING and not cur.isspace():
        return False
    if prev in OPENING:
        return False
    return not (prev == cur and cur in _PAIRED)


def check_lines(lines: list[str]) -> list[str]:
    """What is wrong with a paragraph's lines as laid out: a line that starts with a closing
    mark, ends with an opening mark, or a run of figures split between two lines. Used by the
    render tests on the text extracted from the PDFs."""
    problems = []
    for i, line in enumerate(lines):
        text = line.strip()
        if not text:
            continue
        if text[0] in CLOSING:
            problems.append(f"line {i + 1} starts with {text[0]!r}: {text[:30]!r}")
        if text[-1] in OPENING:
            problems.append(f"line {i + 1} ends with {text[-1]!r}: {text[-30:]!r}")
        nxt = next((x.strip() for x in lines[i + 1:] if x.strip()), "")
        if nxt and re.search(r"\d[,.]?$", text) and re.match(r"[,.]?\d", nxt):
            problems.append(f"a number is split between line {i + 1} and the next: "
                            f"{text[-12:]!r} / {nxt[:12]!r}")
    return problems


def _split_frags(frags: list[Any], max_widths: list[float], calc_bounds: bool) -> Any:
    """Lines of a CJK paragraph, as reportlab's ``cjkFragSplit`` makes them, broken only where
    :func:`break_opportunities` allows."""
    from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine
    from reportlab.rl_config import _FUZZ

    units: list[Any] = []
    for f in frags:
        text = f.text.decode("utf8") if isinstance(f.text, bytes) else f.text
        if text:
            units.extend(cjkU(t, f, "utf8") for t in text)
        else:
            units.append(cjkU(text, f, "utf8"))
    plain = "".join(str(u) or "\n" for u in units)
    allowed = break_opportunities(plain)
    lines: list[Any] = []

    def max_width() -> float:
        return max_widths[min(len(lines), len(max_widths) - 1)]

    def width_of(start: int, end: int) -> float:
        total = 0.0
        for u in units[start:end]:
            w = u.width
            if hasattr(w, "normalizedValue"):
                w._normalizer = max_width()
                w = w.normalizedValue(max_width())
            total += w
        return total

    start = i = 0
    used = 0.0
    n = len(units)
    while i < n:
        u = units[i]
        if hasattr(u.frag, "lineBreak"):
            used = width_of(start, i + 1)
            lines.append(makeCJKParaLine(units[start:i + 1], max_width(), used,
                                         max_width() - used, True, calc_bounds))
            start = i = i + 1
            used = 0.0
            continue
        w = width_of(i, i + 1)
        limit = max_width()
        if used + w > limit + _FUZZ and i > start:
            cut = _cut(plain, allowed, start, i)
            end = cut
            while end > start + 1 and plain[end - 1] == " ":  # trailing spaces: not justified
                end -= 1
            used = width_of(start, end)
            line = makeCJKParaLine(units[start:end], limit, used, limit - used, False,
                                   calc_bounds)
            if end - start > 1 and (limit - used) / (end - start - 1) <= \
                    MAX_STRETCH * units[start].frag.fontSize:
                line.wordCount = end - start  # justified by spacing the characters (Tc)
            lines.append(line)
            while cut < i and plain[cut] == " ":  # a break at a space drops the space
                cut += 1
            start = cut
            used = width_of(start, i)
            continue
        used += w
        i += 1
    if start < n:
        used = width_of(start, n)
        lines.append(makeCJKParaLine(units[start:], max_width(), used, max_width() - used,
                                     False, calc_bounds))
    return ParaLines(kind=1, lines=lines)


def _cut(text: str, allowed: list[bool], start: int, overflow: int) -> int:
    """Where the line that began at ``start`` and overflows at ``overflow`` ends: the last
    allowed break after ``start``; failing that (a run longer than the line) the last place
    the punctuation allows; failing that the overflow itself."""
    for k in range(overflow, start, -1):
        if allowed[k]:
            return k
    for k in range(overflow, start, -1):
        if _punctuation_allows(text[k - 1], text[k]):
            return k
    return overflow


def _rest_of_lines(bl_para: Any, start: int, stop: int) -> list[Any]:
    """The frags of lines ``start:stop`` of a laid-out CJK paragraph, joined as they are."""
    return [word for line in bl_para.lines[start:stop] for word in line.words]


def paragraph_class() -> type:
    """reportlab's ``Paragraph`` with :func:`break_opportunities` for CJK wrapping."""
    global _CLASS
    if _CLASS is None:
        from reportlab.platypus.paragraph import Paragraph, _handleBulletWidth

        class ZhParagraph(Paragraph):  # type: ignore[misc]
            """A paragraph broken into lines after the Chinese rules (避头尾)."""

            def breakLinesCJK(self, maxWidths: Any) -> Any:
                if not isinstance(maxWidths, (list, tuple)):
                    maxWidths = [maxWidths]
                if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
                    return self.blPara
                self.height = 0
                _handleBulletWidth(self.bulletText, self.style, maxWidths)
                if not self.frags:
                    return super().breakLinesCJK(maxWidths)
                leading = getattr(self, "autoLeading",
                                  getattr(self.style, "autoLeading", ""))
                return _split_frags(self.frags, list(maxWidths), leading not in ("", "off"))

            def _get_split_blParaFunc(self) -> Any:
                """The part of a paragraph that moves to the next page: its lines' pieces as
                they are (reportlab's own joins the lines with a space, right for Latin
                text, a stray space in Chinese)."""
                if self.blPara.kind == 0:
                    return super()._get_split_blParaFunc()
                return _rest_of_lines

            def beginText(self, x: float, y: float) -> Any:
                """A text object whose justification spaces the characters (``Tc``): a
                Chinese line has no spaces for reportlab's word spacing to stretch."""
                tx = self.canv.beginText(x, y)

                def spread(space: float) -> None:
                    tx._wordSpace = 0
                    tx.setCharSpace(space)

                tx.setWordSpace = spread
                return tx

        _CLASS = ZhParagraph
    return _CLASS


_CLASS: type | None = None


def paragraph(text: str, style: Any, fallback_font: str | None = None) -> Any:
    """A :class:`ZhParagraph` of plain ``text`` (not markup) in ``style``: the symbols the
    faces lack swapped (:func:`~tenderflow.documents.fonts.glyph_text`), a character the
    style's font lacks set in ``fallback_font`` when that one has it.

    Raises :class:`InputError` naming the characters that neither font can print: a blank
    in a signed document is worse than a refusal.
    """
    from xml.sax.saxutils import escape

    from tenderflow.documents.fonts import covered, glyph_text
    from tenderflow.errors import InputError

    text = glyph_text(text)
    cmap = covered(style.fontName)
    alt = covered(fallback_font) if fallback_font else {}
    parts: list[str] = []
    missing: list[str] = []
    for c in text:
        if c.isspace() or ord(c) < 0x20 or ord(c) in cmap:
            parts.append(escape(c))
        elif ord(c) in alt:
            parts.append(f'<font face="{fallback_font}">{escape(c)}</font>')
        elif c not in missing:
            missing.append(c)
    if missing:
        names = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing)
        raise InputError(f"no embedded font can print {names}", field="text",
                         expected="characters of the 宋体/黑体 faces (see documents/fonts.py)")
    return paragraph_class()("".join(parts), style)


# Where a title that needs two lines is best broken (GB/T 9704 §7.3.3: 标题回行时，要做到词意
# 完整，排列对称): after the name of the project, before what the document is.
TITLE_BREAKS = ("项目", "工程", "的", "关于")


def title_lines(title: str, font: str, size: float, width: float) -> list[str]:
    """A title as the lines to set it in: one if it fits; else two, broken after 项目 / 工程
    / 的 (or before 关于) where both halves fit and are closest to even; else the title
    whole, for the paragraph to wrap after the usual rules."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(title, font, size) <= width:
        return [title]
    allowed = break_opportunities(title)
    candidates = []
    for word in TITLE_BREAKS:
        for m in re.finditer(word, title):
            k = m.start() if word == "关于" else m.end()
            if 0 < k < len(title) and allowed[k]:
                first, second = title[:k], title[k:]
                if max(stringWidth(first, font, size), stringWidth(second, font, size)) <= width:
                    candidates.append((abs(len(first) - len(second)), k))
    if not candidates:
        return [title]
    k = min(candidates)[1]
    return [title[:k], title[k:]]


def _column_needs(columns: list[list[str]], font: str, size: float,
                  padding: float) -> tuple[list[float], list[float]]:
    """Per column: the width of its longest cell, and of its longest run that may not be
    broken (an amount, a date), each with the cell padding."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def runs(text: str) -> list[str]:
        allowed = break_opportunities(text)
        cuts = [0, *[k for k, ok in enumerate(allowed) if ok], len(text)]
        return [text[a:b] for a, b in pairwise(cuts) if b > a]

    want, least = [], []
    for cells in columns:
        want.append(max(stringWidth(c, font, size) for c in cells) + padding)
        least.append(max((stringWidth(r.strip(), font, size) for c in cells for r in runs(c)),
                         default=0.0) + padding + 1)  # 1 pt of slack against rounding
    return want, least


def columns_fit(columns: list[list[str]], font: str, size: float, total: float,
                padding: float = 12) -> bool:
    """Whether every column can be as wide as its longest unbreakable run within ``total``."""
    return sum(_column_needs(columns, font, size, padding)[1]) <= total


def column_widths(columns: list[list[str]], font: str, size: float, total: float,
                  padding: float = 12) -> list[float]:
    """Widths for table columns (``columns[j]`` is the text of column j, heading first) that
    fill ``total``: each column at least as wide as its longest run that may not be broken
    (an amount, a date) and, as far as room allows, as wide as its longest cell, so that
    amounts do not break and short columns do not take the room long text needs. A column
    whose longest cell is short (at most :data:`SHORT_CELL_EMS` ems, a status or a count like
    通过 2 项) keeps its cells on one line whenever the runs of the others still fit. When
    even the runs do not fit, the widths are in proportion to them (some will break)."""
    want, least = _column_needs(columns, font, size, padding)
    least = [min(m, total / 3) for m in least]  # no single column takes the table
    whole = [w if w <= SHORT_CELL_EMS * size + padding else m
             for w, m in zip(want, least, strict=True)]
    if sum(whole) < total:
        least = whole
    if sum(want) <= total:
        return [w * total / sum(want) for w in want]
    if sum(least) >= total:
        return [w * total / sum(least) for w in least]
    room = total - sum(least)
    extra = [max(0.0, w - m) for w, m in zip(want, least, strict=True)]
    return [m + room * e / (sum(extra) or 1) for m, e in zip(least, extra, strict=True)]
