"""``tenderflow contract …``: agreement terms, PDF, signatures, verification, financing package."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from tenderflow.cli import Ctx
from tenderflow.cli.help import Group
from tenderflow.i18n import _

pass_ctx = click.make_pass_decorator(Ctx)
PATH = click.Path(path_type=Path)


def _agreements(obj: Ctx) -> Any:
    from tenderflow.app.agreements import Agreements

    return Agreements(obj.services())


def _at(value: str | None) -> Any:
    """The business time of ``--at`` (ISO 8601; without an offset, Asia/Shanghai); without
    it, now by the CLI's clock (tenderflow.clock). Bad input exits 2 naming --at."""
    from tenderflow.cli.procurement import parse_at

    return parse_at(value, "--at")


def at_option(what: str) -> Any:
    return click.option("--at", "at", default=None, metavar="TIME",
                        help=f"Business time {what} (ISO 8601 with offset, e.g. "
                             f"2023-11-10T10:30+08:00; without one, Asia/Shanghai; "
                             f"default now).")


def _actor(obj: Ctx) -> str:
    from tenderflow.cli.procurement import actor_of

    return actor_of(obj)  # --as, or on PostgreSQL the session's database user


@click.group(cls=Group)
def contract() -> None:
    """The PPP agreement after the award: record its terms, render it as PDF, sign it party by
    party, verify it, and assemble the financing-approval package.

    \b
    Example:
      tenderflow --as staff:wang contract terms CN-2023-001 examples/agreement/CN-2023-001-terms.yaml
      tenderflow --as staff:wang contract render CN-2023-001 --out agreement.pdf
    """


@contract.command()
@click.argument("procurement_id")
@click.argument("terms_file", type=PATH)
@at_option("at which the terms are recorded")
@pass_ctx
def terms(obj: Ctx, procurement_id: str, terms_file: Path, at: str | None) -> None:
    """Record the agreement's terms (AgreementTermsRecorded) from a YAML file.

    The parties' identities, the project, the method, the award date and the investment (the
    award price) come from the record and may not be in the file; everything else the
    agreement template needs must be. Every problem and every missing field is listed at once
    (exit 2, nothing recorded). Refused (exit 1) unless the procurement is awarded, and once a
    party has signed.

    \b
    Example:
      tenderflow --as staff:wang contract terms CN-2023-001 \\
          examples/agreement/CN-2023-001-terms.yaml --at 2023-04-07T09:30+08:00
    """
    when = _at(at)
    result = _agreements(obj).record_terms(procurement_id, terms_file, _actor(obj), when)
    what = (_("recorded as {event} #{seq}") if result["recorded"]
            else _("unchanged: already recorded as #{seq}")).format(**result)
    lines = [_("{procurement}: agreement terms {what}").format(procurement=procurement_id,
                                                               what=what),
             "  " + _("record digest {digest} (条款记录摘要, printed on the agreement)").format(
                 digest=result["terms_digest"]),
             "  " + _("from the record: {fields}").format(fields=", ".join(result["derived"])),
             "  " + _("payback {years} years, IRR {irr}%").format(
                 years=result["finance"]["payback_years"], irr=result["finance"]["irr_percent"]),
             "  " + _("parties:")]
    lines += [f"    {role}: {p['name']} ({p['uscc']})" for role, p in result["parties"].items()]
    obj.emit(result, "\n".join(lines))


@contract.command()
@click.argument("procurement_id")
@click.option("--out", "out", type=PATH, required=True, help="The PDF file to write.")
@click.option("--template", "template", type=PATH, default=None,
              help="Another agreement template (default contracts/agreement.yaml).")
@at_option("of the rendering (AgreementRendered)")
@pass_ctx
def render(obj: Ctx, procurement_id: str, out: Path, template: Path | None,
           at: str | None) -> None:
    """Render the agreement as PDF from the recorded terms (AgreementRendered, with its
    SHA-256). A4, embedded CJK font, amounts in figures and 大写, page numbers and the terms
    record's digest (条款记录摘要: the recorded terms, not the time they were recorded) on every
    page; the same record gives the same bytes on any day. A missing field is listed (exit 2)
    before any file is written; refused (exit 1) unless the procurement is awarded.

    \b
    Example:
      tenderflow --as staff:wang contract render CN-2023-001 --out agreement.pdf \\
          --at 2023-04-07T10:00+08:00
    """
    when = _at(at)
    result = _agreements(obj).render(procurement_id, out, _actor(obj), when, template=template)
    what = (_("recorded as {event} #{seq}") if result["recorded"]
            else _("identical to {event} #{seq}, nothing new recorded")).format(**result)
    obj.emit(result, "\n".join([
        _("{procurement}: wrote {file} ({pages} pages, {bytes} bytes)").format(
            procurement=procurement_id, file=out, pages=result["pages"], bytes=result["bytes"]),
        f"  SHA-256 {result['sha256']} — {what}",
        "  " + _("条款记录摘要 on every page: {digest} (of the terms, event #{seq})").format(
            digest=result["terms_digest"], seq=result["terms_seq"]),
        "  " + _("to sign in this order: {order}").format(
            order=", ".join(result["signing_order"]))]))


@contract.command()
@click.argument("procurement_id")
@click.option("--party", required=True, help="The signing party's role, e.g. social_capital.")
@click.option("--key", "key", type=PATH, required=True, help="The party's PKCS#12 key file.")
@click.option("--passphrase", envvar="TENDERFLOW_KEY_PASSPHRASE", default=None,
              help="The key file's passphrase (env TENDERFLOW_KEY_PASSPHRASE).")
@click.option("--in", "in_path", type=PATH, default=None,
              help="The PDF as the previous party left it (default: --out, signed in place).")
@click.option("--out", "out_path", type=PATH, default=None,
              help="Where to write the signed PDF (default: --in, in place).")
@at_option("of the signing: the signature's signing time and the event's occurred_at; the "
           "certificate must be valid then")
@pass_ctx
def sign(obj: Ctx, procurement_id: str, party: str, key: Path, passphrase: str | None,
         in_path: Path | None, out_path: Path | None, at: str | None) -> None:
    """Sign the agreement (or the financing package's manifest.pdf) for one party: a PAdES
    signature as an incremental update, in the order the template requires; records
    AgreementSigned (FinancingPackageSigned) with the signed file's SHA-256.

    The signature carries --at as its signing time (the CMS signingTime and /M), the same
    instant the event records as its occurred_at. The file must be the one the log last
    recorded. A key whose certificate does not name the party as registered (O = name,
    serialNumber = 统一社会信用代码) or is not valid at --at, or a party out of turn, is refused
    (exit 1) and nothing is written or recorded.

    \b
    Example:
      tenderflow --as staff:wang contract sign CN-2023-001 --party implementing_agency \\
          --key keys/implementing_agency.p12 --passphrase demo --in agreement.pdf \\
          --at 2023-04-07T10:30+08:00
    """
    when = _at(at)
    if in_path is None and out_path is None:
        raise click.UsageError("give --in (the file to sign) and/or --out")
    source = in_path or out_path
    target = out_path or in_path
    assert source is not None and target is not None
    result = _agreements(obj).sign(procurement_id, party, key, passphrase, source, target,
                                   _actor(obj), when)
    then = (_("next: {party}").format(party=result["next"]) if result["next"]
            else _("every party has signed"))
    obj.emit(result, "\n".join([
        _("{procurement}: {party} signed the {document} ({signature} of {of}) as {name}").format(
            procurement=procurement_id, party=party, document=result["document"],
            signature=result["signature"], of=result["of"], name=result["signer"]["name"]),
        "  " + _("signing time {at}").format(at=result["signed_at"]),
        "  " + _("wrote {file} ({bytes} bytes), SHA-256 {sha256}").format(
            file=target, bytes=result["bytes"], sha256=result["sha256"]),
        "  " + _("recorded as {event} #{seq}").format(**result) + f"; {then}"]))


@contract.command()
@click.argument("path", type=PATH)
@click.option("--trust", "trust", type=PATH, multiple=True, required=True,
              help="A trusted root certificate (PEM or DER); repeat for several.")
@click.option("--db", "db_url", default=None,
              help="The procurement log to compare with (default: the global --db, if given "
                   "or if tenderflow.db is here).")
@click.option("--no-log", is_flag=True, help="Check the file alone, not against the log.")
@click.option("--verbose", "-v", is_flag=True,
              help="Also print the technical detail (hashes, coverage, modification level).")
@click.pass_context
def verify(ctx: click.Context, path: Path, trust: tuple[Path, ...], db_url: str | None,
           no_log: bool, verbose: bool) -> None:
    """Verify a signed agreement (or a package folder): each signature's signer, signing
    time, validity, trust and whether the file was changed after it; then, with a database,
    whether the file is byte for byte the one the log recorded (the last AgreementSigned).
    Exit 0 only when all hold, 1 naming what does not.

    Without a database — no --db (here or global, or TENDERFLOW_DB) and no tenderflow.db in
    the current folder — the file alone is checked (as with --no-log) and the output says so:
    how a bank verifies a package it was sent. A --db that does not exist is an error.

    Each certificate is judged at the signing time its signature declares, so an archived
    document still verifies after its certificates have expired. There is no time-stamp
    authority: that time is the signer's statement, and with the log it must equal the
    occurred_at of the event that recorded the signature.

    \b
    Example:
      tenderflow --lang en contract verify package/ --trust demo-ca.pem
      tenderflow contract verify agreement.pdf --trust keys/demo-ca.pem --db sqlite:///tenderflow.db
    """
    from tenderflow.cli.verify_text import verify_text

    obj: Ctx = ctx.find_object(Ctx)  # type: ignore[assignment]
    why_no_log = _without_log(ctx, obj, db_url, no_log)
    from tenderflow.app.agreements import Agreements

    agreements = Agreements(None) if why_no_log else _agreements(obj)
    report = agreements.verify(path, list(trust), use_log=not why_no_log)
    if why_no_log:
        report["why_no_log"] = why_no_log
    obj.emit(report, verify_text(report, verbose))
    if not report["ok"]:
        click.echo(f"{_('error')}: {_('verification failed')}: {'; '.join(_failures(report))}",
                   err=True)
        ctx.exit(1)


def _without_log(ctx: click.Context, obj: Ctx, db_url: str | None, no_log: bool) -> str | None:
    """Why the log is not consulted ("no_log", "no_database"), or None when it is: with
    --no-log, never; with a --db (this command's, the global one or TENDERFLOW_DB), always;
    else only if the default database file is in the current folder."""
    from click.core import ParameterSource

    if no_log:
        return "no_log"
    if db_url:
        obj.db = db_url
        return None
    if ctx.find_root().get_parameter_source("db") not in (ParameterSource.DEFAULT, None):
        return None
    default = obj.db.removeprefix("sqlite:///")
    return None if default != obj.db and Path(default).exists() else "no_database"


def _failures(report: dict[str, Any]) -> list[str]:
    """One short line per thing that did not hold (the details are printed above)."""
    if "files" in report:
        out = [f"{name}: {f}" for name, r in report["files"].items() if not r["ok"]
               for f in _failures(r)]
        return out + report["problems"]
    out = [_("broken signature {field} ({what})").format(
        field=s["field"], what=s["problems"][0].split(":")[0])
        for s in report["signatures"] if s["problems"]]
    if report["missing"]:
        out.append(_("not signed by {parties}").format(parties=", ".join(report["missing"])))
    out += [p for p in report["problems"] if not p.startswith("Sig_")
            and not p.startswith("not signed")]
    log = report["log"]
    if log["consulted"] and not log["ok"]:
        expected = log.get("expected")
        if expected and expected.get("sha256") != report.get("sha256"):
            out.append(_("the file's SHA-256 differs from the log ({event} #{seq})").format(
                event=expected["event"], seq=expected["seq"]))
        else:
            out += log["problems"][:3]
    return out or [_("not every check held")]


@contract.command()
@click.argument("procurement_id")
@click.option("--agreement", "agreement", type=PATH, required=True,
              help="The agreement signed by every party (as the last signer wrote it).")
@click.option("--financing", "financing", type=PATH, required=True,
              help="YAML with the financing letter's fields (financing: bank, amount, …).")
@click.option("--out", "out", type=PATH, required=True, help="The package folder to write.")
@at_option("of the assembly (FinancingPackageAssembled)")
@pass_ctx
def package(obj: Ctx, procurement_id: str, agreement: Path, financing: Path, out: Path,
            at: str | None) -> None:
    """Assemble the financing-approval package: the signed agreement, the award record, the
    financial summary (investment, revenue plan, payback, IRR), the cover letter, manifest.json
    (SHA-256 of each file) and manifest.pdf — the same list, which the parties then sign in
    turn with `contract sign`. Records FinancingPackageAssembled with the manifest's hash.

    \b
    Example:
      tenderflow --as staff:wang contract package CN-2023-001 --agreement agreement.pdf \\
          --financing examples/agreement/CN-2023-001-financing.yaml --out package \\
          --at 2023-04-20T09:30+08:00
    """
    when = _at(at)
    result = _agreements(obj).package(procurement_id, agreement, financing, out, _actor(obj),
                                      when)
    what = (_("recorded as {event} #{seq}") if result["recorded"]
            else _("identical to {event} #{seq}, nothing new recorded")).format(**result)
    lines = [_("{procurement}: financing package in {folder} — {what}").format(
        procurement=procurement_id, folder=out, what=what)]
    lines += ["  " + _("{name}  {bytes} bytes  {sha256}").format(**f) for f in result["files"]]
    lines.append(f"  manifest.json SHA-256 {result['manifest_sha256']}")
    lines.append("  " + _("payback {years} years, IRR {irr}%").format(
        years=result["finance"]["payback_years"], irr=result["finance"]["irr_percent"]))
    lines += ["  " + _("left out: {what}").format(what=x) for x in result["left_out"]]
    lines.append("  " + _("next: the parties sign {file} in turn: {order}").format(
        file=out / "manifest.pdf", order=", ".join(result["signing_order"])))
    obj.emit(result, "\n".join(lines))


@contract.command(name="status")
@click.argument("procurement_id")
@click.option("--at", "at", help="Judge pending steps as of this time (default now; give it "
                                "for output that does not depend on the day it is run).")
@pass_ctx
def contract_status(obj: Ctx, procurement_id: str, at: str | None) -> None:
    """The PPP contract after signing: its state, the next milestone, the KPI results by
    year, revenue against plan and the return model re-estimated from actual revenue (the
    same as `status contract:ID`).

    \b
    Example:
      tenderflow contract status PPP-JS-001 --at 2036-01-10T10:00+08:00
    """
    from tenderflow.app.common import CONTRACT_PREFIX
    from tenderflow.cli.contract_status import contract_status_text
    from tenderflow.cli.procurement import parse_at

    cid = procurement_id if procurement_id.startswith(CONTRACT_PREFIX) \
        else f"{CONTRACT_PREFIX}{procurement_id}"
    s = obj.services().status(cid, parse_at(at))
    obj.emit(s, None if obj.json else contract_status_text(s, obj.lang))


NOTICE_KINDS = ("invitation", "qualification", "candidates", "award", "contract")


@contract.command()
@click.argument("procurement_id")
@click.argument("kind", type=click.Choice(NOTICE_KINDS))
@click.option("--out", "out", type=PATH, required=True, help="The PDF file to write.")
@at_option("of the rendering (NoticeRendered)")
@pass_ctx
def notice(obj: Ctx, procurement_id: str, kind: str, out: Path, at: str | None) -> None:
    """Render a notice the procurement publishes, filled from its log with the template in
    contracts/: invitation (招标公告, or 谈判邀请书 for a negotiation), qualification
    (资格审查结果), candidates (中标（成交）候选人公示), award (中标（成交）通知书) or contract
    (合同公告). Records NoticeRendered with the PDF's SHA-256 (nothing new when the same notice
    is recorded with the same bytes). The notice is dated by the event it announces, so the
    same log gives the same bytes on any day. Refused (exit 1) when the log has nothing to
    announce yet.

    \b
    Example:
      tenderflow --as staff:wang contract notice OT-2023-001 award --out award-notice.pdf
    """
    from tenderflow.app.notices import Notices

    when = _at(at)
    result = Notices(obj.services()).render(procurement_id, kind, out, _actor(obj), when)
    what = (_("recorded as {event} #{seq}") if result["recorded"]
            else _("identical to {event} #{seq}, nothing new recorded")).format(
        event=result["event"], seq=result["seq"])
    obj.emit(result, "\n".join([
        _("{pid}: wrote {title} to {out} ({pages} pages, {bytes} bytes)").format(
            pid=procurement_id, title=result["title"], out=out, pages=result["pages"],
            bytes=result["bytes"]),
        "  " + _("filled from event #{seq} ({source}); SHA-256 {sha} — {what}").format(
            seq=result["source"]["seq"], source=result["source"]["type"],
            sha=result["sha256"], what=what)]))
