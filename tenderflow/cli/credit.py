"""``tenderflow credit import|list``: credit lists (失信被执行人, 重大税收违法, 政府采购严重违法失信)
recorded as events, so that every eligibility check reads recorded data only."""

from __future__ import annotations

from pathlib import Path

import click

from tenderflow.cli import Ctx

pass_ctx = click.make_pass_decorator(Ctx)


@click.group()
def credit() -> None:
    """Credit lists (信用记录, 财库〔2016〕125号) as recorded events."""


@credit.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--at", "at", help="Business time of the import (ISO 8601; default now).")
@pass_ctx
def import_lists(obj: Ctx, file: Path, at: str | None) -> None:
    """Record a credit-list CSV export (columns list,uscc,name,listed_on,removed_on,source)
    on the streams credit:<list>. The whole file is validated first; importing it again
    records nothing; a listing lifted later arrives as the same line with its removed_on.

    \b
    Example:
      tenderflow --as staff:wang credit import examples/data/credit_lists.csv
    """
    from tenderflow.app.eligibility import import_credit_lists
    from tenderflow.cli.procurement import actor_of, parse_at

    actor = actor_of(obj)
    result = import_credit_lists(obj.services(), file, actor, parse_at(at))
    lines = [f"{name}: {c['recorded']} recorded, {c['amended']} amended, "
             f"{c['unchanged']} unchanged" for name, c in result["lists"].items()]
    obj.emit({"ok": True, **result}, "\n".join(lines))


@credit.command("list")
@click.option("--uscc", help="Only the entries of this unified social credit code.")
@pass_ctx
def list_entries(obj: Ctx, uscc: str | None) -> None:
    """The recorded credit-list entries, with the version of each list.

    \b
    Example:
      tenderflow credit list --uscc 91510106MA6DQ2L700
    """
    from tenderflow.app.eligibility import credit_list

    entries, versions = credit_list(obj.store(), uscc)
    lines = [f"{e['list']}  {e['uscc']}  {e['name']}  listed {e['listed_on']}"
             + (f", removed {e['removed_on']}" if e["removed_on"] else "")
             + f"  ({e['source']})" for e in entries]
    obj.emit({"ok": True, "lists": versions, "entries": entries},
             "\n".join(lines) or "no credit-list entries recorded")
