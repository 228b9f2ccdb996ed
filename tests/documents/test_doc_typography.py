"""Typography shared by every document: the two faces, Chinese line breaking (避头尾), the
symbols the faces lack."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tenderflow.documents import fonts
from tenderflow.documents.linebreak import (
    CLOSING,
    OPENING,
    break_opportunities,
    check_lines,
    paragraph,
)
from tenderflow.errors import DefinitionError, InputError


def _breaks(text: str) -> list[int]:
    return [k for k, ok in enumerate(break_opportunities(text)) if ok]


def test_no_break_before_closing_or_after_opening_marks():
    text = "甲方（项目实施机构）：名称；"
    breaks = _breaks(text)
    for k in breaks:
        assert text[k] not in CLOSING and text[k - 1] not in OPENING, (k, text[k - 1:k + 1])
    assert 2 in breaks  # before （ (it may open a line)
    assert 3 not in breaks  # not after it
    assert text.index("：") not in breaks and text.index("）") not in breaks


def test_figures_and_words_are_never_split():
    text = "金额¥1,005,000.50元，日期2023-12-01 10:00，依据GB/T 9704-2012。"
    for run in ("¥1,005,000.50", "2023-12-01", "10:00", "GB/T", "9704-2012"):
        start = text.index(run)
        inside = set(range(start + 1, start + len(run)))
        assert not inside & set(_breaks(text)), run


def test_dash_and_ellipsis_stay_whole():
    text = "一——二……三"
    assert 2 not in _breaks(text) and 5 not in _breaks(text)


def test_check_lines_finds_what_the_rules_forbid():
    assert check_lines(["本合同", "；其余"]) and check_lines(["本合同（", "甲方）"])
    assert check_lines(["金额为1,005,", "000.50元"])
    assert not check_lines(["本合同金额为", "1,005,000.50元。"])


def _lines(text: str, width: float) -> list[str]:
    from tenderflow.documents.pdf import _styles

    para = paragraph(text, _styles()["body"])
    para.wrap(width, 10_000)
    return ["".join(w.text for w in line.words) for line in para.blPara.lines]


_ALPHABET = "合同甲乙方金额元项目，。；：、（）《》“”1234567890,.%¥ab "


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=_ALPHABET, min_size=1, max_size=160),
       st.integers(min_value=60, max_value=300))
def test_laid_out_lines_keep_the_rules(text: str, width: int):
    lines = _lines(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost or added
    for i, line in enumerate(lines[1:], start=1):
        stripped = line.strip()
        # a closing mark may open a line only when the line before is one unbreakable run
        if stripped and stripped[0] in CLOSING:
            assert not any(break_opportunities(lines[i - 1].strip())[1:]), (lines[i - 1], line)


def test_a_long_paragraph_breaks_as_the_rules_say():
    text = ("本项目总投资为¥40,000,000.00（人民币肆仟万元整），按改造类别构成如下：基础类、完善类、"
            "提升类；乙方负责筹措本项目投资中的¥36,000,000.00（人民币叁仟陆佰万元整）。") * 3
    for width in (150, 200, 251, 300, 420):
        lines = _lines(text, width)
        assert len(lines) > 1
        assert check_lines(lines) == [], (width, lines)


def test_missing_symbols_are_swapped_and_others_refused():
    from tenderflow.documents.pdf import _styles

    assert fonts.glyph_text("✓ 通过 ✗ 未通过") == "√ 通过 × 未通过"
    style = _styles()["body"]
    assert fonts.missing_glyphs("√×¥合同", style.fontName) == []
    paragraph("核验 ✓", style)  # swapped, printable
    with pytest.raises(InputError, match="U\\+1F600"):
        paragraph("签名 😀", style)


def test_body_font_missing_names_the_package(monkeypatch):
    monkeypatch.delenv(fonts.BODY_ENV_VAR, raising=False)
    monkeypatch.setattr(fonts, "KNOWN_BODY_FONTS", (("/nonexistent/uming.ttc", 0),))
    with pytest.raises(DefinitionError, match="fonts-arphic-uming"):
        fonts.find_font(fonts.BODY)


def test_body_and_heading_faces_differ_and_are_embedded(record_digest):
    from pypdf import PdfReader

    from tenderflow.documents.pdf import render_document

    pdf = render_document("报告", [{"heading": "概况", "body": ["正文。"]}], record_digest)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    fonts_used = [f.get_object() for f in page["/Resources"]["/Font"].values()]
    names = {str(f["/BaseFont"]) for f in fonts_used}
    assert any("UMing" in n for n in names) and any("WenQuanYi" in n for n in names), names
    for font in fonts_used:  # every face embedded, as a subset (AAAAAA+Name)
        assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]
        assert "+" in str(font["/BaseFont"])


def test_a_paragraph_split_across_pages_gains_no_space():
    from tenderflow.documents.pdf import _styles

    text = "业主对本项目改造事项及利用共有部分从事经营活动等事项进行共同决定，决定于2023年6月17日作出。" * 3
    para = paragraph(text, _styles()["body"])
    para.wrap(300, 10_000)
    first, rest = para.split(300, 21 * 2.5)
    rest.wrap(300, 10_000)
    lines = ["".join(w.text for w in line.words) for p in (first, rest)
             for line in p.blPara.lines]
    assert "".join(lines) == text and len(lines) > 3


def test_a_long_title_breaks_after_the_project_name():
    from tenderflow.documents.linebreak import title_lines
    from tenderflow.documents.pdf import _styles

    style = _styles()["title"]

    def lines(title: str) -> list[str]:
        return title_lines(title, style.fontName, style.fontSize, 430)

    assert lines("北京市朝阳区劲松北社区老旧小区综合整治项目政府和社会资本合作项目合同") == [
        "北京市朝阳区劲松北社区老旧小区综合整治项目", "政府和社会资本合作项目合同"]
    assert lines("关于北京市朝阳区劲松北社区老旧小区综合整治项目融资审批的申请函") == [
        "关于北京市朝阳区劲松北社区老旧小区综合整治项目", "融资审批的申请函"]
    assert lines("采购结果记录") == ["采购结果记录"]


def test_a_date_stays_with_its_time_and_a_spaced_mark_with_its_word():
    text = "截止时间为2023-03-08 09:30（北京时间） , remedy: none"
    breaks = _breaks(text)
    space = text.index(" ")
    assert not {space, space + 1} & set(breaks)
    comma = text.index(",")
    assert not {comma - 1, comma} & set(breaks)  # not before the space, nor after it
    assert text.index("remedy") in breaks  # after ", " a line may break


def test_a_short_column_keeps_its_cells_on_one_line_when_there_is_room():
    """The audit report's 规则核验 column ("通过 2 项") wrapped: the long columns took the
    room. A column whose longest cell is a few ems wide gets that width whenever the other
    columns' unbreakable runs still fit; when they do not, it may break like the others."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from tenderflow.documents.linebreak import column_widths

    font, size, pad = fonts.register_fonts()[fonts.BODY], 10, 12
    long_text = "资格预审公告发布，采购人在指定媒体上公开资格条件与评审办法" * 3
    columns = [["序号　事件", "1 ProcurementOpened 项目采购启动" + long_text],
               ["状态", "已开启"], ["规则核验", "通过 2 项"]]
    widths = column_widths(columns, font, size, 480, pad)
    assert sum(widths) == pytest.approx(480)
    for j in (1, 2):
        assert widths[j] >= max(stringWidth(c, font, size) for c in columns[j]) + pad
    # no room: the short columns give way like any other (proportional to their runs)
    narrow = column_widths(columns, font, size, 90, pad)
    assert sum(narrow) == pytest.approx(90)
    assert narrow[2] < stringWidth("通过 2 项", font, size) + pad
