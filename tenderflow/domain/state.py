"""The composition of the domain: the one explicit list of the mode and component modules,
and the two tables built from it — the guards (:data:`GUARDS`, what workflow YAML names) and
the appliers (:data:`APPLIERS`, what each event type adds to a procurement's state). Live
state and replayed state come from the same code: :func:`fold` applies one event.

Nothing here is filled by the side effects of imports: ``@guard`` and ``@applies`` only mark
functions, and a module takes part when it is listed in :data:`MODULES`. The mechanics are in
:mod:`tenderflow.domain.rules` (guards) and :mod:`tenderflow.domain.fold` (the fold), which
the listed modules import (never this one), so no import comes back here. ``State``,
``applies`` and ``empty_state`` are re-exported under their old names.

Every transition event carries ``{"trigger", "from", "to", "data", "facts"}`` in its payload;
``ProcurementCreated`` carries the mode and a snapshot of the project.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tenderflow.domain import agreement
from tenderflow.domain import fold as procurement
from tenderflow.domain.components import (
    bonds,
    challenges,
    common,
    contract,
    eligibility,
    expert_draw,
    funding,
    notices,
    ppp_checks,
    reopening,
)
from tenderflow.domain.fold import (
    Applier,
    State,
    appliers_of,
    applies,
    empty_state,
    fold_event,
)
from tenderflow.domain.modes.delegation import calculators as delegation_calculators
from tenderflow.domain.modes.delegation import decisions as delegation_decisions
from tenderflow.domain.modes.delegation import fold as delegation_fold
from tenderflow.domain.modes.negotiation import calculators as negotiation_calculators
from tenderflow.domain.modes.negotiation import continuation as negotiation_continuation
from tenderflow.domain.modes.negotiation import contract as negotiation_contract
from tenderflow.domain.modes.negotiation import decisions as negotiation_decisions
from tenderflow.domain.modes.negotiation import fold as negotiation_fold
from tenderflow.domain.modes.negotiation import group as negotiation_group
from tenderflow.domain.modes.open_tender import award as tender_award
from tenderflow.domain.modes.open_tender import calculators as tender_calculators
from tenderflow.domain.modes.open_tender import decisions as tender_decisions
from tenderflow.domain.modes.open_tender import evaluation as tender_evaluation
from tenderflow.domain.modes.open_tender import fold as tender_fold
from tenderflow.domain.modes.ppp import contract as ppp_contract
from tenderflow.domain.modes.ppp import decisions as ppp_decisions
from tenderflow.domain.modes.ppp import fold as ppp_fold
from tenderflow.domain.modes.ppp_contract import decisions as contract_decisions
from tenderflow.domain.modes.ppp_contract import fold as contract_fold
from tenderflow.domain.modes.ppp_contract import milestones as contract_milestones
from tenderflow.domain.modes.ppp_contract import performance as contract_performance
from tenderflow.domain.modes.ppp_contract import revenue as contract_revenue
from tenderflow.domain.modes.ppp_contract import termination as contract_termination
from tenderflow.domain.modes.ppp_contract import variations as contract_variations
from tenderflow.domain.modes.project import decisions as project_decisions
from tenderflow.domain.modes.project import fold as project_fold
from tenderflow.domain.modes.project import vote as project_vote
from tenderflow.domain.rules import GuardSpec, guards_of

__all__ = ["APPLIERS", "GUARDS", "MODULES", "Applier", "State", "applies", "empty_state",
           "fold", "fold_all"]

# Every module whose guards and appliers the domain uses. The order is the order in which the
# appliers of one event type run, and it matters where several modules apply one type:
# ProcurementCreated (the procurement's own, then eligibility's ruleset pin, then reopening's
# link) and SuppliersInvited (common, then negotiation).
MODULES = (procurement, agreement, common, bonds, challenges, contract,
           tender_decisions, tender_evaluation, tender_calculators, tender_award, tender_fold,
           delegation_decisions, delegation_calculators, delegation_fold,
           eligibility, expert_draw,
           negotiation_decisions, negotiation_continuation, negotiation_group,
           negotiation_calculators, negotiation_fold, negotiation_contract,
           ppp_decisions, ppp_fold, ppp_contract,
           reopening, notices,
           project_decisions, project_vote, project_fold,
           funding, ppp_checks,
           contract_decisions, contract_fold, contract_milestones,
           contract_variations, contract_termination, contract_performance, contract_revenue)

GUARDS: dict[str, GuardSpec] = guards_of(MODULES)

APPLIERS: dict[str, list[Applier]] = appliers_of(MODULES)


def fold(state: State, event_type: str, payload: dict[str, Any], occurred_at: str,
         stream_seq: int) -> State:
    """Apply one event to ``state`` in place and return it (see
    :func:`tenderflow.domain.fold.fold_event`)."""
    return fold_event(APPLIERS, state, event_type, payload, occurred_at, stream_seq)


def fold_all(procurement_id: str, events: Iterable[Any]) -> State:
    state = empty_state(procurement_id)
    for ev in events:
        state = fold(state, ev.type, ev.payload, ev.occurred_at, ev.stream_seq)
    return state
