"""The scenario step that registers a region's fiscal data (财政承受能力数据)::

    - {at: "2023-08-31T09:00+08:00", as: "finance:li",
       fiscal_import: {file: data/fiscal_110105.yaml, as_of: "2023-08-31"}}

``file`` is relative to the scenario; ``as_of`` (default: the step's day) is the date the
figures are as of — a project's ``fund`` step reads its region's latest data as of its day.
The step is validated, file included, before the scenario writes anything."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tenderflow.app.scenario_import import as_of_of, check_import_step

STEP = "fiscal_import"
KEYS = {"file", "as_of"}


def check_fiscal_step(step: dict[str, Any], where: str, file: str) -> None:
    """Refuse a malformed ``fiscal_import`` step naming the file, step and field."""
    from tenderflow.app.fiscal import load_region_file

    spec = check_import_step(step, where, file, STEP, KEYS, "a region's fiscal data (YAML)")
    load_region_file(Path(file).parent / spec["file"])


def run_fiscal_step(services: Any, step: dict[str, Any], where: str, file: str,
                    at: Any) -> tuple[str, dict[str, Any]]:
    """Import the region's data; returns the step's text and detail."""
    from tenderflow.app.fiscal import import_fiscal

    spec = step[STEP]
    result = import_fiscal(services, Path(file).parent / spec["file"], step["as"], at,
                           as_of_of(spec, where, file, STEP))
    text = (f"{step['at']} {step['as']} fiscal import {spec['file']}: {result['region']} as of "
            f"{result['as_of']}")
    return text, {"fiscal_import": result}
