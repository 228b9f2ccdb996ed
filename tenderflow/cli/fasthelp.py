"""``tenderflow --help`` without importing click (issue 17: within 2× ``python -c pass``).

The top-level help is rendered by click (:mod:`tenderflow.cli.root`, :mod:`tenderflow.cli.help`)
from the command modules' docstrings, the catalogue and click itself. The text it printed is
kept in the per-user cache (:func:`tenderflow.usercache.cache_dir`) for its language and width,
with the SHA-256 of every tenderflow file it was rendered from (each ``tenderflow`` module
loaded while rendering, and the catalogue), the RECORD of the installed click and the Python
version. The next ``--help`` in that language and width prints the kept text when every one of
those still matches; otherwise click renders it again (and the cache is renewed). So an
edited docstring, catalogue or click release is shown at once, and a lost or unwritable cache
costs time, never a wrong help.

Only the plain forms are answered here: ``--help`` or ``-h``, with at most a ``--lang zh|en``
(or ``--lang=…``); anything else, or ``$TENDERFLOW_LANG`` not zh/en, goes to click.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

TYPE_CHECKING = False  # typing is not imported: it costs ~3 ms
if TYPE_CHECKING:
    from typing import Any

FORMAT = "1"
LANGUAGES = ("zh", "en")  # tenderflow.i18n.LANGUAGES (a test keeps them equal)
PACKAGE = Path(__file__).resolve().parents[1]


def help_request(args: list[str]) -> str | None:
    """The language of a plain top-level help request, or None for anything else."""
    env = os.environ.get("TENDERFLOW_LANG")
    if env not in (None, "", *LANGUAGES):
        return None
    lang, helps, rest = env or "zh", 0, list(args)
    while rest:
        arg = rest.pop(0)
        if arg in ("--help", "-h"):
            helps += 1
        elif arg == "--lang" and rest and rest[0] in LANGUAGES:
            lang = rest.pop(0)
        elif arg.startswith("--lang=") and arg[len("--lang="):] in LANGUAGES:
            lang = arg[len("--lang="):]
        else:
            return None
    return lang if helps == 1 else None


def help_width() -> int:
    """The width click's HelpFormatter wraps to: ``max(min(columns, 80) - 2, 50)``, with the
    columns as :func:`shutil.get_terminal_size` finds them (not imported: it costs ~2 ms)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
        columns = columns or 80
    return max(min(columns, 80) - 2, 50)


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _click_record() -> str | None:
    from tenderflow.app.usercache import installed

    found = installed("click")
    return hashlib.sha256(found[1]).hexdigest() if found else None


def _entry_file(lang: str, width: int) -> Path:
    from tenderflow.app.usercache import cache_dir

    return cache_dir() / f"help-{lang}-{width}.json"


def remembered(lang: str, width: int) -> str | None:
    """The kept help for ``lang`` and ``width`` when everything it was rendered from is
    unchanged, else None."""
    try:
        entry: dict[str, Any] = json.loads(_entry_file(lang, width).read_text(encoding="utf-8"))
        if entry.get("format") != FORMAT or entry.get("python") != sys.version:
            return None
        files = entry["files"]
        if not files or not isinstance(entry["text"], str):
            return None
        for name, digest in files.items():
            if _sha256(PACKAGE / name) != digest:
                return None
        if entry["click"] is None or entry["click"] != _click_record():
            return None
        return entry["text"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def render(lang: str, width: int) -> str:
    """The top-level help as click prints it for ``--help`` in ``lang`` at ``width``."""
    from tenderflow.cli.root import cli

    ctx = cli.make_context("tenderflow", ["--lang", lang], resilient_parsing=True,
                           terminal_width=width)
    return ctx.get_help()


def remember(lang: str, width: int, text: str) -> None:
    """Keep ``text`` with the digests of the tenderflow files loaded to render it."""
    from tenderflow.app.usercache import write_atomically
    from tenderflow.i18n import CATALOGUE

    files: dict[str, str | None] = {}
    sources = [getattr(m, "__file__", None) for m in list(sys.modules.values())]
    for source in [*sources, str(CATALOGUE)]:
        if not source:
            continue
        path = Path(source).resolve()
        if path.is_relative_to(PACKAGE):
            files[path.relative_to(PACKAGE).as_posix()] = _sha256(path)
    if any(d is None for d in files.values()):
        return
    entry = {"format": FORMAT, "python": sys.version, "click": _click_record(),
             "lang": lang, "width": width, "files": dict(sorted(files.items())), "text": text}
    try:
        write_atomically(_entry_file(lang, width), json.dumps(entry, ensure_ascii=False))
    except OSError:
        pass


def answer_help(args: list[str]) -> bool:
    """Print the top-level help for a plain ``--help`` request and say so; False (nothing
    printed) for any other command line."""
    lang = help_request(args)
    if lang is None:
        return False
    width = help_width()
    text = remembered(lang, width)
    if text is None:
        text = render(lang, width)
        remember(lang, width, text)
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (``| head``): as click does, exit 1 quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    return True
