"""The ``tenderflow`` command group: a thin shell over the application services.

Heavy libraries (SQLAlchemy, reportlab, pyHanko) are imported inside the commands that need
them; command groups are loaded lazily so that ``tenderflow --help`` stays fast. The entry
point is :func:`tenderflow.cli.main`, which answers the top-level ``--help`` from
:mod:`tenderflow.cli.fasthelp` when it can and otherwise runs :data:`cli`.
"""

from __future__ import annotations

import importlib
import json
import os
from dataclasses import dataclass
from typing import Any

import click

from tenderflow.cli.help import Group

# name -> "module:attribute", imported only when the command is used (or listed by --help).
COMMANDS = {
    "init": "tenderflow.cli.admin:init",
    "demo": "tenderflow.cli.admin:demo",
    "run": "tenderflow.cli.scenario:run",
    "register": "tenderflow.cli.procurement:register",
    "open": "tenderflow.cli.procurement:open_procurement",
    "status": "tenderflow.cli.procurement:status",
    "next": "tenderflow.cli.procurement:next_steps",
    "fire": "tenderflow.cli.procurement:fire",
    "tick": "tenderflow.cli.procurement:tick",
    "list": "tenderflow.cli.procurement:list_procurements",
    "deadlines": "tenderflow.cli.deadlines:deadlines",
    "export": "tenderflow.cli.export:export",
    "workflow": "tenderflow.cli.workflow:workflow",
    "eligibility": "tenderflow.cli.eligibility:eligibility",
    "credit": "tenderflow.cli.credit:credit",
    "fiscal": "tenderflow.cli.fiscal:fiscal",
    "calendar": "tenderflow.cli.calendar:calendar",
    "policy": "tenderflow.cli.policy:policy",
    "contract": "tenderflow.cli.contract:contract",
    "keys": "tenderflow.cli.keys:keys",
    "bid": "tenderflow.cli.bids:bid",
    "audit": "tenderflow.cli.audit:audit",
}

EXIT_CRASH = 70


@dataclass
class Ctx:
    db: str
    actor: str | None
    json: bool
    lang: str
    late_reason: str | None = None

    def store(self, *, create: bool = False, read_only: bool = False) -> Any:
        """The store of ``--db``; ``read_only`` for a command that only reads (on SQLite,
        read through sqlite3 without importing SQLAlchemy: tenderflow.app.admin.open_reader)."""
        from tenderflow.app.admin import open_reader, open_store

        store = open_reader(self.db) if read_only else open_store(self.db, create=create)
        ctx = click.get_current_context(silent=True)
        if ctx is not None:  # close the pool's connections when the command ends
            ctx.call_on_close(store.dispose)
        return store

    def services(self, *, create: bool = False, receipt: str | None = None,
                 read_only: bool = False) -> Any:
        from tenderflow.app.procurement import services_for

        return services_for(self.store(create=create, read_only=read_only),
                            late_reason=self.late_reason, receipt=receipt)

    def default_actor(self, role: str = "staff") -> str | None:
        """``--as`` when given; else, on PostgreSQL, the database user in ``role``."""
        if self.actor:
            return self.actor
        from tenderflow.app.admin import default_actor

        return default_actor(self.db, role)

    def emit(self, data: Any, text: str | None = None) -> None:
        if self.json:
            click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        elif text is not None:
            click.echo(text)


class LazyGroup(Group):
    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy or {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy:
            module, attr = self.lazy[name].split(":")
            return getattr(importlib.import_module(module), attr)  # type: ignore[no-any-return]
        return super().get_command(ctx, name)


class TenderflowGroup(LazyGroup):
    """Turns tenderflow's errors into messages and exit codes (DESIGN §6)."""

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        """``--lang`` (or $TENDERFLOW_LANG) is read before anything is parsed, so that even
        ``--help`` and a usage error are in that language."""
        from tenderflow.i18n import LANGUAGES, set_language

        lang = os.environ.get("TENDERFLOW_LANG") or "zh"
        for i, arg in enumerate(args):
            if arg == "--":
                break
            if arg == "--lang" and i + 1 < len(args):
                lang = args[i + 1]
            elif arg.startswith("--lang="):
                lang = arg.split("=", 1)[1]
        set_language(lang if lang in LANGUAGES else "zh")
        return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        from tenderflow.errors import TenderflowError

        try:
            return super().invoke(ctx)
        except TenderflowError as exc:
            exc = _labelled(exc)
            _report(ctx, exc.to_dict(), exc.message, exc.exit_code)
        except click.exceptions.Exit:
            raise
        except click.ClickException:
            raise
        except (KeyboardInterrupt, click.Abort):
            raise
        except Exception as exc:  # a bug: say so plainly, keep the traceback for debugging
            if os.environ.get("TENDERFLOW_DEBUG"):
                raise
            import traceback

            log = os.path.join(os.environ.get("TMPDIR", "/tmp"), "tenderflow-crash.log")
            try:
                with open(log, "w", encoding="utf-8") as fh:
                    traceback.print_exc(file=fh)
            except OSError:
                log = "(could not write the log)"
            from tenderflow.i18n import _

            _report(ctx, {"error": "InternalError", "message": str(exc)},
                    _("internal error (a bug in tenderflow): {error}; traceback in {log}")
                    .format(error=f"{type(exc).__name__}: {exc}", log=log), EXIT_CRASH)


def _labelled(exc: Any) -> Any:
    """A refusal labelled with its rules' statuses (a refusal on a secondary or unconfirmed rule
    says so); the error itself when the labels cannot be read."""
    from tenderflow.errors import TenderflowError

    if not getattr(exc, "refusals", None):
        return exc
    try:
        from tenderflow.app.policy import labelled

        return labelled(exc)
    except TenderflowError:
        return exc


def _report(ctx: click.Context, data: dict[str, Any], message: str, code: int) -> None:
    obj = ctx.find_object(Ctx)
    if obj is not None and obj.json:
        click.echo(json.dumps({"ok": False, **data}, ensure_ascii=False, indent=2, default=str))
    from tenderflow.errors import status_note
    from tenderflow.i18n import _, language

    lang = language()
    refusals = data.get("refusals") or []
    if refusals:  # the headline, then one line per refusal with its rule and source
        message = _("{procurement}: '{trigger}' refused in state '{state}':").format(
            procurement=data.get("procurement"), trigger=data.get("trigger"),
            state=data.get("state"))
    click.echo(_("error: {message}").format(message=message), err=True)
    for r in refusals:
        name = f"{r['guard']} [{r['rule']}]" if r.get("guard") else r["rule"]
        line = f"  ✗ {name}: {r['reason']} — {r['source']}"
        note = status_note(r.get("status"), lang, r.get("source"))
        if note:
            line += f" {note}"
        if r.get("opens_at"):
            line += " " + _("(allowed from {at})").format(at=r["opens_at"])
        click.echo(line, err=True)
    ctx.exit(code)


@click.group(cls=TenderflowGroup, lazy=COMMANDS, context_settings={"help_option_names":
                                                                     ["-h", "--help"]})
@click.option("--db", envvar="TENDERFLOW_DB", default="sqlite:///tenderflow.db",
              show_default=True, help="Database URL (sqlite:///FILE or postgresql+psycopg://…).")
@click.option("--as", "actor", envvar="TENDERFLOW_ACTOR", default=None,
              help="Who is acting, ROLE:NAME (e.g. staff:wang).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output on stdout.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              envvar="TENDERFLOW_LANG",
              help="Language of everything printed: output, help and error messages.")
@click.option("--late-reason", envvar="TENDERFLOW_LATE_REASON", default=None,
              help="Why steps are recorded late: needed when a step's --at lies more than "
                   "record.late_entry_after_days before now.")
@click.version_option(package_name="tenderflow")
@click.pass_context
def cli(ctx: click.Context, db: str, actor: str | None, as_json: bool, lang: str,
        late_reason: str | None) -> None:
    """tenderflow — auditable procurement of social capital for old residential community
    renovation (城镇老旧小区改造): government delegation, public tender and competitive
    negotiation as state machines whose guards carry the legal rules.

    \b
    Example:
      tenderflow init
      tenderflow run examples/negotiation_award.yaml
      tenderflow status CN-2023-001
    """
    from tenderflow.i18n import set_language

    set_language(lang)
    ctx.obj = Ctx(db=db, actor=actor, json=as_json, lang=lang, late_reason=late_reason)


def main() -> None:
    cli(prog_name="tenderflow")
