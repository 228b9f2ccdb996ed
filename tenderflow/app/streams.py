"""The streams that are not procurements, by mode: how ``open`` starts one, what ``status``
shows of it and what ``next`` alerts to — a project's intake (``intake:ID``,
tenderflow.app.project) and a PPP contract after signing (``contract:ID``,
tenderflow.app.ppp_contract)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tenderflow.app.common import CONTRACT_MODE, PROJECT_MODE
from tenderflow.app.ppp_contract import (
    contract_alerts,
    contract_status_view,
    start_contract,
)
from tenderflow.app.project import project_status_view, start_intake

#: mode → start(services, id, project id or None, actor, at) → (state, event, version, seq)
STARTERS: dict[str, Callable[..., tuple[str, str, int, int]]] = {
    PROJECT_MODE: start_intake, CONTRACT_MODE: start_contract}
#: mode → the status view of its stream (instead of tenderflow.app.views.status_view)
VIEWS: dict[str, Callable[..., dict[str, Any]]] = {
    PROJECT_MODE: project_status_view, CONTRACT_MODE: contract_status_view}
#: mode → what ``next`` adds as ``alerts`` (what needs attention whatever the next step)
ALERTS: dict[str, Callable[..., list[dict[str, Any]]]] = {CONTRACT_MODE: contract_alerts}
