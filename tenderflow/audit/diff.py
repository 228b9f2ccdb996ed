"""Where two JSON values first differ, said in a way an auditor can read."""

from __future__ import annotations

import json
from typing import Any


class _Absent:
    """Marks a key or item that one side does not have."""

    def __repr__(self) -> str:
        return "(absent)"


ABSENT = _Absent()


def first_difference(left: Any, right: Any, path: str = "") -> tuple[str, Any, Any] | None:
    """The first path (``a.b[2].c``) where ``left`` and ``right`` differ, with both values
    there (:data:`ABSENT` where one side has nothing); ``None`` if they are equal.

    Equal values — nearly always, in a replay — are told apart in C (:func:`same`) before
    the walk that names the place."""
    if same(left, right):
        return None
    return _walk(left, right, path)


def same(left: Any, right: Any) -> bool:
    """True only when :func:`first_difference` finds nothing, decided without walking: Python's
    ``==`` already tells containers, keys, strings and number values apart, and the sorted JSON
    text tells ``true`` from ``1`` (which ``==`` takes as equal). False means "walk to see"
    (an int and an equal float, a NaN, a value JSON cannot write)."""
    try:
        return bool(left == right) and _text(left) == _text(right)
    except (TypeError, ValueError, RecursionError):
        return False


def written_alike(left: Any, right: Any) -> bool:
    """True when both write the same sorted JSON (a tuple as a list): what a value decided in
    memory and one read back from the log have in common when they agree; False when they
    differ or one cannot be written."""
    try:
        return _text(left) == _text(right)
    except (TypeError, ValueError, RecursionError):
        return False


def _text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, allow_nan=False)


def _walk(left: Any, right: Any, path: str) -> tuple[str, Any, Any] | None:
    if type(left) is not type(right) and not (_number(left) and _number(right)):
        return path or "(value)", left, right
    if isinstance(left, dict):
        for key in sorted(set(left) | set(right), key=str):
            a, b = left.get(key, ABSENT), right.get(key, ABSENT)
            where = f"{path}.{key}" if path else str(key)
            if a is ABSENT or b is ABSENT:
                return where, a, b
            found = _walk(a, b, where)
            if found:
                return found
        return None
    if isinstance(left, list):
        for i, (a, b) in enumerate(zip(left, right)):
            found = _walk(a, b, f"{path}[{i}]")
            if found:
                return found
        if len(left) != len(right):
            i = min(len(left), len(right))
            return (f"{path}[{i}]", left[i] if i < len(left) else ABSENT,
                    right[i] if i < len(right) else ABSENT)
        return None
    if left != right:
        return path or "(value)", left, right
    return None


def describe(found: tuple[str, Any, Any], left_name: str, right_name: str) -> str:
    """``path: left_name X, right_name Y`` with long values shortened."""
    path, a, b = found
    return f"{path}: {left_name} {short(a)}, {right_name} {short(b)}"


def short(value: Any, limit: int = 80) -> str:
    """A value as an auditor reads it: strings quoted, ``null``, ``(absent)``, shortened."""
    if value is ABSENT:
        return "(absent)"
    if value is None:
        return "null"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
