"""No module of the package over ~500 lines without a reason (issue 13).

A module that grows past the limit usually holds more than one job: split it by job. Where a
split would scatter one job across files, the module's docstring says why, in a paragraph that
starts with "Longer than 500 lines:".
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "tenderflow"
LIMIT = 500
REASON = "Longer than 500 lines:"


def long_modules_without_reason(root: Path = PACKAGE) -> list[str]:
    out = []
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        if lines <= LIMIT:
            continue
        doc = ast.get_docstring(ast.parse(text)) or ""
        if REASON not in doc:
            out.append(f"{path.relative_to(root.parent)}: {lines} lines")
    return out


def test_no_module_over_the_limit_without_a_reason() -> None:
    assert long_modules_without_reason() == []


def test_the_check_sees_a_long_module(tmp_path: Path) -> None:
    body = "x = 1\n" * (LIMIT + 1)
    (tmp_path / "long.py").write_text(f'"""A module."""\n{body}', encoding="utf-8")
    (tmp_path / "reasoned.py").write_text(f'"""A module.\n\n{REASON} one table."""\n{body}',
                                          encoding="utf-8")
    (tmp_path / "short.py").write_text('"""Short."""\nx = 1\n', encoding="utf-8")
    assert long_modules_without_reason(tmp_path) == [f"{tmp_path.name}/long.py: {LIMIT + 2} lines"]
