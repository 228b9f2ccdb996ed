"""The documents of the financing-approval package, rendered from the record: the cover
letter, the award record, the financial summary and the manifest (``manifest.json`` and the
``manifest.pdf`` the parties sign), beside the signed agreement and the eligibility report.
Every document prints the record digest of the agreement's last ``AgreementSigned`` event
(签署记录摘要). Nothing is written or recorded here: the application service does that."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tenderflow.documents.contract_templates import (
    MANIFEST_PDF,
    MANIFEST_TABLE_CLAUSE,
    TemplateDef,
    missing_error,
)
from tenderflow.documents.record import SIGNED_DIGEST_LABEL, record_digest
from tenderflow.domain import agreement as dom
from tenderflow.domain.finance.inputs import (
    FINANCING_MODEL_FIELDS,
    financing_loan,
    financing_missing,
)
from tenderflow.domain.finance.loan import Loan
from tenderflow.domain.timeutil import local_date, parse_time
from tenderflow.errors import DefinitionError, InputError
from tenderflow.store.canonical import sha256_hex


@dataclass(frozen=True)
class PackageFiles:
    """The package's documents (in the manifest's order of addition) and its manifest."""

    documents: dict[str, bytes]
    manifest: dict[str, Any]
    manifest_json: bytes
    manifest_pdf: bytes

    @property
    def manifest_sha256(self) -> str:
        return sha256_hex(self.manifest_json)

    def outputs(self) -> dict[str, bytes]:
        """Every file of the package folder, by name."""
        from tenderflow.documents.package import MANIFEST

        return {**self.documents, MANIFEST: self.manifest_json,
                MANIFEST_PDF: self.manifest_pdf}


def check_manifest_template(mtdef: TemplateDef) -> None:
    """The manifest template must have the clause the table of files goes in."""
    if MANIFEST_TABLE_CLAUSE not in [c.id for c in mtdef.template.clauses]:
        raise DefinitionError(f"{mtdef.path}: the manifest template needs a clause with "
                              f"id '{MANIFEST_TABLE_CLAUSE}' for the table of files",
                              file=str(mtdef.path))


def financing_fields(cover: TemplateDef, mtdef: TemplateDef) -> set[str]:
    """The ``financing.*`` fields the cover letter and the manifest use."""
    from tenderflow.documents.templates import placeholders

    return {f for t in (cover, mtdef) for f in placeholders(t.template)
            if f.startswith("financing.")}


def financing_terms(raw: Mapping[str, Any], cover: TemplateDef, mtdef: TemplateDef,
                    financing_file: str) -> tuple[dict[str, Any], Loan, Decimal]:
    """The financing file's letter fields, the loan and the discount rate they give; every
    problem (an unknown or malformed field, every field missing) named at once."""
    from tenderflow.domain import terms as terms_of

    wanted = financing_fields(cover, mtdef)
    financing, problems = terms_of.financing_problems(
        raw, wanted | FINANCING_MODEL_FIELDS, cover.path.name)
    if problems:
        raise InputError(f"{len(problems)} problem(s) in the financing file: "
                         + "; ".join(problems), file=financing_file)
    missing = financing_missing(financing, wanted)
    if missing:
        raise InputError(f"{len(missing)} field(s) missing: {', '.join(missing)} (the cover "
                         f"letter and the financial summary's repayment schedule and DSCR "
                         f"need them; contracts/README.md)", file=financing_file)
    try:
        loan, rate = financing_loan(financing)
    except InputError as exc:
        raise InputError(exc.message, file=financing_file) from None
    return financing, loan, rate


def assemble_package(pid: str, state: Mapping[str, Any], events: Sequence[Any], *,
                     signed: bytes, eligibility_report: bytes | None, data: Mapping[str, Any],
                     summary: Any, financing: Mapping[str, Any], financing_file: str,
                     cover: TemplateDef, mtdef: TemplateDef, digest: str, method: str,
                     supplier: Mapping[str, Any] | None, agreement_sha256: str,
                     agreement_event: int) -> PackageFiles:
    """Render the package's documents from the record: ``data`` is the agreement's template
    data, ``summary`` its financial summary, ``digest`` the record digest of the agreement's
    last signature (event #``agreement_event``). MissingFields names ``financing_file``."""
    from tenderflow.documents.filling import fill
    from tenderflow.documents.package import manifest_bytes, manifest_for
    from tenderflow.documents.pdf import (
        KEYWORD_DOCUMENT,
        KEYWORD_PROCUREMENT,
        render_document,
        render_filled,
    )
    from tenderflow.documents.reports import (
        award_record_sections,
        enclosures,
        manifest_document,
    )
    from tenderflow.documents.templates import MissingFields

    keywords = [KEYWORD_PROCUREMENT + pid]
    fin_date = str(financing.get("date") or "")
    documents: dict[str, bytes] = {"agreement.pdf": signed}
    if eligibility_report is not None:
        documents["eligibility-report.pdf"] = eligibility_report
    names = [*documents, "award-record.pdf", "financial-summary.pdf"]
    data = dom.merge(data, {"financing": financing, "finance": summary.package_fields(),
                            "package": {"enclosures": enclosures(names)}})
    try:
        filled_cover = fill(cover.template, data)
    except MissingFields as exc:
        raise missing_error(exc, financing_file, cover) from None
    except InputError as exc:
        raise InputError(exc.message, file=financing_file) from None
    documents["financing-cover.pdf"] = render_filled(
        filled_cover, digest, digest_label=SIGNED_DIGEST_LABEL,
        keywords=[*keywords, KEYWORD_DOCUMENT + "financing-cover"])
    award_date = (state.get("award") or {}).get("at")
    documents["award-record.pdf"] = render_document(
        "采购结果记录", award_record_sections(pid, state, events, method, supplier),
        digest, digest_label=SIGNED_DIGEST_LABEL,
        subtitle=str(state["project"].get("name", "")),
        document_date=local_date(parse_time(award_date)).isoformat() if award_date else None,
        keywords=[*keywords, KEYWORD_DOCUMENT + "award-record"])
    documents["financial-summary.pdf"] = render_document(
        "财务摘要", summary.sections(), digest, digest_label=SIGNED_DIGEST_LABEL,
        subtitle=str(state["project"].get("name", "")), document_date=fin_date or None,
        keywords=[*keywords, KEYWORD_DOCUMENT + "financial-summary"])
    manifest = manifest_for(documents)
    manifest_json = manifest_bytes(manifest)
    manifest_sha = sha256_hex(manifest_json)
    mdata = dom.merge(data, {"package": {
        "file_count": len(documents), "manifest_sha256": manifest_sha,
        "agreement_sha256": agreement_sha256, "agreement_event": agreement_event}})
    try:
        filled_manifest = fill(mtdef.template, mdata)
    except MissingFields as exc:
        raise missing_error(exc, financing_file, mtdef) from None
    index = [c.id for c in mtdef.template.clauses].index(MANIFEST_TABLE_CLAUSE)
    manifest_pdf = render_filled(
        manifest_document(filled_manifest, manifest, index), digest,
        digest_label=SIGNED_DIGEST_LABEL, keywords=[*keywords, KEYWORD_DOCUMENT + dom.PACKAGE_DOC,
                                                    f"manifest-sha256={manifest_sha}"])
    return PackageFiles(documents, manifest, manifest_json, manifest_pdf)


AWARD_EVENTS = ("ProcurementAwarded", "NextSupplierAwarded", "AwardNoticeIssued",
                "EntrustmentAgreed")


def provenance(events: Sequence[Any], terms_event: Any, financing_file: str,
               award: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Where each input of the financial summary comes from, in words: the events of the
    procurement's log by number (and hash), and the financing file recorded with the package."""
    # the record digest, not the chain hash: the hash covers the wall-clock recorded_at, so a
    # document quoting it would change with the day the log was entered (documents/record.py)
    terms = (f"本采购记录第{terms_event.stream_seq}号事件（合同条款记录，记录摘要"
             f"{record_digest(terms_event)[:16]}…）")
    awarded = [e for e in events if e.type in AWARD_EVENTS]
    price = (f"第{awarded[-1].stream_seq}号事件（采购结果）记录的成交价格" if awarded
             else "采购结果记录的成交价格")
    if award.get("at"):
        price += f"（{local_date(parse_time(award['at'])).isoformat()}）"
    return [
        ("项目总投资", f"{price}，随{terms}记入合同条款"),
        ("各年收入和运营成本", f"{terms}所载的逐年收入计划（按收费来源）和运营成本"),
        ("贷款条件和折现率", (f"融资文件{financing_file}的贷款金额、期限、年利率、宽限期、还款方式"
                           f"和折现率，随本文件包记入融资文件包组装事件，该事件载明本文件的哈希值")),
    ]
