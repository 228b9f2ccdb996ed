"""Sealed offers, offline: what ``tenderflow bid seal|verify`` does for a supplier before the
opening — check an offer's content, commit to it with a nonce, and check a reveal against a
recorded commitment (the commitment scheme is tenderflow.domain.components.sealing). Nothing here reads
or writes the store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tenderflow.domain.components.sealing import (
    CONTENT_SCHEMA,
    HASH_RE,
    NONCE_RE,
    commitment,
    new_nonce,
)
from tenderflow.errors import CheckFailed, InputError


def check_offer(content: Any, file: str, field: str = "") -> dict[str, Any]:
    """The offer's content when it is a mapping the content schema accepts; else InputError
    naming ``file`` and the field."""
    from jsonschema import Draft202012Validator

    if not isinstance(content, dict):
        raise InputError("an offer is a mapping", file=file, field=field or None,
                         expected="price, investment, concession_years, revenue_plan, documents")
    errors = sorted(Draft202012Validator(CONTENT_SCHEMA).iter_errors(content),
                    key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        path = ".".join(str(p) for p in err.absolute_path)
        where = ".".join(p for p in (field, path) if p) or None
        raise InputError(err.message, file=file, field=where,
                         expected="price as a decimal string like \"3245000.00\"")
    return content


def commit_offer(procurement: str, supplier: str, kind: str, content: dict[str, Any],
                 nonce: str | None) -> tuple[str, str]:
    """``(commitment, nonce)`` of a checked offer; without ``nonce`` a fresh one is drawn."""
    if nonce is not None and not NONCE_RE.match(nonce):
        raise InputError("the nonce is not 32–128 lowercase hex digits", field="--nonce",
                         expected="e.g. the output of `openssl rand -hex 32`")
    nonce = nonce or new_nonce()
    return commitment(procurement, supplier, kind, content, nonce), nonce


def verify_reveal(reveal: Path, data: Any, procurement: str, kind: str, expected: str) -> str:
    """The commitment of a reveal file's ``{supplier, content, nonce}`` when it is
    ``expected``; a malformed reveal is InputError, another commitment CheckFailed."""
    for key in ("supplier", "content", "nonce"):
        if key not in data:
            raise InputError("missing", file=str(reveal), field=key,
                             expected="supplier, content and nonce")
    if not isinstance(data["supplier"], str) or not data["supplier"]:
        raise InputError("not a supplier id", file=str(reveal), field="supplier")
    if not isinstance(data["nonce"], str) or not NONCE_RE.match(data["nonce"]):
        raise InputError("not 32–128 lowercase hex digits", file=str(reveal), field="nonce")
    if not HASH_RE.match(expected):
        raise InputError("not 64 lowercase hex digits", field="--commitment")
    content = check_offer(data["content"], str(reveal), "content")
    got = commitment(procurement, data["supplier"], kind, content, data["nonce"])
    if got != expected:
        raise CheckFailed(f"{reveal}: the revealed {kind} of {data['supplier']} hashes to "
                          f"{got}, not the commitment {expected}", commitment=expected,
                          revealed=got)
    return got
