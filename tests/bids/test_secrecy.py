"""No command, export or report reveals a sealed offer before its opening.

A negotiation is driven to the point where every final quotation is sealed; then every output
that exists is searched for the prices (in every spelling: plain, without cents, with
thousands separators, in Chinese capitals) and for the nonces: ``status``, ``next``, ``list``
and ``workflow show`` as text and JSON, every ``audit`` command that reads procurements
(verify, replay, and export / report where they exist), the JSONL of every event read through
the store, the snapshots, and the raw bytes of the database file. After the opening the same
search finds the price in ``status --json`` — the search is able to fail.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from tenderflow.domain.money import Money
from tenderflow.store.canonical import canonical_json, event_body
from tests.bids._flow import FOUR, Negotiation, nonce
from tests.bids.test_negotiation import events

PRICES = {"S-CDJG": "3217654.32", "S-HXJS": "3198765.43", "S-SLGC": "3287123.45",
          "S-YXWY": "3251987.66"}


def spellings(price: str) -> list[str]:
    whole, cents = price.split(".")
    grouped = f"{int(whole):,}"
    wan = Decimal(price) / 10000
    return [price, whole, f"{grouped}.{cents}", grouped, Money.parse(price).chinese(),
            f"{wan:.2f}万", f"{wan:.4f}"]


def secrets_in(text: str) -> list[str]:
    found = []
    for sid, price in PRICES.items():
        found += [f"{sid} price {s!r}" for s in spellings(price) if s in text]
        if nonce(sid) in text:
            found.append(f"{sid} nonce")
    return found


def sealed(registered: Any) -> Negotiation:
    n = Negotiation(registered, "CN-SEAL").negotiating()
    n.final_requested()
    for i, sid in enumerate(FOUR):
        n.quote(sid, PRICES[sid], at=f"2023-03-14T1{i}:00+08:00")
    return n


def outputs(invoke: Any, db_url: str, tmp_path: Path, store: Any, pid: str = "CN-SEAL",
            mode: str = "competitive_negotiation", at: str = "2023-03-14T16:00+08:00"
            ) -> dict[str, str]:
    from tenderflow.cli import cli

    out: dict[str, str] = {}

    def run(*args: str, actor: str = "staff:wang") -> None:
        res = invoke(*args, actor=actor)
        assert res.exit_code in (0, 1), (args, res.output)
        out[" ".join(args)] = res.output + res.stderr

    when = ("--at", at)
    for fmt in ((), ("--json",)):
        run(*fmt, "status", pid, *when)
        run(*fmt, "next", pid, *when)
        run(*fmt, "next", pid, *when, actor="supplier:S-HXJS")
        run(*fmt, "next", pid, *when, actor="evaluator:刘专家")
        run(*fmt, "list")
        run(*fmt, "workflow", "show", mode)
    run("workflow", "show", mode, "--format", "mermaid")
    audit = cli.get_command(None, "audit")  # type: ignore[arg-type]
    commands = getattr(audit, "commands", {})
    if "verify" in commands:
        run("--json", "audit", "verify")
    if "replay" in commands:
        run("--json", "audit", "replay", pid)
    if "export" in commands:
        for fmt in ("jsonl", "ocds"):
            target = tmp_path / f"export.{fmt}"
            run("audit", "export", "--format", fmt, "--out", str(target))
            if target.exists():
                out[f"export {fmt}"] = target.read_text(encoding="utf-8")
    if "report" in commands:
        target = tmp_path / "report.pdf"
        run("audit", "report", pid, "--out", str(target))
        if target.exists():
            from pypdf import PdfReader

            out["report"] = "\n".join(p.extract_text() or "" for p in
                                      PdfReader(str(target)).pages)
    with store.reading() as tx:
        out["events (JSONL)"] = "\n".join(
            event_body({"global_seq": e.global_seq, "stream_id": e.stream_id,
                        "stream_seq": e.stream_seq, "type": e.type,
                        "schema_version": e.schema_version, "occurred_at": e.occurred_at,
                        "recorded_at": e.recorded_at, "actor": e.actor, "pins": e.pins,
                        "payload": e.payload, "prev_hash": e.prev_hash})
            for e in tx.read_all())
        snap = tx.snapshot(f"procurement:{pid}")
        out["snapshot"] = canonical_json(snap[1] if snap else None)
    out["database file"] = Path(db_url.removeprefix("sqlite:///")).read_bytes().decode(
        "utf-8", errors="replace")
    return out


def test_no_output_reveals_a_sealed_quotation_before_the_opening(
        registered: Any, invoke: Any, db_url: str, tmp_path: Path, store: Any) -> None:
    n = sealed(registered)
    assert n.state()["state"] == "final_quotation"
    seen = outputs(invoke, db_url, tmp_path, store)
    assert len(seen) >= 14
    leaks = {name: secrets_in(text) for name, text in seen.items() if secrets_in(text)}
    assert leaks == {}
    # What may be seen: that four sealed quotations exist, with their commitments.
    status = json.loads(seen["--json status CN-SEAL --at 2023-03-14T16:00+08:00"])
    sealed_view = status["bids"]["final_quote"]
    assert sealed_view["sealed"]["count"] == len(FOUR) and "sealed_by" not in sealed_view
    assert all(len(c["commitment"]) == 64 for c in sealed_view["sealed"]["commitments"])
    assert not any(sid in json.dumps(sealed_view) for sid in FOUR)
    # After the opening the price is public, and this same search finds it.
    n.open()
    res = invoke("--json", "status", "CN-SEAL")
    assert "S-HXJS price '3198765.43'" in secrets_in(res.output)
    assert nonce("S-HXJS") in json.dumps([e.payload for e in events(registered, "CN-SEAL")],
                                         ensure_ascii=False)


def test_no_output_reveals_a_sealed_bid_or_names_a_bidder_before_the_opening(
        registered: Any, invoke: Any, db_url: str, tmp_path: Path, store: Any) -> None:
    from tests.bids._tender import Tender

    t = Tender(registered, "OT-SEAL").bidding()
    for i, sid in enumerate(["S-CDJG", "S-HXJS", "S-SLGC"]):
        t.bid(sid, PRICES[sid], at=f"2023-03-1{i}T10:00+08:00")
    seen = outputs(invoke, db_url, tmp_path, store, "OT-SEAL", "open_tender",
                   "2023-03-20T10:00+08:00")
    leaks = {name: secrets_in(text) for name, text in seen.items() if secrets_in(text)}
    assert leaks == {}
    for name in ("status OT-SEAL --at 2023-03-20T10:00+08:00",
                 "--json status OT-SEAL --at 2023-03-20T10:00+08:00"):
        assert not any(sid in seen[name] for sid in PRICES), name
    status = json.loads(seen["--json status OT-SEAL --at 2023-03-20T10:00+08:00"])
    assert status["bids"]["bid"]["sealed"]["count"] == 3
    # The opening names the bidders; unsealing reveals the prices, found by the same search.
    registered.tick(__import__("tests.conftest", fromlist=["at"]).at("2023-03-21T09:30+08:00"))
    t.unseal()
    res = invoke("--json", "status", "OT-SEAL")
    assert "S-HXJS price '3198765.43'" in secrets_in(res.output)
