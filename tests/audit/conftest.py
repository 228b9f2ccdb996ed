"""Fixtures for the auditor's tests: a database with the negotiation examples recorded, an
attacker who edits the SQLite file directly, and an auditor's key pair."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tenderflow.paths import examples_dir
from tests.audit.attacker import Attacker
from tests.conftest import HISTORIC

AWARD = "procurement:CN-2023-001"
FAILED = "procurement:CN-2023-002"
PREFIX = "ocds-tndrfl"


@pytest.fixture(scope="session")
def recorded_template(tmp_path_factory: Any) -> Path:
    """Both competitive-negotiation examples, recorded once per test session."""
    from tenderflow.app.procurement import Services
    from tenderflow.app.scenario import run_scenario
    from tenderflow.store.eventstore import EventStore

    path = tmp_path_factory.mktemp("recorded") / "template.db"
    store = EventStore(f"sqlite:///{path}")
    store.migrate()
    services = Services(store, entry=HISTORIC)
    for name in ("negotiation_award.yaml", "negotiation_failed.yaml"):
        report = run_scenario(services, examples_dir() / name)
        assert report.ok, report.to_dict()
    store.dispose()
    return path


@pytest.fixture
def recorded(recorded_template: Path, db_url: str) -> Iterator[Any]:
    """Services over this test's own copy of the recorded examples (do not combine with the
    ``services`` fixture: this one owns the database at ``db_url``)."""
    from tenderflow.app.procurement import Services
    from tenderflow.store.eventstore import EventStore

    target = Path(db_url.removeprefix("sqlite:///"))
    source = sqlite3.connect(recorded_template)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()
    store = EventStore(db_url)
    yield Services(store, entry=HISTORIC)
    store.dispose()


@pytest.fixture
def db_path(db_url: str) -> Path:
    return Path(db_url.removeprefix("sqlite:///"))


@pytest.fixture
def attacker(recorded: Any, db_path: Path) -> Attacker:
    return Attacker(db_path)


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    from tenderflow.audit.seal import generate_key

    private, public, _ = generate_key(tmp_path / "auditor.pem")
    return private, public


@pytest.fixture(scope="session")
def all_examples(tmp_path_factory: Any) -> Path:
    """Every example scenario recorded in one database (the demo's way)."""
    from tenderflow.app.procurement import Services
    from tenderflow.app.scenario import run_scenario
    from tenderflow.store.eventstore import EventStore

    path = tmp_path_factory.mktemp("examples") / "all.db"
    store = EventStore(f"sqlite:///{path}")
    store.migrate()
    services = Services(store, entry=HISTORIC)
    for scenario in sorted(examples_dir().glob("*.yaml")):
        report = run_scenario(services, scenario)
        assert report.ok, (scenario.name, report.to_dict())
    store.dispose()
    return path


@pytest.fixture(scope="session")
def package(all_examples: Path, tmp_path_factory: Any) -> dict[str, Any]:
    """The OCDS export of every example scenario."""
    from tenderflow.audit.export import export_ocds
    from tenderflow.store.eventstore import EventStore

    store = EventStore(f"sqlite:///{all_examples}")
    out = tmp_path_factory.mktemp("ocds") / "ocds.json"
    try:
        export_ocds(store, out, prefix=PREFIX, publisher="成都市青羊区财政局")
    finally:
        store.dispose()
    return dict(json.loads(out.read_text(encoding="utf-8")))


def processes(package: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for r in package["releases"]:
        out.setdefault(r["ocid"].removeprefix(f"{PREFIX}-"), []).append(r)
    return out
