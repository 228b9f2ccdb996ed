"""``tenderflow init`` and ``tenderflow demo``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from tenderflow.cli import Ctx

pass_ctx = click.make_pass_decorator(Ctx)


@click.command()
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
    lines = [f"database {store.url} at revision {store.revision()}"]
    if rebuilt:
        lines.append(f"rebuilt {len(rebuilt)} stale procurement snapshot"
                     f"{'' if len(rebuilt) == 1 else 's'} from the events")
    obj.emit({"ok": True, "db": store.url, "revision": store.revision(),
              "rebuilt_snapshots": len(rebuilt), "unfoldable": failed}, "\n".join(lines))
    for pid, why in failed.items():
        click.echo(f"warning: {pid}: its events do not fold with this code ({why}); its "
                   f"snapshot stays stale and is not trusted: run 'tenderflow audit replay "
                   f"{pid}'", err=True)


@click.command()
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

    summary = run_demo(out, now(), features=features)
    lines = [f"tenderflow demo — database {summary['db']}"]
    for s in summary["scenarios"]:
        lines.append(f"  {'✓' if s['ok'] else '✗'} {s['file']}: {s['title']} → "
                     + ", ".join(f"{k}={v}" for k, v in s["states"].items()))
    for name in summary.get("artifacts", []):
        lines.append(f"  wrote {name}")
    book = summary.get("handbook") or {}
    if book.get("counts"):
        from tenderflow.i18n import _

        lines.append(_("policy handbook: {passed} of {scenarios} scenarios passed, {failed} "
                       "failed, {not_run} not run; {uncovered} rules uncovered")
                     .format(**book["counts"]) + (f" ({book['note']})" if book["note"] else ""))
    lines.append(f"events recorded: {summary['events']}; summary: {summary['summary']}")
    obj.emit(summary, "\n".join(lines))
    if not all(s["ok"] for s in summary["scenarios"]):
        raise click.exceptions.Exit(1)
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2),
                                      encoding="utf-8")
