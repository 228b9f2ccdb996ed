"""Fixtures for the agreement tests: the example award (CN-2023-001) in a database, demo keys
for its parties, and the agreement rendered and signed by the four parties in turn.

Business time: the document commands (``contract terms|render|sign|package``) run by
:meth:`Workspace.run` happen on the example agreement's date, 2023-04-07 from 09:30, half an
hour after the record's last step — unless a test gives ``--at`` itself — so that every test
gives the same result on any day it runs; they are recorded as late entries with the tests'
stated reason (``HISTORIC_ENV``).

The expensive states are built once per session and copied (SQLite file and PDFs) into each
test's own folder, so tests stay independent.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tenderflow.domain.timeutil import iso, parse_time
from tenderflow.paths import examples_dir
from tests.conftest import HISTORIC, HISTORIC_ENV

PID = "CN-2023-001"
ORDER = ["implementing_agency", "social_capital", "residents_committee", "subdistrict_office"]
TERMS = examples_dir() / "agreement" / "CN-2023-001-terms.yaml"
FINANCING = examples_dir() / "agreement" / "CN-2023-001-financing.yaml"
# The example agreement's date (agreement.date in TERMS); document steps are this far apart.
AGREEMENT_DAY = parse_time("2023-04-07T09:00+08:00")
STEP = timedelta(minutes=30)
DOCUMENT_COMMANDS = ("terms", "render", "sign", "package", "notice")


@dataclass
class Workspace:
    """A test's folder with its own database (and whatever files the state needs)."""

    folder: Path
    runner: CliRunner

    @property
    def db(self) -> str:
        return f"sqlite:///{self.folder / 'tenderflow.db'}"

    def path(self, name: str) -> Path:
        return self.folder / name

    def run(self, *args: str, actor: str | None = "staff:wang", as_json: bool = False,
            lang: str | None = None) -> Any:
        """The CLI; a document command without ``--at`` gets :meth:`next_at`; ``lang`` the
        ``--lang`` (default the session's, English: tests/conftest.py)."""
        from tenderflow.cli import cli

        base = ["--db", self.db] + (["--as", actor] if actor else [])
        base += ["--json"] if as_json else []
        base += ["--lang", lang] if lang else []
        extra: list[str] = []
        if args[:1] == ("contract",) and args[1:2] and args[1] in DOCUMENT_COMMANDS \
                and "--at" not in args:
            extra = ["--at", iso(self.next_at())]
        return self.runner.invoke(cli, [*base, *args, *extra], catch_exceptions=False,
                                  env=HISTORIC_ENV)

    def last_at(self) -> datetime:
        """The business time the procurement's record has reached."""
        return max(parse_time(e.occurred_at) for e in self.events())

    def next_at(self) -> datetime:
        """Half an hour after the record's last step, on the agreement's date at the earliest."""
        return max(self.last_at(), AGREEMENT_DAY) + STEP

    def services(self) -> Any:
        from tenderflow.app.procurement import Services
        from tenderflow.store.eventstore import EventStore

        return Services(EventStore(self.db), entry=HISTORIC)

    def events(self, types: tuple[str, ...] = ()) -> list[Any]:
        from tenderflow.store.eventstore import EventStore

        store = EventStore(self.db)
        try:
            with store.reading() as tx:
                return [e for e in tx.read_stream(f"procurement:{PID}")
                        if not types or e.type in types]
        finally:
            store.dispose()

    def version(self) -> int:
        return len(self.events())

    def sign(self, party: str, src: str = "agreement.pdf", dst: str | None = None,
             key: str | None = None, at: str | None = None, lang: str | None = None) -> Any:
        return self.run("contract", "sign", PID, "--party", party, "--key",
                        str(self.path(f"keys/{key or party}.p12")), "--passphrase", "demo",
                        "--in", str(self.path(src)), "--out", str(self.path(dst or src)),
                        *(("--at", at) if at else ()), lang=lang)


def _build(folder: Path, steps: Callable[[Workspace], None]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    steps(Workspace(folder, CliRunner()))
    return folder


def _awarded(ws: Workspace) -> None:
    from tenderflow.app.procurement import Services
    from tenderflow.app.scenario import run_scenario
    from tenderflow.store.eventstore import EventStore

    store = EventStore(ws.db)
    store.migrate()
    report = run_scenario(Services(store, entry=HISTORIC), examples_dir() / "negotiation_award.yaml")
    store.dispose()
    assert report.ok and report.states[PID] == "awarded", report.to_dict()
    res = ws.run("keys", "demo", PID, "--out", str(ws.path("keys")))
    assert res.exit_code == 0, res.output


def _signed(ws: Workspace) -> None:
    assert ws.run("contract", "terms", PID, str(TERMS)).exit_code == 0
    res = ws.run("contract", "render", PID, "--out", str(ws.path("agreement.pdf")))
    assert res.exit_code == 0, res.output
    shutil.copy(ws.path("agreement.pdf"), ws.path("rendered.pdf"))
    for party in ORDER:
        res = ws.sign(party)
        assert res.exit_code == 0, res.output
        shutil.copy(ws.path("agreement.pdf"), ws.path(f"after-{party}.pdf"))


@pytest.fixture(scope="session")
def _awarded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("awarded"), _awarded)


@pytest.fixture(scope="session")
def _signed_template(tmp_path_factory: pytest.TempPathFactory, _awarded_template: Path) -> Path:
    folder = tmp_path_factory.mktemp("signed") / "ws"
    shutil.copytree(_awarded_template, folder)
    return _build(folder, _signed)


def _copy(template: Path, tmp_path: Path) -> Workspace:
    folder = tmp_path / "ws"
    shutil.copytree(template, folder)
    return Workspace(folder, CliRunner())


@pytest.fixture
def awarded(_awarded_template: Path, tmp_path: Path) -> Workspace:
    """CN-2023-001 awarded to S-HXJS; demo keys for its four parties in keys/."""
    return _copy(_awarded_template, tmp_path)


@pytest.fixture
def signed(_signed_template: Path, tmp_path: Path) -> Workspace:
    """As ``awarded``, with the terms recorded, the agreement rendered (rendered.pdf) and
    signed by the four parties in turn (agreement.pdf; after-ROLE.pdf after each)."""
    return _copy(_signed_template, tmp_path)
