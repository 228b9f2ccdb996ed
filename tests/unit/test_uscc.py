import pytest
from hypothesis import given
from hypothesis import strategies as st

from tenderflow.domain.uscc import is_valid_uscc, uscc_check_character, uscc_problem

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L",
                                  "91510100MA61XY8127"])
def test_known_valid_codes(code: str) -> None:
    assert is_valid_uscc(code), uscc_problem(code)


@pytest.mark.parametrize("code,problem", [
    ("91350100M000100Y44", "check character"),
    ("91350100M000100Y4", "18 characters"),
    ("91350100M000100YI3", "not allowed"),
])
def test_invalid_codes_say_why(code: str, problem: str) -> None:
    assert problem in (uscc_problem(code) or "")


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17), st.sampled_from(ALPHABET))
def test_exactly_one_check_character(first17: str, other: str) -> None:
    good = first17 + uscc_check_character(first17)
    assert is_valid_uscc(good)
    if other != good[-1]:
        assert not is_valid_uscc(first17 + other)
