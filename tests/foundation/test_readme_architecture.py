"""The README's architecture section names modules that exist (issue 13).

Every path the section "How it is built" names — ``tenderflow/...``, ``workflows/...``,
``tests/...``, ``features/`` — must exist, and every top-level subpackage of tenderflow must be
named in it, so the picture cannot drift from the code without a test failing.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PATH = re.compile(r"(?<![\w/.])((?:tenderflow|workflows|tests|features)/[\w/.<>*-]*)")


def architecture_section(readme: str) -> str:
    start = readme.index("## How it is built\n")
    end = readme.index("\n## ", start + 1)
    return readme[start:end]


def named_paths(section: str) -> list[str]:
    return sorted({m.rstrip(".,)") for m in PATH.findall(section)})


def missing(section: str, root: Path = ROOT) -> list[str]:
    out = []
    for name in named_paths(section):
        if "<" in name or "*" in name:  # a pattern: its fixed prefix must exist
            name = re.split(r"[<*]", name)[0]
        if not (root / name).exists():
            out.append(name)
    return out


def test_every_path_the_architecture_section_names_exists() -> None:
    section = architecture_section((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(named_paths(section)) > 20
    assert missing(section) == []


def test_every_module_named_by_file_name_exists() -> None:
    """Bare names (``procurement.py``, ``decisions.py``) name a module somewhere in the
    package."""
    section = architecture_section((ROOT / "README.md").read_text(encoding="utf-8"))
    bare = set(re.findall(r"(?<![\w/.])(\w+\.py)\b", section))
    assert {"procurement.py", "decisions.py", "calculators.py", "fold.py"} <= bare
    modules = {p.name for p in (ROOT / "tenderflow").rglob("*.py")}
    assert sorted(bare - modules) == []


def test_every_subpackage_is_in_the_picture() -> None:
    section = architecture_section((ROOT / "README.md").read_text(encoding="utf-8"))
    packages = sorted(p.name for p in (ROOT / "tenderflow").iterdir()
                      if (p / "__init__.py").exists())
    assert [p for p in packages if f"tenderflow/{p}/" not in section] == []


def test_the_check_sees_a_path_that_is_gone(tmp_path: Path) -> None:
    (tmp_path / "tenderflow" / "domain").mkdir(parents=True)
    section = "`tenderflow/domain/` and `tenderflow/domain/gone.py`, `workflows/<mode>.yaml`"
    assert missing(section, tmp_path) == ["tenderflow/domain/gone.py", "workflows/"]
