"""Templates are data: checked when loaded, filled only when every field is there."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import yaml

from tenderflow.documents.filling import fill, missing_fields
from tenderflow.documents.templates import (
    MissingFields,
    chinese_ordinal,
    load_template,
    parse_template,
    placeholders,
)
from tenderflow.domain.money import Money
from tenderflow.errors import DefinitionError, InputError

MINIMAL = {
    "id": "t", "version": "1", "title": "{project.name}合同",
    "signing_parties": [{"role": "a", "zh": "甲方"}],
    "clauses": [{"id": "one", "heading": "标的", "text": ["金额{price|money}，见{clause.two}。"]},
                {"id": "two", "heading": "其他", "text": ["签订于{day|date}。"]}],
}


def _data(**extra):
    data = {"project": {"name": "某项目"}, "price": "1234.56", "day": "2025-03-01",
            "parties": {"a": {"name": "甲公司", "uscc": "91510100MA6C1234XT"}}}
    data.update(extra)
    return data


def test_fill_minimal():
    doc = fill(parse_template(MINIMAL), _data())
    assert doc.title == "某项目合同"
    assert doc.clauses[0].number == "第一条　"
    assert doc.clauses[0].body == ("金额¥1,234.56（人民币壹仟贰佰叁拾肆元伍角陆分），见第二条。",)
    assert doc.clauses[1].body == ("签订于2025年3月1日。",)
    assert doc.parties[0].name == "甲公司"


def test_amounts_accept_money_decimal_and_int():
    for price in (Money(Decimal("1234.56")), Decimal("1234.56"), "1,234.56"):
        doc = fill(parse_template(MINIMAL), _data(price=price))
        assert "人民币壹仟贰佰叁拾肆元伍角陆分" in doc.clauses[0].body[0]
    doc = fill(parse_template(MINIMAL), _data(price=40_000_000))
    assert "¥40,000,000.00（人民币肆仟万元整）" in doc.clauses[0].body[0]


def test_float_amount_refused():
    with pytest.raises(InputError, match="price"):
        fill(parse_template(MINIMAL), _data(price=1234.56))


def test_missing_fields_in_order_of_use():
    data = _data()
    del data["price"]
    del data["parties"]["a"]["uscc"]
    data["day"] = ""
    template = parse_template(MINIMAL)
    assert missing_fields(template, data) == ["price", "day", "parties.a.uscc"]
    with pytest.raises(MissingFields) as caught:
        fill(template, data)
    assert caught.value.missing == ["price", "day", "parties.a.uscc"]
    assert caught.value.to_dict()["missing"] == ["price", "day", "parties.a.uscc"]


def test_literal_braces():
    raw = dict(MINIMAL, title="{{注}}{project.name}")
    assert fill(parse_template(raw), _data()).title == "{注}某项目"


def test_template_problems_are_listed_together():
    raw = {
        "id": "t", "version": "1", "title": "{Project.Name}", "colour": "red",
        "signing_parties": [{"role": "a", "zh": "甲方"}, {"role": "a", "zh": "乙方"}],
        "clauses": [
            {"id": "one", "heading": "标的", "text": ["{price|yuan}", "见{clause.nowhere}", "{x"]},
            {"id": "one", "heading": "重复", "text": []},
        ],
    }
    with pytest.raises(DefinitionError) as caught:
        parse_template(raw)
    message = str(caught.value)
    for expected in ("unknown key(s) colour", "'{Project.Name}' is not a placeholder",
                     "unknown filter 'yuan'", "{clause.nowhere} names no clause",
                     "unbalanced '{'", "'a' is listed twice", "'one' is used twice"):
        assert expected in message, expected


def test_unquoted_brace_line_is_explained(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(
        "id: t\nversion: '1'\ntitle: 合同\n"
        "signing_parties: [{role: a, zh: 甲方}]\n"
        "clauses:\n  - id: one\n    heading: 标的\n    text:\n      - {project.name}\n",
        encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        load_template(path)
    assert "starts with '{' must be quoted" in str(caught.value)


def test_bad_yaml_names_the_line(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("id: t\ntitle: [unclosed\n", encoding="utf-8")
    with pytest.raises(DefinitionError, match=r"t\.yaml:\d+:\d+: not valid YAML"):
        load_template(path)


def test_chinese_ordinals():
    assert [chinese_ordinal(n) for n in (1, 9, 10, 11, 19, 20, 21, 99, 100, 101, 110, 999)] == [
        "一", "九", "十", "十一", "十九", "二十", "二十一", "九十九", "一百", "一百零一",
        "一百一十", "九百九十九"]


def test_shipped_templates_load_and_sample_data_is_complete(contracts, sample_data):
    for name in ("agreement.yaml", "financing_cover.yaml"):
        template = load_template(contracts / name)
        assert missing_fields(template, sample_data) == []
        fill(template, sample_data)


def test_agreement_covers_the_required_topics(contracts):
    template = load_template(contracts / "agreement.yaml")
    assert template.signing_order == ["implementing_agency", "social_capital",
                                      "residents_committee", "subdistrict_office"]
    text = yaml.safe_dump(yaml.safe_load((contracts / "agreement.yaml").read_text("utf-8")),
                          allow_unicode=True)
    for topic in ("基础类", "完善类", "提升类", "总投资", "合作期", "物业服务", "停车", "电梯",
                  "养老", "便民服务", "闲置空间", "价格调整", "履约保函", "风险", "移交",
                  "提前终止", "争议"):
        assert topic in text, topic


def test_readme_lists_every_placeholder(contracts):
    readme = (contracts / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_]+(?:\.[a-z0-9_A-Z]+)+)`", readme))
    # `parties.ROLE.name` documents the four parties; `a.b / .c` rows document siblings
    for row in re.findall(r"`([a-z_.]+)` / `\.([a-z_]+)` / `\.([a-z_]+)`", readme):
        documented.update({row[0], row[0].rsplit(".", 1)[0] + "." + row[1],
                           row[0].rsplit(".", 1)[0] + "." + row[2]})
    for row in re.findall(r"`([a-z_.]+)` / `([a-z_.]+)`", readme):
        documented.update(row)
    for name in ("agreement.yaml", "financing_cover.yaml", "package_manifest.yaml"):
        for field in placeholders(load_template(contracts / name)):
            generic = re.sub(r"^parties\.[a-z_]+\.", "parties.ROLE.", field)
            assert field in documented or generic in documented, f"{name}: {field} undocumented"


@pytest.mark.parametrize("text,expected", [
    ("补助资金人民币7,200,000.00元", "补助资金人民币7,200,000.00元（人民币柒佰贰拾万元整）"),
    ("收费1,005,000.50元，另有¥2,000.00。",
     "收费1,005,000.50元（人民币壹佰万零伍仟元伍角），另有¥2,000.00（人民币贰仟元整）。"),
    ("¥40,000,000.00（人民币肆仟万元整）", "¥40,000,000.00（人民币肆仟万元整）"),
    ("人民币7,200,000.00元（大写：柒佰贰拾万元整）", "人民币7,200,000.00元（大写：柒佰贰拾万元整）"),
    ("面积198,000平方米，3,605户，每平方米0.55元", "面积198,000平方米，3,605户，每平方米0.55元"),
])
def test_free_text_amounts_get_their_capitals(text, expected):
    from tenderflow.documents.filling import with_capitals

    assert with_capitals(text) == expected
