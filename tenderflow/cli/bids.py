"""``tenderflow bid seal|verify``: a supplier's commitment to a sealed offer, computed offline.

The offer itself never goes to the database before the opening (see
``tenderflow.domain.components.sealing``): ``seal`` reads the offer, draws a fresh nonce, prints the
commitment to submit and writes the reveal file that the supplier keeps until the opening;
``verify`` checks a reveal file against a commitment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from tenderflow.cli import Ctx
from tenderflow.cli.help import Group
from tenderflow.i18n import _

pass_ctx = click.make_pass_decorator(Ctx)

KIND = click.Choice(["bid", "final_quote"])


@click.group(cls=Group)
def bid() -> None:
    """Seal an offer (commit) and check a reveal against its commitment."""


def _read(path: Path) -> Any:
    from tenderflow.app.common import read_data_file

    return read_data_file(path)


@bid.command("seal")
@click.argument("offer", type=click.Path(path_type=Path))
@click.option("--procurement", required=True, help="The procurement id.")
@click.option("--supplier", required=True, help="The supplier's registered id.")
@click.option("--kind", type=KIND, default="bid", show_default=True,
              help="What is sealed: a tender bid or a negotiation's final quotation.")
@click.option("--nonce", help="32–128 lowercase hex digits (default: 256 fresh random bits).")
@click.option("--out", "out", type=click.Path(path_type=Path),
              help="Write the reveal file (content + nonce) here; keep it until the opening.")
@pass_ctx
def seal(obj: Ctx, offer: Path, procurement: str, supplier: str, kind: str,
         nonce: str | None, out: Path | None) -> None:
    """Compute the commitment of an offer file (YAML or JSON: price, investment,
    concession_years, revenue_plan, documents). Nothing is written to the database.

    \b
    Example:
      tenderflow bid seal quote.yaml --procurement CN-2023-001 --supplier S-HXJS \\
          --kind final_quote --out reveal-S-HXJS.yaml
    """
    import yaml

    from tenderflow.app.sealing import check_offer, commit_offer
    from tenderflow.errors import InputError

    content = check_offer(_read(offer), str(offer))
    digest, nonce = commit_offer(procurement, supplier, kind, content, nonce)
    reveal = {"supplier": supplier, "content": content, "nonce": nonce}
    if out is not None:
        try:
            out.write_text(yaml.safe_dump(reveal, allow_unicode=True, sort_keys=False),
                           encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write: {exc.strerror}", file=str(out)) from None
    obj.emit({"ok": True, "procurement": procurement, "supplier": supplier, "kind": kind,
              "commitment": digest, **({"reveal_file": str(out)} if out else {"nonce": nonce})},
             _("commitment: {digest}").format(digest=digest) + "\n"
             + (_("reveal file: {file} (keep it secret until the opening)").format(file=out)
                if out else
                _("nonce: {nonce} (keep it secret until the opening)").format(nonce=nonce)))


@bid.command("verify")
@click.argument("reveal", type=click.Path(path_type=Path))
@click.option("--procurement", required=True, help="The procurement id.")
@click.option("--kind", type=KIND, default="bid", show_default=True)
@click.option("--commitment", "expected", required=True, help="The recorded commitment (hex).")
@pass_ctx
def verify(obj: Ctx, reveal: Path, procurement: str, kind: str, expected: str) -> None:
    """Check a reveal file ({supplier, content, nonce}) against a recorded commitment; exit 1
    if it does not match.

    \b
    Example:
      tenderflow bid verify reveal-S-HXJS.yaml --procurement CN-2023-001 \\
          --kind final_quote --commitment 3f1c…
    """
    from tenderflow.app.sealing import verify_reveal

    data = _read(reveal)
    got = verify_reveal(reveal, data, procurement, kind, expected)
    obj.emit({"ok": True, "commitment": got, "supplier": data["supplier"]},
             _("{supplier}: the reveal matches the commitment {digest}").format(
                 supplier=data["supplier"], digest=got))
