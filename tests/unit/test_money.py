from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tenderflow.domain.money import Money, to_chinese_capital
from tenderflow.errors import InputError


@pytest.mark.parametrize("amount,text", [
    ("40000000", "人民币肆仟万元整"),
    ("1234.56", "人民币壹仟贰佰叁拾肆元伍角陆分"),
    ("100000.05", "人民币壹拾万元零伍分"),
    ("1001", "人民币壹仟零壹元整"),
    ("100010000", "人民币壹亿零壹万元整"),
    ("105000", "人民币壹拾万零伍仟元整"),  # 万位 0, 千位 not: one 零
    ("3245000.00", "人民币叁佰贰拾肆万伍仟元整"),
    ("0.50", "人民币伍角"),  # nothing after 角 (整 only after 元)
    ("2.10", "人民币贰元壹角"),
    ("1005000.50", "人民币壹佰万零伍仟元伍角"),
    ("7200000", "人民币柒佰贰拾万元整"),
    ("107000.53", "人民币壹拾万零柒仟元伍角叁分"),
    ("1680.32", "人民币壹仟陆佰捌拾元叁角贰分"),  # 元位 0 before 角: 零 optional, not written
    ("100500000", "人民币壹亿零伍拾万元整"),
    ("1000000001", "人民币壹拾亿零壹元整"),
    ("1010", "人民币壹仟零壹拾元整"),
    ("10.01", "人民币壹拾元零壹分"),
    ("0", "人民币零元整"),
    ("1000000000000", "人民币壹万亿元整"),
])
def test_chinese_capitals(amount: str, text: str) -> None:
    assert to_chinese_capital(Decimal(amount)) == text


@pytest.mark.parametrize("bad", [1.5, True, "abc", "-1", "1.001", "NaN", "Infinity",
                                 "99999999999999", None, [], {}])
def test_parse_refuses(bad: object) -> None:
    with pytest.raises(InputError) as err:
        Money.parse(bad, field="price", file="bid.yaml")
    assert "bid.yaml" in err.value.message and "price" in err.value.message


def test_parse_and_render() -> None:
    m = Money.parse("40,000,000.00")
    assert str(m) == "40000000.00"
    assert m.formatted() == "¥40,000,000.00"
    assert (m + Money.parse("0.5")).to_json() == "40000000.50"


_DIGITS = set("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整人民币")


@given(st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2))
def test_capitals_are_well_formed(d: Decimal) -> None:
    text = to_chinese_capital(d)
    assert text.startswith("人民币")
    assert set(text) <= _DIGITS
    assert "零零" not in text
    assert text.endswith(("元整", "角", "分"))
    # Parsing the capitals back gives the amount (an independent reading).
    assert _read_back(text) == d


_VAL = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}


def _read_back(text: str) -> Decimal:
    body = text[3:].rstrip("整")
    yuan_part, _, frac = body.partition("元")
    if "元" not in body:
        yuan_part, frac = "", body
    total = 0
    section = 0
    digit = 0
    for ch in yuan_part:
        if ch in _VAL:
            digit = _VAL[ch]
        elif ch in "拾佰仟":
            section += digit * {"拾": 10, "佰": 100, "仟": 1000}[ch]
            digit = 0
        elif ch == "万":
            section += digit
            total += section * 10000
            section, digit = 0, 0
        elif ch == "亿":
            section += digit
            total = (total + section) * 100000000
            section, digit = 0, 0
    total += section + digit
    cents = 0
    frac = frac.lstrip("零")
    if "角" in frac:
        cents += _VAL[frac[frac.index("角") - 1]] * 10
    if "分" in frac:
        cents += _VAL[frac[frac.index("分") - 1]]
    return Decimal(total) + Decimal(cents) / 100
