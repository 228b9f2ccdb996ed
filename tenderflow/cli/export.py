"""``tenderflow export ID --xlsx FILE``: a procurement's bids, scores and finances as a
spreadsheet."""

from __future__ import annotations

from pathlib import Path

import click

from tenderflow.cli import Ctx
from tenderflow.cli.help import Command
from tenderflow.i18n import _

pass_ctx = click.make_pass_decorator(Ctx)

TITLES = {"bids": "Bids", "scores": "Scores", "finance": "Finance", "kind": "kind",
          "bid": "bid", "final_quote": "final quotation", "supplier": "supplier",
          "name": "name", "price": "price (yuan)", "bond": "bond (yuan)", "member": "member",
          "total": "total", "year": "year", "revenue": "revenue (yuan)",
          "operating_costs": "operating costs (yuan)", "net": "net cash flow (yuan)",
          "investment": "investment", "irr_percent": "IRR (%)",
          "payback_years": "payback (years)", "technical": "technical", "operation": "operation",
          "convenience_services": "convenience services", "elderly_care": "elderly care",
          "elevators": "elevators", "idle_space": "idle space", "parking": "parking",
          "property_fees": "property fees"}


@click.command(cls=Command)
@click.argument("procurement_id")
@click.option("--xlsx", "xlsx", type=click.Path(path_type=Path), required=True,
              help="The spreadsheet file to write (.xlsx).")
@pass_ctx
def export(obj: Ctx, procurement_id: str, xlsx: Path) -> None:
    """Write a procurement's bids (once opened), evaluators' scores and the financial tables
    of its agreement terms as a spreadsheet: amounts as numbers with number formats, a
    totals row under each table.

    \b
    Example:
      tenderflow export PPP-2023-001 --xlsx PPP-2023-001.xlsx
    """
    from tenderflow.app.export import tables, write_xlsx

    data = tables(obj.store(), procurement_id)
    titles = {k: _(v) for k, v in TITLES.items()}
    sheets = write_xlsx(data, xlsx, titles)
    counts = {k: len(data[k]["rows"]) for k in ("bids", "scores", "finance") if data.get(k)}
    obj.emit({"ok": True, "procurement": procurement_id, "file": str(xlsx), "sheets": sheets,
              "rows": counts},
             _("wrote {file}: {bids} bids, {scores} scores, {years} years of finances").format(
                 file=xlsx, bids=counts.get("bids", 0), scores=counts.get("scores", 0),
                 years=counts.get("finance", 0)))
