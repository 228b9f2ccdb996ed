"""Text layout for the terminal: Chinese characters take two columns."""

from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    """Display columns of ``text`` (East Asian wide and full-width characters count two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def cell(text: object, columns: int) -> str:
    """``text`` on one line, cut to ``columns`` display columns (ending in …) and padded to
    it."""
    line = " ".join(str(text).split())
    if width(line) > columns:
        out, used = "", 0
        for ch in line:
            w = width(ch)
            if used + w > columns - 1:
                break
            out, used = out + ch, used + w
        line = out + "…"
    return line + " " * (columns - width(line))


def table(header: list[str], rows: list[list[str]]) -> str:
    """Columns as wide as their widest cell, two spaces apart; the header first."""
    widths = [max(width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    return "\n".join("  ".join(cell(c, w) for c, w in zip(r, widths, strict=True)).rstrip()
                     for r in [header, *rows])
