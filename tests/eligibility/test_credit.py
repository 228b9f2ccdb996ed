"""Credit-list CSV import: strict validation and listing at a date."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tenderflow.app.eligibility import load_credit_csv, parse_credit_csv
from tenderflow.domain.credit import CREDIT_LISTS, CreditEntry, listings_at
from tenderflow.errors import InputError

from ._builders import DATA, uscc

HEADER = "list,uscc,name,listed_on,removed_on,source\n"


def test_sample_file_loads_with_dates_and_lines() -> None:
    entries = load_credit_csv(DATA / "credit_lists.csv")
    assert [e.list_name for e in entries] == list(CREDIT_LISTS)
    assert entries[0].listed_on == date(2024, 3, 1) and entries[0].removed_on is None
    assert entries[1].removed_on == date(2025, 1, 10)
    assert entries[2].line == 4 and entries[2].file.endswith("credit_lists.csv")


def test_byte_order_mark_and_missing_optional_column() -> None:
    text = "\ufefflist,uscc,name,listed_on,source\n" \
           f"失信被执行人,{uscc(1)},甲,2024-01-01,法院\n"
    (entry,) = parse_credit_csv(text, file="x.csv")
    assert entry.removed_on is None


def test_round_trip_through_dict() -> None:
    (entry,) = parse_credit_csv(HEADER + f"重大税收违法,{uscc(2)},乙,2023-01-01,2024-01-01,税务\n")
    again = CreditEntry.from_dict(entry.to_dict())
    assert again.list_name == entry.list_name and again.removed_on == entry.removed_on


@pytest.mark.parametrize(("row", "line", "field", "expected"), [
    (f"黑名单,{uscc(1)},甲,2024-01-01,,src", 3, "list", "失信被执行人"),
    ("失信被执行人,91510100000000001X,甲,2024-01-01,,src", 3, "uscc", "GB 32100"),
    (f"失信被执行人,{uscc(1)},甲,2024/01/01,,src", 3, "listed_on", "2023-03-01"),
    (f"失信被执行人,{uscc(1)},甲,2024-02-30,,src", 3, "listed_on", "calendar date"),
    (f"失信被执行人,{uscc(1)},甲,2024-01-01,2023-01-01,src", 3, "removed_on", "after"),
    (f"失信被执行人,{uscc(1)},,2024-01-01,,src", 3, "name", "a value"),
    (f"失信被执行人,{uscc(1)},甲,2024-01-01,,", 3, "source", "a value"),
])
def test_errors_name_file_line_and_field(row: str, line: int, field: str,
                                         expected: str) -> None:
    good = f"失信被执行人,{uscc(9)},好,2024-01-01,,src\n"
    with pytest.raises(InputError) as err:
        parse_credit_csv(HEADER + good + row + "\n", file="lists.csv")
    ctx = err.value.context
    assert (ctx["file"], ctx["location"], ctx["field"]) == ("lists.csv", f"line {line}", field)
    assert expected in str(err.value)
    assert str(err.value).startswith(f"lists.csv:line {line}: field '{field}'")


def test_wrong_cell_count() -> None:
    with pytest.raises(InputError, match="line 2: has 3 cells"):
        parse_credit_csv(HEADER + "a,b,c\n", file="f.csv")


def test_unknown_and_missing_columns() -> None:
    with pytest.raises(InputError) as err:
        parse_credit_csv("list,uscc,name,listed_on,source,city\n", file="f.csv")
    assert err.value.context["field"] == "city"
    with pytest.raises(InputError) as err:
        parse_credit_csv("list,uscc,name,source\n", file="f.csv")
    assert err.value.context["field"] == "listed_on"


def test_duplicate_entry() -> None:
    row = f"失信被执行人,{uscc(1)},甲,2024-01-01,,src\n"
    with pytest.raises(InputError, match="duplicate of line 2"):
        parse_credit_csv(HEADER + row + row, file="f.csv")


def test_empty_file_and_unreadable(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty"):
        parse_credit_csv("", file="f.csv")
    bad = tmp_path / "latin.csv"
    bad.write_bytes(HEADER.encode() + "失信".encode("gbk"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_credit_csv(bad)


def test_line_numbers_count_blank_lines() -> None:
    text = HEADER + "\n" + f"失信被执行人,{uscc(1)},甲,2024-01-01,,src\n"
    (entry,) = parse_credit_csv(text)
    assert entry.line == 3


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
       st.integers(min_value=1, max_value=3000), st.integers(min_value=-100, max_value=4000),
       st.booleans())
def test_listed_between_listing_and_removal(listed: date, length: int, offset: int,
                                            removed: bool) -> None:
    removed_on = listed + timedelta(days=length) if removed else None
    entry = CreditEntry("失信被执行人", uscc(1), "甲", listed, removed_on, "src")
    at = listed + timedelta(days=offset)
    expected = listed <= at and (removed_on is None or at < removed_on)
    assert entry.in_force_at(at) == expected
    assert bool(listings_at([entry], uscc(1), at)) == expected
    assert not listings_at([entry], uscc(2), at)
    assert not listings_at([entry], uscc(1), at, lists=["重大税收违法"])
