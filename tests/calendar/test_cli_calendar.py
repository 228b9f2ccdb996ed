"""``tenderflow calendar import|show|list|backtest`` through click's runner: exit codes,
messages, nothing written when refused, and a decision on a provisional day refused (exit 1,
rule calendar.provisional) until the year's notice is imported."""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from pathlib import Path
from typing import Any

from tenderflow.paths import examples_dir
from tests.calendar.conftest import NOTICES


def count(db_url: str, table: str = "events") -> int:
    con = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    try:
        return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        con.close()


def width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def test_import_records_once_and_is_idempotent(invoke: Any, db_url: str) -> None:
    assert invoke("init").exit_code == 0
    res = invoke("calendar", "import", str(NOTICES / "2025.txt"),
                 "--at", "2024-11-13T09:00+08:00")
    assert res.exit_code == 0, res.output
    assert "国办发明电〔2024〕12号 (2024-11-12)" in res.output
    assert "calendar:2025#1" in res.output
    assert count(db_url) == 1
    assert count(db_url, "definitions") == 1
    res = invoke("--json", "calendar", "import", str(NOTICES / "2025.txt"))
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["imported"] is False and "nothing written" in data["message"]
    assert count(db_url) == 1
    # the event and its pinned calendar-year definition verify
    res = invoke("audit", "verify")
    assert res.exit_code == 0, res.output + res.stderr


def test_the_event_carries_the_year_source_and_hash(invoke: Any, db_url: str) -> None:
    import hashlib

    assert invoke("init").exit_code == 0
    assert invoke("calendar", "import", str(NOTICES / "2026.txt")).exit_code == 0
    con = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    try:
        body = con.execute("SELECT kind, name FROM definitions").fetchone()
    finally:
        con.close()
    from tenderflow.store.eventstore import EventStore

    store = EventStore(db_url)
    with store.reading() as tx:
        [event] = list(tx.read_all())
    store.dispose()
    stream, kind, payload, pins = event.stream_id, event.type, event.payload, event.pins
    assert (stream, kind) == ("calendar:2026", "CalendarNoticeImported")
    assert payload["year"] == 2026
    assert "2026-02-16" in payload["holidays"] and "2026-02-14" in payload["workdays"]
    assert payload["notice"]["date"] == "2025-11-04"
    text = (NOTICES / "2026.txt").read_text(encoding="utf-8")
    assert payload["sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert pins == {"calendar-year": payload["definition"]}
    assert tuple(body) == ("calendar-year", "2026")


def test_a_mangled_notice_exits_2_naming_the_line_and_writes_nothing(
        invoke: Any, db_url: str, tmp_path: Path) -> None:
    assert invoke("init").exit_code == 0
    bad = tmp_path / "2024.txt"
    text = (NOTICES / "2024.txt").read_text(encoding="utf-8")
    bad.write_text(text.replace("4月28日（星期日）", "4月30日（星期二）"), encoding="utf-8")
    res = invoke("calendar", "import", str(bad))
    assert res.exit_code == 2
    assert f"{bad}:line 11:" in res.stderr
    assert "not a weekend day" in res.stderr
    assert "Traceback" not in res.output + res.stderr
    assert count(db_url) == 0 and count(db_url, "definitions") == 0
    res = invoke("calendar", "import", str(tmp_path / "absent.txt"))
    assert res.exit_code == 2 and "no such file" in res.stderr
    latin = tmp_path / "latin.txt"
    latin.write_bytes("国务院".encode("gb18030"))
    res = invoke("calendar", "import", str(latin))
    assert res.exit_code == 2 and "UTF-8" in res.stderr
    assert count(db_url) == 0


def test_show_a_provisional_year_then_import_makes_it_official(invoke: Any) -> None:
    assert invoke("init").exit_code == 0
    res = invoke("calendar", "show", "2027")
    assert res.exit_code == 0, res.output
    assert "PROVISIONAL" in res.output
    assert "tenderflow calendar import NOTICE.txt" in res.output
    assert "春节: 02-05–02-12 (8 days; work 01-31, 02-13)" in res.output
    zh = invoke("--lang", "zh", "calendar", "show", "2027").output
    assert "春节: 02-05–02-12 (8 天; 上班 01-31, 02-13)" in zh and "临时（非官方）" in zh
    assert all(width(line) <= 80 for line in res.output.splitlines()), res.output
    assert " 8* 9*10*11*12*13+14" in res.output  # February: rest days * and make-up day +
    data = json.loads(invoke("--json", "calendar", "show", "2027").output)
    assert data["provisional"] is True and data["kind"] == "provisional"
    assert "2027-02-13" in data["workdays"]
    res = invoke("calendar", "import", str(NOTICES / "fictitious-2027.txt"))
    assert res.exit_code == 0, res.output + res.stderr
    data = json.loads(invoke("--json", "calendar", "show", "2027").output)
    assert data["official"] is True and data["kind"] == "imported"
    assert data["notice"]["date"] == "2026-11-02"
    res = invoke("calendar", "list")
    assert res.exit_code == 0
    assert "2027  imported  国务院办公厅关于2027年部分节假日安排的通知 (2026-11-02)" in res.output
    assert "2028–2099  provisional" in res.output
    assert "2005  disputed" in res.output
    assert all(width(line) <= 80 for line in res.output.splitlines()), res.output


def test_show_an_official_year_and_refusals(invoke: Any) -> None:
    assert invoke("init").exit_code == 0
    res = invoke("--lang", "en", "calendar", "show", "2024")
    assert res.exit_code == 0
    assert "official, package data" in res.output
    assert "Mo Tu We Th Fr Sa Su" in res.output
    res = invoke("calendar", "show", "2003")
    assert res.exit_code == 1  # a refusal (issue 11, item 6)
    assert "no official working-day calendar for 2003" in res.stderr
    res = invoke("calendar", "show", "2005")
    assert res.exit_code == 1 and "packages disagree" in res.stderr


def test_backtest_reports_the_days_wrong(invoke: Any) -> None:
    res = invoke("calendar", "backtest", "2025", "2026")
    assert res.exit_code == 0, res.output
    assert "2025: 0 day(s) wrong" in res.output
    assert "2026: 2 day(s) wrong" in res.output
    assert "2026-02-14 (Sat): official working day, provisional rest day" in res.output
    res = invoke("calendar", "backtest", "2030")
    assert res.exit_code == 1  # no official data to test against


ISSUE = "{sale_until: '2026-12-23T17:00+08:00', bid_deadline: '2027-01-08T09:30+08:00', " \
        "bid_bond: '0'}\n"


def test_a_decision_on_a_provisional_day_exits_1_until_the_notice_is_imported(
        invoke: Any, db_url: str, tmp_path: Path, clock_2027: Any) -> None:
    data = examples_dir() / "data"
    assert invoke("init").exit_code == 0
    for kind, file in (("projects", "projects.yaml"), ("suppliers", "suppliers.yaml"),
                       ("projects", "modes_projects.yaml"),
                       ("suppliers", "modes_suppliers.yaml")):
        res = invoke("register", kind, str(data / file), "--at", "2023-01-03T09:00+08:00")
        assert res.exit_code == 0, res.output + res.stderr
    res = invoke("open", "OT-Y", "--project", "CD-WJ-2023", "--mode", "open_tender",
                 "--at", "2026-12-18T09:00+08:00")
    assert res.exit_code == 0, res.output + res.stderr
    issue = tmp_path / "issue.yaml"
    issue.write_text(ISSUE, encoding="utf-8")
    before = count(db_url)
    res = invoke("--json", "fire", "OT-Y", "issue_documents", "--data", str(issue),
                 "--at", "2026-12-18T10:00+08:00")
    assert res.exit_code == 1, res.output + res.stderr
    err = json.loads(res.stdout)
    assert err["error"] == "CalendarProvisional" and err["rule"] == "calendar.provisional"
    assert err["year"] == 2027
    assert "tenderflow calendar import NOTICE.txt" in err["message"]
    assert count(db_url) == before
    assert invoke("calendar", "import", str(NOTICES / "fictitious-2027.txt")).exit_code == 0
    res = invoke("fire", "OT-Y", "issue_documents", "--data", str(issue),
                 "--at", "2026-12-18T10:00+08:00")
    assert res.exit_code == 0, res.output + res.stderr
