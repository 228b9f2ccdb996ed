"""``tenderflow keys demo``: demonstration keys for trying the signing flow."""

from __future__ import annotations

from pathlib import Path

import click

from tenderflow.cli import Ctx
from tenderflow.cli.contract import PATH, _agreements

pass_ctx = click.make_pass_decorator(Ctx)


@click.group()
def keys() -> None:
    """Keys for signing. Only demonstration keys are made here; real signing keys come from a
    certification authority (电子认证服务机构).

    \b
    Example:
      tenderflow keys demo CN-2023-001 --out keys
    """


@keys.command("demo")
@click.argument("procurement_id")
@click.option("--out", "out", type=PATH, required=True, help="Folder for the keys.")
@pass_ctx
def keys_demo(obj: Ctx, procurement_id: str, out: Path) -> None:
    """Make a DEMO certificate authority and one PKCS#12 key per signing party of the
    procurement's agreement (O = the party's registered name, serialNumber = its 统一社会信用代码;
    passphrase "demo"). Labelled DEMO — NOT FOR REAL USE in every certificate.

    \b
    Example:
      tenderflow keys demo CN-2023-001 --out keys
    """
    made = _agreements(obj).demo_keys(procurement_id, out)
    lines = [f"DEMO KEYS — NOT FOR REAL USE — in {out}",
             f"  trust anchor: {made.ca_cert}", f"  passphrase: {made.passphrase}"]
    lines += [f"  {role}: {path}" for role, path in made.party_keys.items()]
    obj.emit({"ok": True, "demo": True, **made.to_dict()}, "\n".join(lines))
