"""Text layout for the terminal: Chinese characters take two columns."""

from __future__ import annotations

import re
import unicodedata

AMOUNT = re.compile(r"^-?[0-9][0-9,]*(\.[0-9]+)?$")


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


def table(header: list[str], rows: list[list[str]], *, rule: bool = False,
          limit: dict[int, int] | None = None) -> str:
    """Columns as wide as their widest cell (at most ``limit[i]`` columns), two spaces apart;
    the header first, with ``rule`` a line of ─ under it; numbers aligned right."""
    limit = limit or {}
    widths = [min(max(width(str(r[i])) for r in [header, *rows]), limit.get(i, 10**6))
              for i in range(len(header))]
    numeric = [any(AMOUNT.match(str(r[i])) for r in rows)
               and all(AMOUNT.match(str(r[i])) or str(r[i]) in ("—", "") for r in rows)
               for i in range(len(header))]

    def line(r: list[str]) -> str:
        cells = [(" " * (w - width(str(c))) + str(c)) if num and width(str(c)) <= w
                 else cell(c, w) for c, w, num in zip(r, widths, numeric, strict=True)]
        return "  ".join(cells).rstrip()

    out = [line(header)]
    if rule:
        out.append("  ".join("─" * w for w in widths))
    return "\n".join(out + [line(r) for r in rows])
