"""``tenderflow --help`` answered without click (issue 17): the very text click prints, in both
languages and any width, and rendered again as soon as a file it came from changes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tenderflow import i18n
from tenderflow.cli import fasthelp

TF = [str(Path(sys.executable).parent / "tenderflow")]


def run(args: list[str], cache: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "TENDERFLOW_LANG")}
    return subprocess.run([*TF, *args], env={**full, "TENDERFLOW_CACHE_DIR": str(cache), **env},
                          capture_output=True, text=True, timeout=60, check=False)


def clicks(args: list[str], **env: str) -> str:
    """What click itself prints (tenderflow.cli.root, no fast path) in a process like the
    command's: CliRunner forces 80 columns, a real process wraps at ``min(columns, 80) - 2``."""
    full = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "TENDERFLOW_LANG")}
    res = subprocess.run([sys.executable, "-c", "from tenderflow.cli.root import main; main()",
                          *args], env={**full, **env}, capture_output=True, text=True, check=False,
                         timeout=60)
    assert res.returncode == 0, res.stderr
    return res.stdout


@pytest.mark.parametrize(("args", "env"), [
    (["--help"], {}),
    (["-h"], {}),
    (["--lang", "en", "--help"], {}),
    (["--help", "--lang=zh"], {"TENDERFLOW_LANG": "en"}),
    (["--help"], {"TENDERFLOW_LANG": "en", "COLUMNS": "60"}),
    (["--lang", "zh", "-h"], {"COLUMNS": "200"}),
])
def test_help_is_what_click_prints_cold_and_warm(args: list[str], env: dict[str, str],
                                                 tmp_path: Path) -> None:
    expected = clicks(args, **env)
    for _ in range(2):  # rendered by click and kept, then read back
        res = run(args, tmp_path, **env)
        assert res.returncode == 0, res.stderr
        assert res.stdout == expected
    assert len(list(tmp_path.glob("help-*.json"))) == 1


def test_warm_help_imports_neither_click_nor_a_command(tmp_path: Path) -> None:
    code = ("import sys; sys.argv = ['tenderflow', '--help']\n"
            "from tenderflow.cli import main; main()\n"
            "print('LOADED', sorted(m for m in sys.modules if m == 'click' or "
            "m.startswith('tenderflow.cli.') and m != 'tenderflow.cli.fasthelp'))")
    env = {**os.environ, "TENDERFLOW_CACHE_DIR": str(tmp_path)}
    outs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=False,
                           text=True, timeout=60).stdout for _ in range(2)]
    assert "'click'" in outs[0]  # cold: click rendered it
    assert "LOADED []" in outs[1]
    assert "status" in outs[1] and "workflow" in outs[1]


def test_a_changed_source_renders_the_help_again(tmp_path: Path) -> None:
    """An entry is used only while every file it was rendered from has the digest it kept."""
    expected = run(["--help"], tmp_path).stdout
    (entry,) = tmp_path.glob("help-zh-*.json")
    kept = json.loads(entry.read_text(encoding="utf-8"))
    assert "cli/procurement.py" in kept["files"]
    assert "locale/zh/LC_MESSAGES/tenderflow.po" in kept["files"]
    for change in ({"files": {**kept["files"], "cli/procurement.py": "0"}},
                   {"files": {**kept["files"], "locale/zh/LC_MESSAGES/tenderflow.po": "0"}},
                   {"click": "0"}, {"python": "2.7"}, {"format": "0"}):
        # a text kept with a digest that no longer matches is never printed
        stale = {**kept, **change, "text": "stale help"}
        entry.write_text(json.dumps(stale), encoding="utf-8")
        res = run(["--help"], tmp_path)
        assert res.stdout == expected
        assert json.loads(entry.read_text(encoding="utf-8"))["text"] != "stale help"
    entry.write_text("{broken", encoding="utf-8")
    assert run(["--help"], tmp_path).stdout == expected


def test_an_unwritable_cache_still_answers(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    res = run(["--lang", "en", "--help"], blocker / "sub")
    assert res.returncode == 0 and res.stdout == clicks(["--lang", "en", "--help"])


@pytest.mark.parametrize(("args", "env", "lang"), [
    (["--help"], None, "zh"),
    (["-h"], "en", "en"),
    (["--lang", "en", "--help"], None, "en"),
    (["--help", "--lang=en"], "zh", "en"),
    (["--help", "--help"], None, None),
    (["status", "--help"], None, None),
    (["--db", "x", "--help"], None, None),
    (["--lang", "fr", "--help"], None, None),
    (["--lang"], None, None),
    ([], None, None),
    (["--help"], "fr", None),
])
def test_only_plain_help_requests_are_answered(args: list[str], env: str | None,
                                               lang: str | None,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    if env is None:
        monkeypatch.delenv("TENDERFLOW_LANG", raising=False)
    else:
        monkeypatch.setenv("TENDERFLOW_LANG", env)
    assert fasthelp.help_request(args) == lang


def test_languages_are_the_catalogues() -> None:
    assert fasthelp.LANGUAGES == i18n.LANGUAGES


def test_a_reader_gone_away_ends_quietly_with_1_as_click_does(tmp_path: Path) -> None:
    env = {**os.environ, "TENDERFLOW_CACHE_DIR": str(tmp_path)}
    for _ in range(2):  # cold (click prints) and warm (the kept text)
        with subprocess.Popen([*TF, "--help"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) as proc:
            assert proc.stdout is not None and proc.stderr is not None
            proc.stdout.close()
            err = proc.stderr.read()
            assert proc.wait(timeout=60) == 1 and err == b""
