"""Rendering: Chinese that shows in any viewer, amounts in 大写, page furniture, determinism."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from tenderflow.documents import fonts
from tenderflow.documents.finance import financial_summary
from tenderflow.documents.pdf import render_agreement, render_document, write_pdf
from tenderflow.documents.templates import MissingFields
from tenderflow.errors import DefinitionError, InputError

STANDARD_14 = {"Courier", "Helvetica", "Times-Roman", "Symbol", "ZapfDingbats"}


def _text(pdf: bytes) -> list[str]:
    """Each page's extracted text with all white space removed (CJK lines wrap anywhere)."""
    return [re.sub(r"\s+", "", page.extract_text() or "")
            for page in PdfReader(BytesIO(pdf)).pages]


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is needed for this test: apt-get install poppler-utils")
    return path


def test_title_area_is_drawn_in_the_png(agreement_pdf, tmp_path):
    """The title's box (from pdftotext) is dark in pdftoppm's image: the glyphs are there."""
    pdf = tmp_path / "agreement.pdf"
    pdf.write_bytes(agreement_pdf)
    subprocess.run([_need("pdftoppm"), "-r", "144", "-f", "1", "-l", "1", "-png", str(pdf),
                    str(tmp_path / "page")], check=True)
    (png,) = tmp_path.glob("page*.png")
    subprocess.run([_need("pdftotext"), "-bbox", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "bbox.html")], check=True)
    html = (tmp_path / "bbox.html").read_text(encoding="utf-8")
    # The title is the largest text containing 政府和社会资本合作项目合同 (the running header
    # repeats it in small type).
    boxes = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                       r'([^<]*)</word>', html)
    title = [b for b in boxes if "政府和社会资本合作项目合同" in b[4]]
    assert title, "title text not found on page 1"
    box = max(title, key=lambda b: float(b[3]) - float(b[1]))
    x0, y0, x1, y1 = (float(v) * 2 for v in box[:4])  # points → pixels at 144 dpi
    assert y1 - y0 > 30, "the title is set large"
    assert y1 < 400, "the title is at the top of the first page"
    with Image.open(png) as img:
        gray = img.convert("L")
        region = gray.crop((int(x0), int(y0), int(x1) + 1, int(y1) + 1))
        dark = sum(region.histogram()[:128])
        # the left margin beside the title is blank: the test can tell ink from paper
        margin = gray.crop((0, int(y0), 80, int(y1) + 1))
        margin_dark = sum(margin.histogram()[:128])
    area = region.width * region.height
    assert dark > 0.05 * area, f"title region almost blank: {dark} dark of {area} pixels"
    assert margin_dark == 0


def test_text_extracts_parties_and_capital_amount(agreement_pdf, sample_data):
    pages = _text(agreement_pdf)
    text = "".join(pages)
    for party in sample_data["parties"].values():
        assert party["name"] in text
        assert party["uscc"] in text
    assert "人民币肆仟万元整" in text  # investment.total 40,000,000.00 in 大写
    assert "¥40,000,000.00（人民币肆仟万元整）" in text
    assert "人民币叁仟陆佰万元整" in text  # investment.social_capital 36,000,000.00
    assert "人民币贰佰万元整" in text  # bond.construction 2,000,000.00
    assert "城镇老旧小区改造" in pages[0]
    assert "2025年6月10日" in text  # procurement.award_date|date
    # clause references are numbered: 合作期 is 第四条, 违约与提前终止 第十二条
    assert "本合同第四条约定的期限" in text
    assert "本合同第十二条所称的乙方违约情形" in text


def test_every_page_has_number_and_record_digest(agreement_pdf, record_digest):
    pages = _text(agreement_pdf)
    assert len(pages) >= 4
    for number, page in enumerate(pages, start=1):
        assert f"第{number}页共{len(pages)}页" in page
        assert record_digest in page


def test_fonts_are_embedded_truetype(agreement_pdf):
    reader = PdfReader(BytesIO(agreement_pdf))
    seen = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            base = str(font["/BaseFont"])
            seen.add(base)
            assert base.lstrip("/") not in STANDARD_14
            assert "STSong" not in base
            if font["/Subtype"] == "/Type0":
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            else:
                descriptor = font["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object(), f"{base} is not embedded"
    assert seen and all("WenQuanYi" in b or "+" in b for b in seen)
    assert b"/FontFile2" in agreement_pdf
    assert b"STSong" not in agreement_pdf and b"/Helvetica" not in agreement_pdf


def test_same_inputs_same_bytes(agreement_pdf, sample_data, contracts, record_digest):
    again = render_agreement(contracts / "agreement.yaml", sample_data, record_digest)
    assert again == agreement_pdf


def test_same_bytes_in_another_process(agreement_pdf, contracts, record_digest):
    """Hash seed and SOURCE_DATE_EPOCH do not leak into the bytes."""
    code = (
        "import sys, hashlib, yaml; from pathlib import Path;"
        "from tenderflow.documents.pdf import render_agreement;"
        f"c = Path({str(contracts)!r});"
        "d = yaml.safe_load((c / 'sample-data.yaml').read_text(encoding='utf-8'));"
        f"sys.stdout.write(hashlib.sha256(render_agreement(c / 'agreement.yaml', d, {record_digest!r}))"
        ".hexdigest())"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345", SOURCE_DATE_EPOCH="1700000000")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True, cwd=contracts.parent)
    assert out.stdout == hashlib.sha256(agreement_pdf).hexdigest()


def test_different_data_or_record_digest_changes_bytes(agreement_pdf, sample_data, contracts,
                                                  record_digest):
    sample_data["agreement"]["number"] = "JC-PPP-2025-002"
    assert render_agreement(contracts / "agreement.yaml", sample_data, record_digest) != agreement_pdf
    sample_data["agreement"]["number"] = "JC-PPP-2025-001"
    assert render_agreement(contracts / "agreement.yaml", sample_data, "0" * 64) != agreement_pdf


def test_creation_date_comes_from_the_data(agreement_pdf):
    info = PdfReader(BytesIO(agreement_pdf)).metadata
    assert info["/CreationDate"] == "D:20250630000000+08'00'"
    assert "signing-order=implementing_agency,social_capital,residents_committee," \
           "subdistrict_office" in info["/Keywords"]


def test_missing_fields_listed_at_once_and_nothing_written(sample_data, contracts, record_digest,
                                                          tmp_path):
    del sample_data["investment"]["total"]
    sample_data["parties"]["residents_committee"]["name"] = "  "
    sample_data["disputes"] = {}
    sample_data["term"]["start_date"] = None
    out = tmp_path / "agreement.pdf"
    with pytest.raises(MissingFields) as caught:
        write_pdf(out, render_agreement(contracts / "agreement.yaml", sample_data, record_digest))
    assert caught.value.missing == [
        "parties.residents_committee.name",
        "investment.total",
        "term.start_date",
        "disputes.mediator",
        "disputes.court",
    ]
    assert isinstance(caught.value, InputError) and caught.value.exit_code == 2
    for field in caught.value.missing:
        assert field in str(caught.value)
    assert not out.exists() and not list(tmp_path.iterdir())


def test_bad_values_listed_at_once(sample_data, contracts, record_digest):
    sample_data["investment"]["basic"] = "18000000.005"  # three places
    sample_data["parties"]["social_capital"]["uscc"] = "91510100MA6C1234X0"  # bad check char
    sample_data["procurement"]["award_date"] = "10 June"
    with pytest.raises(InputError) as caught:
        render_agreement(contracts / "agreement.yaml", sample_data, record_digest)
    message = str(caught.value)
    assert "investment.basic" in message
    assert "parties.social_capital.uscc" in message
    assert "procurement.award_date" in message


def test_amounts_must_add_up(sample_data, contracts, record_digest):
    sample_data["investment"]["enhancement"] = "7000000.00"
    with pytest.raises(InputError, match="基础类、完善类、提升类投资之和应等于项目总投资"):
        render_agreement(contracts / "agreement.yaml", sample_data, record_digest)


def test_record_digest_must_be_sha256(sample_data, contracts):
    with pytest.raises(InputError, match="record digest"):
        render_agreement(contracts / "agreement.yaml", sample_data, "not-a-hash")


def test_cover_letter_renders(sample_data, contracts, record_digest):
    pdf = render_agreement(contracts / "financing_cover.yaml", sample_data, record_digest)
    text = "".join(_text(pdf))
    assert "中国建设银行股份有限公司成都锦城支行：" in text
    assert "¥28,000,000.00（人民币贰仟捌佰万元整）" in text
    assert "一、项目概况" in text
    assert "8.33年" in text and "3.46%" in text
    assert ("按6.00%折现的净现值为-467.16万元。贷款年利率4.20%，宽限期2年，按等额本金方式偿还，"
            "贷款期内最低偿债备付率为1.03，平均为1.35。") in text


def test_render_document_for_reports(record_digest):
    summary = financial_summary("40000000.00", ["4800000.00"] * 10)
    pdf = render_document("浣花社区老旧小区改造项目财务摘要", summary.sections(), record_digest,
                          document_date="2025-07-15")
    again = render_document("浣花社区老旧小区改造项目财务摘要", summary.sections(), record_digest,
                            document_date="2025-07-15")
    assert pdf == again
    text = "".join(_text(pdf))
    assert "项目总投资4,000.00万元" in text and "收入合计4,800.00万元（人民币肆仟捌佰万元整）" in text
    assert "静态投资回收期8.33年" in text
    assert "全投资内部收益率（税前）3.46%" in text
    assert "第10年" in text
    assert record_digest in text
    assert b"/Helvetica" not in pdf


def test_render_document_refuses_bad_sections(record_digest):
    with pytest.raises(InputError):
        render_document("报告", [{"heading": "一", "body": [object()]}], record_digest)
    with pytest.raises(InputError):
        render_document("报告", [{"body": []}], record_digest)


def test_no_font_names_what_to_install(monkeypatch):
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    monkeypatch.setattr(fonts, "KNOWN_FONTS", (("/nonexistent/font.ttc", 0),))
    with pytest.raises(DefinitionError, match="fonts-wqy-zenhei"):
        fonts.find_cjk_font()


def test_font_from_environment(monkeypatch, tmp_path):
    found = fonts.find_cjk_font()
    monkeypatch.setenv(fonts.ENV_VAR, f"{found.path}#0")
    assert fonts.find_cjk_font() == fonts.FontChoice(Path(found.path), 0)
    monkeypatch.setenv(fonts.ENV_VAR, str(tmp_path / "missing.ttf"))
    with pytest.raises(DefinitionError, match="TENDERFLOW_CJK_FONT"):
        fonts.find_cjk_font()


def test_unembeddable_font_file_is_refused(tmp_path):
    bogus = tmp_path / "bogus.ttf"
    bogus.write_bytes(b"not a font")
    with pytest.raises(DefinitionError, match="cannot embed font"):
        fonts.register_cjk_font(fonts.FontChoice(bogus, 0))


def test_a_long_table_starts_under_its_heading_not_on_the_next_page():
    """A section's heading was kept with its whole table: a table longer than the rest of
    the page moved, with its heading, to the next page and left that page mostly empty (the
    audit report's 事件一览). The table now starts under its heading and splits, its heading
    row repeated; a heading with too little room for the first rows still moves on."""
    digest = "ab" * 32
    text = "本节说明审计结论与核验范围，供采购人与审计人员核对。" * 6
    rows = [[f"第 {n} 号", f"2023-03-{1 + n % 28:02d} 09:00", "通过 2 项"] for n in range(60)]
    pdf = render_document("采购过程审计时间线", [
        {"heading": "审计结论", "body": [text, text]},
        {"heading": "事件一览", "body": [{"table": {"columns": ["事件", "业务时间", "规则核验"],
                                                   "rows": rows}}]},
    ], digest)
    pages = _text(pdf)
    assert "二、事件一览" in pages[0] and "第0号" in pages[0]
    assert "事件业务时间规则核验" in pages[1]  # the heading row repeated
    assert all(f"第{n}号" in "".join(pages) for n in range(60))
    crowded = render_document("采购过程审计时间线", [
        {"heading": "审计结论", "body": [text * 9]},
        {"heading": "事件一览", "body": [{"table": {"columns": ["事件", "业务时间", "规则核验"],
                                                   "rows": rows}}]},
    ], digest)
    pages = _text(crowded)
    heading_page = next(i for i, p in enumerate(pages) if "二、事件一览" in p)
    assert "第0号" in pages[heading_page]


def test_a_heading_before_a_table_sits_where_it_did_when_kept_with_it():
    """The conditional break before a heading must not add space: reportlab's frame takes
    the space after the paragraph or table before a heading off the heading's space before;
    a break in between would reset that (every later line 3–8 pt lower, a page more)."""
    from reportlab.platypus import Paragraph

    digest = "ab" * 32
    sections = [{"heading": "测算结论", "body": ["说明。" * 30, {"table": {
                     "columns": ["指标", "数值"], "rows": [["总投资", "¥1.00"]] * 3}}]},
                {"heading": "收入计划", "body": [{"table": {
                     "columns": ["年度", "收入"], "rows": [[f"第{n}年", "1.00"] for n in range(3)]}}]}]

    def heading_y(pdf: bytes) -> float:
        words = subprocess.run([_need("pdftotext"), "-bbox", "-", "-"], input=pdf,
                               capture_output=True, check=True).stdout.decode("utf-8")
        return float(re.search(r'yMin="([0-9.]+)"[^>]*>二、收入计划<', words).group(1))

    kept_y = heading_y(render_document("报告", sections, digest))
    import tenderflow.documents.pdf as layout

    def kept_whole(text: str, laid: Any, st: dict[str, Any]) -> list[Paragraph]:
        return [layout._para(text, st["heading"])]  # keepWithNext: heading and table as one

    with pytest.MonkeyPatch.context() as m:
        m.setattr(layout, "_heading", kept_whole)
        assert heading_y(render_document("报告", sections, digest)) == kept_y
