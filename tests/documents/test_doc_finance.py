"""The financial summary (财务摘要) for a credit officer: the return model's figures in 万元,
tables that fit with totals, the loan's schedule with the DSCR of each year, the cumulative
cash-flow chart and where each input came from — checked on the rendered PDF (pypdf text,
pdftoppm pages). The model's arithmetic is tested in tests/unit/test_finance_*.py.

Example: 40,000,000 invested, 4,800,000 net a year for 10 years (payback 8.33, IRR 3.46 %);
a loan of 24,000,000 at 4 % over 8 years, 1 year of grace, equal principal:
  year 1 interest 960,000.00 (DSCR 4,800,000 / 960,000 = 5.00);
  years 2-8 principal 24,000,000 / 7 = 3,428,571.43 (the last 3,428,571.42);
  year 2 interest 960,000 → service 4,388,571.43 → DSCR 1.0937… → 1.09;
  year 8 interest 3,428,571.42 × 4 % = 137,142.86 → service 3,565,714.28 → DSCR 1.35.
NPV at 6 %: annuity factor (1 − 1.06^−10) / 0.06 = 7.3600871;
  4,800,000 × 7.3600871 − 40,000,000 = −4,671,582.15 (−467.16 万元).
Average DSCR over years 1-8: net 8 × 4,800,000 = 38,400,000 over the service 24,000,000 +
  interest 4,800,000.00 (960,000 + 960,000 + 822,857.14 + … + 137,142.86) → 1.33.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader

from tenderflow.documents.finance import financial_summary, wan
from tenderflow.documents.finance_layout import _fit
from tenderflow.documents.pdf import render_document
from tenderflow.domain.finance.loan import Loan

D = Decimal
LOAN = Loan(D("24000000.00"), D("0.04"), 8, 1, "equal_principal")


def _summary(**kw):
    return financial_summary("40000000.00", ["4800000.00"] * 10, operating_costs=None,
                             discount_rate=D("0.06"), loan=LOAN, **kw)


def _pdf(summary, digest) -> bytes:
    summary = summary.with_provenance([("各年收入和运营成本", "本采购记录第20号事件")])
    return render_document("财务摘要", summary.sections(), digest, subtitle="劲松北社区",
                           document_date="2023-12-08")


def _lines(pdf: bytes) -> list[str]:
    return [line for page in PdfReader(BytesIO(pdf)).pages
            for line in (page.extract_text() or "").splitlines()]


def test_figures_and_fields():
    s = _summary()
    assert s.fields() == {"payback_years": "8.33", "irr_percent": "3.46"}
    f = s.package_fields()
    assert f["npv"] == "-4671582.15" and f["npv_wan"] == "-467.16"
    assert f["min_dscr"] == "1.09" and f["repayment"] == "等额本金"
    assert f["loan_rate_percent"] == "4.00" and f["grace_years"] == "1"
    dscr = [y.dscr for y in s.returns.years]
    assert dscr[0] == D("5.0000") and dscr[1] == D("1.0937") and dscr[7] == D("1.3462")
    assert dscr[8:] == [None, None]
    assert wan(D("-40000000")) == "-4,000.00" and wan(D("12345678.90")) == "1,234.57"


def test_summary_pdf_reads_like_a_credit_memo(record_digest):
    pdf = _pdf(_summary(), record_digest)
    assert pdf == _pdf(_summary(), record_digest)  # deterministic
    assert b"/Helvetica" not in pdf  # the chart too is drawn in the embedded font
    lines = _lines(pdf)
    text = re.sub(r"\s+", "", "".join(lines))
    for heading in ("一、测算结论", "二、收入计划（单位：万元）", "三、现金流量（单位：万元）",
                    "四、贷款还本付息计划与偿债备付率（单位：万元）", "五、累计净现金流图",
                    "六、测算口径与数据来源"):
        assert heading in text
    assert "静态投资回收期8.33年" in text and "全投资内部收益率（税前）3.46%" in text
    assert "按6.00%折现的净现值-467.16万元" in text
    assert "贷款期内最低偿债备付率1.09，平均1.33" in text
    assert "各年收入和运营成本：本采购记录第20号事件" in text
    # the schedule's rows (pypdf gives one cell a line): year, opening balance, interest,
    # principal, debt service, closing balance, net cash flow, DSCR
    cells = "|".join(x.strip() for x in lines)
    assert "|第1年|2,400.00|96.00|0.00|96.00|2,400.00|480.00|5.00|" in cells
    assert "|第2年|2,400.00|96.00|342.86|438.86|2,057.14|480.00|1.09|" in cells
    assert "|第8年|342.86|13.71|342.86|356.57|0.00|480.00|1.35|" in cells
    # totals: interest 96 + 96 + 82.29 + 68.57 + 54.86 + 41.14 + 27.43 + 13.71 = 480.00万元,
    # net of the 8 loan years 3,840.00, average DSCR 1.33
    assert "|合计|480.00|2,400.00|2,880.00|3,840.00|1.33|" in cells
    # cash-flow totals: revenue, costs, net, after debt service, final cumulative
    assert "|合计|4,800.00|0.00|4,800.00|1,920.00|800.00|" in cells
    assert "|第0年|-4,000.00|第1年|480.00|0.00|480.00|384.00|-3,520.00|" in cells
    # Chinese only: no English word (the library's name is the one proper noun; SHA-256 is
    # the footer's, pdf.py's)
    assert not re.findall(r"[A-Za-z]{3,}", text.replace("numpy-financial", "")
                          .replace(record_digest, "").replace("SHA-256", ""))


def test_no_amount_breaks_across_lines(record_digest):
    """Every amount of the tables is one whole line of the extracted text (a cell that wrapped
    would come out in pieces)."""
    s = _summary()
    pdf_lines = {x.strip() for x in _lines(_pdf(s, record_digest))}
    amounts = {wan(y.cumulative) for y in s.returns.years} | \
        {wan(d.closing) for d in s.returns.schedule} | \
        {wan(d.payment) for d in s.returns.schedule}
    assert amounts <= pdf_lines, amounts - pdf_lines


def test_columns_fit_their_widest_amount_and_the_page():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from tenderflow.documents.fonts import register_cjk_font

    font = register_cjk_font()
    rows = [["第12年", "-12,345,678.90", "1,234.57"]] * 3
    size, widths = _fit(["年度", "很长的累计净现金流列标题", "偿债备付率"], rows, font)
    assert all(w >= stringWidth(c, font, size) + 8 for w, c in zip(widths, rows[0]))
    assert sum(widths) <= 210 / 25.4 * 72 - 2 * 22 / 25.4 * 72 + 1e-6
    with pytest.raises(ValueError, match="split it"):
        _fit(["x"] * 14, [["-99,999,999.99"] * 14], font)


def test_never_paid_back_and_a_loan_beyond_the_plan(record_digest):
    s = financial_summary("40000000.00", ["1000000.00"] * 5, discount_rate=D("0.05"),
                          loan=Loan(D("10000000.00"), D("0.05"), 8, 0, "equal_instalment"))
    text = re.sub(r"\s+", "", "".join(_lines(_pdf(s, record_digest))))
    assert "计划期内不能收回投资" in text
    assert "低于1.00的年份经营净现金流不足以偿还当年本息" in text
    assert "贷款第6年起的还本付息超出收入计划期" in text


def test_every_page_renders(record_digest, tmp_path):
    """The pages as a reader sees them (pdftoppm -r 70): each one has ink, and the chart's
    page is not blank where the chart is."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        pytest.fail("pdftoppm is needed for this test: apt-get install poppler-utils")
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(_pdf(_summary(), record_digest))
    subprocess.run([tool, "-png", "-r", "70", str(pdf), str(tmp_path / "page")], check=True)
    from PIL import Image

    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(PdfReader(str(pdf)).pages) >= 2
    for page in pages:
        with Image.open(page) as im:
            dark = sum(im.convert("L").point(lambda p: 255 if p < 128 else 0).histogram()[255:])
        assert dark > 2000, page.name


def test_many_revenue_streams_split_into_tables_that_fit(record_digest):
    """Twelve streams do not fit one A4 table: the revenue plan is split into tables that
    each repeat the year, and every amount is still whole on its line."""
    from reportlab.platypus import Table

    plan = [{f"收入来源{i:02d}": "12345678.90" for i in range(12)}] * 3
    s = financial_summary("400000000.00", plan)
    tables = [e for e in s.sections()[1]["body"] if isinstance(e, Table)]
    assert len(tables) >= 2
    heads = [[c.text for c in t._cellvalues[0]] for t in tables]
    assert all(h[0] == "年度" for h in heads)
    assert sum(len(h) - 1 for h in heads) == 13  # 12 streams and the total, each once
    assert heads[-1][-1] == "收入合计"
    lines = {x.strip() for x in _lines(_pdf(s, record_digest))}
    assert {"1,234.57", "14,814.81"} <= lines  # a stream's amount, a year's total (万元)
