"""Time is an input (DESIGN §2): no module under tenderflow/ reads the wall clock except
tenderflow/clock.py, which the CLI uses for the default of --at and the store's recorded_at."""

from __future__ import annotations

import ast
from pathlib import Path

import tenderflow

PACKAGE = Path(tenderflow.__file__).parent
CLOCK = PACKAGE / "clock.py"
# (what is called, where it is looked up): datetime.now / datetime.utcnow / date.today /
# time.time, however the module or class is imported or aliased.
WALL_CLOCK = {"now": ("datetime",), "utcnow": ("datetime",), "today": ("date", "datetime"),
              "time": ("time",), "time_ns": ("time",)}


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def wall_clock_calls(source: str) -> list[tuple[int, str]]:
    """Calls that read the wall clock, with their line numbers."""
    tree = ast.parse(source)
    aliases: dict[str, str] = {}  # local name -> datetime | date | time (module or class)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name in ("datetime", "time"):
                    aliases[a.asname or a.name] = a.name
        elif isinstance(node, ast.ImportFrom) and node.module in ("datetime", "time"):
            for a in node.names:
                if a.name in ("datetime", "date"):
                    aliases[a.asname or a.name] = a.name
                elif node.module == "time" and a.name in ("time", "time_ns"):
                    aliases[a.asname or a.name] = "time()"
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and aliases.get(func.id) == "time()":
            found.append((node.lineno, func.id))
        if isinstance(func, ast.Attribute) and func.attr in WALL_CLOCK:
            owner = _dotted(func.value)
            last = owner.split(".")[-1]
            kind = aliases.get(owner, aliases.get(last, last if "." in owner else None))
            if kind in WALL_CLOCK[func.attr]:
                found.append((node.lineno, f"{owner}.{func.attr}"))
    return found


def test_only_the_clock_module_reads_the_wall_clock() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == CLOCK:
            continue
        for line, call in wall_clock_calls(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {call}()")
    assert not offenders, "only tenderflow/clock.py may read the wall clock:\n" + "\n".join(
        offenders)


def test_the_clock_module_does_read_it() -> None:
    assert wall_clock_calls(CLOCK.read_text(encoding="utf-8"))


def test_the_scan_finds_every_spelling() -> None:
    source = """
import datetime
import datetime as dt
import time
from datetime import date, datetime as DT
from time import time as now_seconds
datetime.datetime.now()
dt.datetime.now(dt.UTC)
dt.date.today()
DT.now()
DT.utcnow()
date.today()
time.time()
now_seconds()
datetime.date(2023, 3, 1)
DT.fromisoformat("2023-03-01")
"""
    assert sorted(line for line, _ in wall_clock_calls(source)) == list(range(7, 15))
