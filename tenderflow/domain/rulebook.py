"""The status of every rule a refusal can print (issue 12 item 17: honest status everywhere).

A rule's status says how far its legal source was checked (../shared/POLICY.md): ``P`` the
statutory text was read, ``secondary`` a secondary source quotes it, ``unconfirmed`` not yet
confirmed. Each rule id has its status in ONE place:

* a key of ``workflows/parameters.yaml`` (the rules with a number: :class:`Parameters`);
* an entry of ``workflows/rules.yaml`` (the rules without a number: guard-only rules such as
  ``committee.recusal`` or ``procedure.reopen``), parsed here as a :class:`RuleBook`::

      committee.recusal:
        title: {zh: 评标委员会成员回避, en: Recusal of evaluation committee members}
        source: 招标投标法实施条例 第46条
        status: P            # P | secondary | unconfirmed
        note: ...            # optional

* or a rule of the eligibility ruleset pinned into the procurement (each rule carries its own
  status; ``workflows/eligibility/*.yaml``).

The status is a label on the source, not an input of a decision: it is not pinned, and a refusal
is annotated with it when it is reported (:func:`with_status`), so a refusal on a secondary or
unconfirmed rule says so. This module reads no file (the loader is
:mod:`tenderflow.workflow.rulebook`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from tenderflow.domain.parameters import STATUSES, Parameters
from tenderflow.errors import InputError, Refusal

_KEYS = {"title", "source", "status", "note"}


@dataclass(frozen=True)
class RuleEntry:
    """A rule without a number: its titles, legal source and status."""

    key: str
    title_zh: str
    title_en: str
    source: str
    status: str
    note: str = ""


class RuleBook:
    """A parsed ``workflows/rules.yaml``; bad data raises InputError naming the file and key."""

    def __init__(self, data: Any, *, file: str | None = None) -> None:
        self.file = file
        if not isinstance(data, dict) or not data:
            raise InputError("a rule file maps rule ids to {title, source, status}", file=file,
                             expected="a mapping")
        self._rules = {key: self._parse(key, spec) for key, spec in data.items()}

    def _parse(self, key: Any, spec: Any) -> RuleEntry:
        file = self.file
        if not isinstance(key, str) or "." not in key or key != key.strip():
            raise InputError(f"rule id {key!r} is not AREA.NAME", file=file, location=str(key),
                             expected="a dotted rule id such as committee.recusal")
        if not isinstance(spec, dict):
            raise InputError("rule must be a mapping", file=file, location=key,
                             expected="title, source, status")
        unknown = sorted(set(spec) - _KEYS)
        if unknown:
            raise InputError(f"unknown key {unknown[0]!r}", file=file, location=key,
                             field=unknown[0], expected=", ".join(sorted(_KEYS)))
        for needed in ("title", "source", "status"):
            if needed not in spec:
                raise InputError("missing", file=file, location=key, field=needed)
        title = spec["title"]
        if not isinstance(title, dict) or not {"zh", "en"} <= set(title) or \
                not all(isinstance(title[k], str) and title[k].strip() for k in ("zh", "en")):
            raise InputError("title needs zh and en text", file=file, location=key,
                             field="title")
        source = spec["source"]
        if not isinstance(source, str) or not source.strip():
            raise InputError("the legal source is empty", file=file, location=key,
                             field="source", expected="e.g. 招标投标法实施条例 第46条")
        if spec["status"] not in STATUSES:
            raise InputError(f"status {spec['status']!r}", file=file, location=key,
                             field="status", expected=" | ".join(STATUSES))
        note = spec.get("note", "")
        if not isinstance(note, str):
            raise InputError("note must be text", file=file, location=key, field="note")
        return RuleEntry(key, title["zh"], title["en"], source.strip(), spec["status"],
                         note.strip())

    def __contains__(self, key: object) -> bool:
        return key in self._rules

    def __iter__(self) -> Iterator[RuleEntry]:
        return iter(self._rules.values())

    def keys(self) -> list[str]:
        return list(self._rules)

    def get(self, key: str) -> RuleEntry:
        return self._rules[key]


def status_of(rule: str, *, params: Parameters | None = None, rules: RuleBook | None = None,
              ruleset: Any = None) -> str | None:
    """The status of ``rule`` from the one place that holds it (None when none does)."""
    if params is not None and rule in params:
        return params.get(rule).status
    if rules is not None and rule in rules:
        return rules.get(rule).status
    if ruleset is not None:
        for r in getattr(ruleset, "rules", ()):
            if r.id == rule:
                return str(r.status)
    return None


def with_status(refusal: Refusal, status: str | None) -> Refusal:
    """The refusal labelled with its rule's status (unchanged when it has one or none is
    known)."""
    if refusal.status or not status:
        return refusal
    return replace(refusal, status=status)


def annotate(refusals: Iterable[Refusal], *, params: Parameters | None = None,
             rules: RuleBook | None = None, ruleset: Any = None) -> list[Refusal]:
    return [with_status(r, status_of(r.rule, params=params, rules=rules, ruleset=ruleset))
            for r in refusals]


def overlap(params: Parameters, rules: RuleBook) -> list[str]:
    """Rule ids that have a status in both places (each must be in exactly one)."""
    return sorted(k for k in rules.keys() if k in params)  # noqa: SIM118 - RuleBook.keys()


def statuses(params: Parameters, rules: RuleBook,
             rulesets: Iterable[Any] = ()) -> Mapping[str, str]:
    """Every rule id with a status, from the three places."""
    out: dict[str, str] = {}
    for rs in rulesets:
        for r in rs.rules:
            out[r.id] = str(r.status)
    out.update({e.key: e.status for e in rules})
    out.update({p.key: p.status for p in params})
    return out
