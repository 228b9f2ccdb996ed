"""``tenderflow fiscal import|list``: a fiscal region's general public budget and its existing
PPP commitments recorded as events, so that a project's PPP checks (财政承受能力, 财金〔2015〕21号)
read recorded data only."""

from __future__ import annotations

from pathlib import Path

import click

from tenderflow.cli import Ctx
from tenderflow.i18n import _

pass_ctx = click.make_pass_decorator(Ctx)


@click.group()
def fiscal() -> None:
    """A region's budget and PPP commitments (财政承受能力数据) as recorded events."""


@fiscal.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--at", "at", help="Business time of the import (ISO 8601; default now).")
@click.option("--as-of", "as_of", help="Date the figures are as of (YYYY-MM-DD; default the "
              "day of --at). A project's funding step reads the latest data as of its day.")
@pass_ctx
def import_region(obj: Ctx, file: Path, at: str | None, as_of: str | None) -> None:
    """Record a region's fiscal data file (YAML: region, name, source, budget by year with
    general_expenditure, commitments of existing PPP projects with their expenditure by
    year). The whole file is validated first; importing it again records nothing. A project
    whose region has no data as of its funding step is not checked, which refuses.

    \b
    Example:
      tenderflow --as finance:li fiscal import examples/data/fiscal_110105.yaml \\
        --as-of 2023-08-31
    """
    from tenderflow.app.fiscal import import_fiscal
    from tenderflow.cli.credit import parse_as_of
    from tenderflow.cli.procurement import actor_of, parse_at

    result = import_fiscal(obj.services(), file, actor_of(obj), parse_at(at), parse_as_of(as_of))
    text = _("{region} ({name}) as of {as_of}: budget years {years}, {n} PPP commitments").format(
        region=result["region"], name=result["name"], as_of=result["as_of"],
        years=", ".join(str(y) for y in result["budget_years"]), n=result["commitments"])
    if not result["recorded"]:
        text += " " + _("(already recorded)")
    elif result["correction"]:
        text += " " + _("(a correction of the data recorded for that date)")
    obj.emit({"ok": True, **result}, text)


@fiscal.command("list")
@click.option("--region", help="Only this fiscal region's imports.")
@pass_ctx
def list_imports(obj: Ctx, region: str | None) -> None:
    """The recorded fiscal data imports, oldest as-of date first.

    \b
    Example:
      tenderflow fiscal list --region 110105
    """
    from tenderflow.app.fiscal import fiscal_imports

    imports = fiscal_imports(obj.store(), region)
    lines = [_("{region} ({name}) as of {as_of}, imported {at} ({file}): budget years "
               "{years}, {n} PPP commitments").format(
        region=i["region"], name=i["name"], as_of=i["as_of"], at=i["imported_at"],
        file=i["file"], years=", ".join(str(y) for y in i["budget_years"]),
        n=i["commitments"]) for i in imports]
    obj.emit({"ok": True, "imports": imports},
             "\n".join(lines) or _("no fiscal data recorded"))
