"""What the scenario steps that import registered data (``credit_import``,
``fiscal_import``) check alike: the step's time and actor, its ``{file, as_of?, ...}``
mapping with known keys, and an ``as_of`` not after the step's day."""

from __future__ import annotations

from datetime import date
from typing import Any

from tenderflow.domain.timeutil import local_date, parse_time
from tenderflow.errors import InputError


def _err(file: str, where: str, message: str, fld: str, expected: str | None = None
         ) -> InputError:
    return InputError(message, file=file, location=where, field=fld, expected=expected)


def as_of_of(spec: dict[str, Any], where: str, file: str, step: str) -> date | None:
    value = spec.get("as_of")
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _err(file, where, f"not a date: {value!r}", f"{step}.as_of",
                   'a quoted date like "2023-09-25"') from None


def check_import_step(step: dict[str, Any], where: str, file: str, name: str,
                      keys: set[str], what: str) -> dict[str, Any]:
    """Refuse a malformed import step ``name`` naming the file, step and field; returns its
    mapping. ``what`` says what its ``file`` is."""
    from tenderflow.app.common import check_actor

    for k in ("at", "as"):
        if k not in step:
            raise _err(file, where, "missing", k)
    try:
        check_actor(step["as"], field=f"{where}.as")
    except InputError as exc:
        raise InputError(exc.message, file=file, location=where) from None
    spec = step[name]
    if not isinstance(spec, dict) or not isinstance(spec.get("file"), str):
        raise _err(file, where, f"{name} is {{{', '.join(sorted(keys))}}}", name,
                   f"file: {what} relative to the scenario")
    unknown = sorted(set(spec) - keys)
    if unknown:
        raise _err(file, where, f"unknown key {unknown[0]!r}", f"{name}.{unknown[0]}",
                   ", ".join(sorted(keys)))
    as_of = as_of_of(spec, where, file, name)
    day = local_date(parse_time(step["at"], field="at", file=file, location=where))
    if as_of is not None and as_of > day:
        raise _err(file, where, f"the data is as of {as_of}, after the step's day {day}",
                   f"{name}.as_of", f"a date on or before {day}")
    return spec
