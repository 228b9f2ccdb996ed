"""Two things a long scenario needs (tenderflow.app.scenario):

* ``continues: FILE`` — a scenario that carries on another (a file in the same folder): its
  projects, suppliers, procurements and steps come first, then this file's own; the title,
  description and entry are this file's (the other's entry when it gives none). E.g.
  examples/contract_ten_years.yaml continues examples/project_jinsong.yaml through ten years
  of operation.
* :func:`check_recordable` — before anything is written, every step is dated no later than
  the time it would be recorded (DESIGN §4: ``occurred_at`` never later than
  ``recorded_at``): a scenario dated ahead of today is refused naming its first future step
  and the date from which the file can be recorded, instead of stopping half-way.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from tenderflow.clock import CLOCK_SKEW
from tenderflow.domain.timeutil import iso, parse_time
from tenderflow.errors import InputError
from tenderflow.workflow.definitions import load_yaml

LISTS = ("projects", "suppliers", "procurements", "steps")
MAX_DEPTH = 5


def _base(data: dict[str, Any], path: Path) -> Path | None:
    name = data.get("continues")
    if name is None:
        return None
    if not isinstance(name, str) or Path(name).name != name or not name.endswith(".yaml"):
        raise InputError(f"continues {name!r}", file=str(path), field="continues",
                         expected="the file name of a scenario in the same folder, e.g. "
                                  "project_jinsong.yaml")
    base = path.parent / name
    if not base.is_file():
        raise InputError(f"no scenario {base}", file=str(path), field="continues",
                         expected="the file name of a scenario in the same folder")
    return base


def chain(data: Any, path: Path) -> list[tuple[Path, dict[str, Any]]]:
    """The files a scenario continues, the first one first, each with its data."""
    files = [(path, data)]
    while isinstance(data, dict) and (base := _base(data, path)) is not None:
        if len(files) > MAX_DEPTH or base in [f for f, _d in files]:
            raise InputError(f"continues {base.name} makes a chain of more than {MAX_DEPTH} "
                             "files or a loop", file=str(path), field="continues",
                             expected="a scenario that does not continue this one")
        path, data = base, load_yaml(base)
        if not isinstance(data, dict):
            raise InputError("a scenario is a mapping", file=str(base), location="top")
        files.append((path, data))
    return files[::-1]


def continued(data: Any, path: Path) -> Any:
    """The scenario ``data`` (of file ``path``) with the scenarios it continues merged in."""
    if not isinstance(data, dict) or "continues" not in data:
        return data
    files = chain(data, path)
    merged: dict[str, Any] = {k: v for k, v in data.items() if k != "continues"}
    for key in LISTS:
        parts = [d.get(key) or [] for _p, d in files]
        for (p, _d), part in zip(files, parts, strict=True):
            if not isinstance(part, list):
                raise InputError(f"{key} must be a list", file=str(p), field=key)
        merged[key] = [item for part in parts for item in part]
    if "entry" not in merged:
        entry = next((d["entry"] for _p, d in reversed(files) if "entry" in d), None)
        if entry is not None:
            merged["entry"] = entry
    return merged


def check_recordable(path: Path, recorded: datetime) -> None:
    """Refuse a scenario with a step dated after ``recorded`` (the recording clock) beyond
    the clock skew, naming the first such step and the date from which the whole file can be
    recorded (its latest step)."""
    first, latest = None, None
    for file, data in chain(load_yaml(path), path):
        for key in ("procurements", "steps"):
            for i, item in enumerate(data.get(key) or []):
                if not isinstance(item, dict) or not isinstance(item.get("at"), str):
                    continue
                when = parse_time(item["at"])
                latest = when if latest is None or when > latest else latest
                if first is None and when > recorded + CLOCK_SKEW:
                    what = next((f"{k} {item[k]}" for k in ("fire", "open", "tick")
                                 if k in item), "")
                    first = (file, f"{key}[{i}]", item["at"], what)
    if first is None or latest is None:
        return
    file, where, at, what = first
    raise InputError(
        f"{where} ({what}) is dated {at}, after the time it would be recorded "
        f"({iso(recorded)}): a step cannot be recorded before it happens (DESIGN §4). It can "
        f"be recorded from {at[:10]}; the whole file from {latest.date().isoformat()} (its "
        "latest step). Nothing was written", file=str(file), location=where, field="at",
        expected=f"steps dated no later than {iso(recorded)}")
