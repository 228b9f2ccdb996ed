"""Helpers every application service uses: the acting role checked, a procurement's stream
name, the dated legal parameters read from ``workflows/parameters.yaml`` (cached on the file's
modification time), a trigger's data file, a mode's workflow, and the time helpers the CLI
uses (the clock for defaults, ISO 8601 parsing and printing). The application modules
(:mod:`tenderflow.app.procurement`, :mod:`tenderflow.app.eligibility`,
:mod:`tenderflow.app.calendar`) and the CLI import them from here."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tenderflow import clock
from tenderflow.domain.timeutil import iso, parse_time
from tenderflow.errors import InputError
from tenderflow.workflow.definitions import Workflow, load_workflow, load_yaml

if TYPE_CHECKING:  # imported where the parameters are loaded: list never does (issue 17)
    from tenderflow.domain.parameters import Parameters

# what the CLI needs of time: the wall clock for its defaults, and ISO 8601 both ways
__all__ = [
    "ACTOR_ROLES",
    "CONTRACT_MODE",
    "CONTRACT_PREFIX",
    "INTAKE",
    "PROJECT_MODE",
    "PROJECT_PREFIX",
    "Workflow",
    "beijing_minute",
    "candidate_streams",
    "check_actor",
    "contract_stream",
    "intake_stream",
    "iso",
    "load_parameters",
    "now",
    "parse_time",
    "read_data_file",
    "stream_of",
    "stream_of_state",
    "workflow_of",
]

ACTOR_ROLES = ("staff", "evaluator", "supplier", "system", "auditor", "finance", "legal")


def check_actor(actor: object, *, field: str = "--as") -> str:
    if not actor:
        raise InputError("who is acting is not given", field=field,
                         expected="ROLE:NAME, e.g. staff:wang (or set TENDERFLOW_ACTOR)")
    if not isinstance(actor, str):  # e.g. a list or mapping in a scenario file's as:
        raise InputError(f"actor {actor!r} is not text", field=field,
                         expected="ROLE:NAME, e.g. staff:wang")
    role, sep, name = actor.partition(":")
    if not sep or role not in ACTOR_ROLES or not name.strip() or len(actor) > 200:
        raise InputError(f"actor {actor!r} is not ROLE:NAME", field=field,
                         expected=f"ROLE:NAME with ROLE one of {', '.join(ACTOR_ROLES)}")
    return actor


def now() -> datetime:
    """The wall clock (tenderflow.clock, looked up on each call): the CLI's default business
    time when no ``--at`` is given."""
    return clock.now()


def beijing_minute(value: str) -> str:
    """A recorded time as people read it: Beijing time to the minute (2023-11-10 11:30)."""
    from tenderflow.documents.reports import time_text

    return time_text(value)


def stream_of(procurement_id: str) -> str:
    return f"procurement:{procurement_id}"


#: The mode of a project's intake (workflows/project.yaml) and the prefix of its stream.
PROJECT_MODE = "project"
INTAKE = "intake"
#: How a caller names a project's intake where an id could also be a procurement's.
PROJECT_PREFIX = "project:"


def intake_stream(project_id: str) -> str:
    """The stream of a project's intake: one per project, named by the project's id."""
    return f"{INTAKE}:{project_id}"


#: The mode of a PPP contract's life after signing (workflows/ppp_contract.yaml): its stream is
#: ``contract:<procurement id>`` (one per procurement), named ``contract:ID`` by callers.
CONTRACT_MODE = "ppp_contract"
CONTRACT_PREFIX = "contract:"


def contract_stream(procurement_id: str) -> str:
    """The stream of the contract that follows procurement ``procurement_id``."""
    return f"{CONTRACT_PREFIX}{procurement_id}"


#: The modes whose streams are not procurements (no row in the procurements read model).
STREAM_MODES = {PROJECT_MODE: intake_stream, CONTRACT_MODE: contract_stream}


def stream_of_state(state: dict[str, Any]) -> str:
    """The stream a folded state belongs to: a project's intake, a contract or a
    procurement."""
    return STREAM_MODES.get(state.get("mode") or "", stream_of)(state["id"])


def candidate_streams(record_id: str) -> list[tuple[str, str]]:
    """The streams an id given to fire/next/status may name, in the order they are tried, as
    (stream, bare id): ``project:ID`` names the intake only, ``contract:ID`` the contract only; a bare id names the procurement,
    else the project intake of that id (ids are unique across both: open refuses a clash)."""
    if record_id.startswith(PROJECT_PREFIX):
        bare = record_id[len(PROJECT_PREFIX):]
        return [(intake_stream(bare), bare)]
    if record_id.startswith(CONTRACT_PREFIX):
        bare = record_id[len(CONTRACT_PREFIX):]
        return [(contract_stream(bare), bare)]
    return [(stream_of(record_id), record_id), (intake_stream(record_id), record_id)]


_PARAMS_CACHE: dict[tuple[str, float], Parameters] = {}


def load_parameters(root: Path | None = None) -> Parameters:
    from tenderflow.paths import workflows_dir

    path = (root or workflows_dir()) / "parameters.yaml"
    key = (str(path), path.stat().st_mtime if path.exists() else 0.0)
    if key not in _PARAMS_CACHE:
        from tenderflow.domain.parameters import Parameters

        _PARAMS_CACHE[key] = Parameters(load_yaml(path, remember=True), file=str(path))
    return _PARAMS_CACHE[key]


def workflow_of(mode: str, root: Path | None = None) -> Workflow:
    """A procurement mode's state machine (``workflows/MODE.yaml``), as ``workflow show`` shows
    it."""
    return load_workflow(mode, root)


def read_data_file(path: Path, trigger: str | None = None) -> Any:
    """The ``--data FILE`` of ``fire``: YAML or JSON mapping; for ``record_vote``, a vote file
    (questions and ballots, inline or a CSV it names: tenderflow.app.owners_vote)."""
    if trigger == "record_vote":
        from tenderflow.app.owners_vote import read_vote

        return read_vote(path).data
    data = load_yaml(path) if path.suffix.lower() != ".json" else _load_json(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError("trigger data must be a mapping", file=str(path), field="with")
    return data


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("file not found", file=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", file=str(path)) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", file=str(path),
                         location=f"line {exc.lineno}") from None
    except RecursionError:
        raise InputError("nested too deeply", file=str(path)) from None
