"""``tenderflow audit …``: verify the log, seal checkpoints, replay, export, report."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from tenderflow.cli import Ctx
from tenderflow.cli.help import Group
from tenderflow.i18n import N_, _

pass_ctx = click.make_pass_decorator(Ctx)


@click.group(cls=Group)
def audit() -> None:
    """The auditor's tools: prove the log is complete and unaltered, and that every step
    obeyed the rules pinned when it was taken.

    \b
    Example:
      tenderflow audit verify
      tenderflow --as auditor:zhao audit seal --key auditor.pem --out seal-2024-05.json
      tenderflow audit verify --checkpoint seal-2024-05.json --pubkey auditor.pub.pem
      tenderflow audit replay --all
    """


@contextmanager
def progress_bar(length: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr when stderr is a terminal; nothing otherwise."""
    if not sys.stderr.isatty() or length == 0:
        yield None
        return
    with click.progressbar(length=length, label=_(label), file=sys.stderr) as bar:
        yield bar.update


def _problem_lines(report: Any) -> list[str]:
    return [f"  ✗ {p.text}" for p in report.problems]


@audit.command()
@click.option("--checkpoint", type=click.Path(path_type=Path),
              help="A checkpoint file from 'audit seal': also prove nothing was lost since.")
@click.option("--pubkey", type=click.Path(path_type=Path),
              help="The auditor's public key (PEM) the checkpoint must be signed with.")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes to walk the streams in (the same report as one).")
@pass_ctx
def verify(obj: Ctx, checkpoint: Path | None, pubkey: Path | None, jobs: int) -> None:
    """Walk every stream's hash chain and report the first broken event of each (stream,
    sequence number, what differs). With --checkpoint, also prove that no sealed stream
    disappeared, lost events or was rewritten since it was sealed. Exit 1 if anything is
    wrong.

    \b
    Example:
      tenderflow audit verify
      tenderflow audit verify --checkpoint seal.json --pubkey auditor.pub.pem --json
      tenderflow audit verify --jobs 2
    """
    from tenderflow.app.audit import count_events, verify_store, verify_with_checkpoint
    from tenderflow.errors import InputError

    if pubkey is not None and checkpoint is None:
        raise InputError("--pubkey checks a checkpoint's signer; give --checkpoint too",
                         field="--pubkey", expected="--checkpoint FILE --pubkey KEY.pub.pem")
    store = obj.store()
    if checkpoint is not None:  # read (and validate) the files before the long walk
        from tenderflow.app.audit import load_public_key, read_checkpoint

        read_checkpoint(checkpoint)
        if pubkey is not None:
            load_public_key(pubkey)
    with progress_bar(count_events(store), N_("verifying")) as update:
        if checkpoint is not None:
            report = verify_with_checkpoint(store, checkpoint, pubkey, update)
        else:
            report, _verifier = verify_store(store, update, jobs=jobs)
    lines = []
    if report.ok:
        lines.append("✓ " + _("{events} events in {streams} streams verified; {definitions} "
                              "pinned definitions intact").format(
            events=report.events, streams=report.streams, definitions=report.definitions))
    else:
        lines.append("✗ " + _("{n} problem(s) in {events} events, {streams} streams:").format(
            n=len(report.problems), events=report.events, streams=report.streams))
        lines += _problem_lines(report)
    cp = report.checkpoint
    if cp is not None:
        trust = _("the given auditor key") if cp["key_pinned"] else _("the key inside the file")
        lines.append(_("checkpoint {file}: sealed {at} by {by}, {streams} streams / {events} "
                       "events; signature {valid} with {trust} ({key}…)").format(
            file=cp["file"], at=cp["sealed_at"], by=cp["sealed_by"], streams=cp["streams"],
            events=cp["events"], valid=_("valid") if cp["signature_valid"] else _("INVALID"),
            trust=trust, key=cp["key_id"][:16]))
    lines += [_("note: {note}").format(note=n) for n in report.notes]
    obj.emit(report.to_dict(), "\n".join(lines))
    if not report.ok:
        raise click.exceptions.Exit(1)


@audit.command()
@click.option("--key", "key_path", required=True, type=click.Path(path_type=Path),
              help="The auditor's Ed25519 private key (PEM).")
@click.option("--out", required=True, type=click.Path(path_type=Path),
              help="New file for the signed checkpoint; keep a copy outside the database.")
@pass_ctx
def seal(obj: Ctx, key_path: Path, out: Path) -> None:
    """Verify the whole log, then sign a checkpoint of every stream head (a Merkle root over
    stream, version and head hash) with the auditor's key; record it in the database and
    write it to OUT. A log that does not verify is not sealed (exit 1). An encrypted key
    reads its password from $TENDERFLOW_KEY_PASSWORD. The sealer is --as (on PostgreSQL,
    by default, auditor:<database user>).

    \b
    Example:
      tenderflow --as auditor:zhao audit seal --key auditor.pem --out seal-2024-05.json
    """
    from tenderflow.app.audit import check_new_file, count_events, load_private_key
    from tenderflow.app.audit import seal as do_seal
    from tenderflow.app.common import check_actor, iso, now

    actor = check_actor(obj.default_actor("auditor"))
    check_new_file(out, "--out")
    key = load_private_key(key_path)
    store = obj.store()
    with progress_bar(count_events(store), N_("verifying")) as update:
        result = do_seal(store, key, out, actor, iso(now()), update)
    obj.emit({"ok": True, **result.to_dict()},
             _("sealed checkpoint #{number} of {streams} streams / {events} events (up to "
               "global {last})").format(number=result.number, streams=result.streams,
                                        events=result.events, last=result.last_global_seq)
             + "\n" + _("  Merkle root {root}\n  digest      {digest}\n  key         {key}\n"
                        "  written to  {file} — keep a copy outside the database").format(
                 root=result.merkle_root, digest=result.digest, key=result.key_id,
                 file=result.file))


@audit.command()
@click.option("--out", required=True, type=click.Path(path_type=Path),
              help="New file for the private key (PEM, mode 0600).")
@click.option("--pub-out", type=click.Path(path_type=Path),
              help="New file for the public key (default: OUT with .pub.pem).")
@pass_ctx
def keygen(obj: Ctx, out: Path, pub_out: Path | None) -> None:
    """Make an auditor's Ed25519 key pair for sealing checkpoints. The private key is
    encrypted with $TENDERFLOW_KEY_PASSWORD when that is set. Existing files are never
    overwritten.

    \b
    Example:
      tenderflow audit keygen --out auditor.pem    # writes auditor.pem and auditor.pub.pem
    """
    from tenderflow.app.audit import generate_key

    private, public, kid = generate_key(out, pub_out)
    obj.emit({"ok": True, "private_key": str(private), "public_key": str(public),
              "key_id": kid},
             _("private key {private} (keep it secret)\npublic key  {public}\nkey id      "
               "{kid}").format(private=private, public=public, kid=kid))


@audit.command()
@click.argument("procurement_id", required=False)
@click.option("--all", "all_", is_flag=True, help="Replay every procurement and registry.")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="With --all: worker processes replaying the streams side by side.")
@pass_ctx
def replay(obj: Ctx, procurement_id: str | None, all_: bool, jobs: int) -> None:
    """Fold each procurement again and re-decide every step with the workflow, parameters and
    calendar pinned in its events (read from the database by content hash, never from today's
    workflows/). Reports the first event the rules would not have allowed — with the guard,
    rule and legal source — and any difference from the stored snapshot and read model.
    Exit 1 if anything differs. With --all --jobs N, N processes share the streams: the same
    report in the same order.

    \b
    Example:
      tenderflow audit replay CN-2023-001
      tenderflow --json audit replay --all
      tenderflow audit replay --all --jobs 2
    """
    from tenderflow.app.audit import count_streams
    from tenderflow.app.audit import replay as do_replay
    from tenderflow.errors import InputError

    if all_ == (procurement_id is not None):
        raise InputError("give a procurement id or --all (not both)", field="ID|--all",
                         expected="tenderflow audit replay CN-2023-001, or --all")
    store = obj.store()
    if all_:
        with progress_bar(count_streams(store), N_("replaying")) as update:
            report = do_replay(store, None, update, jobs=jobs)
    else:
        report = do_replay(store, procurement_id)
    lines = []
    # a registry's stream (project, supplier, credit list…) is listed only when it differs
    folded = ("procurement:", "intake:", "contract:")
    registries = [s for s in report.streams if not s.stream.startswith(folded)]
    for s in report.streams:
        if s.ok and not s.stream.startswith(folded):
            continue
        if s.ok:
            lines.append(f"✓ {s.stream}: " + _("{events} events, {decided} steps re-decided "
                                                 "with the pinned rules; state {state}").format(
                events=s.events, decided=s.decided, state=s.state))
            continue
        lines.append(f"✗ {s.stream}: " + _("{events} events, state {state}").format(
            events=s.events, state=s.state))
        if s.violation is not None:
            lines.append("  " + _("first event that does not replay: {text}").format(
                text=s.violation.text))
        lines += ["  " + _("projection differs: {what}").format(what=p) for p in s.projection]
    ok_registries = sum(1 for s in registries if s.ok)
    if ok_registries:
        lines.append("✓ " + _("{n} project/supplier streams match their snapshots").format(
            n=ok_registries))
    lines += [f"✗ {p}" for p in report.problems]
    obj.emit(report.to_dict(), "\n".join(lines))
    if not report.ok:
        raise click.exceptions.Exit(1)


@audit.command()
@click.option("--format", "fmt", required=True, type=click.Choice(["jsonl", "ocds"]),
              help="jsonl: one canonical event a line; ocds: an OCDS release package (PPP).")
@click.option("--out", required=True, type=click.Path(path_type=Path),
              help="File to write ('-' for standard output); replaced whole when done.")
@click.option("--procurement", "procurements", multiple=True, metavar="ID",
              help="Only this procurement (repeatable); default every procurement.")
@click.option("--ocid-prefix", default="ocds-tndrfl", show_default=True,
              help="Your registered OCDS prefix (ocds- and six characters).")
@click.option("--publisher", default="tenderflow", show_default=True,
              help="Publisher name in the OCDS package.")
@pass_ctx
def export(obj: Ctx, fmt: str, out: Path, procurements: tuple[str, ...], ocid_prefix: str,
           publisher: str) -> None:
    """Export the log as JSONL (each stored event body with its hash, canonical JSON, in
    global order) or as an OCDS release package with the PPP profile (planning, tender,
    award and contract releases; only what the events made public, never a sealed offer).

    \b
    Example:
      tenderflow audit export --format jsonl --out events.jsonl
      tenderflow audit export --format ocds --out ocds.json --ocid-prefix ocds-abc123
    """
    import re

    from tenderflow.app.audit import export_jsonl, export_ocds
    from tenderflow.errors import InputError

    if not re.fullmatch(r"ocds-[a-z0-9]{6}", ocid_prefix):
        raise InputError(f"{ocid_prefix!r}", field="--ocid-prefix",
                         expected="ocds- followed by six lowercase letters or digits")
    if not publisher.strip():
        raise InputError("empty", field="--publisher", expected="the publisher's name")
    store = obj.store()
    chosen = list(procurements) or None
    if fmt == "jsonl":
        count = export_jsonl(store, out, chosen)
        data: dict[str, Any] = {"ok": True, "format": fmt, "out": str(out), "events": count}
        text = _("wrote {count} events to {file}").format(count=count, file=out)
    else:
        package = export_ocds(store, out, chosen, prefix=ocid_prefix, publisher=publisher)
        releases = package["releases"]
        data = {"ok": True, "format": fmt, "out": str(out), "releases": len(releases),
                "processes": len({r["ocid"] for r in releases})}
        text = _("wrote {releases} releases of {processes} contracting processes to {file}"
                 ).format(releases=len(releases), processes=data["processes"], file=out)
    if str(out) == "-":
        click.echo(text, err=True)
    else:
        obj.emit(data, text)


@audit.command()
@click.argument("procurement_id", metavar="ID")
@click.option("--out", required=True, type=click.Path(path_type=Path),
              help="The PDF file to write (replaced whole).")
@pass_ctx
def report(obj: Ctx, procurement_id: str, out: Path) -> None:
    """Write the audit timeline of one procurement as a PDF: the verification and replay
    conclusions, then every event with its actor, business time, recorded time, the rule
    checks it passed with their legal sources, its pinned definitions and its hashes (CJK
    font embedded). Exit 1, with the report written, if the chain or the replay found a
    problem. ID is a procurement's id, or contract:ID for the procurement with its PPP
    contract's chapter.

    \b
    Example:
      tenderflow audit report CN-2023-001 --out CN-2023-001-audit.pdf
      tenderflow audit report contract:PPP-JS-001 --out PPP-JS-001-audit.pdf
    """
    from tenderflow.app.audit import write_report

    result = write_report(obj.store(), procurement_id, out)
    lines = [_("wrote {file}: {events} events, SHA-256 {sha256}").format(
        file=out, events=result.events, sha256=result.sha256)]
    lines.append("  " + _("hash chain: {chain}; replay with the pinned rules: {replay}").format(
        chain=_("verified") if result.chain_ok else _("BROKEN"),
        replay=_("clean") if result.replay_ok else _("PROBLEM")))
    lines += [f"  ✗ {p}" for p in result.problems]
    obj.emit(result.to_dict(), "\n".join(lines))
    if not result.ok:
        raise click.exceptions.Exit(1)
