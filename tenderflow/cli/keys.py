"""``tenderflow keys demo``: demonstration keys for trying the signing flow."""

from __future__ import annotations

from pathlib import Path

import click

from tenderflow.cli import Ctx
from tenderflow.cli.contract import PATH, _agreements
from tenderflow.cli.help import Group
from tenderflow.i18n import _

pass_ctx = click.make_pass_decorator(Ctx)


@click.group(cls=Group)
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
@click.option("--valid-from", "valid_from", default=None, metavar="TIME",
              help="Business time the certificates are made for: valid from the day before "
                   "(ISO 8601; default the procurement's opening).")
@click.option("--valid-until", "valid_until", default=None, metavar="TIME",
              help="End of every certificate's validity (ISO 8601; default 730 days for the "
                   "parties, 3650 for the CA).")
@pass_ctx
def keys_demo(obj: Ctx, procurement_id: str, out: Path, valid_from: str | None,
              valid_until: str | None) -> None:
    """Make a DEMO certificate authority and one PKCS#12 key per signing party of the
    procurement's agreement (O = the party's registered name, serialNumber = its 统一社会信用代码;
    passphrase "demo"). Labelled DEMO — NOT FOR REAL USE in every certificate. The keys are
    random: the demo signs with the set shipped in examples/keys/ (see its README.md).

    \b
    Example:
      tenderflow keys demo CN-2023-001 --out keys
      tenderflow keys demo PPP-2023-001 --out examples/keys/PPP-2023-001 \\
          --valid-from 2023-01-02T00:00+08:00 --valid-until 2033-12-31T23:59:59+08:00
    """
    from tenderflow.app.common import parse_time

    start = parse_time(valid_from, field="--valid-from") if valid_from else None
    end = parse_time(valid_until, field="--valid-until") if valid_until else None
    made = _agreements(obj).demo_keys(procurement_id, out, valid_from=start, valid_until=end)
    lines = [_("DEMO KEYS — NOT FOR REAL USE — in {folder}").format(folder=out),
             "  " + _("trust anchor: {file}").format(file=made.ca_cert),
             "  " + _("passphrase: {passphrase}").format(passphrase=made.passphrase)]
    lines += [f"  {role}: {path}" for role, path in made.party_keys.items()]
    obj.emit({"ok": True, "demo": True, **made.to_dict()}, "\n".join(lines))
