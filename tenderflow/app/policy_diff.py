"""``tenderflow policy diff OLD NEW``: what changes between two versions of the parameters, an
eligibility ruleset or a mode file, rule by rule with its legal source, and (``--against-log``)
what the new version would do to every recorded procurement (:mod:`tenderflow.audit.whatif`).

A version is a file, or ``REV:path`` — a path at a git revision, read with ``git show`` in the
current folder's repository (``HEAD~3:workflows/parameters.yaml``,
``main:./workflows/open_tender.yaml``). Which kind of definition it is comes from its content;
both versions must be of the same kind and load as tenderflow loads them, else InputError
naming the version and what is wrong.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tenderflow.errors import InputError, TenderflowError

REV_PATH = re.compile(r"^(?P<rev>[^:\s]+):(?P<path>[^:]+)$")


@dataclass
class Version:
    """One side of a diff: where it came from, its kind and the loaded definition."""

    label: str
    kind: str  # parameters | workflow | ruleset
    data: dict[str, Any]
    loaded: Any


@dataclass
class RuleChange:
    """One rule added, removed or changed, with its title, legal source and status."""

    id: str
    change: str  # added | removed | changed
    title: str
    source: str
    status: str
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)  # (field, old, new)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "change": self.change, "title": self.title,
                "source": self.source, "status": self.status,
                "fields": [{"field": f, "old": o, "new": n} for f, o, n in self.fields]}


def read_text(spec: str, cwd: Path | None = None) -> tuple[str, str]:
    """``(label, text)`` of a version named as a file or ``REV:path`` (git run in ``cwd``,
    by default the current folder)."""
    path = Path(spec)
    if path.is_file():
        try:
            return spec, path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read: {exc}", file=spec) from None
    match = REV_PATH.match(spec)
    if match is None:
        raise InputError("no such file", file=spec,
                         expected="a file, or REV:path (a path at a git revision, e.g. "
                                  "HEAD~1:workflows/parameters.yaml)")
    try:
        done = subprocess.run(["git", "show", spec], capture_output=True, check=False,
                              timeout=60, cwd=cwd)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(f"cannot run git: {exc}", file=spec,
                         expected="git on PATH, run inside the repository") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"git cannot show it: {reason[-1] if reason else 'failed'}", file=spec,
                         expected="REV:path of a file at that revision of this repository")
    try:
        return spec, done.stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", file=spec) from None


def load_version(spec: str, cwd: Path | None = None) -> Version:
    """A version read and loaded as tenderflow loads its kind."""
    import yaml

    from tenderflow import yamlio

    label, text = read_text(spec, cwd)
    try:
        data = yamlio.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"not valid YAML: {getattr(exc, 'problem', None) or exc}", file=label,
                         location=f"line {mark.line + 1}" if mark is not None else None) from None
    kind = kind_of(data, label)
    return Version(label, kind, data, _load(kind, data, label))


def kind_of(data: Any, label: str) -> str:
    if not isinstance(data, dict) or not data:
        raise InputError("not a definition", file=label,
                         expected="the parameters, an eligibility ruleset or a mode file")
    if "states" in data and "transitions" in data:
        return "workflow"
    if "rules" in data and "id" in data:
        return "ruleset"
    if all(isinstance(v, dict) and "values" in v for v in data.values()):
        return "parameters"
    raise InputError("cannot tell what this defines", file=label,
                     expected="parameters (rule ids with values), a ruleset (id, rules) or a "
                              "mode (states, transitions)")


def _load(kind: str, data: dict[str, Any], label: str) -> Any:
    try:
        if kind == "parameters":
            from tenderflow.domain.parameters import Parameters

            return Parameters(data, file=label)
        if kind == "workflow":
            from tenderflow.workflow.definitions import parse_workflow

            return parse_workflow(data, label)
        from tenderflow.domain.eligibility.ruleset import build_ruleset

        return build_ruleset(data, file=label, strict=True)
    except InputError:
        raise
    except TenderflowError as exc:
        raise InputError(f"does not load: {exc.message}", file=label) from None


def rule_entries(version: Version) -> dict[str, dict[str, Any]]:
    """Each rule of a version: its id → title, source, status and what it says."""
    obj = version.loaded
    if version.kind == "parameters":
        return {p.key: {"title": p.title_zh, "source": p.source, "status": p.status,
                        "unit": p.unit,
                        "values": [f"{d.isoformat()}: {v}" for d, v in p.values]}
                for p in obj}
    if version.kind == "ruleset":
        return {r.id: {"title": r.title_zh, "source": r.source, "status": r.status,
                       "severity": r.severity, "expression": r.expression, "check": r.check,
                       "params": dict(r.params)}
                for r in obj.rules}
    from tenderflow.domain.state import GUARDS

    out: dict[str, dict[str, Any]] = {}
    shared = {t.trigger for t in obj.transitions if len(obj.by_trigger(t.trigger)) > 1}
    for t in obj.transitions:
        rules = [GUARDS[g].rule if g in GUARDS else g for g in t.guards]
        sources = [GUARDS[g].source for g in t.guards if g in GUARDS]
        key = f"{obj.mode}.{t.trigger}"
        if t.trigger in shared:  # alternatives of one trigger: told apart by where they go
            src = "*" if len(t.sources) > 3 else ",".join(t.sources)
            key += f"[{src}→{t.dest}]"
        cited = dict.fromkeys(p.strip() for src in sources for p in re.split(r"[;；]", src)
                              if p.strip())
        out[key] = {"title": t.title_zh, "source": "; ".join(cited) or obj.source,
                    "status": "", "sources": sorted(t.sources), "dest": t.dest,
                    "roles": list(t.roles), "guards": list(t.guards), "rules": rules,
                    "event": t.event}
    for name, label in obj.states.items():
        out[f"{obj.mode}.state.{name}"] = {"title": label.get("zh", name), "source": obj.source,
                                           "status": ""}
    for tm in obj.timers:
        out[f"{obj.mode}.timer.{tm.trigger}.{tm.source}"] = {
            "title": f"{tm.trigger} when {tm.due} passes", "source": obj.source, "status": "",
            "due": tm.due}
    return out


def diff_versions(old: Version, new: Version) -> list[RuleChange]:
    """The rules added, removed and changed from ``old`` to ``new`` (same kind)."""
    if old.kind != new.kind:
        raise InputError(f"{old.label} is {old.kind} but {new.label} is {new.kind}",
                         file=new.label, expected=f"two versions of the same {old.kind}")
    before, after = rule_entries(old), rule_entries(new)
    changes = []
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        if a is None:
            assert b is not None
            changes.append(RuleChange(key, "added", b["title"], b["source"], b["status"]))
        elif b is None:
            changes.append(RuleChange(key, "removed", a["title"], a["source"], a["status"]))
        elif a != b:
            fields = [(f, a.get(f), b.get(f)) for f in sorted(set(a) | set(b))
                      if a.get(f) != b.get(f)]
            changes.append(RuleChange(key, "changed", b["title"], b["source"], b["status"],
                                      fields))
    return changes


def policy_diff(old_spec: str, new_spec: str) -> tuple[Version, Version, list[RuleChange]]:
    old, new = load_version(old_spec), load_version(new_spec)
    return old, new, diff_versions(old, new)


def against_log(store: Any, new: Version) -> Any:
    """Every recorded procurement re-decided with ``new`` in place of its pinned definition
    of that kind (:class:`tenderflow.audit.whatif.WhatIf`)."""
    from tenderflow.audit.whatif import what_if

    return what_if(store, new.kind, new.loaded)
