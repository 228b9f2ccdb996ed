"""What a PPP contract's events add to its state: one applier per event type. The
coordination sign-offs (CoordinationSignedOff) are folded by the project's applier
(tenderflow.domain.modes.project.fold), the same component for both streams."""

from __future__ import annotations

from typing import Any

from tenderflow.domain.fold import State, applies


@applies("ContractStarted")
def _started(state: State, payload: dict[str, Any], at: str) -> None:
    state["mode"] = payload["mode"]
    state["project"] = payload["project"]
    state["procurement"] = payload["procurement"]
    state["options"] = {}
    state["deadlines"] = {}
    state["signoffs"] = {}


@applies("ContractFinancingApproved")
def _financing(state: State, payload: dict[str, Any], at: str) -> None:
    state["financing"] = {**payload["data"], "at": at}


@applies("ContractCoordinationCleared")
def _cleared(state: State, payload: dict[str, Any], at: str) -> None:
    state["coordination_cleared"] = {**payload["data"], "at": at}


@applies("ConstructionStarted")
def _construction(state: State, payload: dict[str, Any], at: str) -> None:
    state["construction"] = {**payload["data"], "at": at}


@applies("CompletionAccepted")
def _accepted(state: State, payload: dict[str, Any], at: str) -> None:
    state["completion"] = {**payload["data"], "at": at}


@applies("OperationStarted")
def _operating(state: State, payload: dict[str, Any], at: str) -> None:
    state["operation"] = {**payload["data"], "at": at}


@applies("ContractSuspended")
def _suspended(state: State, payload: dict[str, Any], at: str) -> None:
    state["suspension"] = {**payload["data"], "from": payload["from"], "at": at}
    state.setdefault("suspensions", []).append(state["suspension"])


@applies("ContractResumed")
def _resumed(state: State, payload: dict[str, Any], at: str) -> None:
    state["suspensions"][-1] = {**state["suspensions"][-1], "resumed_at": at,
                                **({"resumption": payload["data"]} if payload["data"] else {})}
    state.pop("suspension", None)


@applies("ContractHandedOver")
def _handed_over(state: State, payload: dict[str, Any], at: str) -> None:
    state["handover"] = {**payload["data"], "at": at}
    state["ended"] = {"at": at, "trigger": payload.get("trigger")}


@applies("ContractTerminated")
def _terminated(state: State, payload: dict[str, Any], at: str) -> None:
    # The compensation the agreement's formula gave (its breakdown in the event's findings,
    # termination.termination_compensation): the amount, and every figure under breakdown.
    figures = (payload.get("findings") or {}).get("compensation")
    state["termination"] = {**payload["data"], "from": payload["from"], "at": at,
                            **({"compensation": figures["compensation"], "breakdown": figures}
                               if figures else {})}
    state["ended"] = {"at": at, "reason": payload["data"]["reason"],
                      "trigger": payload.get("trigger")}
