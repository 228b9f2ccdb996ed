"""The per-user cache folder and what identifies an installed package, for the caches that
spare every command work whose result depends only on files (issue 17): schemas found valid
(:mod:`tenderflow.schemacheck`), the calendar's cross-check data
(:mod:`tenderflow.workflow.calendars`), the parsed policy YAML
(:func:`tenderflow.workflow.definitions.load_yaml`) and the top-level help
(:mod:`tenderflow.cli.fasthelp`).
Each keys its entries on the content they were computed from, so an entry is used only for the
files it was made from; a lost or unwritable cache costs time, never a result."""

from __future__ import annotations

import os
from importlib.util import find_spec
from pathlib import Path

CACHE_ENV = "TENDERFLOW_CACHE_DIR"


def cache_dir() -> Path:
    """$TENDERFLOW_CACHE_DIR, else $XDG_CACHE_HOME/tenderflow, else ~/.cache/tenderflow."""
    return Path(os.environ.get(CACHE_ENV) or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
        "tenderflow"))


def installed(package: str, distribution: str | None = None) -> tuple[Path, bytes] | None:
    """(the package's folder, its ``.dist-info/RECORD``: the hash of every file pip installed)
    of an installed distribution (named like its package unless ``distribution`` names it, in
    any case: ``PyYAML`` for ``yaml``), found without importing it; None when it cannot be
    told apart (not found, no single .dist-info, no RECORD)."""
    spec = find_spec(package)
    if spec is None or not spec.origin:
        return None
    folder = Path(spec.origin).parent
    prefix = f"{distribution or package}-".lower()
    try:
        infos = [p for p in folder.parent.iterdir()
                 if p.name.lower().startswith(prefix) and p.name.endswith(".dist-info")
                 and "-" not in p.name[len(prefix):-len(".dist-info")]]
        if len(infos) != 1:
            return None
        return folder, (infos[0] / "RECORD").read_bytes()
    except OSError:
        return None


def write_atomically(path: Path, content: str | bytes) -> None:
    """``content`` into ``path`` through a temporary file and a rename (a reader sees the old
    file or the new one); OSError when the cache cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    if isinstance(content, str):
        tmp.write_text(content, encoding="utf-8")
    else:
        tmp.write_bytes(content)
    os.replace(tmp, path)
