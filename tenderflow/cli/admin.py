"""``tenderflow init`` and ``tenderflow demo``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from tenderflow.cli import Ctx
from tenderflow.cli.help import Command
from tenderflow.i18n import N_, _

pass_ctx = click.make_pass_decorator(Ctx)


@click.command(cls=Command)
@pass_ctx
def init(obj: Ctx) -> None:
    """Create or upgrade the database (Alembic migrations).

    \b
    Example:
      tenderflow --db sqlite:///centre.db init
    """
    store = obj.store(create=True)
    from tenderflow.app.admin import rebuild_snapshots

    # procurement snapshots folded by other code (or before migration 0004 stamped them)
    # are rebuilt from the events: tenderflow.domain.fold_version
    snapshots = rebuild_snapshots(store)
    rebuilt, failed = snapshots["rebuilt"], snapshots["failed"]
    lines = [_("database {url} at revision {revision}").format(url=store.url,
                                                               revision=store.revision())]
    if rebuilt:
        lines.append((_("rebuilt 1 stale procurement snapshot from the events")
                      if len(rebuilt) == 1 else
                      _("rebuilt {n} stale procurement snapshots from the events"))
                     .format(n=len(rebuilt)))
    lagging = snapshots.get("lagging") or []
    if lagging:  # large snapshots left behind the head by design (tenderflow.app.snapshots)
        lines.append(_("kept {n} snapshots saved behind the head: with the events after them "
                       "folded on, each is the fold of its whole stream").format(n=len(lagging)))
    obj.emit({"ok": True, "db": store.url, "revision": store.revision(),
              "rebuilt_snapshots": len(rebuilt), "lagging_snapshots": len(lagging),
              "unfoldable": failed}, "\n".join(lines))
    for pid, why in failed.items():
        click.echo(_("warning: {pid}: its events do not fold with this code ({why}); its "
                     "snapshot stays stale and is not trusted: run 'tenderflow audit replay "
                     "{pid}'").format(pid=pid, why=why), err=True)


@click.command(cls=Command)
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("demo-out"),
              show_default=True, help="Folder for the database, documents and summary.")
@click.option("--features/--no-features", default=False, show_default=True,
              help="Run the policy features for the handbook's pass/fail marks (make demo "
                   "does; about two minutes more).")
@pass_ctx
def demo(obj: Ctx, out: Path, features: bool) -> None:
    """Run the bundled example scenarios end to end on a fresh SQLite file and write the
    summary (and the documents and audit export the examples produce) into OUT.

    The policy handbook (tenderflow policy docs) is written into OUT/handbook; with
    --features the features are run for its marks, else they are marked not run.

    \b
    Example:
      tenderflow demo --out demo-out
      tenderflow demo --out demo-out --features
    """
    from tenderflow.app.common import now
    from tenderflow.app.demo import run_demo

    progress = _progress() if sys.stderr.isatty() else None
    summary = run_demo(out, now(), progress, features=features)
    if progress is not None:
        progress(None)
    lines = [_("tenderflow demo — database {db}").format(db=summary["db"])]
    for s in summary["scenarios"]:
        lines.append(f"  {'✓' if s['ok'] else '✗'} {s['file']}: {s['title']} → "
                     + ", ".join(f"{k}={v}" for k, v in s["states"].items()))
    for name in summary.get("artifacts", []):
        lines.append("  " + _("wrote {file}").format(file=name))
    book = summary.get("handbook") or {}
    if book.get("counts"):
        lines.append(_("policy handbook: {passed} of {scenarios} scenarios passed, {failed} "
                       "failed, {not_run} not run; {uncovered} rules uncovered")
                     .format(**book["counts"]) + (f" ({book['note']})" if book["note"] else ""))
    lines.append(_("events recorded: {events}; summary: {summary}").format(
        events=summary["events"], summary=summary["summary"]))
    obj.emit(summary, "\n".join(lines))
    if not all(s["ok"] for s in summary["scenarios"]):
        raise click.exceptions.Exit(1)
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2),
                                      encoding="utf-8")


def _progress() -> Any:
    """Each stage of the demo on stderr as it starts, then its result and the seconds it took
    (a terminal only: a pipe gets nothing, so the output tools read is unchanged). Called
    with no stage when the demo is done."""
    import time

    open_since: list[float] = []

    def close(mark: str = "✓") -> None:
        if open_since:
            click.echo(f" {mark} {time.monotonic() - open_since.pop():.1f} s", err=True)

    def tell(stage: str | None, result: dict[str, Any] | None = None) -> None:
        if result is not None:
            return close("✓" if result["ok"] else "✗")
        close()
        if stage:
            click.echo(_("… {stage}").format(stage=_(STAGES.get(stage, stage))), err=True,
                       nl=False)
            open_since.append(time.monotonic())
    return tell


STAGES = {"agreement": N_("the agreement: terms, PDF, four signatures, financing package"),
          "notices": N_("the notices each procurement publishes"),
          "audit": N_("the audit bundle: checkpoint, exports, timeline reports"),
          "handbook": N_("the policy handbook (and the features' run, with --features)")}
