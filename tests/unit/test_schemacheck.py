"""The meta-schema check is remembered only for schemas that passed it, by their exact text."""

from __future__ import annotations

from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from tenderflow import schemacheck

VALID = {"type": "object", "properties": {"n": {"type": "integer"}}}
INVALID = {"type": "object", "properties": {"n": {"type": "integr"}}}


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(schemacheck.CACHE_ENV, str(tmp_path))
    schemacheck._valid_keys.cache_clear()
    yield tmp_path
    schemacheck._valid_keys.cache_clear()


def test_a_valid_schema_is_checked_once_then_remembered(cache_dir: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    schemacheck.check_schema(VALID)
    assert (cache_dir / "valid-schemas.txt").read_text().split() == [schemacheck._key(VALID)]
    schemacheck._valid_keys.cache_clear()  # a new process reads the file
    walked: list[object] = []
    monkeypatch.setattr(Draft202012Validator, "check_schema",
                        classmethod(lambda cls, s: walked.append(s)))
    schemacheck.check_schema(VALID)
    assert walked == []
    schemacheck.check_schema({**VALID, "title": "edited"})  # new text: checked again
    assert walked == [{**VALID, "title": "edited"}]


def test_an_invalid_schema_is_refused_every_time_and_never_remembered(cache_dir: Path) -> None:
    for _ in range(2):
        with pytest.raises(SchemaError):
            schemacheck.check_schema(INVALID)
    assert not (cache_dir / "valid-schemas.txt").exists()


def test_an_unwritable_cache_costs_time_not_the_check(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(schemacheck.CACHE_ENV, str(blocker / "sub"))
    schemacheck._valid_keys.cache_clear()
    try:
        schemacheck.check_schema(VALID)
        with pytest.raises(SchemaError):
            schemacheck.check_schema(INVALID)
    finally:
        schemacheck._valid_keys.cache_clear()


def test_the_jsonschema_release_in_the_key_is_the_installed_one() -> None:
    """Read from the .dist-info folder's name, without importing importlib.metadata (issue 17),
    it is what importlib.metadata says."""
    from importlib.metadata import version

    schemacheck._jsonschema_version.cache_clear()
    assert schemacheck._jsonschema_version() == version("jsonschema")
