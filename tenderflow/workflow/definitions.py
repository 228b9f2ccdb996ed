"""Procurement modes as data: ``workflows/<mode>.yaml`` loaded, validated and pinned by hash.

A mode file::

    mode: competitive_negotiation
    title: {zh: 竞争性谈判, en: Competitive negotiation}
    source: 政府采购法 第30、38条
    initial: created
    terminal: [failed, cancelled]
    states:
      created: {zh: 已立项, en: Created}
    transitions:
      - trigger: invite
        source: group_formed          # a state, a list, or "*" for every non-terminal state
        dest: invited                 # a state, or "=" to stay in the source state (a loop)
        roles: [staff]
        event: SuppliersInvited
        guards: [invited_min_suppliers]
        facts: [suppliers]            # registered records copied into the event (replay);
                                      # procurements: other procurements named in the data;
                                      # fiscal: the project region's registered budget
        title: {zh: 邀请供应商, en: Invite suppliers}
        data: {type: object, ...}     # JSON Schema of the trigger's data
    timers:
      - {trigger: close_responses, source: documents_issued, due: deadlines.response_deadline}
"""

from __future__ import annotations

import json
import marshal
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from hashlib import sha256
from pathlib import Path
from typing import Any

from tenderflow.errors import DefinitionError, InputError, NotFound
from tenderflow.usercache import cache_dir, installed, write_atomically
from tenderflow.workflow.guards import guard_index

ROLES = ("staff", "evaluator", "supplier", "system", "auditor", "finance", "legal")
FACTS = ("suppliers", "project", "eligibility", "procurements", "fiscal")
_MODE_KEYS = {"mode", "title", "source", "initial", "terminal", "states", "transitions", "timers",
              "variants", "description", "ruleset"}
_TRANSITION_KEYS = {"trigger", "source", "dest", "roles", "event", "guards", "facts", "title",
                    "data", "note"}
_TIMER_KEYS = {"trigger", "source", "due"}


@dataclass(frozen=True)
class TransitionDef:
    trigger: str
    sources: tuple[str, ...]
    dest: str
    roles: tuple[str, ...]
    event: str
    guards: tuple[str, ...]
    facts: tuple[str, ...]
    title_zh: str
    title_en: str
    schema: dict[str, Any] | None
    order: int

    @property
    def is_loop(self) -> bool:
        return self.dest == "=" or self.sources == (self.dest,)

    def target(self, current: str) -> str:
        """The state this transition leads to from ``current`` ("=" stays)."""
        return current if self.dest == "=" else self.dest


@dataclass(frozen=True)
class TimerDef:
    trigger: str
    source: str
    due: str  # dotted path into the state holding an ISO time


@dataclass
class Workflow:
    mode: str
    title_zh: str
    title_en: str
    source: str
    initial: str
    terminal: tuple[str, ...]
    states: dict[str, dict[str, str]]
    transitions: list[TransitionDef]
    timers: list[TimerDef]
    data: dict[str, Any]
    file: str
    _machine: Any = field(default=None, repr=False)

    def content_hash(self) -> str:
        return sha256(canonical(self.data).encode()).hexdigest()

    def from_state(self, state: str) -> list[TransitionDef]:
        return [t for t in self.transitions if state in t.sources]

    def by_trigger(self, trigger: str) -> list[TransitionDef]:
        return [t for t in self.transitions if t.trigger == trigger]

    def label(self, state: str, lang: str = "zh") -> str:
        return self.states.get(state, {}).get(lang, state)

    def triggers(self) -> list[str]:
        seen: list[str] = []
        for t in self.transitions:
            if t.trigger not in seen:
                seen.append(t.trigger)
        return seen


def canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _fail(file: str, where: str, message: str, fld: str | None = None,
          expected: str | None = None) -> InputError:
    return InputError(message, file=file, location=where, field=fld, expected=expected)


def parse_workflow(data: Any, file: str) -> Workflow:
    """Validate a mode definition; every error names the file, the place and the field."""
    if not isinstance(data, dict):
        raise _fail(file, "top", "a mode file is a mapping", expected="mode, states, transitions")
    unknown = set(data) - _MODE_KEYS
    if unknown:
        k = sorted(unknown)[0]
        raise _fail(file, "top", f"unknown key {k!r}", k, ", ".join(sorted(_MODE_KEYS)))
    for needed in ("mode", "title", "initial", "states", "transitions"):
        if needed not in data:
            raise _fail(file, "top", "missing", needed)
    # The eligibility ruleset a procurement of this mode pins unless its options name another
    # (tenderflow.workflow.rulesets.ruleset_for_opening); absent: the project default.
    if "ruleset" in data and not (isinstance(data["ruleset"], str)
                                  and re.match(r"^[a-z0-9][a-z0-9_-]{0,63}$", data["ruleset"])):
        raise _fail(file, "top", f"ruleset {data['ruleset']!r}", "ruleset",
                    "a ruleset in workflows/eligibility/ named by its file stem")
    states = data["states"]
    if not isinstance(states, dict) or not states:
        raise _fail(file, "states", "states must be a mapping of name to {zh, en}", "states")
    for name, label in states.items():
        if not isinstance(name, str) or not isinstance(label, dict) or \
                not {"zh", "en"} <= set(label):
            raise _fail(file, f"states.{name}", "each state needs zh and en labels", name)
    if not isinstance(data["initial"], str):
        raise _fail(file, "top", "initial must be a state name", "initial")
    if not isinstance(data.get("terminal", []), list) or not all(
            isinstance(x, str) for x in data.get("terminal", [])):
        raise _fail(file, "top", "terminal must be a list of state names", "terminal")
    terminal = tuple(data.get("terminal", []))
    for s in (data["initial"], *terminal):
        if s not in states:
            raise _fail(file, "top", f"state {s!r} is not declared in states", "initial/terminal")
    open_states = tuple(s for s in states if s not in terminal)
    transitions: list[TransitionDef] = []
    if not isinstance(data["transitions"], list):
        raise _fail(file, "transitions", "transitions must be a list", "transitions")
    for i, t in enumerate(data["transitions"]):
        where = f"transitions[{i}]"
        if not isinstance(t, dict):
            raise _fail(file, where, "a transition is a mapping")
        unknown = set(t) - _TRANSITION_KEYS
        if unknown:
            k = sorted(unknown)[0]
            raise _fail(file, where, f"unknown key {k!r}", k, ", ".join(sorted(_TRANSITION_KEYS)))
        for needed in ("trigger", "source", "dest", "roles", "event", "title"):
            if needed not in t:
                raise _fail(file, where, "missing", needed)
        for key in ("trigger", "dest", "event"):
            if not isinstance(t[key], str) or not t[key]:
                raise _fail(file, where, f"{key} must be a name", key, "a text")
        if not (isinstance(t["source"], str) or (
                isinstance(t["source"], list) and t["source"]
                and all(isinstance(x, str) for x in t["source"]))):
            raise _fail(file, where, "source must be a state, a list of states or '*'",
                        "source")
        for key in ("roles", "guards", "facts"):
            value = t.get(key, [])
            if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
                raise _fail(file, where, f"{key} must be a list of names", key)
        where = f"transitions[{i}] ({t['trigger']})"
        src = t["source"]
        sources = open_states if src == "*" else tuple(src if isinstance(src, list) else [src])
        for s in (*sources, *([] if t["dest"] == "=" else [t["dest"]])):
            if s not in states:
                raise _fail(file, where, f"state {s!r} is not declared", "source/dest")
        roles = tuple(t["roles"])
        for r in roles:
            if r not in ROLES:
                raise _fail(file, where, f"unknown role {r!r}", "roles", " | ".join(ROLES))
        guards = tuple(t.get("guards", []))
        for g in guards:
            if g not in guard_index():
                raise _fail(file, where, f"no guard named {g!r}", "guards",
                            "a guard of the modules listed in tenderflow.domain.state")
        facts = tuple(t.get("facts", []))
        for f in facts:
            if f not in FACTS:
                raise _fail(file, where, f"unknown facts {f!r}", "facts", " | ".join(FACTS))
        schema = t.get("data")
        if schema is not None:
            from tenderflow.schemacheck import schema_error

            problem = schema_error(schema)
            if problem is not None:
                raise _fail(file, where, f"data schema is invalid: {problem}", "data")
        title = t["title"]
        if not isinstance(title, dict) or not all(
                isinstance(title.get(k, ""), str) for k in ("zh", "en")):
            raise _fail(file, where, "title must be a mapping {zh, en} of texts", "title")
        transitions.append(TransitionDef(
            trigger=str(t["trigger"]), sources=sources, dest=str(t["dest"]), roles=roles,
            event=str(t["event"]), guards=guards, facts=facts, title_zh=title.get("zh", ""),
            title_en=title.get("en", ""), schema=schema, order=i))
    timers = []
    for i, tm in enumerate(data.get("timers", []) or []):
        where = f"timers[{i}]"
        if not isinstance(tm, dict) or set(tm) != _TIMER_KEYS or not all(
                isinstance(v, str) for v in tm.values()):
            raise _fail(file, where, "a timer is {trigger, source, due}", "timers")
        if not any(t.trigger == tm["trigger"] and tm["source"] in t.sources for t in transitions):
            raise _fail(file, where, f"no transition {tm['trigger']!r} from {tm['source']!r}",
                        "trigger")
        timers.append(TimerDef(str(tm["trigger"]), str(tm["source"]), str(tm["due"])))
    title = data["title"]
    if not isinstance(title, dict) or not all(
            isinstance(title.get(k, ""), str) for k in ("zh", "en")):
        raise _fail(file, "top", "title must be a mapping {zh, en} of texts", "title")
    return Workflow(
        mode=str(data["mode"]), title_zh=title.get("zh", ""), title_en=title.get("en", ""),
        source=str(data.get("source", "")), initial=str(data["initial"]), terminal=terminal,
        states=states, transitions=transitions, timers=timers, data=data, file=file)


def load_yaml(path: Path, *, remember: bool = False) -> Any:
    """The parsed content of a YAML file (tenderflow.yamlio's strict loader: libyaml's parser
    when PyYAML has it, YAML 1.2 booleans, no duplicate keys, dates kept as text); bad input
    raises InputError naming the file and line.

    ``remember`` (policy files only: the workflows, parameters and rule registry every command
    reads) keeps the parsed content in the per-user cache under the SHA-256 of the file's bytes,
    of tenderflow.yamlio's source and of the installed PyYAML (:func:`_parser_key`): building the
    Python objects of those files cost a read command ~20 ms (issue 17), reading them back costs
    ~1 ms, and PyYAML is then not imported at all. The entry is :mod:`marshal` data, which
    holds exactly what the safe loader builds (mappings in their order, lists, text, numbers,
    booleans, None, sets, bytes) and runs no code; anything else is not kept; the entry starts
    with the SHA-256 of its data, checked on reading. A changed file has a new hash, so its old
    entry is never used; the pins
    (content hashes of the parsed data, tenderflow.app.pinning) are those of the same data."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise InputError("file not found", file=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", file=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", file=str(path)) from None
    entry = _parsed_entry(raw) if remember else None
    if entry is not None:
        try:
            kept = entry.read_bytes()
            if sha256(kept[32:]).digest() == kept[:32]:  # a damaged entry is parsed anew
                return marshal.loads(kept[32:])
        except (OSError, EOFError, ValueError, TypeError):
            pass
    import yaml  # not when the parsed content is remembered (issue 17)

    from tenderflow import yamlio

    try:
        data = yamlio.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else None
        raise InputError(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=str(path),
                         location=where) from None
    except RecursionError:
        raise InputError("nested too deeply", file=str(path)) from None
    if entry is not None:
        try:
            body = marshal.dumps(data)
            write_atomically(entry, sha256(body).digest() + body)
        except (OSError, ValueError):  # unwritable cache, or not plain data: not kept
            pass
    return data


_YAMLIO = Path(__file__).resolve().parents[1] / "yamlio.py"


@lru_cache(maxsize=1)
def _parser_key() -> bytes:
    """What else the parsed content depends on: tenderflow.yamlio's source, the installed
    PyYAML and this Python (marshal's format). PyYAML is named by its ``.dist-info/RECORD``,
    the hash of every file pip installed, libyaml's extension (the parser yamlio takes when it
    is there) among them, read without importing PyYAML (~12 ms, issue 17); when it has no
    RECORD to read, by its version and the loader yamlio took, PyYAML imported."""
    found = installed("yaml", "PyYAML")
    if found is not None:
        parser = b"RECORD\n" + found[1]
    else:
        import yaml

        from tenderflow import yamlio

        parser = b"%s\n%s" % (yaml.__version__.encode(), yamlio.SafeBase.__name__.encode())
    return sha256(b"%s\n%s\n%s" % (_YAMLIO.read_bytes(), parser,
                                      sys.version.encode())).digest()


def _parsed_entry(raw: bytes) -> Path | None:
    try:
        return cache_dir() / "yaml" / f"{sha256(_parser_key() + raw).hexdigest()}.marshal"
    except OSError:
        return None


# The files of workflows/ that are not modes: the dated parameters and the rule status registry.
NOT_MODES = ("parameters", "rules")


def workflow_path(mode: str, root: Path | None = None) -> Path:
    from tenderflow.paths import workflows_dir

    return (root or workflows_dir()) / f"{mode}.yaml"


#: Files beside the modes that are not modes: the dated numbers and the rule status registry.
NOT_MODES = ("parameters", "rules")


def available_modes(root: Path | None = None) -> list[str]:
    from tenderflow.paths import workflows_dir

    folder = root or workflows_dir()
    return sorted(p.stem for p in folder.glob("*.yaml") if p.stem not in NOT_MODES)


@lru_cache(maxsize=32)
def _load_cached(path: str, mtime: float) -> Workflow:
    return parse_workflow(load_yaml(Path(path), remember=True), path)


def load_workflow(mode: str, root: Path | None = None) -> Workflow:
    path = workflow_path(mode, root)
    if not path.exists():
        raise NotFound(f"no procurement mode {mode!r} (known: {', '.join(available_modes(root))})",
                       mode=mode)
    return _load_cached(str(path), path.stat().st_mtime)


def workflow_from_data(data: dict[str, Any], name: str = "pinned") -> Workflow:
    try:
        return parse_workflow(data, name)
    except InputError as exc:
        raise DefinitionError(f"pinned workflow {name} no longer loads: {exc.message}") from None
