"""The scenario step that imports credit lists (财库〔2016〕125号)::

    - {at: "2023-09-25T08:00+08:00", as: "staff:zhao",
       credit_import: {file: data/credit_lists.csv, as_of: "2023-09-25",
                       lists: [失信被执行人, 重大税收违法, 政府采购严重违法失信]}}

``file`` is relative to the scenario; ``as_of`` (default: the step's day) is the date the
export was taken - an eligibility check reads each list's latest import and a list older than
``credit.list_max_age_days`` is not checked; ``lists`` names the lists the export covers
(default: those its lines name). The step is validated, file included, before the scenario
writes anything."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tenderflow.app.scenario_import import as_of_of, check_import_step
from tenderflow.domain.credit import CREDIT_LISTS
from tenderflow.errors import InputError

STEP = "credit_import"
KEYS = {"file", "as_of", "lists"}


def _err(file: str, where: str, message: str, fld: str, expected: str | None = None
         ) -> InputError:
    return InputError(message, file=file, location=where, field=fld, expected=expected)


def check_credit_step(step: dict[str, Any], where: str, file: str) -> None:
    """Refuse a malformed ``credit_import`` step naming the file, step and field."""
    from tenderflow.app.eligibility import load_credit_csv

    spec = check_import_step(step, where, file, STEP, KEYS, "a CSV export")
    lists = spec.get("lists")
    if lists is not None and (not isinstance(lists, list) or not lists
                              or any(x not in CREDIT_LISTS for x in lists)):
        raise _err(file, where, f"lists {lists!r}", f"{STEP}.lists",
                   "a list of: " + ", ".join(CREDIT_LISTS))
    load_credit_csv(Path(file).parent / spec["file"])


def run_credit_step(services: Any, step: dict[str, Any], where: str, file: str,
                    at: Any) -> tuple[str, dict[str, Any]]:
    """Import the export; returns the step's text and detail."""
    from tenderflow.app.eligibility import import_credit_lists

    spec = step[STEP]
    result = import_credit_lists(services, Path(file).parent / spec["file"], step["as"], at,
                                 as_of_of(spec, where, file, STEP), spec.get("lists"))
    text = f"{step['at']} {step['as']} credit import {spec['file']}: " + ", ".join(
        f"{name} as of {i['as_of']}" for name, i in result["imports"].items())
    return text, {"credit_import": result}
