"""``audit export`` across the procurement modes: each mode's OCDS method, the PPP private
party, and offers (sealed or read out at a public opening) never exported before it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from tenderflow import yamlio
from tenderflow.audit.export import export_jsonl, export_ocds
from tenderflow.paths import examples_dir
from tests.audit.conftest import PREFIX, processes

EXAMPLES = examples_dir()


def test_each_mode_maps_to_its_ocds_method(package: dict[str, Any]) -> None:
    by_mode: dict[str, set[tuple[str, str]]] = {}
    for pid, releases in processes(package).items():
        if pid.startswith("project-"):  # a project's planning: no procurement method yet
            continue
        last = releases[-1]["tender"]
        first = releases[0]
        assert first["tag"] == ["planning"] and "budget" in first["planning"]
        key = pid.split("-")[0]
        by_mode.setdefault(key, set()).add((last["procurementMethod"],
                                            last["procurementMethodDetails"]))
    assert by_mode["CN"] == {("limited", "竞争性谈判")}
    assert ("direct", "政府委托") in by_mode["DL"]
    assert ("open", "公开招标") in by_mode["OT"]
    assert ("selective", "邀请招标") in by_mode["OT"] | by_mode.get("PPP", set())
    assert any(m == "selective" and "资格预审" in d for m, d in by_mode.get("PPP", set()))


def test_ppp_supplier_is_the_private_party(package: dict[str, Any]) -> None:
    ppp = [rs for pid, rs in processes(package).items()
           if any("privateParty" in p["roles"] for r in rs for p in r.get("parties", []))]
    assert ppp, "no PPP example exported a private party"
    last = ppp[0][-1]
    assert any(c["status"] == "active" for c in last.get("contracts", []))


# --- sealed offers are never exported before their opening ------------------------------------

def _prices(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = {v for k, v in value.items() if k == "price" and isinstance(v, str)}
        return found.union(*(_prices(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_prices(v) for v in value))
    return set()


def _negotiation_opening(steps: list[dict[str, Any]]) -> int:
    return next(i for i, s in enumerate(steps) if s.get("fire") == "open_final_quotes")


def _tender_opening(steps: list[dict[str, Any]]) -> int:
    first_bid = next(i for i, s in enumerate(steps) if s.get("fire") == "submit_bid")
    return next(i for i, s in enumerate(steps) if i > first_bid and s.get("tick"))


@pytest.mark.parametrize(("scenario", "opening", "exports"), [
    # final quotations are sealed (commit-reveal): neither export holds a price before opening
    ("negotiation_award.yaml", _negotiation_opening, ("jsonl", "ocds")),
    # the OCDS export publishes bid prices only at the public opening (唱标)
    ("tender_award.yaml", _tender_opening, ("ocds",)),
])
def test_offers_are_not_exported_before_the_opening(
        services: Any, tmp_path: Path, scenario: str, opening: Any,
        exports: tuple[str, ...]) -> None:
    from tenderflow.app.scenario import run_scenario

    data = yamlio.safe_load((EXAMPLES / scenario).read_text(encoding="utf-8"))
    cut = opening(data["steps"])
    prices = _prices(data["steps"][cut:]) | _prices(data["steps"][:cut])
    assert prices, f"{scenario} has no prices"
    data["steps"] = data["steps"][:cut]
    shutil.copytree(EXAMPLES / "data", tmp_path / "data")
    before = tmp_path / scenario
    before.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert run_scenario(services, before).ok
    written = {"jsonl": tmp_path / "e.jsonl", "ocds": tmp_path / "o.json"}
    export_jsonl(services.store, written["jsonl"])
    export_ocds(services.store, written["ocds"], prefix=PREFIX, publisher="p")
    for kind in exports:
        text = written[kind].read_text(encoding="utf-8")
        for price in sorted(prices):
            integral = price.split(".")[0]
            assert price not in text, f"{price} is in the {kind} export before the opening"
            assert f'"amount": {integral}' not in text, f"{price} in the {kind} export"


