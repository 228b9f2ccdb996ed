"""The consistency check between the workflows and the event catalogue: every event a
transition records is catalogued as a transition event, and every property a trigger's data
schema accepts is declared in that event's ``data`` schema with a compatible type — so that
editing a trigger's YAML schema without bumping its event (and shipping an upcaster) is caught.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tenderflow.events.catalogue import Catalogue

IGNORED = ("description", "title", "examples")


def drift(catalogue: Catalogue, workflows: Iterable[Any]) -> list[str]:
    """The differences, one line each (none: consistent). ``workflows`` are loaded
    definitions (:class:`tenderflow.workflow.definitions.Workflow`)."""
    problems: list[str] = []
    for wf in workflows:
        for t in wf.transitions:
            where = f"{wf.mode}.{t.trigger}"
            if t.event not in catalogue:
                problems.append(f"{where} records {t.event}, which is not in the event catalogue")
                continue
            ev = catalogue.get(t.event)
            if not ev.transition:
                problems.append(f"{where} records {t.event}, which is not a transition event "
                                f"in the catalogue")
                continue
            problems += [f"{where} → {t.event}: {p}"
                         for p in _accepts(t.schema or {"type": "object"}, ev.data or {},
                                           "data", none=t.schema is None)]
    return problems


def _types(schema: dict[str, Any]) -> set[str] | None:
    kind = schema.get("type")
    if kind is None:
        return None  # any type
    found = {kind} if isinstance(kind, str) else set(kind)
    if "integer" in found:
        found.add("number")  # an integer is a number
    return found


def _plain(schema: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k not in IGNORED}


def _accepts(trigger: dict[str, Any], event: dict[str, Any], path: str,
             none: bool = False) -> list[str]:
    """Where the event's schema may refuse what the trigger's accepts (compared by property
    and type; identical schemas, descriptions aside, always pass)."""
    if _plain(trigger) == _plain(event) or none:
        return []
    mine, theirs = _types(trigger), _types(event)
    if theirs is not None and (mine is None or not mine <= theirs | (
            {"integer"} if "number" in theirs else set())):
        kinds = sorted(mine) if mine else "any type"
        return [f"{path} is {kinds} in the trigger, {sorted(theirs)} in the event"]
    problems: list[str] = []
    props = event.get("properties") or {}
    for name, sub in (trigger.get("properties") or {}).items():
        if name not in props:
            if event.get("additionalProperties") is False:
                problems.append(f"{path}.{name} is accepted by the trigger, not declared by "
                                f"the event")
            continue
        problems += _accepts(sub, props[name], f"{path}.{name}")
    if event.get("additionalProperties") is False and trigger.get("additionalProperties") \
            is not False:
        problems.append(f"{path} accepts any property in the trigger, only declared ones in "
                        f"the event")
    if isinstance(trigger.get("items"), dict) and isinstance(event.get("items"), dict):
        problems += _accepts(trigger["items"], event["items"], f"{path}[]")
    required = set(event.get("required") or ()) - set(trigger.get("required") or ())
    if required:
        problems.append(f"{path}: the event requires {sorted(required)}, which the trigger "
                        f"does not")
    return problems
