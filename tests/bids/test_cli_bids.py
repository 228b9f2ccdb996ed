"""``tenderflow bid seal|verify``: commitments computed offline, reveals checked; bad input
exits 2 naming the file and field and writes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tenderflow import yamlio
from tenderflow.domain.components.sealing import commitment


def offer(tmp_path: Path, text: str = 'price: "3245000.00"\nconcession_years: 10\n') -> Path:
    path = tmp_path / "quote.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_seal_prints_the_commitment_and_writes_the_reveal(invoke: Any, tmp_path: Path) -> None:
    reveal = tmp_path / "reveal.yaml"
    res = invoke("--json", "bid", "seal", str(offer(tmp_path)), "--procurement", "CN-1",
                 "--supplier", "S-HXJS", "--kind", "final_quote", "--out", str(reveal))
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    kept = yamlio.safe_load(reveal.read_text(encoding="utf-8"))
    assert kept["supplier"] == "S-HXJS" and len(kept["nonce"]) == 64
    assert kept["content"] == {"price": "3245000.00", "concession_years": 10}
    assert out["commitment"] == commitment("CN-1", "S-HXJS", "final_quote", kept["content"],
                                           kept["nonce"])
    assert "nonce" not in out  # the nonce is in the reveal file only
    res = invoke("bid", "verify", str(reveal), "--procurement", "CN-1", "--kind", "final_quote",
                 "--commitment", out["commitment"])
    assert res.exit_code == 0 and "matches" in res.output
    # The reveal edited after sealing (a price lowered) no longer matches: exit 1.
    reveal.write_text(reveal.read_text(encoding="utf-8").replace("3245000.00", "3200000.00"),
                      encoding="utf-8")
    res = invoke("bid", "verify", str(reveal), "--procurement", "CN-1", "--kind", "final_quote",
                 "--commitment", out["commitment"])
    assert res.exit_code == 1 and "not the commitment" in res.stderr


def test_seal_with_a_given_nonce_is_reproducible(invoke: Any, tmp_path: Path) -> None:
    args = ("bid", "seal", str(offer(tmp_path)), "--procurement", "CN-1", "--supplier", "S-A",
            "--nonce", "0f" * 16)
    first, second = invoke(*args), invoke(*args)
    assert first.exit_code == 0 and first.output == second.output
    assert commitment("CN-1", "S-A", "bid", {"price": "3245000.00", "concession_years": 10},
                      "0f" * 16) in first.output


def test_bad_offers_and_options_exit_2_naming_the_place(invoke: Any, tmp_path: Path) -> None:
    out = tmp_path / "reveal.yaml"
    res = invoke("bid", "seal", str(offer(tmp_path, "price: 3245000.00\n")), "--procurement",
                 "P", "--supplier", "S", "--out", str(out))
    assert res.exit_code == 2 and "quote.yaml" in res.stderr and "'price'" in res.stderr
    assert not out.exists()
    res = invoke("bid", "seal", str(offer(tmp_path, 'price: "1.00"\ncolour: red\n')),
                 "--procurement", "P", "--supplier", "S")
    assert res.exit_code == 2 and "colour" in res.stderr
    res = invoke("bid", "seal", str(offer(tmp_path)), "--procurement", "P", "--supplier", "S",
                 "--nonce", "abc")
    assert res.exit_code == 2 and "--nonce" in res.stderr
    res = invoke("bid", "seal", str(tmp_path / "missing.yaml"), "--procurement", "P",
                 "--supplier", "S")
    assert res.exit_code == 2 and "file not found" in res.stderr
    bad = tmp_path / "bad-reveal.yaml"
    bad.write_text('supplier: S\ncontent: {price: "1.00"}\n', encoding="utf-8")
    res = invoke("bid", "verify", str(bad), "--procurement", "P", "--commitment", "0" * 64)
    assert res.exit_code == 2 and "nonce" in res.stderr
    bad.write_text(f'supplier: S\nnonce: {"ab" * 16}\ncontent: {{price: x}}\n',
                   encoding="utf-8")
    res = invoke("bid", "verify", str(bad), "--procurement", "P", "--commitment", "0" * 64)
    assert res.exit_code == 2 and "content.price" in res.stderr
    assert "Traceback" not in res.output + res.stderr
