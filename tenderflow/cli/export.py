"""``tenderflow export ID --xlsx FILE``: a procurement's bids, scores and finances as a
spreadsheet."""

from __future__ import annotations

from pathlib import Path

import click

from tenderflow.cli import Ctx
from tenderflow.cli.help import Command
from tenderflow.i18n import N_, _

pass_ctx = click.make_pass_decorator(Ctx)

TITLES = {
    "bids": N_("Bids"),
    "scores": N_("Scores"),
    "finance": N_("Finance"),
    "kind": N_("kind"),
    "bid": N_("bid"),
    "final_quote": N_("final quotation"),
    "supplier": N_("supplier"),
    "name": N_("name"),
    "price": N_("price (yuan)"),
    "bond": N_("bond (yuan)"),
    "member": N_("member"),
    "total": N_("total"),
    "year": N_("year"),
    "revenue": N_("revenue (yuan)"),
    "operating_costs": N_("operating costs (yuan)"),
    "net": N_("net cash flow (yuan)"),
    "investment": N_("investment"),
    "irr_percent": N_("IRR (%)"),
    "payback_years": N_("payback (years)"),
    "technical": N_("technical"),
    "operation": N_("operation"),
    "convenience_services": N_("convenience services"),
    "elderly_care": N_("elderly care"),
    "elevators": N_("elevators"),
    "idle_space": N_("idle space"),
    "parking": N_("parking"),
    "property_fees": N_("property fees"),
}


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
