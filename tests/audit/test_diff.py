"""audit.diff: equal values are recognised without walking them, and every difference the walk
names is still found — the ones Python's ``==`` does not see included."""

from __future__ import annotations

import pytest

from tenderflow.audit.diff import ABSENT, first_difference, same, written_alike


@pytest.mark.parametrize(("left", "right", "where"), [
    ({"a": [1, {"b": True}]}, {"a": [1, {"b": 1}]}, "a[1].b"),   # True == 1 in Python
    ({"a": 0}, {"a": False}, "a"),
    ({"a": 1.0}, {"a": True}, "a"),
    ({"a": [1, 2]}, {"a": [1, 2, 3]}, "a[2]"),
    ({"a": "x"}, {"a": "x", "b": None}, "b"),
    ({"a": (1, 2)}, {"a": [1, 2]}, "a"),                      # a tuple is not a list
])
def test_differences_are_found(left, right, where):
    assert not same(left, right)
    found = first_difference(left, right)
    assert found is not None and found[0] == where


@pytest.mark.parametrize(("left", "right"), [
    ({"a": [1, {"b": "c"}], "d": None}, {"d": None, "a": [1, {"b": "c"}]}),  # key order
    ({"a": 1}, {"a": 1.0}),                                   # numbers of equal value
    ({"x": [], "y": {}}, {"y": {}, "x": []}),
])
def test_equal_values_have_no_difference(left, right):
    assert first_difference(left, right) is None


def test_fast_test_decides_only_what_it_can():
    assert same({"a": [1, "x"], "b": {"c": None}}, {"b": {"c": None}, "a": [1, "x"]})
    assert not same({"a": 1}, {"a": 1.0})  # left to the walk, which finds them equal
    assert not same({"a": float("nan")}, {"a": float("nan")})
    assert first_difference({"a": float("nan")}, {"a": float("nan")})[0] == "a"
    assert first_difference({"a": 1}, {})[2] is ABSENT


def test_written_alike_is_json_text_equality():
    assert written_alike({"a": (1, 2), "b": True}, {"b": True, "a": [1, 2]})
    assert not written_alike({"a": True}, {"a": 1})
    assert not written_alike({"a": object()}, {"a": 1})
