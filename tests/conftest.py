"""Shared fixtures: a real SQLite file per test, services over it, example data, CLI runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tenderflow.domain.timeutil import parse_time
from tenderflow.paths import examples_dir

ROOT = Path(__file__).resolve().parent.parent

# PostgreSQL server and the backend-parametrized fixtures (tests/pg.py).
pytest_plugins = ("tests.pg",)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'tenderflow.db'}"


@pytest.fixture
def store(db_url: str) -> Iterator[Any]:
    from tenderflow.store.eventstore import EventStore

    s = EventStore(db_url)
    s.migrate()
    yield s
    s.dispose()


@pytest.fixture
def services(store: Any) -> Any:
    from tenderflow.services import Services

    return Services(store)


@pytest.fixture
def registered(services: Any) -> Any:
    """Services with the example projects and suppliers registered."""
    from tenderflow.registration import load_file

    data = examples_dir() / "data"
    services.register("projects", load_file(data / "projects.yaml", "projects"), "staff:test")
    services.register("suppliers", load_file(data / "suppliers.yaml", "suppliers"), "staff:test")
    return services


def at(text: str) -> Any:
    return parse_time(text)


@pytest.fixture
def cli_runner() -> Any:
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture
def invoke(cli_runner: Any, db_url: str) -> Any:
    """Invoke the CLI in-process against this test's database."""
    from tenderflow.cli import cli

    def run(*args: str, actor: str | None = "staff:wang") -> Any:
        base = ["--db", db_url]
        if actor:
            base += ["--as", actor]
        return cli_runner.invoke(cli, [*base, *args], catch_exceptions=False)

    return run


def pytest_configure(config: Any) -> None:
    """Register every tag used in features/ as a marker (rule ids tag the scenarios)."""
    import re

    tags: set[str] = set()
    for feature in (ROOT / "features").rglob("*.feature"):
        tags.update(re.findall(r"(?<![\w@])@([\w.\-]+)", feature.read_text(encoding="utf-8")))
    for tag in sorted(tags):
        config.addinivalue_line("markers", f"{tag}: policy rule tag from features/")
