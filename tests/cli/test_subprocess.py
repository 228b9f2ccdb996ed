"""The installed ``tenderflow`` command in real processes: start-up imports, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tenderflow.paths import examples_dir

# The console script installed beside this Python (what a user runs).
TF = [str(Path(sys.executable).parent / "tenderflow")]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TENDERFLOW_ACTOR": "staff:wang"}
    return subprocess.run([*TF, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def test_help_imports_no_heavy_library(tmp_path: Path) -> None:
    code = ("import sys; from tenderflow.cli import cli\n"
            "try:\n    cli(['--help'], prog_name='tenderflow')\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('sqlalchemy', 'reportlab', 'pyhanko', 'alembic', 'transitions')"
            " if m in sys.modules]\nprint('HEAVY', heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=tmp_path, timeout=60).stdout
    assert "HEAVY []" in out
    assert "status" in out and "workflow" in out


def test_failing_example_ends_failed_with_exit_0(tmp_path: Path) -> None:
    res = run("run", str(examples_dir() / "negotiation_failed.yaml"), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "CN-2023-002=failed" in res.stdout
    assert (tmp_path / "tenderflow.db").exists()  # the default --db in the current folder


def test_refused_fire_and_bad_file_exit_codes(tmp_path: Path) -> None:
    assert run("run", str(examples_dir() / "negotiation_award.yaml"), cwd=tmp_path).returncode == 0
    bad = tmp_path / "bad.json"
    bad.write_text('{"reason": ', encoding="utf-8")
    res = run("fire", "CN-2023-001", "cancel", "--data", str(bad), cwd=tmp_path)
    assert res.returncode == 2 and "bad.json" in res.stderr and "Traceback" not in res.stderr
    res = run("fire", "CN-2023-001", "award", cwd=tmp_path)
    assert res.returncode == 1 and "final state" not in res.stderr
    assert "not possible in state 'awarded'" in res.stderr
