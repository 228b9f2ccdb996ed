"""The README is tested: the tour's commands give the output shown, and every command has help
with an example and appears in the command reference (STYLE 10)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from tenderflow.cli import COMMANDS, cli

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
TF = str(Path(sys.executable).parent / "tenderflow")


def tour_blocks() -> list[list[str]]:
    section = README.split("## A 5-minute tour", 1)[1].split("\n## ", 1)[0]
    return [b.strip().splitlines() for b in re.findall(r"```console\n(.*?)```", section, re.S)]


def test_the_tour_gives_the_output_shown(tmp_path: Path) -> None:
    env = {**os.environ}
    for name in ("TENDERFLOW_DB", "TENDERFLOW_LATE_REASON", "TENDERFLOW_RECEIPT"):
        env.pop(name, None)  # the tour sets what it needs
    steps = 0
    for block in tour_blocks():
        i = 0
        while i < len(block):
            line = block[i]
            assert line.startswith("$ "), line
            expected = []
            i += 1
            while i < len(block) and not block[i].startswith("$ "):
                expected.append(block[i])
                i += 1
            command = line[2:].split("  #")[0].strip()
            if command.startswith("export "):
                key, value = command[len("export "):].split("=", 1)
                env[key] = value
                continue
            if command == "echo $?":
                assert str(last.returncode) == expected[0]
                continue
            args = shlex.split(command)
            assert args[0] == "tenderflow"
            args = [a.replace("examples/", f"{ROOT}/examples/") for a in args[1:]]
            last = subprocess.run([TF, *args], cwd=tmp_path, env=env, capture_output=True,
                                  text=True, timeout=120)
            got = (last.stdout + last.stderr).strip().splitlines()
            # The schema revision moves with every migration; the README shows one of them.
            got = [re.sub(r"revision \d+", "revision N", g) for g in got]
            expected = [re.sub(r"revision \d+", "revision N", e) for e in expected]
            assert got == expected, f"{command}\nREADME: {expected}\nactual: {got}"
            steps += 1
    assert steps >= 10


def test_every_command_has_help_with_an_example_and_is_in_the_reference() -> None:
    runner = CliRunner()
    reference = README.split("## Command reference", 1)[1].split("\n## ", 1)[0]
    seen = 0
    for name in COMMANDS:
        res = runner.invoke(cli, [name, "--help"])
        assert res.exit_code == 0, name
        command = cli.get_command(None, name)  # type: ignore[arg-type]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for sub in subcommands:
                sub_help = runner.invoke(cli, [name, sub, "--help"]).output
                assert "Example" in sub_help, f"{name} {sub} --help has no example"
                assert f"`tenderflow {name} {sub}" in reference, f"{name} {sub} not in README"
                seen += 1
        else:
            assert "Example" in res.output, f"{name} --help has no example"
            assert f"`tenderflow {name}" in reference, f"{name} not in the README reference"
            seen += 1
    assert seen >= len(COMMANDS)
