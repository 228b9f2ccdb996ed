"""Help in the officer's language: click's help texts translated when they are displayed.

Every tenderflow command is a :class:`Command` (a group a :class:`Group`), whose context formats
help with :class:`HelpFormatter`: the command's help is translated paragraph by paragraph (a
``\\b`` block — the examples — keeps its command lines and translates its first line,
"Example:"), option help without click's ``[default: …]`` suffix, headings and the usage
prefix. The msgids are the English texts as written in the code, whitespace collapsed
(:func:`paragraphs`), so the catalogue test can list every one (tests/cli/test_i18n.py).
``--lang`` is read before any help renders (``TenderflowGroup.make_context``).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable
from typing import Any

import click

from tenderflow.cli.text import width
from tenderflow.i18n import _, language

EXTRA = re.compile(r"^(?P<help>.*?)\s*\[(?P<extra>[^\[\]]*)\]$", re.DOTALL)
EXTRA_WORDS = {"default: ": "默认：", "required": "必填", "env var: ": "环境变量："}


def paragraphs(text: str) -> list[str]:
    """``text`` (a cleaned docstring) as paragraphs; a ``\\b`` block is kept with its lines."""
    return [p if p.startswith("\b") else " ".join(p.split())
            for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def help_msgids(text: str) -> list[str]:
    """The msgids of a help text: each prose paragraph, and a ``\\b`` block's first line."""
    out = []
    for p in paragraphs(inspect.cleandoc(text).partition("\f")[0]):
        if p.startswith("\b"):
            first = p.lstrip("\b").strip().splitlines()[0].strip()
            out.append(first)
        else:
            out.append(p)
    return out


def translate_help(text: str) -> str:
    out = []
    for p in paragraphs(text):
        if p.startswith("\b"):
            lines = p.lstrip("\b").strip("\n").splitlines()
            out.append("\b\n" + "\n".join([_(lines[0].strip()), *lines[1:]]))
        else:
            out.append(_(p))
    return "\n\n".join(out)


def translate_option_help(text: str) -> str:
    """Option help with click's suffix (``[default: x; required]``) translated apart."""
    m = EXTRA.match(text)
    if not m or not m.group("help"):
        key = " ".join(text.split())
        return _(key) if key else text
    extra = m.group("extra")
    if language() == "zh":
        for en, zh in EXTRA_WORDS.items():
            extra = extra.replace(en, zh)
    key = " ".join(m.group("help").split())
    return f"{_(key)}  [{extra}]"


def wrap_wide(text: str, columns: int, indent: str) -> str:
    """A paragraph wrapped to ``columns`` display columns; Chinese may break between any two
    characters, other text at spaces."""
    lines, line = [], indent
    for token in re.findall(r"[\u3000-\u9fff\uff00-\uffef]|\S+\s*|\s+", text):
        if width(line) + width(token.rstrip()) > columns and line.strip():
            lines.append(line.rstrip())
            line = indent
            token = token.lstrip()
        line += token
    if line.strip():
        lines.append(line.rstrip())
    return "\n".join(lines)


class HelpFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = _("Usage:") + ("" if language() == "zh" else " ")
        super().write_usage(prog, args, prefix)

    def write_heading(self, heading: str) -> None:
        if language() != "zh":
            return super().write_heading(heading)
        self.write(f"{'':>{self.current_indent}}{_(heading)}：\n")

    def write_text(self, text: str) -> None:
        if language() != "zh":
            return super().write_text(text)
        indent = " " * self.current_indent
        blocks = []
        for p in paragraphs(text):
            if p.startswith("\b"):
                blocks.append("\n".join(indent + line
                                        for line in p.lstrip("\b").strip("\n").splitlines()))
            else:
                blocks.append(wrap_wide(p, self.width, indent))
        self.write("\n\n".join(blocks) + "\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30,
                 col_spacing: int = 2) -> None:
        super().write_dl([(term, translate_option_help(text)) for term, text in rows],
                         col_max, col_spacing)


class Context(click.Context):
    formatter_class = HelpFormatter


class Command(click.Command):
    """A command whose help is shown in the ``--lang`` language."""

    context_class = Context

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.help is None:
            return super().format_help_text(ctx, formatter)
        text = translate_help(inspect.cleandoc(self.help).partition("\f")[0])
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(text)

    def get_short_help_str(self, limit: int = 45) -> str:
        return short_help(self, limit)


class Group(click.Group):
    """A group whose help, and its commands' help, is shown in the ``--lang`` language."""

    context_class = Context
    command_class = Command
    group_class = type  # subgroups are of this class too

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        Command.format_help_text(self, ctx, formatter)  # type: ignore[arg-type]

    def get_short_help_str(self, limit: int = 45) -> str:
        return short_help(self, limit)


def short_help(cmd: Any, limit: int) -> str:
    """The first sentence of the translated help, cut to ``limit`` display columns."""
    if not cmd.help:
        return ""
    first = translate_help(inspect.cleandoc(cmd.help)).split("\n\n")[0]
    sentence = re.split(r"(?<=[.。:：])\s|(?<=[。：])", first, maxsplit=1)[0].strip()
    sentence = sentence.rstrip(".:：。")
    if width(sentence) <= limit:
        return sentence
    out = ""
    for ch in sentence:
        if width(out + ch) > limit - 3:
            break
        out += ch
    return out.rstrip() + "..."


def help_texts(group: click.Command, ctx: click.Context | None = None) -> list[str]:
    """Every msgid of the help of ``group`` and of all its commands: their help paragraphs,
    option help (without click's suffix) and the help option's own line."""
    import importlib

    ctx = ctx or click.Context(group, info_name=group.name)
    out = list(help_msgids(group.help)) if group.help else []
    for param in group.params:
        text = getattr(param, "help", None)
        if text:
            out.append(" ".join(text.split()))
    if isinstance(group, click.Group):
        lazy = getattr(group, "lazy", {})
        for name in group.list_commands(ctx):
            if name in lazy:
                module, attr = lazy[name].split(":")
                cmd = getattr(importlib.import_module(module), attr)
            else:
                cmd = group.get_command(ctx, name)
            out += help_texts(cmd, click.Context(cmd, info_name=name, parent=ctx))
    return out
