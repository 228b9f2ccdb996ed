"""Workflow diagrams for the handbook, drawn with Graphviz ``dot`` into SVG.

Why Graphviz and not Mermaid: the handbook must read offline, and Mermaid is drawn by a script
in the viewer's browser (a JavaScript bundle to ship or fetch); ``dot`` (Debian ``graphviz``,
in the Makefile's APT_PACKAGES) lays the graph out once when the handbook is written, and the
SVG is embedded in the HTML: no script, no network, Chinese labels drawn with the installed
CJK font. Without ``dot`` the diagram is replaced by the transition list and a note saying what
to install: nothing is left out silently.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

FONT = "WenQuanYi Zen Hei"


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dot_source(wf: Any) -> str:
    """The mode's state machine in the dot language (states with zh labels, one edge per
    trigger and source; a trigger from every open state drawn once, from a "任一进行中状态" node)."""
    lines = [f"digraph {_q(wf.mode)} {{", "  rankdir=TB;",
             f'  graph [fontname={_q(FONT)}, fontsize=11];',
             (f'  node [shape=box, style="rounded,filled", fillcolor="#eef3fb", '
             f'fontname={_q(FONT)}, fontsize=11];'),
             f"  edge [fontname={_q(FONT)}, fontsize=9];",
             '  "__start" [shape=point, width=0.15, label=""];',
             f'  "__start" -> {_q(wf.initial)};']
    for name, label in wf.states.items():
        extra = ', peripheries=2, fillcolor="#f3f3f3"' if name in wf.terminal else ""
        lines.append(f"  {_q(name)} [label={_q(label.get('zh', name) + chr(10) + name)}{extra}];")
    # one edge per (from, to) with every trigger taking it, so that the many self-loops of a
    # state (bids recorded, objections raised, …) stay legible
    edges: dict[tuple[str, str], list[str]] = {}
    dashed: set[tuple[str, str]] = set()
    for t in wf.transitions:
        label = f"{t.title_zh}（{t.trigger}）"
        if len(t.sources) > 3:
            pair = ("__any", "__any" if t.dest == "=" else t.dest)
            dashed.add(pair)
            pairs = [pair]
        else:
            pairs = [(s, t.target(s)) for s in t.sources]
        for pair in pairs:
            labels = edges.setdefault(pair, [])
            if label not in labels:
                labels.append(label)
    if dashed:
        lines.append('  "__any" [label="任一进行中状态\\nany open state", '
                     'style="dashed,rounded"];')
    for (src, dst), labels in edges.items():
        style = ", style=dashed" if (src, dst) in dashed else ""
        lines.append(f"  {_q(src)} -> {_q(dst)} [label={_q(chr(10).join(labels))}{style}];")
    lines.append("}")
    return "\n".join(lines)


def dot_available() -> bool:
    return shutil.which("dot") is not None


def svg(wf: Any) -> tuple[str | None, str]:
    """``(svg, note)``: the diagram, or None with the reason it could not be drawn."""
    exe = shutil.which("dot")
    if exe is None:
        return None, ("diagram not drawn: Graphviz `dot` is not installed "
                      "(Debian: apt-get install graphviz); the transitions are listed instead")
    done = subprocess.run([exe, "-Tsvg"], input=dot_source(wf).encode("utf-8"),
                          capture_output=True, check=False, timeout=60)
    if done.returncode != 0:
        return None, ("diagram not drawn: dot failed: "
                      + done.stderr.decode("utf-8", "replace").strip()[-300:])
    text = done.stdout.decode("utf-8")
    start = text.find("<svg")  # drop the XML prolog and DOCTYPE: the SVG is embedded inline
    return (text[start:] if start >= 0 else text), ""
