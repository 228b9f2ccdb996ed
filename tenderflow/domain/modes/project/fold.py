"""What a project intake's events add to its state: one applier per event type."""

from __future__ import annotations

from typing import Any

from tenderflow.domain.components.signoffs import record_signoff
from tenderflow.domain.fold import State, applies


@applies("ProjectIntakeStarted")
def _started(state: State, payload: dict[str, Any], at: str) -> None:
    state["mode"] = payload["mode"]
    state["project"] = payload["project"]
    state["options"] = {}
    state["deadlines"] = {}
    state["signoffs"] = {}


@applies("ProjectConsulted")
def _consulted(state: State, payload: dict[str, Any], at: str) -> None:
    state["consultation"] = {**payload["data"], "at": at}


@applies("CoordinationSignedOff")
def _signed_off(state: State, payload: dict[str, Any], at: str) -> None:
    record_signoff(state.setdefault("signoffs", {}), payload["data"], at)


@applies("ResidentsVoteRecorded")
def _voted(state: State, payload: dict[str, Any], at: str) -> None:
    state["vote"] = {**payload["data"], "at": at, **(payload.get("findings") or {})}


@applies("ProjectFiled")
def _filed(state: State, payload: dict[str, Any], at: str) -> None:
    state["filing"] = {**payload["data"], "at": at}


@applies("ProjectFunded")
def _funded(state: State, payload: dict[str, Any], at: str) -> None:
    state["funding"] = {**payload["data"], "at": at, **(payload.get("findings") or {})}


@applies("ProcurementIntentionPublished")
def _intention(state: State, payload: dict[str, Any], at: str) -> None:
    state["intention"] = {**payload["data"], "recorded_at": at}


@applies("ProjectMadeReady")
def _ready(state: State, payload: dict[str, Any], at: str) -> None:
    state["ready"] = {"at": at, **payload["data"]}


@applies("ProjectWithdrawn")
def _withdrawn(state: State, payload: dict[str, Any], at: str) -> None:
    state["ended"] = {"at": at, "reason": payload["data"]["reason"],
                      "trigger": payload.get("trigger")}


@applies("ProcurementCreated")
def _procurement_readiness(state: State, payload: dict[str, Any], at: str) -> None:
    """A procurement records what showed its project ready (tenderflow.app.project.readiness):
    the intake in state ready, or the filing recorded with the project's registration."""
    if "readiness" in payload:
        state["readiness"] = payload["readiness"]
