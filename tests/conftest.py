"""Shared fixtures: a real SQLite file per test, services over it, example data, CLI runner."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tenderflow.domain.entry import Entry
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


# The generic event types the store's own tests append ("Thing", ...): not tenderflow's, so
# the catalogue those tests' store checks against is tenderflow's plus these (any payload).
GENERIC_TYPES = ("Thing", "Other", "Two", "Three", "Big", "LegacyBid")


def with_generic_events(store: Any) -> Any:
    """``store``, accepting the generic event types besides the catalogued ones."""
    from tenderflow.events.catalogue import EventType, catalogue

    store.events = catalogue().extended(*(EventType(name, 1, {"type": "object"})
                                          for name in GENERIC_TYPES))
    return store


# Tests record procurements of 2023–2024 now, years after they happened: as late entries
# (tenderflow.domain.entry), with this reason and receipt. Tests of the late-entry rule itself
# build their services without it.
HISTORIC = Entry(reason="test: a historic record entered after the fact",
                 receipt="test: the receipt in the procurement file")
# The same for the CLI (the options --late-reason and --receipt read these).
HISTORIC_ENV = {"TENDERFLOW_LATE_REASON": HISTORIC.reason, "TENDERFLOW_RECEIPT": HISTORIC.receipt}
# Subprocesses the tests start (the real tenderflow command) inherit them too; a test of the
# late-entry rule removes them from the environment it gives.
os.environ.update(HISTORIC_ENV)
# The CLI's words in English (--lang, $TENDERFLOW_LANG; the default is zh): the tests read the
# English messages; a test of the Chinese output says --lang zh.
os.environ["TENDERFLOW_LANG"] = "en"
# The business time the example projects and suppliers are registered at (before every
# procurement the tests open), so that no test depends on the day it runs.
REGISTERED_AT = "2023-01-03T09:00+08:00"


@pytest.fixture
def services(store: Any) -> Any:
    from tenderflow.app.procurement import Services

    return Services(store, entry=HISTORIC)


@pytest.fixture
def registered(services: Any) -> Any:
    """Services with the example projects and suppliers registered."""
    from tenderflow.app.registration import load_file

    data = examples_dir() / "data"
    when = parse_time(REGISTERED_AT)
    services.register("projects", load_file(data / "projects.yaml", "projects"), "staff:test",
                      when)
    services.register("suppliers", load_file(data / "suppliers.yaml", "suppliers"), "staff:test",
                      when)
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
        return cli_runner.invoke(cli, [*base, *args], catch_exceptions=False, env=HISTORIC_ENV)

    return run


def pytest_configure(config: Any) -> None:
    """Register every tag used in features/ as a marker (rule ids tag the scenarios)."""
    import re

    tags: set[str] = set()
    for feature in (ROOT / "features").rglob("*.feature"):
        tags.update(re.findall(r"(?<![\w@])@([\w.\-]+)", feature.read_text(encoding="utf-8")))
    for tag in sorted(tags):
        config.addinivalue_line("markers", f"{tag}: policy rule tag from features/")
