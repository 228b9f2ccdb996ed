"""The scenario step that registers a region's fiscal data (财政承受能力数据)::

    - {at: "2023-08-31T09:00+08:00", as: "finance:li",
       fiscal_import: {file: data/fiscal_110105.yaml, as_of: "2023-08-31"}}

``file`` is relative to the scenario; ``as_of`` (default: the step's day) is the date the
figures are as of — a project's ``fund`` step reads its region's latest data as of its day.
The step is validated, file included, before the scenario writes anything."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from tenderflow.domain.timeutil import local_date, parse_time
from tenderflow.errors import InputError

STEP = "fiscal_import"
KEYS = {"file", "as_of"}


def _err(file: str, where: str, message: str, fld: str, expected: str | None = None
         ) -> InputError:
    return InputError(message, file=file, location=where, field=fld, expected=expected)


def as_of_of(spec: dict[str, Any], where: str, file: str) -> date | None:
    value = spec.get("as_of")
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _err(file, where, f"not a date: {value!r}", f"{STEP}.as_of",
                   'a quoted date like "2023-08-31"') from None


def check_fiscal_step(step: dict[str, Any], where: str, file: str) -> None:
    """Refuse a malformed ``fiscal_import`` step naming the file, step and field."""
    from tenderflow.app.common import check_actor
    from tenderflow.app.fiscal import load_region_file

    for k in ("at", "as"):
        if k not in step:
            raise _err(file, where, "missing", k)
    try:
        check_actor(step["as"], field=f"{where}.as")
    except InputError as exc:
        raise InputError(exc.message, file=file, location=where) from None
    spec = step[STEP]
    if not isinstance(spec, dict) or not isinstance(spec.get("file"), str):
        raise _err(file, where, "fiscal_import is {file, as_of?}", STEP,
                   "file: a region's fiscal data (YAML) relative to the scenario")
    unknown = sorted(set(spec) - KEYS)
    if unknown:
        raise _err(file, where, f"unknown key {unknown[0]!r}", f"{STEP}.{unknown[0]}",
                   ", ".join(sorted(KEYS)))
    as_of = as_of_of(spec, where, file)
    day = local_date(parse_time(step["at"], field="at", file=file, location=where))
    if as_of is not None and as_of > day:
        raise _err(file, where, f"the data is as of {as_of}, after the step's day {day}",
                   f"{STEP}.as_of", f"a date on or before {day}")
    load_region_file(Path(file).parent / spec["file"])


def run_fiscal_step(services: Any, step: dict[str, Any], where: str, file: str,
                    at: Any) -> tuple[str, dict[str, Any]]:
    """Import the region's data; returns the step's text and detail."""
    from tenderflow.app.fiscal import import_fiscal

    spec = step[STEP]
    result = import_fiscal(services, Path(file).parent / spec["file"], step["as"], at,
                           as_of_of(spec, where, file))
    text = (f"{step['at']} {step['as']} fiscal import {spec['file']}: {result['region']} as of "
            f"{result['as_of']}")
    return text, {"fiscal_import": result}
