"""``tenderflow list`` lists the projects' intakes and the contracts after signing beside the
procurements, each with its kind; ``--kind`` keeps only the kinds asked."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import at
from tests.unit.test_termination import _operating


def test_list_shows_intakes_and_contracts_with_their_kind(registered: Any, invoke: Any) -> None:
    _operating(registered)  # CN-2023-020 and its contract, operating
    registered.open_procurement("CD-HH-2023", None, "project", "staff:wang",
                                at("2023-01-05T09:00+08:00"))
    rows = json.loads(invoke("--json", "list").output)
    kinds = {r["id"]: (r["kind"], r["project"], r["mode"], r["state"]) for r in rows}
    assert kinds["CN-2023-020"] == ("procurement", "CD-HH-2023", "competitive_negotiation",
                                    "contracted")
    assert kinds["contract:CN-2023-020"] == ("contract", "CD-HH-2023", "ppp_contract",
                                             "operating")
    assert kinds["CD-HH-2023"][:3] == ("intake", "CD-HH-2023", "project")
    only = json.loads(invoke("--json", "list", "--kind", "contract").output)
    assert [r["id"] for r in only] == ["contract:CN-2023-020"]
    two = json.loads(invoke("--json", "list", "--kind", "intake", "--kind", "procurement")
                     .output)
    assert {r["kind"] for r in two} == {"intake", "procurement"}
    text = invoke("--lang", "zh", "list").output
    line = next(x for x in text.splitlines() if x.startswith("contract:CN-2023-020"))
    assert "合同履行" in line and "运营中" in line and "ppp_contract" in line
    bad = invoke("list", "--kind", "tender")
    assert bad.exit_code == 2 and "tender" in bad.output
