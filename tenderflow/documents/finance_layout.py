"""Tables and the chart of the financial summary, as reportlab flowables that
:func:`tenderflow.documents.pdf.render_document` lays out as given.

Amounts are plain strings in their cells (a plain string never wraps, so no amount breaks over
lines); each column is as wide as its widest amount, the headings wrap instead, and the font
shrinks only if the columns still do not fit the page's width. The totals row is bold-ruled.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tenderflow.documents.pdf import PAGE_MARGIN_MM

PAD = 4.0  # points each side of a cell
SIZES = (9.0, 8.5, 8.0, 7.5, 7.0)


def _width() -> float:
    from reportlab.lib.units import mm

    return 210 * mm - 2 * PAGE_MARGIN_MM * mm


def _fit(columns: Sequence[str], rows: Sequence[Sequence[str]], font: str,
         sizes: Sequence[float] = SIZES) -> tuple[float, list[float]]:
    """The font size and column widths: amounts on one line, headings wrapping."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    page = _width()
    for size in sizes:
        widths = [max([stringWidth(str(r[i]), font, size) for r in rows] + [2 * size])
                  + 2 * PAD for i in range(len(columns))]
        # a heading may wrap, but to two lines at most
        widths = [max(w, stringWidth(c, font, size) / 2 + size + 2 * PAD) for w, c in
                  zip(widths, columns)]
        if sum(widths) <= page:
            spare = (page - sum(widths)) / len(widths)
            return size, [w + spare for w in widths]
    raise ValueError(f"a table of {len(columns)} columns does not fit the page at "
                     f"{SIZES[-1]} pt; split it")


def _fits(columns: Sequence[str], rows: Sequence[Sequence[str]], keep: Sequence[int],
          font: str, sizes: Sequence[float]) -> bool:
    try:
        _fit([columns[j] for j in keep], [[r[j] for j in keep] for r in rows], font, sizes)
    except ValueError:
        return False
    return True


def year_tables(columns: Sequence[str], rows: Sequence[Sequence[str]],
                totals: Sequence[str] | None = None) -> list[Any]:
    """:func:`year_table`, split into tables of fewer columns (each repeating the first,
    the year) when one table would not fit the page's width."""
    from tenderflow.documents.fonts import register_cjk_font

    font = register_cjk_font()
    body = [list(r) for r in rows] + ([list(totals)] if totals else [])
    rest = list(range(1, len(columns)))
    if _fits(columns, body, [0, *rest], font, SIZES[:3]):  # one table, at 8 pt or more
        groups = [rest]
    else:  # the fewest tables at the full size, the columns shared out evenly
        groups = [[]]
        for i in rest:
            if groups[-1] and not _fits(columns, body, [0, *groups[-1], i], font, SIZES[:1]):
                groups.append([])
            groups[-1].append(i)
        per = -(-len(rest) // len(groups))
        even = [rest[k:k + per] for k in range(0, len(rest), per)]
        if len(even) == len(groups) and all(_fits(columns, body, [0, *g], font, SIZES[:1])
                                            for g in even):
            groups = even
    out = []
    for group in groups:
        keep = [0, *group]
        out.append(year_table([columns[j] for j in keep], [[r[j] for j in keep] for r in rows],
                              [totals[j] for j in keep] if totals else None))
    return out


def year_table(columns: Sequence[str], rows: Sequence[Sequence[str]],
               totals: Sequence[str] | None = None) -> Any:
    """A table of amounts by year: the first column left, the others right-aligned."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table, TableStyle

    from tenderflow.documents.fonts import register_cjk_font

    font = register_cjk_font()
    body = [list(r) for r in rows] + ([list(totals)] if totals else [])
    size, widths = _fit(columns, body, font)
    head = ParagraphStyle("tf-fin-head", fontName=font, fontSize=size, leading=size * 1.3,
                          alignment=TA_CENTER, wordWrap="CJK")
    data: list[list[Any]] = [[Paragraph(c, head) for c in columns], *body]
    style = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 1), (-1, -1), size),
        ("LEADING", (0, 1), (-1, -1), size * 1.3),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("ALIGN", (0, 1), (0, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.Color(0.45, 0.45, 0.45)),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if totals:
        style += [("LINEABOVE", (0, -1), (-1, -1), 1.2, colors.black),
                  ("BACKGROUND", (0, -1), (-1, -1), colors.Color(0.96, 0.96, 0.96))]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="CENTER")
    table.setStyle(TableStyle(style))
    table.spaceBefore, table.spaceAfter = 4, 10
    return table


def key_figures(rows: Sequence[Sequence[str]]) -> Any:
    """The headline figures: 指标 | 数值 | 口径 (the last column wraps)."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph, Table, TableStyle

    from tenderflow.documents.fonts import register_cjk_font

    font = register_cjk_font()
    size = 9.5
    note = ParagraphStyle("tf-fin-note", fontName=font, fontSize=size, leading=size * 1.35,
                          wordWrap="CJK")
    first = max(stringWidth(r[0], font, size) for r in rows) + 2 * PAD
    second = max(stringWidth(r[1], font, size) for r in rows) + 2 * PAD
    data = [["指标", "数值", "口径"],
            *([r[0], r[1], Paragraph(r[2], note)] for r in rows)]
    table = Table(data, colWidths=[first, second, _width() - first - second],
                  hAlign="CENTER")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("ALIGN", (1, 1), (1, -1), "RIGHT"),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.Color(0.45, 0.45, 0.45)),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
    ]))
    table.spaceBefore, table.spaceAfter = 4, 8
    return table


def cumulative_chart(returns: Any) -> Any:
    """The cumulative net cash flow (万元) from year 0 to the plan's last year as a line, with
    its discounted counterpart when a discount rate is given, the zero line and the payback."""
    from decimal import Decimal

    from reportlab.graphics.charts.legends import LineLegend
    from reportlab.graphics.charts.lineplots import LinePlot
    from reportlab.graphics.shapes import Drawing, Line, String
    from reportlab.lib import colors

    from tenderflow.documents.fonts import register_cjk_font

    font = register_cjk_font()
    inv = returns.inputs.investment
    wan = Decimal(10000)
    points = [(0, float(-inv / wan))] + [(y.year, float(y.cumulative / wan))
                                         for y in returns.years]
    lines = [points]
    if returns.inputs.discount_rate is not None:
        lines.append([(0, float(-inv / wan))] + [
            (y.year, float(y.discounted_cumulative / wan)) for y in returns.years])
    width, height = _width(), 200.0
    d = Drawing(width, height)
    d.initialFontName = font  # else the renderer starts in Helvetica, a font not embedded
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 48, 42, width - 64, height - 70
    plot.data = lines
    plot.lines[0].strokeColor = colors.Color(0.1, 0.3, 0.6)
    plot.lines[0].strokeWidth = 1.6
    if len(lines) > 1:
        plot.lines[1].strokeColor = colors.Color(0.75, 0.35, 0.1)
        plot.lines[1].strokeWidth = 1.2
        plot.lines[1].strokeDashArray = [4, 2]
    n = len(returns.years)
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = 0, n
    plot.xValueAxis.valueSteps = list(range(n + 1))
    plot.xValueAxis.labels.fontName = font
    plot.xValueAxis.labels.fontSize = 7
    plot.yValueAxis.labels.fontName = font
    plot.yValueAxis.labels.fontSize = 7
    plot.yValueAxis.labelTextFormat = lambda v: f"{v:,.0f}"
    plot.yValueAxis.visibleGrid = 1
    plot.yValueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    d.add(plot)
    d.add(String(plot.x, height - 14, "累计净现金流（万元）", fontName=font, fontSize=8))
    d.add(String(plot.x + plot.width / 2, 8, "年度（第0年末投入总投资）", fontName=font,
                 fontSize=8, textAnchor="middle"))
    if returns.payback_years is not None:
        lo, hi = plot.xValueAxis.valueMin, plot.xValueAxis.valueMax
        x = plot.x + plot.width * float(returns.payback_years - lo) / (hi - lo)
        d.add(Line(x, plot.y, x, plot.y + plot.height, strokeColor=colors.grey,
                   strokeDashArray=[2, 2], strokeWidth=0.6))
        right = x > plot.x + plot.width * 0.7  # near the right end: the label on the left
        d.add(String(x - 3 if right else x + 3, plot.y + 4,
                     f"静态投资回收期{returns.figures()['payback_years']}年", fontName=font,
                     fontSize=7.5, textAnchor="end" if right else "start"))
    legend = LineLegend()
    legend.fontName, legend.fontSize = font, 7.5
    legend.x, legend.y = plot.x + plot.width - 150, height - 10
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.colorNamePairs = [(plot.lines[0].strokeColor, "累计净现金流")]
    if len(lines) > 1:
        legend.colorNamePairs.append((plot.lines[1].strokeColor, "累计折现净现金流"))
    legend.deltax = 70
    d.add(legend)
    return d
