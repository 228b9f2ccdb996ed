"""The pieces of a ruleset (profile fields, parameters, rules) and of a built-in check (its
spec and what it found)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldSpec:
    """One field of the supplier profile: its type, description and whether the code owns it."""

    name: str
    type: str
    description: str
    base: bool


@dataclass(frozen=True)
class Parameter:
    """A number or setting a built-in check reads, with its legal source and status."""

    name: str
    value: Any
    source: str
    status: str
    note: str | None = None


@dataclass(frozen=True)
class Rule:
    """One eligibility rule: an expression over the profile or a named built-in check."""

    id: str
    title_zh: str
    title_en: str
    source: str
    status: str
    severity: str
    evidence: tuple[str, ...]
    expression: str | None = None
    check: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    note: str | None = None
    # What the expression refers to, collected when it is compiled (used by the lint).
    symbols: tuple[str, ...] = ()
    unknown_symbols: tuple[str, ...] = ()
    attributes: tuple[str, ...] = ()
    literals: tuple[str, ...] = ()
    compiled: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Finding:
    """What a check saw: its raw verdict, the value seen, the threshold and why."""

    verdict: str
    value: Any
    threshold: Any
    reason: str


@dataclass(frozen=True)
class CheckSpec:
    """A named built-in check: the function, what it applies to and what it reads.

    ``level`` is ``supplier`` when the check looks at one supplier (a consortium then passes
    only if every member passes, 政府采购法 第24条) and ``candidate`` when it looks at the
    candidate as a whole or at the other candidates on the same lot.
    """

    name: str
    level: str
    function: Callable[..., Finding]
    params: Mapping[str, str] = field(default_factory=dict)   # rule param -> description
    parameters: tuple[str, ...] = ()                        # ruleset parameters it reads
    doc: str = ""
