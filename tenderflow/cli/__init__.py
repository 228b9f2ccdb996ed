"""The ``tenderflow`` command: a thin shell over the application services.

This package's own module is light on purpose: the entry point :func:`main` answers
``tenderflow --help`` (and ``-h``, ``--lang zh|en --help``) from the help remembered for the
exact files it was rendered from (:mod:`tenderflow.cli.fasthelp`) without importing click or
the command modules, and otherwise runs the click group of :mod:`tenderflow.cli.root`, which
this module also offers as ``tenderflow.cli.cli`` (with ``Ctx``, ``COMMANDS``…).
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not imported from typing: importing typing costs --help ~3 ms
if TYPE_CHECKING:
    from typing import Any

    from tenderflow.cli.root import COMMANDS, EXIT_CRASH, Ctx, cli

__all__ = ["COMMANDS", "EXIT_CRASH", "Ctx", "cli", "main"]


def main() -> None:
    from tenderflow.cli.fasthelp import answer_help

    if answer_help(sys.argv[1:]):
        return
    from tenderflow.cli.root import main as run

    run()


def __getattr__(name: str) -> Any:
    """``tenderflow.cli.cli``, ``Ctx``… from :mod:`tenderflow.cli.root`, imported when asked."""
    if name.startswith("__") or name in ("root", "fasthelp"):
        raise AttributeError(name)
    from importlib import import_module

    root = import_module("tenderflow.cli.root")  # not ``from tenderflow.cli import``: that
    try:  # would ask this function again
        return getattr(root, name)
    except AttributeError:
        raise AttributeError(f"module 'tenderflow.cli' has no attribute {name!r}") from None
