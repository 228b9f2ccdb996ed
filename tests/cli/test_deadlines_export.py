"""``tenderflow deadlines`` (with its iCalendar file read back by the icalendar library) and
``tenderflow export --xlsx`` (read back by openpyxl, its totals against the log)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from tenderflow.domain.timeutil import parse_time
from tenderflow.paths import examples_dir
from tests.modes.journeys import register_modes_data, walk_to

EXAMPLES = examples_dir()


def _tender_in_bidding(registered: Any) -> None:
    register_modes_data(registered)
    walk_to(registered, "公开招标", "OT-T", "bidding")


def test_deadlines_lists_what_falls_due_and_the_overdue_timer(registered: Any,
                                                               invoke: Any) -> None:
    _tender_in_bidding(registered)
    data = json.loads(invoke("--json", "deadlines", "--at", "2023-03-02T09:00+08:00").output)
    due = {(d["procurement"], d["key"]): d for d in data["deadlines"]}
    assert due[("OT-T", "sale_until")]["due"] == "2023-03-06T17:00:00+08:00"
    opening = due[("OT-T", "bid_deadline")]
    assert opening["timer"] == "open_bids" and opening["kind"] == "opening"
    assert opening["overdue"] is False
    # 3 days ahead: the opening (19 days on) is not in the window
    data = json.loads(invoke("--json", "deadlines", "--at", "2023-03-02T09:00+08:00",
                             "--days", "3").output)
    assert [d["key"] for d in data["deadlines"]] == []
    # after the opening time, before any tick: the timer is overdue; the sale date is history
    res = invoke("--lang", "en", "deadlines", "--at", "2023-03-22T09:00+08:00")
    assert res.exit_code == 0, res.output
    assert "OVERDUE: run tenderflow tick" in res.output and "OT-T" in res.output
    assert "tender documents on sale until" not in res.output
    zh = invoke("--lang", "zh", "deadlines", "--at", "2023-03-22T09:00+08:00").output
    assert "已逾期" in zh and "投标截止（开标）" in zh
    # once ticked, nothing is due
    assert invoke("tick", "--at", "2023-03-22T09:00+08:00").exit_code == 0
    data = json.loads(invoke("--json", "deadlines", "--at", "2023-03-22T09:00+08:00").output)
    assert [d for d in data["deadlines"] if d["procurement"] == "OT-T"] == []


def test_deadlines_refuses_bad_input(invoke: Any) -> None:
    assert invoke("init").exit_code == 0
    res = invoke("deadlines", "--at", "yesterday")
    assert res.exit_code == 2 and "--at" in res.stderr and "Traceback" not in res.output
    res = invoke("deadlines", "--days", "-1")
    assert res.exit_code == 2


def test_deadlines_ics_round_trip(registered: Any, invoke: Any, tmp_path: Path) -> None:
    from icalendar import Calendar

    _tender_in_bidding(registered)
    ics = tmp_path / "deadlines.ics"
    res = invoke("--json", "deadlines", "--at", "2023-03-02T09:00+08:00", "--ics", str(ics))
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["ics"]["events"] == len(data["deadlines"]) == 2
    cal = Calendar.from_ical(ics.read_bytes())
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert len(events) == 2
    for d in data["deadlines"]:
        event = events[f"{d['procurement']}-{d['key']}@tenderflow"]
        start = event.decoded("DTSTART")
        assert isinstance(start, datetime) and start == parse_time(d["due"])
        assert event.decoded("DTEND") - start == timedelta(minutes=30)
        assert str(event["SUMMARY"]).startswith(d["procurement"] + " ")
        assert event.decoded("DTSTAMP") == parse_time("2023-03-02T09:00+08:00")
    summary = str(events["OT-T-bid_deadline@tenderflow"]["SUMMARY"])
    assert summary == "OT-T bid deadline (opening)"  # the tests' language is en
    assert "timer open_bids" in str(events["OT-T-bid_deadline@tenderflow"]["DESCRIPTION"])
    # the same record and reference time give the same file
    again = tmp_path / "again.ics"
    invoke("deadlines", "--at", "2023-03-02T09:00+08:00", "--ics", str(again))
    assert again.read_bytes() == ics.read_bytes()


def _log(invoke: Any, tmp_path: Path, pid: str) -> list[dict[str, Any]]:
    out = tmp_path / "events.jsonl"
    assert invoke("audit", "export", "--format", "jsonl", "--out", str(out),
                  "--procurement", pid).exit_code == 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def _sheet_rows(path: Path, title: str) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    book = load_workbook(path)
    assert title in book.sheetnames, book.sheetnames
    return [tuple(r) for r in book[title].iter_rows(values_only=True)]


def test_export_xlsx_totals_equal_the_log(invoke: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    assert invoke("run", str(EXAMPLES / "ppp_award.yaml")).exit_code == 0
    assert invoke("contract", "terms", "PPP-2023-001",
                  str(EXAMPLES / "agreement/PPP-2023-001-terms.yaml"),
                  "--at", "2023-11-10T10:30+08:00").exit_code == 0
    xlsx = tmp_path / "ppp.xlsx"
    res = invoke("export", "PPP-2023-001", "--xlsx", str(xlsx))
    assert res.exit_code == 0, res.output + res.stderr
    log = _log(invoke, tmp_path, "PPP-2023-001")
    prices = {r["supplier"]: Decimal(r["content"]["price"]) for e in log
              if e["type"] == "BidsUnsealed" for r in e["payload"]["data"]["reveals"]}
    bonds = {e["payload"]["data"]["supplier"]: Decimal(e["payload"]["data"]["bond"])
             for e in log if e["type"] == "BidSubmitted"}
    terms = next(e["payload"] for e in log if e["type"] == "AgreementTermsRecorded")

    rows = _sheet_rows(xlsx, "Bids")
    header, body, totals = rows[1], rows[2:-1], rows[-1]
    assert header == ("kind", "supplier", "name", "price (yuan)", "bond (yuan)")
    assert {r[1]: Decimal(str(r[3])) for r in body} == prices
    assert totals[0] == "total" and totals[1] == len(prices)
    assert Decimal(str(totals[3])) == sum(prices.values())
    assert Decimal(str(totals[4])) == sum(bonds.values())
    book = load_workbook(xlsx)
    assert book["Bids"].cell(3, 4).number_format == "#,##0.00"

    rows = _sheet_rows(xlsx, "Finance")
    header = rows[1]
    years = [r for r in rows[2:] if isinstance(r[0], int)]
    totals = next(r for r in rows if r[0] == "total")
    revenue = sum(Decimal(v) for year in terms["revenue_plan"] for v in year.values())
    costs = sum(Decimal(c) for c in terms["operating_costs"])
    assert len(years) == len(terms["revenue_plan"])
    assert Decimal(str(totals[header.index("revenue (yuan)")])) == revenue
    assert Decimal(str(totals[header.index("operating costs (yuan)")])) == costs
    assert Decimal(str(totals[header.index("net cash flow (yuan)")])) == revenue - costs
    assert "Scores" not in book.sheetnames  # a price-only tender has no scores


def test_export_scores_total_and_chinese_sheets(invoke: Any, tmp_path: Path) -> None:
    assert invoke("run", str(EXAMPLES / "tender_scoring.yaml")).exit_code == 0
    xlsx = tmp_path / "scores.xlsx"
    assert invoke("--lang", "zh", "export", "OT-2023-005", "--xlsx", str(xlsx)).exit_code == 0
    log = _log(invoke, tmp_path, "OT-2023-005")
    marks = [Decimal(v) for e in log if e["type"] == "ScoresSubmitted"
             for by in _score_tables(e["payload"]["data"]) for v in by.values()]
    rows = _sheet_rows(xlsx, "评分")
    assert rows[1][0] == "评委" and rows[-1][0] == "合计"
    assert Decimal(str(rows[-1][-1])) == sum(marks)
    assert "投标" in [*_book_names(xlsx)]


def _score_tables(data: dict[str, Any]) -> list[dict[str, str]]:
    """The per-supplier criterion marks of a ScoresSubmitted event's data."""
    scores = data.get("scores", data)
    return [marks for marks in scores.values() if isinstance(marks, dict)]


def _book_names(path: Path) -> list[str]:
    from openpyxl import load_workbook

    return list(load_workbook(path).sheetnames)


def test_export_refuses_unknown_procurement(invoke: Any, tmp_path: Path) -> None:
    assert invoke("init").exit_code == 0
    res = invoke("export", "NOPE", "--xlsx", str(tmp_path / "x.xlsx"))
    assert res.exit_code == 2 and "NOPE" in res.stderr
    assert not (tmp_path / "x.xlsx").exists()
