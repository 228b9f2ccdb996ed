"""A procurement's bids, scores and financial tables as a spreadsheet (openpyxl): amounts as
numbers with a number format, each table with its totals row. Only what the record has made
public: offers once opened (the same view as ``status``), scores once submitted, the finances
of the recorded agreement terms (AgreementTermsRecorded)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from tenderflow.app.common import stream_of
from tenderflow.store.eventstore import EventStore

AMOUNT = "#,##0.00"


def tables(store: EventStore, pid: str) -> dict[str, Any]:
    """The tables of procurement ``pid``: ``bids``, ``scores``, ``finance`` (each ``header``,
    ``rows``, ``totals``; amounts as Decimal)."""
    from tenderflow.app.procurement import Services
    from tenderflow.app.views import public_bids

    services = Services(store)
    state = services.state(pid)
    out: dict[str, Any] = {"procurement": pid, "project": state["project"]}
    bids = public_bids(state)
    rows = []
    for kind, entry in bids.items():
        if not isinstance(entry, dict) or "sealed_by" not in entry:
            continue
        for sid in entry["sealed_by"]:
            offer = entry.get("offers", {}).get(sid)
            bond = bids.get("bonds", {}).get(sid, {}).get("amount")
            rows.append([kind, sid, _name(services, sid),
                         Decimal(offer["price"]) if offer else None,
                         Decimal(bond) if bond else None])
    out["bids"] = {"header": ["kind", "supplier", "name", "price", "bond"], "rows": rows,
                   "totals": [None, len(rows), None, _sum(r[3] for r in rows),
                              _sum(r[4] for r in rows)], "amounts": (3, 4)}
    scores = state.get("scores") or {}
    criteria = sorted({c for by in scores.values() for s in by.values() for c in s})
    rows = []
    for member, by in scores.items():
        for sid, marks in by.items():
            values = [Decimal(marks[c]) if c in marks else None for c in criteria]
            rows.append([member, sid, *values, _sum(values)])
    out["scores"] = {"header": ["member", "supplier", *criteria, "total"], "rows": rows,
                     "totals": [None, len(rows), *[_sum(r[2 + i] for r in rows)
                                                   for i in range(len(criteria) + 1)]],
                     "amounts": ()}
    out["finance"] = _finance(store, pid, state)
    return out


def _name(services: Any, sid: str) -> str:
    profile = services.registered("supplier", sid) or {}
    return str(profile.get("name", ""))


def _sum(values: Any) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


def _finance(store: EventStore, pid: str, state: dict[str, Any]) -> dict[str, Any] | None:
    """Year by year: revenue by source, its total, operating costs and net cash flow, from
    the recorded agreement terms; None when no terms are recorded."""
    seq = ((state.get("agreement") or {}).get("terms") or {}).get("seq")
    if not seq:
        return None
    with store.reading() as tx:
        event = next(iter(tx.read_stream(stream_of(pid), after=seq - 1)))
    plan = event.payload.get("revenue_plan") or []
    costs = event.payload.get("operating_costs") or []
    sources = sorted({k for year in plan for k in year})
    rows = []
    for i in range(max(len(plan), len(costs))):
        year = plan[i] if i < len(plan) else {}
        revenue = [Decimal(year[k]) if k in year else None for k in sources]
        cost = Decimal(costs[i]) if i < len(costs) else Decimal(0)
        total = _sum(revenue)
        rows.append([i + 1, *revenue, total, cost, total - cost])
    width = len(sources) + 3
    return {"header": ["year", *sources, "revenue", "operating_costs", "net"], "rows": rows,
            "totals": [None, *[_sum(r[1 + i] for r in rows) for i in range(width)]],
            "amounts": tuple(range(1, width + 1)),
            "investment": {k: Decimal(v) for k, v in
                           (event.payload.get("derived", {}).get("investment") or {}).items()},
            "finance": event.payload.get("finance") or {}, "event": event.stream_seq}


def write_xlsx(data: dict[str, Any], out: Path, titles: dict[str, str]) -> list[str]:
    """Write the tables as sheets of ``out``; ``titles`` translates sheet names, headers and
    labels. Returns the sheet names."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from tenderflow.errors import InputError

    def t(key: str) -> str:
        return titles.get(key, key)

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for key in ("bids", "scores", "finance"):
        table = data.get(key)
        if not table or not table["rows"]:
            continue
        sheet = book.create_sheet(t(key))
        sheet.append([f"{data['procurement']} {data['project'].get('name', '')}"])
        sheet.append([t(h) for h in table["header"]])
        for cell in sheet[2]:
            cell.font = bold
        for row in table["rows"]:
            sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
        totals = [float(v) if isinstance(v, Decimal) else v for v in table["totals"]]
        totals[0] = t("total")
        sheet.append(totals)
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for row in sheet.iter_rows(min_row=3):
            for cell in row:
                if isinstance(cell.value, float):
                    cell.number_format = AMOUNT if (cell.column - 1) in table["amounts"] \
                        else "0.00"
        for i, _h in enumerate(table["header"], start=1):
            sheet.column_dimensions[sheet.cell(2, i).column_letter].width = 18
        if key == "finance":
            sheet.append([])
            for name, amount in table["investment"].items():
                sheet.append([t("investment") + " " + t(name), float(amount)])
                sheet.cell(sheet.max_row, 2).number_format = AMOUNT
            for name, value in table["finance"].items():
                sheet.append([t(name), float(Decimal(value))])
    try:
        book.save(out)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", file=str(out)) from None
    return list(book.sheetnames)
