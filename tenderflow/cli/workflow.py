"""``tenderflow workflow show MODE``: the state machine as text or Mermaid."""

from __future__ import annotations

import click

from tenderflow.cli import Ctx
from tenderflow.cli.help import Group
from tenderflow.i18n import _, pick

pass_ctx = click.make_pass_decorator(Ctx)


@click.group(cls=Group)
def workflow() -> None:
    """Procurement modes as state machines (workflows/*.yaml)."""


def mermaid(wf: object, lang: str = "zh") -> str:
    from tenderflow.app.common import Workflow

    assert isinstance(wf, Workflow)
    lines = ["stateDiagram-v2"]
    for name, label in wf.states.items():
        lines.append(f'    state "{label[lang]} ({name})" as {name}')
    lines.append(f"    [*] --> {wf.initial}")
    shown: set[tuple[str, str, str]] = set()
    for t in wf.transitions:
        title = t.title_zh if lang == "zh" else t.title_en
        if len(t.sources) > 3:  # "*": every open state; draw once from a note-like pseudo state
            key = ("*", t.dest, t.trigger)
            if key not in shown:
                if t.dest == "=":
                    lines.append(f"    note right of {wf.initial}: {t.trigger} "
                                 + _("in any open state (stays)"))
                else:
                    lines.append(f"    note right of {t.dest}: {t.trigger} "
                                 + _("from any open state"))
                shown.add(key)
            continue
        for s in t.sources:
            key = (s, t.target(s), t.trigger)
            if key in shown:
                continue
            shown.add(key)
            lines.append(f"    {s} --> {t.target(s)}: {t.trigger} {title}")
    for s in wf.terminal:
        lines.append(f"    {s} --> [*]")
    return "\n".join(lines)


@workflow.command("show")
@click.argument("mode")
@click.option("--format", "fmt", type=click.Choice(["text", "mermaid"]), default="text",
              show_default=True)
@pass_ctx
def show(obj: Ctx, mode: str, fmt: str) -> None:
    """Show a mode's states, transitions with roles and guards, and timers.

    \b
    Example:
      tenderflow workflow show competitive_negotiation --format mermaid
    """
    from tenderflow.app.common import workflow_of

    wf = workflow_of(mode)
    if fmt == "mermaid":
        text = mermaid(wf, obj.lang)
    else:
        lang = obj.lang
        from tenderflow.cli.status_text import ROLES

        lines = [f"{wf.mode}: {pick(wf.title_zh, wf.title_en)}",
                 _("source: {source}").format(source=wf.source),
                 _("hash: {hash}").format(hash=wf.content_hash()), _("states:")]
        for name, label in wf.states.items():
            final = " " + _("(final)") if name in wf.terminal else ""
            lines.append(f"  {name}: {label[lang]}{final}")
        lines.append(_("transitions:"))
        for t in wf.transitions:
            src = "*" if len(t.sources) > 3 else ",".join(t.sources)
            dest = _("(stays)") if t.dest == "=" else t.dest
            roles = ", ".join(_(ROLES[r]) if r in ROLES else r for r in t.roles)
            lines.append(f"  {t.trigger}: {src} → {dest}  [{roles}]  "
                         + _("{title}; records {event}").format(
                             title=t.title_zh if lang == "zh" else t.title_en, event=t.event)
                         + (_("; guards: {guards}").format(guards=", ".join(t.guards))
                            if t.guards else ""))
        if wf.timers:
            lines.append(_("timers:"))
            lines += ["  " + _("{trigger} in {state} when {due} passes").format(
                trigger=tm.trigger, state=tm.source, due=tm.due) for tm in wf.timers]
        text = "\n".join(lines)
    data = {"mode": wf.mode, "hash": wf.content_hash(), "states": wf.states,
            "transitions": [{"trigger": t.trigger, "sources": list(t.sources), "dest": t.dest,
                             "roles": list(t.roles), "guards": list(t.guards),
                             "event": t.event} for t in wf.transitions],
            "timers": [tm.__dict__ for tm in wf.timers]}
    if fmt == "mermaid":
        data["mermaid"] = text
    obj.emit(data, text)
