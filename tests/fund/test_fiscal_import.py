"""A region's fiscal data registered as events: validated whole, idempotent, read as of a
business time (fail closed when none), replayed; the CLI command and its bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tenderflow.app.fiscal import fiscal_imports, import_fiscal
from tenderflow.app.fiscal_facts import fiscal_facts
from tenderflow.audit.replay import replay
from tenderflow.paths import examples_dir

from ..conftest import at

FILE = examples_dir() / "data" / "fiscal_110105.yaml"


def test_import_is_recorded_once_and_read_as_of_the_business_time(services: Any) -> None:
    first = import_fiscal(services, FILE, "finance:li", at("2023-08-31T09:00+08:00"))
    assert first["recorded"] and first["budget_years"] == [2023, 2024, 2025]
    again = import_fiscal(services, FILE, "finance:li", at("2023-09-01T09:00+08:00"),
                          as_of=first_as_of(first))
    assert not again["recorded"]
    with services.store.reading() as tx:
        before = fiscal_facts(tx, "110105", at("2023-08-30T09:00+08:00"))
        after = fiscal_facts(tx, "110105", at("2023-09-05T09:00+08:00"))
        other = fiscal_facts(tx, "110106", at("2023-09-05T09:00+08:00"))
    assert before == {"region": "110105", "import": None, "data": None}
    assert other["data"] is None
    assert after["import"]["as_of"] == "2023-08-31"
    assert after["data"]["budget"][0] == {"year": 2023, "general_expenditure": "40000000000.00"}
    assert [i["as_of"] for i in fiscal_imports(services.store)] == ["2023-08-31"]
    report = replay(services.store)
    assert all(s.ok for s in report.streams), [s.to_dict() for s in report.streams]


def first_as_of(result: dict[str, Any]) -> Any:
    from datetime import date

    return date.fromisoformat(result["as_of"])


def test_a_correction_for_the_same_date_replaces_it_from_its_import(services: Any,
                                                                    tmp_path: Path) -> None:
    import_fiscal(services, FILE, "finance:li", at("2023-08-31T09:00+08:00"))
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text(FILE.read_text(encoding="utf-8").replace('"40000000000.00"',
                                                              '"39000000000.00"'),
                     encoding="utf-8")
    result = import_fiscal(services, fixed, "finance:li", at("2023-09-02T09:00+08:00"),
                           as_of=first_as_of({"as_of": "2023-08-31"}))
    assert result["recorded"] and result["correction"]
    with services.store.reading() as tx:
        old = fiscal_facts(tx, "110105", at("2023-09-01T09:00+08:00"))
        new = fiscal_facts(tx, "110105", at("2023-09-03T09:00+08:00"))
    assert old["data"]["budget"][0]["general_expenditure"] == "40000000000.00"
    assert new["data"]["budget"][0]["general_expenditure"] == "39000000000.00"


def test_cli_import_and_list(invoke: Any) -> None:
    assert invoke("init").exit_code == 0
    out = invoke("--json", "fiscal", "import", str(FILE), "--as-of", "2023-08-31",
                 "--at", "2023-08-31T10:00+08:00", actor="finance:li")
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["recorded"] is True
    out = invoke("--lang", "en", "fiscal", "list")
    assert "110105" in out.output and "as of 2023-08-31" in out.output


def test_cli_bad_file_names_the_place_and_writes_nothing(invoke: Any, tmp_path: Path) -> None:
    assert invoke("init").exit_code == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(FILE.read_text(encoding="utf-8").replace("viability_gap", "free"),
                   encoding="utf-8")
    out = invoke("fiscal", "import", str(bad), "--at", "2023-08-31T10:00+08:00")
    assert out.exit_code == 2
    assert "bad.yaml" in out.output and "commitments[1]" in out.output and "payment" in out.output
    assert "Traceback" not in out.output
    out = invoke("fiscal", "import", str(FILE), "--as-of", "2023-09-01",
                 "--at", "2023-08-31T10:00+08:00")
    assert out.exit_code == 2 and "--as-of" in out.output
    assert "no fiscal data recorded" in invoke("fiscal", "list").output
    assert "尚未记录财政数据" in invoke("--lang", "zh", "fiscal", "list").output


def test_replay_finds_fiscal_facts_that_are_not_the_registered_data(services: Any) -> None:
    from types import SimpleNamespace

    from tenderflow.audit.replay_fiscal import fiscal_facts_problem

    import_fiscal(services, FILE, "finance:li", at("2023-08-31T09:00+08:00"))
    with services.store.reading() as tx:
        when = at("2023-09-05T09:00+08:00")
        facts = fiscal_facts(tx, "110105", when)
        seq = tx.max_global_seq() + 1

        def event(fiscal: Any) -> Any:
            return SimpleNamespace(payload={"facts": {"fiscal": fiscal}},
                                   occurred_at="2023-09-05T09:00:00+08:00", global_seq=seq)

        assert fiscal_facts_problem(tx, event(facts)) is None
        changed = json.loads(json.dumps(facts))
        changed["data"]["budget"][0]["general_expenditure"] = "80000000000.00"
        problem = fiscal_facts_problem(tx, event(changed))
        assert problem and "facts.fiscal.data.budget[0].general_expenditure" in problem
        # an import recorded after the step (later in the log) was not there to be read
        early = SimpleNamespace(payload={"facts": {"fiscal": facts}},
                                occurred_at="2023-09-05T09:00:00+08:00", global_seq=1)
        assert "not the region's data" in (fiscal_facts_problem(tx, early) or "")
        assert fiscal_facts_problem(tx, event({"region": None})) is None
