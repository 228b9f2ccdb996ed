"""The guards a workflow names, known without importing the whole domain (issue 17,
tenderflow.workflow.guards): the index is GUARDS' own (name → defining module), kept under the
digest of the domain's sources, recomputed when an entry is damaged or the domain changes; a
guard looked up lazily is the very guard GUARDS holds; a workflow naming no guard is refused as
before."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tenderflow.domain.state import GUARDS
from tenderflow.errors import InputError
from tenderflow.paths import workflows_dir
from tenderflow.workflow import guards
from tenderflow.workflow.definitions import load_yaml, parse_workflow
from tests.conftest import ROOT


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TENDERFLOW_CACHE_DIR", str(tmp_path / "cache"))
    guards.guard_index.cache_clear()
    yield tmp_path / "cache"
    guards.guard_index.cache_clear()


def _entry(cache: Path) -> Path:
    (entry,) = (cache / "guards").iterdir()
    return entry


def test_the_index_is_guards_own(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = {name: spec.fn.__module__ for name, spec in GUARDS.items()}
    monkeypatch.setattr(guards, "_loaded", lambda: None)  # as in a fresh command
    assert guards.guard_index() == expected
    entry = _entry(cache)
    assert entry.name == f"{guards.domain_digest()}.json"
    assert json.loads(entry.read_bytes()[32:]) == expected
    guards.guard_index.cache_clear()
    monkeypatch.setattr(guards, "_computed", lambda: pytest.fail("computed again"))
    assert guards.guard_index() == expected  # read back


def test_a_damaged_entry_is_computed_again(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guards, "_loaded", lambda: None)
    expected = guards.guard_index()
    entry = _entry(cache)
    kept = entry.read_bytes()
    for damaged in (kept[:32] + kept[32:].replace(b"tenderflow.domain.", b"tenderflow.domaim."),
                    b"short", kept[:32] + b"{}", b""):
        entry.write_bytes(damaged)
        guards.guard_index.cache_clear()
        assert guards.guard_index() == expected
        assert entry.read_bytes() == kept  # written anew
    # an entry that is an index by its digest but not of domain modules is not used either
    body = json.dumps({"x": "os"}).encode()
    assert guards._read(_write(entry, body)) is None


def _write(path: Path, body: bytes) -> Path:
    from hashlib import sha256

    path.write_bytes(sha256(body).digest() + body)
    return path


def test_the_digest_follows_every_domain_source(tmp_path: Path) -> None:
    copy = tmp_path / "domain"
    shutil.copytree(guards.DOMAIN, copy, ignore=shutil.ignore_patterns("__pycache__"))
    digest = guards.domain_digest(copy)
    assert digest == guards.domain_digest(guards.DOMAIN)
    target = copy / "components" / "bonds.py"
    target.write_text(target.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert guards.domain_digest(copy) != digest
    target.rename(copy / "components" / "bonds2.py")  # a file renamed is another domain
    assert guards.domain_digest(copy) not in (digest, guards.domain_digest(copy / ".."))
    with pytest.raises(OSError):
        guards.domain_digest(tmp_path / "empty")


def test_an_unwritable_cache_costs_time_not_the_index(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TENDERFLOW_CACHE_DIR", str(blocker / "sub"))
    monkeypatch.setattr(guards, "_loaded", lambda: None)
    guards.guard_index.cache_clear()
    try:
        assert guards.guard_index() == {n: s.fn.__module__ for n, s in GUARDS.items()}
    finally:
        guards.guard_index.cache_clear()


def test_a_guard_looked_up_lazily_is_the_guard_of_guards(tmp_path: Path) -> None:
    """In a fresh interpreter (the index kept by an earlier one): every guard taken from the
    lazy table, without importing tenderflow.domain.state, is the same function with the same
    spec as GUARDS holds."""
    fill = "from tenderflow.workflow.guards import guard_index\nguard_index()\n"
    probe = (
        "import sys, json\n"
        "from tenderflow.workflow.guards import GUARD_TABLE\n"
        "specs = {n: GUARD_TABLE[n] for n in sorted(GUARD_TABLE)}\n"
        "assert 'tenderflow.domain.state' not in sys.modules\n"
        "print(json.dumps({n: [s.name, s.rule, s.source, list(s.needs), s.selects, s.computes,"
        " s.fn.__module__, s.fn.__qualname__] for n, s in specs.items()}))\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TENDERFLOW_CACHE_DIR": str(tmp_path)}
    for code in (fill, probe):
        r = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=False,
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr[-2000:]
    assert json.loads(r.stdout) == {
        n: [s.name, s.rule, s.source, list(s.needs), s.selects, s.computes, s.fn.__module__,
            s.fn.__qualname__] for n, s in sorted(GUARDS.items())}


def test_a_workflow_naming_no_guard_is_refused(cache: Path) -> None:
    path = workflows_dir() / "delegation.yaml"
    data = load_yaml(path)
    data["transitions"][1]["guards"] = [*data["transitions"][1].get("guards", []), "no_such"]
    with pytest.raises(InputError, match="no guard named 'no_such'") as info:
        parse_workflow(data, str(path))
    assert info.value.context["file"] == str(path)
    assert info.value.context["field"] == "guards"
    assert info.value.context["location"].startswith("transitions[1]")
