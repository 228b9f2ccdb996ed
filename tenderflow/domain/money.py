"""Money in yuan on Decimal, two places, never float; rendering in Chinese capitals (大写)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from tenderflow.errors import InputError

CENT = Decimal("0.01")
# Larger than any plausible procurement (one trillion yuan); guards against absurd input.
MAX_YUAN = Decimal("1000000000000.00")

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ["", "拾", "佰", "仟"]
_BIG_UNITS = ["", "万", "亿", "万亿"]


@dataclass(frozen=True, order=True)
class Money:
    """An amount of renminbi in yuan with exactly two decimal places."""

    amount: Decimal

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError("Money needs a Decimal amount")
        object.__setattr__(self, "amount", self.amount.quantize(CENT, rounding=ROUND_HALF_UP))

    @classmethod
    def parse(cls, value: Any, *, field: str = "amount", file: str | None = None,
              location: str | None = None, allow_zero: bool = True) -> Money:
        """Parse a decimal string or integer in yuan; floats are refused (they lose cents)."""
        if isinstance(value, bool) or isinstance(value, float):
            raise InputError(f"money must be a decimal string, got {value!r}", file=file,
                             location=location, field=field, expected='a string like "40000000.00"')
        if isinstance(value, int):
            value = str(value)
        if not isinstance(value, str):
            raise InputError(f"money must be a decimal string, got {type(value).__name__}",
                             file=file, location=location, field=field,
                             expected='a string like "40000000.00"')
        text = value.strip().replace(",", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise InputError(f"not an amount: {value!r}", file=file, location=location,
                             field=field, expected='a string like "40000000.00"') from None
        if not amount.is_finite():
            raise InputError(f"not a finite amount: {value!r}", file=file, location=location,
                             field=field, expected="a finite amount")
        if amount < 0 or (amount == 0 and not allow_zero):
            raise InputError(f"amount must be positive, got {value!r}", file=file,
                             location=location, field=field, expected="a positive amount")
        if amount > MAX_YUAN:
            raise InputError(f"amount {value!r} is larger than {MAX_YUAN} yuan", file=file,
                             location=location, field=field, expected="a plausible amount")
        if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
            raise InputError(f"amount {value!r} has more than two decimal places", file=file,
                             location=location, field=field, expected="yuan with at most 2 places")
        return cls(amount)

    def __str__(self) -> str:
        return f"{self.amount:.2f}"

    def to_json(self) -> str:
        return str(self)

    def __add__(self, other: Money) -> Money:
        return Money(self.amount + other.amount)

    def __sub__(self, other: Money) -> Money:
        return Money(self.amount - other.amount)

    def times(self, factor: Decimal) -> Money:
        return Money(self.amount * factor)

    def formatted(self) -> str:
        """Figures with thousands separators: ¥40,000,000.00."""
        return f"¥{self.amount:,.2f}"

    def chinese(self) -> str:
        """The amount in Chinese capitals, e.g. 人民币肆仟万元整."""
        return to_chinese_capital(self.amount)


def _four_digits(group: int) -> str:
    """Capitals for 0..9999 without the leading-zero rule across groups."""
    out: list[str] = []
    zero = False
    for pos in range(3, -1, -1):
        d = group // 10**pos % 10
        if d == 0:
            zero = bool(out)
        else:
            if zero:
                out.append("零")
                zero = False
            out.append(_DIGITS[d] + _SMALL_UNITS[pos])
    return "".join(out)


def to_chinese_capital(amount: Decimal) -> str:
    """Render yuan in 大写 after 《支付结算办法》附一《正确填写票据和结算凭证的基本规定》:
    整 after 元 (nothing after 角 or 分); one 零 for a run of zeros in the middle, also where
    the 万 or 元 digit is 0 and the next is not (the rule allows it there, and a bank prefers
    it: nothing can be slipped in).

    40000000 → 人民币肆仟万元整; 1234.56 → 人民币壹仟贰佰叁拾肆元伍角陆分;
    100000.05 → 人民币壹拾万元零伍分; 1005000.50 → 人民币壹佰万零伍仟元伍角.
    """
    amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if amount < 0:
        return "负" + to_chinese_capital(-amount)
    cents = int((amount * 100).to_integral_value())
    yuan, frac = divmod(cents, 100)
    jiao, fen = divmod(frac, 10)
    text = ""
    if yuan:
        groups = []
        n = yuan
        while n:
            groups.append(n % 10000)
            n //= 10000
        parts: list[str] = []
        need_zero = False
        for idx in range(len(groups) - 1, -1, -1):
            g = groups[idx]
            if g == 0:
                need_zero = bool(parts)
                continue
            # a zero between two groups is written once: the group above ends in 0 (万位 is
            # 0: 1,005,000 → 壹佰万零伍仟), a whole group is 0, or this one starts with 0
            if parts and (need_zero or g < 1000 or groups[idx + 1] % 10 == 0):
                parts.append("零")
            parts.append(_four_digits(g) + _BIG_UNITS[idx] if idx < len(_BIG_UNITS) else "")
            need_zero = False
        text = "".join(parts) + "元"
    if jiao == 0 and fen == 0:
        return "人民币" + (text or "零元") + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        text += _DIGITS[fen] + "分"
    return "人民币" + text
