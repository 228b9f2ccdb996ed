"""Policy YAML parsed once per file content (issue 17): read back from the per-user cache it is
the same data, a changed file is parsed anew, a damaged entry is never used, and files that are
not policy (a user's scenario or data file) are never kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenderflow import schemacheck, yamlio
from tenderflow.paths import workflows_dir
from tenderflow.workflow import definitions
from tenderflow.workflow.definitions import load_yaml


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(schemacheck.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _refuse(text: str) -> None:
    raise AssertionError("parsed again")


@pytest.mark.parametrize("name", sorted(p.name for p in workflows_dir().glob("*.yaml")))
def test_a_policy_file_read_back_is_the_parsed_file(name: str, cache_dir: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = workflows_dir() / name
    parsed = load_yaml(path)
    assert load_yaml(path, remember=True) == parsed
    monkeypatch.setattr(yamlio, "safe_load", _refuse)
    again = load_yaml(path, remember=True)
    assert again == parsed and list(again) == list(parsed)  # same keys in the same order
    assert again is not load_yaml(path, remember=True)  # a fresh object each time


def test_a_changed_file_or_a_damaged_entry_is_parsed_anew(tmp_path: Path, cache_dir: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("a: 1\nb: [x, on, 2023-01-01]\n3: {c: ~}\n", encoding="utf-8")
    first = load_yaml(path, remember=True)
    assert first == {"a": 1, "b": ["x", "on", "2023-01-01"], 3: {"c": None}}
    (entry,) = (cache_dir / "yaml").iterdir()
    path.write_text("a: 2\n", encoding="utf-8")
    assert load_yaml(path, remember=True) == {"a": 2}
    path.write_text("a: 1\nb: [x, on, 2023-01-01]\n3: {c: ~}\n", encoding="utf-8")
    kept = entry.read_bytes()
    entry.write_bytes(kept[:32] + kept[32:].replace(b"x", b"y"))  # data no longer its digest
    assert load_yaml(path, remember=True) == first
    assert entry.read_bytes() == kept  # written anew
    entry.write_bytes(b"short")
    assert load_yaml(path, remember=True) == first
    # bad YAML is still an InputError naming the file, and nothing is kept for it
    path.write_text("a: [1\n", encoding="utf-8")
    with pytest.raises(Exception, match="not valid YAML") as info:
        load_yaml(path, remember=True)
    assert info.value.context["file"] == str(path)  # type: ignore[attr-defined]
    assert len(list((cache_dir / "yaml").iterdir())) == 2


def test_only_policy_files_are_kept(tmp_path: Path, cache_dir: Path) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text("steps: []\n", encoding="utf-8")
    assert load_yaml(path) == {"steps": []}
    assert not cache_dir.exists()


def test_an_unwritable_cache_costs_time_not_the_data(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(schemacheck.CACHE_ENV, str(blocker / "sub"))
    path = workflows_dir() / "delegation.yaml"
    assert load_yaml(path, remember=True) == load_yaml(path)


def test_the_key_covers_the_installed_pyyaml_and_the_loader(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """PyYAML is named by its RECORD (every file pip installed, libyaml's extension with its
    hash), read without importing it; without a RECORD, by its version and yamlio's loader."""
    from tenderflow.usercache import installed

    found = installed("yaml", "PyYAML")
    assert found is not None and b"yaml/__init__.py" in found[1]
    key = definitions._parser_key()
    definitions._parser_key.cache_clear()
    try:
        monkeypatch.setattr(definitions, "installed",
                            lambda *a: (found[0], found[1] + b"yaml/_yaml.so,sha256=other,1\n"))
        assert definitions._parser_key() != key
        definitions._parser_key.cache_clear()
        monkeypatch.setattr(definitions, "installed", lambda *a: None)
        without = definitions._parser_key()
        assert without != key
        definitions._parser_key.cache_clear()
        monkeypatch.setattr(yamlio, "SafeBase", type("PurePython", (), {}))
        assert definitions._parser_key() not in (key, without)
    finally:
        definitions._parser_key.cache_clear()
