"""The catalogue of event types: what the store stamps and checks when it writes an event, and
how it upcasts an old version when it reads one.

Why JSON files and not Python: a payload schema is data, one file per type, diffable on its
own and readable by tools that never import tenderflow (an auditor validating an export); the
shapes of the transition events were copied from the trigger schemas of ``workflows/*.yaml``
as they stood when the catalogue was introduced and are kept here from now on, so that editing
a trigger's YAML never changes what an event may contain (the consistency check in
:mod:`tenderflow.events.drift` catches a trigger that accepts what its event does not declare).

A file is ``{"event", "schema_version", "payload"}`` — or, for the event of a workflow
transition, ``{"event", "schema_version", "transition": true, "data"}``: the payload is then
the transition envelope (:data:`ENVELOPE`) whose ``data`` is that schema.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tenderflow.errors import DefinitionError, EventSchemaError
from tenderflow.events.upcasters import UPCASTERS, Payload, Upcaster
from tenderflow.schemacheck import schema_error

if TYPE_CHECKING:  # jsonschema is imported where a payload is validated (issue 17: a read
    # command such as ``status`` never validates one, and the import costs ~30 ms)
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

SCHEMAS = Path(__file__).parent / "schemas"

# What the engine puts around a transition's data (tenderflow.workflow.engine.decide), plus
# what the services add (``late_entry``: tenderflow.domain.entry).
CHECK = {"type": "object", "additionalProperties": False, "required": ["guard", "rule", "source"],
         "properties": {"guard": {"type": "string"}, "rule": {"type": "string"},
                        "source": {"type": "string"}}}
ENVELOPE: dict[str, Any] = {
    "type": "object", "additionalProperties": False,
    "required": ["trigger", "from", "to", "data", "checks"],
    "properties": {
        "trigger": {"type": "string", "minLength": 1}, "from": {"type": "string"},
        "to": {"type": "string"}, "checks": {"type": "array", "items": CHECK},
        "facts": {"type": "object"}, "findings": {"type": "object"},
        "late_entry": {"type": "object"},
    },
}


@dataclass(frozen=True)
class EventType:
    """One event type: its current version, its payload schema and its upcasters (keyed by the
    version each one reads)."""

    name: str
    version: int
    payload: dict[str, Any]
    upcasters: Mapping[int, Upcaster] = field(default_factory=dict)
    data: dict[str, Any] | None = None  # a transition event's ``data`` schema

    @property
    def transition(self) -> bool:
        return self.data is not None


class Catalogue:
    """Event types by name; immutable (tests extend a copy with :meth:`extended`)."""

    def __init__(self, types: Iterable[EventType]) -> None:
        self._types = {t.name: t for t in types}
        self._validators: dict[str, Draft202012Validator] = {}
        for t in self._types.values():
            missing = [v for v in range(1, t.version) if v not in t.upcasters]
            if missing:
                raise DefinitionError(f"event {t.name} is at schema_version {t.version} but has "
                                      f"no upcaster from version(s) {missing}")
            for v, fn in t.upcasters.items():
                if not 1 <= v < t.version:
                    raise DefinitionError(f"event {t.name}: an upcaster reads version {v}, the "
                                          f"current version is {t.version}")
                if not (fn.__doc__ or "").strip():
                    raise DefinitionError(f"event {t.name}: the upcaster from version {v} "
                                          f"({fn.__name__}) does not say what changed")

    def __contains__(self, name: object) -> bool:
        return name in self._types

    def __iter__(self) -> Iterator[EventType]:
        return iter(sorted(self._types.values(), key=lambda t: t.name))

    def get(self, name: str) -> EventType:
        try:
            return self._types[name]
        except KeyError:
            raise EventSchemaError(
                f"event type {name!r} is not in the event catalogue (tenderflow/events/schemas); "
                f"nothing was written", event_type=name, field="type",
                expected="a catalogued event type") from None

    def extended(self, *types: EventType) -> Catalogue:
        """A copy with ``types`` added or replaced (tests; an extension of the log's types)."""
        return Catalogue([*self._types.values(), *types])

    def check(self, name: str, payload: Any, version: int | None = None) -> int:
        """Refuse a payload that its type's schema does not accept (or an unknown type, or a
        version other than the current one: old versions are never written); returns the
        version to stamp."""
        t = self.get(name)
        if version is not None and version != t.version:
            raise EventSchemaError(
                f"event {name} written as schema_version {version}, the catalogue's is "
                f"{t.version}: only the current version is written; nothing was written",
                event_type=name, field="schema_version", expected=str(t.version))
        validator = self._validators.get(name)
        if validator is None:
            from jsonschema import Draft202012Validator

            validator = self._validators[name] = Draft202012Validator(t.payload)
        error = _first(validator.iter_errors(payload))
        if error is not None:
            path = ".".join(["payload", *(str(p) for p in error.absolute_path)])
            raise EventSchemaError(
                f"event {name} (schema_version {t.version}): {path}: {_short(error.message)}; "
                f"nothing was written", event_type=name, field=path, expected=_expected(error))
        return t.version

    def upcast(self, name: str, version: int, payload: Payload) -> tuple[int, Payload]:
        """The payload at the type's current version (unchanged for an unknown type or the
        current version). Never writes: the caller's stored bytes stay as they are."""
        t = self._types.get(name)
        if t is None:
            return version, payload
        while version < t.version and version in t.upcasters:
            payload = t.upcasters[version](payload)
            version += 1
        return version, payload


def _first(errors: Iterator[ValidationError]) -> ValidationError | None:
    """The error to report: the shallowest path first, then the document order."""
    found = sorted(errors, key=lambda e: (len(e.absolute_path), [str(p) for p in e.absolute_path]))
    return found[0] if found else None


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _expected(error: ValidationError) -> str:
    if error.validator == "type":
        return f"type {error.validator_value}"
    if error.validator == "required":
        return f"the properties {', '.join(error.validator_value)}"
    if error.validator == "additionalProperties":
        props = sorted(error.schema.get("properties") or {})
        return f"only the properties {', '.join(props)}"
    return _short(f"{error.validator} {json.dumps(error.validator_value, ensure_ascii=False)}")


def event_type(body: dict[str, Any], upcasters: Mapping[tuple[str, int], Upcaster],
               file: str = "") -> EventType:
    """An :class:`EventType` from one catalogue file's content."""
    try:
        name, version = str(body["event"]), int(body["schema_version"])
        data = body.get("data") if body.get("transition") else None
        payload = ({**ENVELOPE, "properties": {**ENVELOPE["properties"], "data": data}}
                   if data is not None else body["payload"])
        problem = schema_error(payload)
    except (KeyError, TypeError, ValueError) as exc:
        raise DefinitionError(f"{file}: not an event catalogue entry ({exc})") from None
    if problem is not None:
        raise DefinitionError(f"{file}: the payload schema is invalid: {problem}")
    own = {v: fn for (t, v), fn in upcasters.items() if t == name}
    return EventType(name, version, payload, own, data)


def load(folder: Path = SCHEMAS,
         upcasters: Mapping[tuple[str, int], Upcaster] = UPCASTERS) -> Catalogue:
    types = []
    for path in sorted(folder.glob("*.json")):
        t = event_type(json.loads(path.read_text(encoding="utf-8")), upcasters, path.name)
        if t.name != path.stem:
            raise DefinitionError(f"{path.name} describes {t.name}: name the file after it")
        types.append(t)
    unknown = sorted({t for t, _ in upcasters} - {t.name for t in types})
    if unknown:
        raise DefinitionError(f"upcasters for event types not in the catalogue: {unknown}")
    return Catalogue(types)


@cache
def catalogue() -> Catalogue:
    """The catalogue shipped with this tenderflow (loaded once)."""
    return load()
