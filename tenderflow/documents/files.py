"""The files a contract command reads (terms, financing letter, PDFs to sign or verify) and
writes (PDFs, package folders): bounded reads that name the file in their errors, and output
staged beside its target until the record is committed."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from tenderflow.errors import InputError

MAX_INPUT_BYTES = 50 * 1024 * 1024


def read_input(path: Path, what: str) -> bytes:
    try:
        if path.is_dir():
            raise InputError(f"is a folder, not {what}", file=str(path))
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise InputError(f"larger than {MAX_INPUT_BYTES} bytes", file=str(path))
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{what} not found", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror}", file=str(path)) from None


def read_yaml_mapping(path: Path, what: str) -> dict[str, Any]:
    import yaml

    from tenderflow import yamlio

    raw = read_input(path, what)
    try:
        data = yamlio.safe_load(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", file=str(path)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
                         file=str(path),
                         location=f"line {mark.line + 1}" if mark else None) from None
    if not isinstance(data, dict):
        raise InputError(f"{what} must be a mapping", file=str(path))
    return data


def check_output(path: Path, option: str) -> None:
    """Refuse an output path we could not write, before anything is recorded."""
    if path.is_dir():
        raise InputError("is a folder; give a file name", file=str(path), field=option)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputError("its folder does not exist", file=str(path), field=option)


def clashes(folder: Path, outputs: Mapping[str, bytes]) -> list[str]:
    """Names in ``folder`` that hold other bytes than we would write (a signed manifest.pdf
    differs from the unsigned one only by the signatures appended to it)."""
    out = []
    for name, content in outputs.items():
        target = folder / name
        if target.exists() and (target.is_dir() or target.read_bytes() != content):
            out.append(name)
    return out


class Staged:
    """Output files written beside their targets first (``.NAME.tmp``) and renamed into place
    only when the block ends without an error — after the record is committed; otherwise
    removed, with any folder made for them. So a refused or conflicting step leaves nothing,
    and a file that cannot be written is found before anything is recorded."""

    def __init__(self) -> None:
        self.files: list[tuple[Path, Path]] = []
        self.made: list[Path] = []

    def add(self, path: Path, data: bytes) -> None:
        tmp = path.with_name(f".{path.name}.tmp")
        try:
            if not path.parent.exists():
                missing = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
                path.parent.mkdir(parents=True)
                self.made += missing
            tmp.write_bytes(data)
        except OSError as exc:
            raise InputError(f"cannot write: {exc.strerror}", file=str(path)) from None
        self.files.append((tmp, path))

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            for tmp, path in self.files:
                try:
                    tmp.replace(path)
                except OSError as err:
                    raise InputError(f"recorded, but cannot be moved into place: "
                                     f"{err.strerror}; the file is {tmp}",
                                     file=str(path)) from None
            return
        for tmp, _path in self.files:
            tmp.unlink(missing_ok=True)
        for folder in self.made:  # deepest first
            try:
                folder.rmdir()
            except OSError:
                pass
