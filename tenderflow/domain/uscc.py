"""The unified social credit code (统一社会信用代码), GB 32100-2015, with its check character."""

from __future__ import annotations

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_character(first17: str) -> str:
    """The 18th character for the first 17 (GB 32100-2015 §4.4)."""
    total = sum(_ALPHABET.index(c) * w for c, w in zip(first17, _WEIGHTS))
    return _ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """None when the code is valid, else what is wrong with it."""
    if not isinstance(code, str):
        return "must be a string of 18 characters"
    if len(code) != 18:
        return f"must have 18 characters, has {len(code)}"
    bad = [c for c in code if c not in _ALPHABET]
    if bad:
        return f"character {bad[0]!r} is not allowed (digits and capitals except I O S V Z)"
    if not code[8:17].isalnum():
        return "organisation code part is malformed"
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        return f"check character is {code[17]!r}, GB 32100-2015 gives {expected!r}"
    return None


def is_valid_uscc(code: str) -> bool:
    return uscc_problem(code) is None
