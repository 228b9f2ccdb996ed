"""Two things a long scenario needs (tenderflow.app.scenario):

* ``continues: FILE`` — a scenario that carries on another (a path relative to it): its
  projects, suppliers, procurements and steps come first, then this file's own; the title,
  description and entry are this file's (the other's entry when it gives none); the other's
  file references resolve from its own folder. E.g. examples/ten_years/contract_ten_years.yaml
  continues examples/project_jinsong.yaml through ten years of operation (in a folder of its
  own: the runs of every ``examples/*.yaml`` on any date — make demo, the tests — leave it out).
* :func:`check_recordable` — before anything is written, every step is dated no later than
  the time it would be recorded (DESIGN §4: ``occurred_at`` never later than
  ``recorded_at``): a scenario dated ahead of today is refused naming its first future step
  and the date from which the file can be recorded, instead of stopping half-way.
"""

from __future__ import annotations

import os
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
    expected = "the path of a scenario relative to this one, e.g. ../project_jinsong.yaml"
    if not isinstance(name, str) or Path(name).is_absolute() or not name.endswith(".yaml"):
        raise InputError(f"continues {name!r}", file=str(path), field="continues",
                         expected=expected)
    base = path.parent / name
    if not base.is_file():
        raise InputError(f"no scenario {base}", file=str(path), field="continues",
                         expected=expected)
    return base


def _moved(value: Any, base: Path, path: Path) -> Any:
    """A file reference of scenario ``base`` made relative to scenario ``path``'s folder."""
    if not isinstance(value, str):
        return value
    return os.path.relpath(base.parent / value, path.parent)


def _rebased(data: dict[str, Any], base: Path, path: Path) -> dict[str, Any]:
    """``data`` of scenario ``base`` with its file references (records ``{file}``,
    ``record_vote`` ``with.file``, ``credit_import.file``, ``fiscal_import.file``) relative to
    scenario ``path``'s folder, so that they resolve from there."""
    if base.parent.resolve() == path.parent.resolve():
        return data
    out = dict(data)
    for key in ("projects", "suppliers"):
        if isinstance(data.get(key), list):
            out[key] = [{**r, "file": _moved(r["file"], base, path)}
                        if isinstance(r, dict) and set(r) == {"file"} else r
                        for r in data[key]]
    steps = []
    for step in data.get("steps") or []:
        if isinstance(step, dict):
            step = dict(step)
            for key in ("credit_import", "fiscal_import"):
                if isinstance(step.get(key), dict) and "file" in step[key]:
                    step[key] = {**step[key], "file": _moved(step[key]["file"], base, path)}
            if step.get("fire") == "record_vote" and isinstance(step.get("with"), dict) \
                    and "file" in step["with"]:
                step["with"] = {**step["with"], "file": _moved(step["with"]["file"], base,
                                                                 path)}
        steps.append(step)
    if isinstance(data.get("steps"), list):
        out["steps"] = steps
    return out


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
    files = [(p, _rebased(d, p, path)) for p, d in files]
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
