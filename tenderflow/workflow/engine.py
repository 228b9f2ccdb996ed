"""The workflow engine: a shared ``transitions`` machine per mode definition, guards evaluated
by name with their legal reasons, and an accepted trigger turned into an event. It never writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tenderflow.domain.timeutil import iso, parse_time
from tenderflow.errors import (
    InputError,
    InvalidTrigger,
    Refusal,
    RoleNotAllowed,
    TriggerRefused,
)
from tenderflow.workflow.definitions import TransitionDef, Workflow
from tenderflow.workflow.guards import GUARD_TABLE

if TYPE_CHECKING:  # transitions is imported where a transition is taken (read commands never
    # take one), the guards' mechanics and the parameters where guards are judged (list never
    # judges one): issue 17
    from transitions import Machine

    from tenderflow.domain.parameters import Parameters
    from tenderflow.domain.rules import GuardResult


@dataclass
class Definitions:
    """What a decision depends on, each pinned by content hash into the events it decides."""

    workflow: Workflow
    params: Parameters
    calendar: Any
    # The eligibility ruleset pinned when the procurement opened (domain.eligibility.Ruleset);
    # None only for procurements opened before rulesets were pinned.
    ruleset: Any = None
    # The rule status registry (workflows/rules.yaml, tenderflow.domain.rulebook.RuleBook):
    # labels each refusal with its rule's status; not pinned (a label, not a decision input).
    # None reads the project's file.
    rules: Any = None

    def status_of(self, rule: str) -> str | None:
        from tenderflow.domain.rulebook import status_of
        from tenderflow.workflow.rulebook import load_rules

        return status_of(rule, params=self.params, ruleset=self.ruleset,
                         rules=self.rules if self.rules is not None else load_rules())

    def pins(self) -> dict[str, str]:
        pins = {
            "workflow": self.workflow.content_hash(),
            "parameters": self.params.content_hash(),
            "calendar": self.calendar.content_hash(),
        }
        if self.ruleset is not None:
            pins["ruleset"] = self.ruleset.content_hash
        return pins


@dataclass
class Decision:
    transition: TransitionDef
    event_type: str
    payload: dict[str, Any]
    results: list[GuardResult]


class _Model:
    """The object a shared machine is attached to for one decision."""

    def __init__(self, chosen: str) -> None:
        self.chosen = chosen

    def is_chosen(self, event: Any) -> bool:
        return bool(event.transition.dest == self.chosen)


def machine_for(wf: Workflow) -> Machine:
    """One machine per definition, built once; models are attached per decision (transitions
    is imported here: read commands never take a transition, issue 17)."""
    from transitions import Machine

    if wf._machine is None:
        transitions = []
        for t in wf.transitions:
            for s in t.sources:
                transitions.append({"trigger": t.trigger, "source": s, "dest": t.target(s),
                                    "conditions": "is_chosen"})
        wf._machine = Machine(model=None, states=list(wf.states), transitions=transitions,
                              initial=wf.initial, auto_transitions=False, send_event=True,
                              ignore_invalid_triggers=False)
    return wf._machine


def role_of(actor: str) -> str:
    return actor.split(":", 1)[0]


def validate_data(t: TransitionDef, data: Any, *, where: str | None = None) -> dict[str, Any]:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError("trigger data must be a mapping", file=where, field="with",
                         expected="a mapping of field to value")
    if t.schema is None:
        if data:
            raise InputError(f"trigger '{t.trigger}' takes no data", file=where, field="with")
        return data
    from jsonschema import Draft202012Validator

    errors = sorted(Draft202012Validator(t.schema).iter_errors(data),
                    key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        path = ".".join(str(p) for p in err.absolute_path)
        field = f"with.{path}" if path else "with"
        raise InputError(f"{err.message} (trigger '{t.trigger}')", file=where, field=field)
    return data


_AS_GIVEN: Any = object()


def decide(defs: Definitions, procurement: str, state: dict[str, Any], trigger: str,
           data: Any, facts: dict[str, Any], at: datetime, actor: str,
           *, where: str | None = None, recorded_data: Any = _AS_GIVEN) -> Decision:
    """Decide whether ``trigger`` may fire now; raise with every reason if not.

    A replay gives ``recorded_data``, the data as stored with the event: the pinned trigger's
    schema judges that shape (the one it accepted when the event was recorded), while the
    guards, today's code, get ``data`` as upcast to the event's current version."""
    wf = defs.workflow
    current = state["state"]
    if current in wf.terminal:
        raise InvalidTrigger(
            f"{procurement} is {current} ({wf.label(current)}), a final state: no trigger fires",
            procurement=procurement, state=current, trigger=trigger)
    candidates = [t for t in wf.transitions if t.trigger == trigger and current in t.sources]
    if not candidates:
        if trigger not in wf.triggers():
            raise InvalidTrigger(
                f"{procurement}: mode {wf.mode} has no trigger '{trigger}' "
                f"(triggers: {', '.join(wf.triggers())})",
                procurement=procurement, state=current, trigger=trigger)
        possible = sorted({t.trigger for t in wf.from_state(current)})
        raise InvalidTrigger(
            f"{procurement}: '{trigger}' is not possible in state '{current}' "
            f"({wf.label(current)}); possible now: {', '.join(possible) or 'none'}",
            procurement=procurement, state=current, trigger=trigger)
    role = role_of(actor)
    allowed = [t for t in candidates if role in t.roles]
    if not allowed:
        raise RoleNotAllowed(
            f"{procurement}: role '{role}' may not fire '{trigger}' "
            f"(allowed: {', '.join(candidates[0].roles)})",
            procurement=procurement, trigger=trigger, actor=actor)
    if recorded_data is _AS_GIVEN:
        data = validate_data(allowed[0], data, where=where)
    else:
        validate_data(allowed[0], recorded_data, where=where)
        data = data if data is not None else {}
    from tenderflow.domain.rules import GuardContext, evaluate

    ctx = GuardContext(procurement=procurement, state=state, data=data, facts=facts, at=at,
                       actor=actor, params=defs.params, calendar=defs.calendar, trigger=trigger,
                       ruleset=defs.ruleset)
    refusals: list[Refusal] = []
    not_applicable: list[Refusal] = []  # refusals of transitions a selecting guard ruled out
    for t in allowed:
        ctx.findings = {}
        try:
            results = evaluate(GUARD_TABLE, list(t.guards), ctx)
        except InputError as exc:  # a guard found bad data: name the file it came from
            if where and not exc.context.get("file"):
                raise InputError(exc.message, file=where) from None
            raise
        failed = [r.refusal for r in results if r.refusal is not None]
        if not failed:
            _move(wf, current, t)
            payload = {"trigger": trigger, "from": current, "to": t.target(current), "data": data,
                       "checks": [{"guard": r.guard, "rule": r.rule, "source": r.source}
                                  for r in results]}
            if facts:
                payload["facts"] = facts
            if ctx.findings:
                payload["findings"] = ctx.findings
            return Decision(t, t.event, payload, results)
        if any(GUARD_TABLE[r.guard].selects for r in results if r.refusal is not None):
            not_applicable.extend(failed)
        else:
            refusals.extend(failed)
    from tenderflow.workflow.rulebook import labelled

    raise TriggerRefused(procurement, trigger, current,
                         labelled(refusals or not_applicable, defs.params, defs.ruleset,
                                  defs.rules))


def _move(wf: Workflow, current: str, t: TransitionDef) -> None:
    """Take the transition on the shared machine (attach the model, fire, detach)."""
    from transitions import MachineError

    machine = machine_for(wf)
    dest = t.target(current)
    model = _Model(dest)
    machine.add_model(model, initial=current)
    try:
        model.trigger(t.trigger)  # type: ignore[attr-defined]
        if model.state != dest:  # type: ignore[attr-defined]
            raise InvalidTrigger(f"machine did not reach {dest}", trigger=t.trigger)
    except MachineError as exc:
        raise InvalidTrigger(f"'{t.trigger}' rejected by the state machine: {exc.value}",
                             trigger=t.trigger) from None
    finally:
        machine.remove_model(model)


def possible(defs: Definitions, procurement: str, state: dict[str, Any], at: datetime,
             actor: str | None = None) -> list[dict[str, Any]]:
    """Each trigger possible from the current state with every guard's pass, reason or the
    data it still needs (for ``next``)."""
    wf = defs.workflow
    current = state["state"]
    out: list[dict[str, Any]] = []
    if current in wf.terminal:
        return out
    from tenderflow.domain.rules import GuardContext, evaluate

    for t in wf.from_state(current):
        # each trigger judged on its own, on a planning view of the calendar (provisional
        # years allowed and marked), so one that cannot be judged does not fail the probe
        calendar = _planning(defs.calendar)
        ctx = GuardContext(procurement=procurement, state=state, data={}, facts={}, at=at,
                           actor=actor or "staff:?", params=defs.params, calendar=calendar,
                           ruleset=defs.ruleset, trigger=t.trigger)
        results = evaluate(GUARD_TABLE, list(t.guards), ctx, probe=True)
        step: dict[str, Any] = {
            "trigger": t.trigger, "dest": t.target(current),
            "title": {"zh": t.title_zh, "en": t.title_en},
            "roles": list(t.roles), "event": t.event,
            "ready": all(r.passed for r in results),
            "guards": [{**r.to_dict(),
                        "status": defs.status_of(r.refusal.rule if r.refusal else r.rule)}
                       for r in results],
            "timer": any(tm.trigger == t.trigger and tm.source == current for tm in wf.timers),
        }
        unjudged = [f"{r.guard}: {r.cannot_judge}" for r in results if r.cannot_judge]
        if unjudged:
            step["cannot_judge"] = "; ".join(unjudged)
        used = sorted(getattr(calendar, "provisional_used", ()) or ())
        if used:
            step["provisional"] = used
        out.append(step)
    return out


def _planning(calendar: Any) -> Any:
    """The calendar for planning views: provisional years usable, and recorded when used."""
    planning = getattr(calendar, "planning", None)
    return planning() if callable(planning) else calendar


def lookup(state: dict[str, Any], dotted: str) -> Any:
    value: Any = state
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def due_timers(wf: Workflow, state: dict[str, Any]) -> list[tuple[str, datetime]]:
    """The timers of the current state with their due times, earliest first."""
    out = []
    for tm in wf.timers:
        if tm.source == state.get("state"):
            raw = lookup(state, tm.due)
            if raw:
                out.append((tm.trigger, parse_time(raw)))
    return sorted(out, key=lambda x: x[1])


def next_due(wf: Workflow, state: dict[str, Any]) -> str | None:
    timers = due_timers(wf, state)
    return iso(timers[0][1]) if timers else None
