"""Commit–reveal sealing: a commitment binds the content, the nonce, the procurement, the
supplier and the kind; any change of the revealed content fails it."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tenderflow.domain.components import sealing
from tenderflow.domain.components.sealing import (
    commitment,
    open_sealed,
    reveal_problems,
)
from tenderflow.store.canonical import canonical_json

NONCE = "ab" * 32
CONTENT = {"price": "3245000.00", "concession_years": 10,
           "revenue_plan": [{"source": "停车服务费", "annual_amount": "600000.00"}],
           "documents": [{"name": "报价单.pdf", "sha256": "0" * 64}]}


def test_commitment_is_sha256_of_the_design_canonical_json() -> None:
    body = {"content": CONTENT, "kind": "bid", "nonce": NONCE, "procurement": "OT-1",
            "supplier": "S-HXJS"}
    expected = hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()
    assert commitment("OT-1", "S-HXJS", "bid", CONTENT, NONCE) == expected
    assert sealing.canonical_json(body) == canonical_json(body)


@pytest.mark.parametrize("change", [
    {"procurement": "OT-2"}, {"supplier": "S-CDJG"}, {"kind": "final_quote"},
    {"nonce": "ac" * 32}, {"content": {**CONTENT, "price": "3245000.01"}},
    {"content": {**CONTENT, "concession_years": 11}},
])
def test_every_bound_field_changes_the_commitment(change: dict[str, Any]) -> None:
    args = {"procurement": "OT-1", "supplier": "S-HXJS", "kind": "bid", "content": CONTENT,
            "nonce": NONCE}
    assert commitment(**args) != commitment(**{**args, **change})


@pytest.mark.parametrize("nonce", ["ab" * 15, "AB" * 32, "zz" * 32, "ab" * 65, ""])
def test_a_short_or_malformed_nonce_is_refused(nonce: str) -> None:
    with pytest.raises(ValueError, match="nonce"):
        commitment("OT-1", "S", "bid", CONTENT, nonce)


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="kind"):
        commitment("OT-1", "S", "offer", CONTENT, NONCE)


def test_opening_gives_every_sealed_offer_a_verdict() -> None:
    sealed = {s: {"commitment": commitment("OT-1", s, "bid", {"price": p}, NONCE)}
              for s, p in (("A", "100.00"), ("B", "200.00"), ("C", "300.00"))}
    reveals = [{"supplier": "A", "content": {"price": "100.00"}, "nonce": NONCE},
               {"supplier": "B", "content": {"price": "190.00"}, "nonce": NONCE}]
    verdicts = open_sealed("OT-1", "bid", sealed, reveals)
    assert {s: v.status for s, v in verdicts.items()} == {
        "A": "valid", "B": "commitment_mismatch", "C": "not_revealed"}
    assert verdicts["A"].content == {"price": "100.00"} and verdicts["A"].valid
    assert "changed after sealing" in verdicts["B"].reason
    assert verdicts["C"].content is None and not verdicts["C"].valid


def test_reveals_that_cannot_be_used_as_a_set() -> None:
    sealed = {"A": {"commitment": "0" * 64}}
    reveals = [{"supplier": "A"}, {"supplier": "A"}, {"supplier": "Z"}]
    assert reveal_problems(sealed, reveals) == ["A is revealed twice",
                                                "Z has no sealed offer to reveal"]


def test_new_nonces_are_fresh_and_long_enough() -> None:
    a, b = sealing.new_nonce(), sealing.new_nonce()
    assert a != b and sealing.NONCE_RE.match(a) and len(a) == 64


prices = st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False,
                     allow_infinity=False).map(lambda d: f"{d:.2f}")
nonces = st.binary(min_size=16, max_size=64).map(bytes.hex)


@settings(max_examples=200, deadline=None)
@given(price=prices, other=prices, nonce=nonces, years=st.integers(1, 99))
def test_a_reveal_opens_its_own_commitment_and_no_other_price(
        price: str, other: str, nonce: str, years: int) -> None:
    content = {"price": price, "concession_years": years}
    sealed = {"S": {"commitment": commitment("P", "S", "bid", content, nonce)}}
    ok = open_sealed("P", "bid", sealed, [{"supplier": "S", "content": content, "nonce": nonce}])
    assert ok["S"].valid
    changed = {**content, "price": other}
    verdict = open_sealed("P", "bid", sealed,
                          [{"supplier": "S", "content": changed, "nonce": nonce}])["S"]
    assert verdict.valid == (other == price)


def test_the_workflow_content_schema_is_the_sealing_schema() -> None:
    """The seal command validates offers with sealing.CONTENT_SCHEMA; the mode's opening
    validates reveals with its own copy: they must be the same schema."""
    from tenderflow.workflow.definitions import load_workflow

    wf = load_workflow("competitive_negotiation")
    [t] = wf.by_trigger("open_final_quotes")
    assert t.schema is not None
    content = t.schema["properties"]["reveals"]["items"]["properties"]["content"]
    assert content == sealing.CONTENT_SCHEMA
