"""Snapshots kept packed (tenderflow.store.snapshot_text, issue 17)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tenderflow.store.canonical import canonical_json
from tenderflow.store.snapshot_text import PACK_FROM, PACKED, SnapshotUnreadable, load, pack, unpack

JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner, max_size=5)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=5), max_leaves=40)


@given(st.dictionaries(st.text(max_size=12), JSON, max_size=30))
def test_a_state_reads_back_as_it_was_packed_or_not(state: dict) -> None:
    text = canonical_json(state)
    stored = pack(text)
    assert unpack(stored) == text
    assert load(stored) == (state, len(text))
    assert stored.startswith(PACKED) == (len(text) > PACK_FROM)


def test_a_large_state_is_kept_in_a_fraction_of_its_text() -> None:
    state = {"checks": [{"rule": f"eligibility.rule_{i % 24}", "source": "政府采购法 第22条",
                         "passed": True, "supplier": f"S-{i % 3}"} for i in range(200)]}
    text = canonical_json(state)
    stored = pack(text)
    assert len(stored) < len(text) / 4
    assert json.loads(unpack(stored)) == state


def test_a_snapshot_stored_as_json_before_reads_as_it_is() -> None:
    text = canonical_json({"state": "created", "名称": "浣花" * 1000})
    assert load(text) == (json.loads(text), len(text))


@pytest.mark.parametrize("stored", [PACKED + "not base64!", PACKED + "AAAA",
                                    pack("{" + "x" * 2000 + "}")[:-8]])
def test_a_damaged_packed_snapshot_is_unreadable_not_wrong(stored: str) -> None:
    with pytest.raises(SnapshotUnreadable):
        unpack(stored)
