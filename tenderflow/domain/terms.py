"""The agreement's records as data, with no I/O: what ``AgreementTermsRecorded`` and the
financing package record are built from, which recorded document a file is, and what the
log's events say about a document's parties and latest record.

The checks and the fold of these records are in :mod:`tenderflow.domain.agreement`; the
application service (:mod:`tenderflow.app.agreements`) reads the files and the store and
passes their contents here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tenderflow.domain import agreement as dom
from tenderflow.errors import CheckFailed


def terms_body(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The terms a file gives for the template (without its revenue and cost plans)."""
    return {k: v for k, v in raw.items() if k not in dom.PLAN_KEYS}


def terms_payload(raw: Mapping[str, Any], data: Mapping[str, Any], derived: Mapping[str, Any],
                  sources: Mapping[str, str], signing_order: Iterable[str],
                  template: Mapping[str, str], finance: Mapping[str, Any]) -> dict[str, Any]:
    """The payload of ``AgreementTermsRecorded``: the officer's terms and plans, the fields
    derived from the record with their sources, the parties' identities, the template and
    the financial summary."""
    return {
        "terms": terms_body(raw),
        "revenue_plan": raw["revenue_plan"],
        "operating_costs": raw.get("operating_costs") or [],
        "derived": derived,
        "sources": sources,
        "parties": dom.identities(data, signing_order),
        "template": template,
        "finance": finance,
    }


def lacking_identities(parties: Mapping[str, Any], roles: Iterable[str]) -> list[str]:
    """The ``parties.ROLE.name`` / ``.uscc`` fields no identity gives."""
    return [f"parties.{r}.{k}" for r in roles for k in ("name", "uscc")
            if not (parties.get(r) or {}).get(k)]


def financing_problems(raw: Mapping[str, Any], wanted: Iterable[str], cover_file: str
                       ) -> tuple[dict[str, Any], list[str]]:
    """The financing letter's fields from a financing file's contents, and every problem with
    them: ``wanted`` are the ``financing.*`` fields the cover and manifest templates use."""
    wanted = set(wanted)
    financing = raw.get("financing")
    problems = [f"unknown top-level key '{k}' (expected financing)" for k in raw
                if k != "financing"]
    if not isinstance(financing, dict):
        problems.append("financing: expected a mapping of the letter's fields "
                        f"({', '.join(sorted(f.split('.', 1)[1] for f in wanted))})")
        financing = {}
    for key, value in financing.items():
        if f"financing.{key}" not in wanted:
            problems.append(f"field 'financing.{key}' is not used by {cover_file}; "
                            f"fields: {', '.join(sorted(wanted))}")
        elif isinstance(value, (bool, float, list, dict)) or value is None:
            problems.append(f"field 'financing.{key}': expected text, a whole number or "
                            f"an amount in quotes, got {value!r}")
    return financing, problems


def last_record(doc: Mapping[str, Any], render_type: str = dom.RENDERED) -> str:
    """The document's latest record, in words: its last signature or its rendering."""
    sigs = doc.get("signatures") or []
    if sigs:
        return f"signed by {sigs[-1]['party']}, event #{sigs[-1]['seq']}"
    return f"{render_type} #{doc['rendered']['seq']}"


def which_document(pid: str, state: Mapping[str, Any], digest: str, path: str) -> str:
    """The document a file is, by its hash against the log's latest records."""
    agreement = state.get("agreement") or {}
    package = state.get("financing_package") or {}
    if agreement.get("sha256") == digest:
        return dom.AGREEMENT
    if package.get("sha256") == digest:
        return dom.PACKAGE_DOC
    expected = []
    if agreement.get("sha256"):
        expected.append(f"the agreement as last recorded ({last_record(agreement)}): "
                        f"{agreement['sha256']}")
    if package.get("sha256"):
        expected.append(f"the package manifest as last recorded "
                        f"({last_record(package, dom.PACKAGE)}): {package['sha256']}")
    raise CheckFailed(
        f"{path}: SHA-256 {digest} is not a document {pid} expects to be signed"
        + (": the log expects " + "; or ".join(expected) if expected else
           f": nothing has been rendered yet (tenderflow contract render {pid})"),
        procurement=pid, sha256=digest)


def document_hashes(state: Mapping[str, Any]) -> set[str]:
    """The SHA-256 of each document the procurement rendered (agreement, package manifest)."""
    out = set()
    for key in ("agreement", "financing_package"):
        doc = state.get(key) or {}
        if doc.get("rendered"):
            out.add(doc["rendered"]["sha256"])
    return out


def parties_of(events: Sequence[Any]) -> dict[str, dict[str, str]]:
    """The signing parties' identities as the latest agreement rendering (or terms) recorded
    them; the package manifest is signed by the same parties."""
    for ev in reversed(events):
        if ev.type == dom.RENDERED and ev.payload.get("parties"):
            return dict(ev.payload["parties"])
        if ev.type == dom.TERMS:
            return dict(ev.payload["parties"])
    return {}
