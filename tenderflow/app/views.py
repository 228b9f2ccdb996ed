"""What ``status`` shows of a procurement: its business time, parties, bids and eligibility,
read from the folded state (no sealed content)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tenderflow.domain.fold import State
from tenderflow.domain.timeutil import iso, parse_time
from tenderflow.workflow import engine


def unique_triggers(names: Any) -> list[str]:
    """Trigger names once each, in order (a trigger may have several transitions)."""
    return list(dict.fromkeys(names))


def as_of(state: State) -> datetime:
    """The latest business time a procurement's record has reached."""
    return parse_time(state["last_event_at"])


def public_eligibility(state: State) -> dict[str, Any] | None:
    """The latest eligibility check: when, under which ruleset, who passed, who failed which
    rules (tenderflow.domain.components.eligibility_view)."""
    from tenderflow.domain.components.eligibility_view import public_eligibility as view

    return view(state)


def public_parties(state: State) -> dict[str, Any]:
    """The parties as ``status`` shows them (no sealed content)."""
    return {
        "group": [m.get("name") for m in state.get("group", [])],
        "invited": sorted(state.get("invited", {})),
        "responded": sorted(state.get("responses", {})),
        "excluded": state.get("excluded", {}),
        "final_quotes": sorted(state.get("final_quotes", {})),
        # open tender: bidders are named once the bids are opened (招标投标法 第22条)
        "bidders": sorted(state.get("bids", {})) if state.get("opened") else [],
        "committee": [m.get("name") for m in state.get("committee", [])],
        "ranked": [c["supplier"] for c in state.get("ranked", [])],
        "entity": (state.get("entrustment") or {}).get("entity"),
        "experts_draw": experts_draw_view(state),
    }


def experts_draw_view(state: State) -> dict[str, Any] | None:
    """The recorded draw of the experts (no names: the committee's names are shown once it is
    formed), or, for a committee or group formed without one, the flag that its experts were
    not drawn in tenderflow (tenderflow.domain.components.expert_draw)."""
    draw = state.get("experts_draw")
    if draw:
        return {"drawn": True, "at": draw["at"], "count": draw["count"],
                "pool_sha256": draw["pool_sha256"], "seed": draw["seed"],
                "witness": draw["witness"]}
    if state.get("committee") or state.get("group"):
        return {"drawn": False, "note": "no draw recorded (ExpertsDrawn): the experts were not "
                                        "drawn at random in tenderflow"}
    return None


def public_bids(state: State) -> dict[str, Any]:
    """Sealed offers, openings, bonds, recusals and the ranking as ``status`` shows them
    (before an opening only commitments: see tenderflow.domain.components.bids.public_view)."""
    from tenderflow.domain.components.bids import public_view

    return public_view(state)


def seated_members(state: State) -> list[dict[str, Any]]:
    """The committee or negotiation group members still seated (not recused or replaced)."""
    from tenderflow.domain.components.bids import seated_members as seated

    return seated(state)


def status_view(defs: engine.Definitions, pid: str, state: State, when: datetime
                ) -> dict[str, Any]:
    """What ``status`` shows: the procurement's state, key dates, parties, bids and what is
    pending at business time ``when``."""
    wf = defs.workflow
    steps = engine.possible(defs, pid, state, when)
    timers = [{"trigger": t, "due": iso(d)} for t, d in engine.due_timers(wf, state)]
    return {
        "id": pid, "mode": state["mode"],
        "mode_title": {"zh": wf.title_zh, "en": wf.title_en},
        "state": state["state"],
        "state_label": {"zh": wf.label(state["state"], "zh"),
                        "en": wf.label(state["state"], "en")},
        "final": state["state"] in wf.terminal,
        "version": state["version"],
        "project": {"id": state["project"]["id"], "name": state["project"]["name"],
                    "estimated_investment": state["project"]["estimated_investment"]},
        "key_dates": state.get("dates", {}),
        "deadlines": state.get("deadlines", {}),
        "parties": public_parties(state),
        "bids": public_bids(state),
        "award": state.get("award"),
        "eligibility": public_eligibility(state),
        "ended": state.get("ended"),
        "reopens": state.get("reopens"),
        # what showed the project ready to procure when it opened (tenderflow.app.project)
        "readiness": state.get("readiness"),
        "late_entries": state.get("late_entries", []),
        "as_of": iso(when),
        "cannot_judge": {s["trigger"]: s["cannot_judge"] for s in steps
                         if s.get("cannot_judge")},
        "provisional": sorted({y for s in steps for y in s.get("provisional", [])}),
        "pending": {"timers": timers,
                    "ready": unique_triggers(s["trigger"] for s in steps
                                             if s["ready"] and not s["timer"]),
                    "waiting": unique_triggers(s["trigger"] for s in steps
                                               if not s["ready"]
                                               and not any(o["ready"] for o in steps
                                                           if o["trigger"] == s["trigger"]))},
    }


def workflow_labels(mode: str) -> dict[str, dict[str, dict[str, str]]]:
    """The zh/en titles of a mode's triggers and of the events they record (the workflow
    YAML's own titles), for the CLI's labels: ``{"triggers": …, "events": …, "states": …}``."""
    from tenderflow.app.common import workflow_of

    wf = workflow_of(mode)
    triggers: dict[str, dict[str, str]] = {}
    events: dict[str, dict[str, str]] = {}
    for t in wf.transitions:
        title = {"zh": t.title_zh, "en": t.title_en}
        triggers.setdefault(t.trigger, title)
        events.setdefault(t.event, title)
    return {"triggers": triggers, "events": events, "states": dict(wf.states),
            "title": {"zh": wf.title_zh, "en": wf.title_en}}

