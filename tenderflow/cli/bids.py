"""``tenderflow bid seal|verify``: a supplier's commitment to a sealed offer, computed offline.

The offer itself never goes to the database before the opening (see
``tenderflow.domain.sealing``): ``seal`` reads the offer, draws a fresh nonce, prints the
commitment to submit and writes the reveal file that the supplier keeps until the opening;
``verify`` checks a reveal file against a commitment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from tenderflow.cli import Ctx

pass_ctx = click.make_pass_decorator(Ctx)

KIND = click.Choice(["bid", "final_quote"])


@click.group()
def bid() -> None:
    """Seal an offer (commit) and check a reveal against its commitment."""


def _read(path: Path) -> Any:
    from tenderflow.app.procurement import read_data_file

    return read_data_file(path)


def _check_content(content: Any, file: str, field: str = "") -> dict[str, Any]:
    from jsonschema import Draft202012Validator

    from tenderflow.domain.sealing import CONTENT_SCHEMA
    from tenderflow.errors import InputError

    if not isinstance(content, dict):
        raise InputError("an offer is a mapping", file=file, field=field or None,
                         expected="price, investment, concession_years, revenue_plan, documents")
    errors = sorted(Draft202012Validator(CONTENT_SCHEMA).iter_errors(content),
                    key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        path = ".".join(str(p) for p in err.absolute_path)
        where = ".".join(p for p in (field, path) if p) or None
        raise InputError(err.message, file=file, field=where,
                         expected="price as a decimal string like \"3245000.00\"")
    return content


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

    from tenderflow.domain.sealing import NONCE_RE, commitment, new_nonce
    from tenderflow.errors import InputError

    content = _check_content(_read(offer), str(offer))
    if nonce is not None and not NONCE_RE.match(nonce):
        raise InputError("the nonce is not 32–128 lowercase hex digits", field="--nonce",
                         expected="e.g. the output of `openssl rand -hex 32`")
    nonce = nonce or new_nonce()
    digest = commitment(procurement, supplier, kind, content, nonce)
    reveal = {"supplier": supplier, "content": content, "nonce": nonce}
    if out is not None:
        try:
            out.write_text(yaml.safe_dump(reveal, allow_unicode=True, sort_keys=False),
                           encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write: {exc.strerror}", file=str(out)) from None
    obj.emit({"ok": True, "procurement": procurement, "supplier": supplier, "kind": kind,
              "commitment": digest, **({"reveal_file": str(out)} if out else {"nonce": nonce})},
             f"commitment: {digest}\n"
             + (f"reveal file: {out} (keep it secret until the opening)" if out else
                f"nonce: {nonce} (keep it secret until the opening)"))


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
    from tenderflow.domain.sealing import HASH_RE, NONCE_RE, commitment
    from tenderflow.errors import CheckFailed, InputError

    data = _read(reveal)
    for key in ("supplier", "content", "nonce"):
        if key not in data:
            raise InputError("missing", file=str(reveal), field=key,
                             expected="supplier, content and nonce")
    if not isinstance(data["supplier"], str) or not data["supplier"]:
        raise InputError("not a supplier id", file=str(reveal), field="supplier")
    if not isinstance(data["nonce"], str) or not NONCE_RE.match(data["nonce"]):
        raise InputError("not 32–128 lowercase hex digits", file=str(reveal), field="nonce")
    if not HASH_RE.match(expected):
        raise InputError("not 64 lowercase hex digits", field="--commitment")
    content = _check_content(data["content"], str(reveal), "content")
    got = commitment(procurement, data["supplier"], kind, content, data["nonce"])
    if got != expected:
        raise CheckFailed(f"{reveal}: the revealed {kind} of {data['supplier']} hashes to "
                          f"{got}, not the commitment {expected}", commitment=expected,
                          revealed=got)
    obj.emit({"ok": True, "commitment": got, "supplier": data["supplier"]},
             f"{data['supplier']}: the reveal matches the commitment {got}")
