"""The financing-approval package: the documents plus a manifest of their SHA-256 hashes.

``build_package`` writes each document under its name and ``manifest.json``::

    {"algorithm": "sha256",
     "files": [{"name": "agreement.pdf", "bytes": 176406, "sha256": "…"}, …]}

in canonical JSON (sorted keys, UTF-8, two-space indent, names in sorted order), so the same
documents always give the same manifest. ``check_package`` re-hashes a package folder, the
check a bank runs on receipt.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tenderflow.errors import InputError

MANIFEST = "manifest.json"
_NAME = re.compile(r"^[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9_.\-\u4e00-\u9fff]{0,120}$")

# The documents a complete financing-approval package holds (names as written by the caller).
STANDARD_DOCUMENTS = (
    "financing-cover.pdf",
    "agreement.pdf",
    "eligibility-report.pdf",
    "award-record.pdf",
    "financial-summary.pdf",
)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_for(documents: Mapping[str, bytes]) -> dict[str, Any]:
    """The manifest of a set of documents, without writing anything."""
    problems = []
    for name, data in documents.items():
        if not isinstance(name, str) or not _NAME.match(name) or ".." in name:
            problems.append(f"{name!r} is not a plain file name")
        elif name == MANIFEST:
            problems.append(f"{MANIFEST} is written by the package itself")
        if not isinstance(data, (bytes, bytearray)):
            problems.append(f"{name!r}: expected bytes, got {type(data).__name__}")
    if not documents:
        problems.append("no documents")
    if problems:
        raise InputError("cannot build the package: " + "; ".join(problems), field="documents")
    return {
        "algorithm": "sha256",
        "files": [{"name": name, "bytes": len(documents[name]),
                   "sha256": sha256_hex(bytes(documents[name]))}
                  for name in sorted(documents)],
    }


def manifest_bytes(manifest: Mapping[str, Any]) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()


def build_package(out_dir: str | Path, documents: Mapping[str, bytes]) -> dict[str, Any]:
    """Write the documents and ``manifest.json`` into ``out_dir``; return the manifest.

    Every name is checked before anything is written. Files of the same names already in
    ``out_dir`` are replaced; other files there are left alone (and are not in the manifest).
    """
    manifest = manifest_for(documents)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name in sorted(documents):
            _write(out / name, bytes(documents[name]))
        _write(out / MANIFEST, manifest_bytes(manifest))
    except OSError as exc:
        raise InputError(f"cannot write the package: {exc.strerror}",
                         file=str(exc.filename or out)) from None
    return manifest


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def check_package(package_dir: str | Path) -> list[str]:
    """Problems with a package folder: missing, changed or malformed files; empty when sound."""
    folder = Path(package_dir)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files = manifest["files"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [f"{folder / MANIFEST}: unreadable manifest ({exc})"]
    problems = []
    for entry in files:
        name = entry.get("name") if isinstance(entry, Mapping) else None
        if not isinstance(name, str) or not _NAME.match(name) or ".." in name:
            problems.append(f"manifest entry {entry!r} has no plain file name")
            continue
        try:
            data = (folder / name).read_bytes()
        except OSError:
            problems.append(f"{name}: missing")
            continue
        if sha256_hex(data) != entry.get("sha256"):
            problems.append(f"{name}: SHA-256 differs from the manifest")
    return problems
