"""``tenderflow credit import|list``: credit lists (失信被执行人, 重大税收违法, 政府采购严重违法失信)
recorded as events, so that every eligibility check reads recorded data only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from tenderflow.cli import Ctx
from tenderflow.cli.help import Group
from tenderflow.i18n import _

pass_ctx = click.make_pass_decorator(Ctx)


@click.group(cls=Group)
def credit() -> None:
    """Credit lists (信用记录, 财库〔2016〕125号) as recorded events."""


@credit.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--at", "at", help="Business time of the import (ISO 8601; default now).")
@click.option("--as-of", "as_of", help="Date the export was taken (YYYY-MM-DD; default the "
              "day of --at). A list older than credit.list_max_age_days at a check is not "
              "checked.")
@click.option("--list", "lists", multiple=True,
              help="A list the export covers (repeat; default the lists its lines name): "
                   "失信被执行人 | 重大税收违法 | 政府采购严重违法失信.")
@pass_ctx
def import_lists(obj: Ctx, file: Path, at: str | None, as_of: str | None,
                 lists: tuple[str, ...]) -> None:
    """Record a credit-list CSV export (columns list,uscc,name,listed_on,removed_on,source)
    on the streams credit:<list>, and that each list it covers was imported as of a date.
    The whole file is validated first; importing it again records nothing; a listing lifted
    later arrives as the same line with its removed_on. An eligibility check reads each
    list's latest import: a list never imported or too old is not checked, which is not a
    pass (财库〔2016〕125号).

    \b
    Example:
      tenderflow --as staff:wang credit import examples/data/credit_lists.csv \\
        --as-of 2023-09-25 --list 失信被执行人 --list 重大税收违法 --list 政府采购严重违法失信
    """
    from tenderflow.app.eligibility import import_credit_lists
    from tenderflow.cli.procurement import actor_of, parse_at

    actor = actor_of(obj)
    result = import_credit_lists(obj.services(), file, actor, parse_at(at), parse_as_of(as_of),
                                 list(lists) or None)
    lines = [_("{name}: {recorded} recorded, {amended} amended, {unchanged} unchanged").format(
        name=name, recorded=c["recorded"], amended=c["amended"], unchanged=c["unchanged"])
        for name, c in result["lists"].items()]
    lines += [_("{name}: as of {as_of}").format(name=name, as_of=i["as_of"])
              + ("" if i["recorded"] else " " + _("(already recorded)"))
              for name, i in result["imports"].items()]
    obj.emit({"ok": True, **result}, "\n".join(lines))


def parse_as_of(as_of: str | None) -> Any:
    """The ``--as-of`` date of an import (None when not given)."""
    from datetime import date

    from tenderflow.errors import InputError

    if as_of is None:
        return None
    try:
        return date.fromisoformat(as_of)
    except ValueError:
        raise InputError(f"not a date: {as_of!r}", field="--as-of",
                         expected="a date like 2023-09-25") from None


@credit.command("list")
@click.option("--uscc", help="Only the entries of this unified social credit code.")
@pass_ctx
def list_entries(obj: Ctx, uscc: str | None) -> None:
    """The recorded credit-list entries, with the version of each list.

    \b
    Example:
      tenderflow credit list --uscc 91510106MA6DQ2L700
    """
    from tenderflow.app.eligibility import credit_list, credit_list_imports

    entries, versions = credit_list(obj.store(), uscc)
    imports = credit_list_imports(obj.store())
    lines = [_("{name}: as of {as_of}, imported {imported_at} ({file})").format(
        name=name, **{k: i[k] for k in ("as_of", "imported_at", "file")})
        for name, i in imports.items()]
    lines += [f"{e['list']}  {e['uscc']}  {e['name']}  "
              + _("listed {date}").format(date=e["listed_on"])
              + (_(", removed {date}").format(date=e["removed_on"]) if e["removed_on"] else "")
              + f"  ({e['source']})" for e in entries]
    obj.emit({"ok": True, "lists": versions, "imports": imports, "entries": entries},
             "\n".join(lines) or _("no credit-list entries recorded"))
