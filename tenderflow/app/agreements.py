"""The agreement's application service: record terms, render, sign, verify, assemble the
financing-approval package (DESIGN §8). The CLI (``tenderflow contract …``, ``tenderflow keys
demo``) and the demo (:mod:`tenderflow.app.demo_agreement`) call it; it reads and appends
through :class:`~tenderflow.app.procurement.Services`. It orchestrates only: the terms are built in
:mod:`tenderflow.domain.terms` and checked in :mod:`tenderflow.domain.agreement`; rendering,
signing, the package's documents and verification are in :mod:`tenderflow.documents`.

Time is an input: every command takes the business time it happens at (``at``: the CLI's
``--at``) and records its event at that time; nothing here reads the wall clock. A signature
carries the signing time its ``AgreementSigned`` / ``FinancingPackageSigned`` event records
(``occurred_at``), verification judges each certificate at that time, and every time printed
in a document is a recorded business time in Asia/Shanghai (+08:00).

Each command prepares its result from the state it read (version *v*), then records it with
``Services.record(…, expected_version=v)`` — one transaction that re-runs the checks on the
state as it is then — and only after that writes its files. So a refused or conflicting step
writes nothing, and what is on disk is always what the log says.

Which digest a document carries on every page (the "record digest",
:func:`tenderflow.documents.record.record_digest`): that of the event its data comes from —
the agreement the ``AgreementTermsRecorded`` event (条款记录摘要, recorded as ``terms_digest``),
the package documents the last ``AgreementSigned`` event (签署记录摘要,
``agreement_signed_digest``). It covers what the event says, not when it was recorded, so
rendering the same record gives the same bytes on any day; ``contract verify`` recomputes it
from the stored event, whose place in the chain ``audit verify`` proves. Documents rendered
before the record digest carry their event's chain hash instead (``log_hash``), which
verification still accepts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from tenderflow.app.common import check_actor, stream_of
from tenderflow.app.procurement import Services
from tenderflow.documents.contract_templates import (
    AGREEMENT_TEMPLATE,
    COVER_TEMPLATE,
    MANIFEST_TEMPLATE,
    TemplateDef,
    load_template_def,
    missing_error,
)
from tenderflow.documents.files import (
    Staged,
    check_output,
    clashes,
    read_input,
    read_yaml_mapping,
)
from tenderflow.documents.record import TERMS_DIGEST_LABEL, record_digest
from tenderflow.domain import agreement as dom
from tenderflow.domain import terms as terms_of
from tenderflow.domain.state import State
from tenderflow.domain.timeutil import iso, parse_time
from tenderflow.errors import CheckFailed, InputError, NotFound
from tenderflow.store.canonical import canonical_json, sha256_hex


class Agreements:
    """Terms, rendering, signatures, verification and the financing package of procurements."""

    def __init__(self, services: Services | None, *, contracts: Path | None = None) -> None:
        """``services`` may be None only to verify signatures without the log."""
        from tenderflow.paths import contracts_dir

        self.services: Services = services  # type: ignore[assignment]
        self.store: Any = services.store if services is not None else None
        self.contracts = contracts or contracts_dir()

    # --- reading ---------------------------------------------------------------------------
    def template(self, name: str) -> TemplateDef:
        return load_template_def(self.contracts / name)

    def _event(self, pid: str, seq: int) -> Any:
        with self.store.reading() as tx:
            for ev in tx.read_stream(stream_of(pid), after=seq - 1):
                return ev
        raise CheckFailed(f"{pid}: event #{seq} is missing from the log", procurement=pid)

    def _profiles(self, state: State) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """The project's and the awarded supplier's registered profiles, as they are now."""
        award = state.get("award") or {}
        with self.store.reading() as tx:
            project = self.services.profile(tx, "project", state["project"]["id"])
            supplier = (self.services.profile(tx, "supplier", award["supplier"])
                        if award.get("supplier") else None)
        return project, supplier

    def derived(self, pid: str, state: State, template: TemplateDef
                ) -> tuple[dict[str, Any], dict[str, str]]:
        """The agreement fields the procurement record provides, and where each comes from."""
        project, supplier = self._profiles(state)
        parties, party_sources = dom.signing_parties(state, project or state.get("project"),
                                                     supplier, template.template.signing_order)
        method = self.services.definitions(state["mode"]).workflow.title_zh
        return dom.derive(pid, state, method, parties, party_sources)

    def terms_data(self, pid: str, state: State) -> tuple[dict[str, Any], Any]:
        """The template data recorded by the current ``AgreementTermsRecorded``, and the event."""
        terms = (state.get("agreement") or {}).get("terms")
        if not terms:
            raise CheckFailed(f"{pid}: no agreement terms are recorded: tenderflow contract "
                              f"terms {pid} TERMS.yaml", procurement=pid)
        event = self._event(pid, terms["seq"])
        return dom.merge(event.payload["derived"], event.payload["terms"]), event

    # --- terms -----------------------------------------------------------------------------
    def record_terms(self, pid: str, terms_file: Path, actor: str, at: datetime
                     ) -> dict[str, Any]:
        """Record the officer's agreement terms with the fields derived from the record."""
        from tenderflow.documents.filling import fill
        from tenderflow.documents.finance import financial_summary
        from tenderflow.documents.templates import MissingFields, placeholders

        check_actor(actor)
        dom.check_role(pid, "record terms", actor)
        raw = read_yaml_mapping(terms_file, "the terms file")
        state = self.services.state(pid)
        dom.check_awarded(pid, "terms", state)
        dom.check_terms_may_change(pid, state)
        tdef = self.template(AGREEMENT_TEMPLATE)
        derived, sources = self.derived(pid, state, tdef)
        problems = dom.terms_problems(raw, placeholders(tdef.template), derived, sources,
                                      tdef.path.name)
        if problems:
            raise InputError(f"{len(problems)} problem(s) in the terms: " + "; ".join(problems),
                             file=str(terms_file))
        data = dom.merge(derived, terms_of.terms_body(raw))
        try:
            fill(tdef.template, data)
        except MissingFields as exc:
            raise missing_error(exc, str(terms_file), tdef) from None
        except InputError as exc:
            raise InputError(exc.message, file=str(terms_file)) from None
        from tenderflow.documents.filling import as_date, lookup

        if tdef.template.date_field:
            agreed = as_date(lookup(data, tdef.template.date_field), tdef.template.date_field)
            dom.check_agreement_date(pid, state, agreed)
        summary = financial_summary(data["investment"]["total"], raw["revenue_plan"],
                                    operating_costs=raw.get("operating_costs"))
        payload = terms_of.terms_payload(raw, data, derived, sources,
                                         tdef.template.signing_order, tdef.describe(),
                                         summary.fields())
        current = (state.get("agreement") or {}).get("terms")
        if current:
            previous = self._event(pid, current["seq"])
            # the same terms (a late entry's note is about the recording, not the terms)
            same = {k: v for k, v in previous.payload.items() if k != "late_entry"}
            if canonical_json(same) == canonical_json(payload):
                return self._terms_result(pid, previous, recorded=False)

        def check(now_state: State) -> None:
            dom.check_awarded(pid, "terms", now_state)
            dom.check_terms_may_change(pid, now_state)

        stored = self.services.record(pid, dom.TERMS, payload, actor, at,
                                      expected_version=state["version"], check=check,
                                      definitions={"template": tdef.pin()})
        return self._terms_result(pid, stored, recorded=True)

    @staticmethod
    def _terms_result(pid: str, event: Any, *, recorded: bool) -> dict[str, Any]:
        return {"ok": True, "procurement": pid, "event": dom.TERMS, "recorded": recorded,
                "seq": event.stream_seq, "hash": event.hash,
                "terms_digest": record_digest(event), "parties": event.payload["parties"], "finance": event.payload["finance"],
                "derived": sorted(dom.flatten(event.payload["derived"]))}

    # --- render ----------------------------------------------------------------------------
    def render(self, pid: str, out: Path, actor: str, at: datetime, *,
               template: Path | None = None) -> dict[str, Any]:
        """Render the agreement from the recorded terms; record ``AgreementRendered`` at
        ``at``. The bytes depend on the record only, not on ``at``."""
        from tenderflow.documents.filling import fill, missing_fields
        from tenderflow.documents.pdf import (
            KEYWORD_DOCUMENT,
            KEYWORD_PROCUREMENT,
            render_filled,
            renderer_info,
        )
        from tenderflow.documents.signing import page_count
        from tenderflow.documents.templates import MissingFields

        check_actor(actor)
        dom.check_role(pid, "render", actor)
        check_output(out, "--out")
        state = self.services.state(pid)
        dom.check_awarded(pid, "render", state)
        tdef = load_template_def(template) if template else self.template(AGREEMENT_TEMPLATE)
        if not (state.get("agreement") or {}).get("terms"):
            derived, _ = self.derived(pid, state, tdef)
            exc = MissingFields(missing_fields(tdef.template, derived), file=str(tdef.path))
            raise missing_error(exc, None, tdef, hint=f"no terms are recorded yet: put them in a "
                           f"YAML file and run tenderflow contract terms {pid} FILE") from None
        data, terms_event = self.terms_data(pid, state)
        try:
            filled = fill(tdef.template, data)
        except MissingFields as exc:
            raise missing_error(exc, None, tdef, hint=f"the template asks for fields the recorded "
                           f"terms (event #{terms_event.stream_seq}) lack: record them with "
                           f"tenderflow contract terms {pid} FILE") from None
        terms_digest, terms_seq = record_digest(terms_event), terms_event.stream_seq
        pdf = render_filled(filled, terms_digest, digest_label=TERMS_DIGEST_LABEL, keywords=[
            KEYWORD_PROCUREMENT + pid, KEYWORD_DOCUMENT + dom.AGREEMENT])
        digest = sha256_hex(pdf)
        dom.check_may_render(pid, state, digest)
        rendered = (state.get("agreement") or {}).get("rendered")
        recorded = not (rendered and rendered["sha256"] == digest)
        seq = rendered["seq"] if rendered and not recorded else None
        payload = {
            "document": dom.AGREEMENT, "sha256": digest, "bytes": len(pdf),
            "pages": page_count(pdf), "terms_digest": terms_digest, "terms_seq": terms_seq,
            "template": tdef.describe(),
            "signing_order": tdef.template.signing_order,
            "parties": terms_event.payload["parties"], "renderer": renderer_info(),
        }
        def check(now_state: State) -> None:
            dom.check_awarded(pid, "render", now_state)
            dom.check_may_render(pid, now_state, digest)
            if (now_state.get("agreement") or {}).get("terms", {}).get("seq") != terms_seq:
                raise CheckFailed(f"{pid}: the terms changed while rendering; retry",
                                  procurement=pid)

        with Staged() as staged:
            staged.add(out, pdf)
            if recorded:
                stored = self.services.record(pid, dom.RENDERED, payload, actor, at,
                                              expected_version=state["version"], check=check,
                                              definitions={"template": tdef.pin()})
                seq = stored.stream_seq
        return {"ok": True, "procurement": pid, "event": dom.RENDERED, "recorded": recorded,
                "seq": seq, "file": str(out), "sha256": digest, "bytes": len(pdf),
                "pages": payload["pages"], "terms_digest": terms_digest, "terms_seq": terms_seq,
                "signing_order": payload["signing_order"]}

    # --- sign ------------------------------------------------------------------------------
    def sign(self, pid: str, party: str, key: Path, passphrase: str | None,
             in_path: Path, out_path: Path, actor: str, at: datetime) -> dict[str, Any]:
        """Add ``party``'s signature to the agreement (or the package manifest) as the log
        expects it next; record ``AgreementSigned`` / ``FinancingPackageSigned`` at ``at``
        (whole seconds), the signing time the signature carries. A key whose certificate is
        not valid at ``at`` is refused."""
        from tenderflow.documents.keys import key_info
        from tenderflow.documents.signing import field_name, sign_pdf, signing_moment

        check_actor(actor)
        dom.check_role(pid, "sign", actor)
        check_output(out_path, "--out")
        pdf = read_input(in_path, "the PDF to sign")
        state = self.services.state(pid)
        dom.check_awarded(pid, "sign", state)
        digest = sha256_hex(pdf)
        document = terms_of.which_document(pid, state, digest, str(in_path))
        doc = dom.document_state(state, document)
        label = self._document_label(pid, state, document)
        turn = dom.signing_turn(pid, state, document, party, label)
        expected = doc["parties"].get(party)
        if not expected:
            raise InputError(f"no registered identity is recorded for {party}", field="--party")
        when = signing_moment(at)
        info = key_info(key, passphrase)
        problems = info.identity.matches(expected)
        if problems:
            raise dom.identity_refusal(pid, state, party, problems)
        expired = info.validity_problem(when)
        if expired:
            raise CheckFailed(f"{pid}: key refused for {party}: {expired} (--at)",
                              procurement=pid, party=party, signing_time=iso(when),
                              not_before=iso(info.not_before), not_after=iso(info.not_after))
        order = doc["signing_order"]
        # the file is the log's latest record of the document (its SHA-256, above): the
        # signatures in it are those recorded, checked when they were made
        signed = sign_pdf(pdf, key, passphrase, party, expected, signing_time=when,
                          signing_order=order, reason=f"{party} signs ({turn} of {len(order)})",
                          earlier_intact=True)
        new_digest = sha256_hex(signed)
        event_type = dom.SIGNED if document == dom.AGREEMENT else dom.PACKAGE_SIGNED
        payload: dict[str, Any] = {
            "document": document, "party": party, "field": field_name(party),
            "signer": info.identity.to_dict(),
            "certificate": {"sha256": info.sha256, "serial": info.serial, "issuer": info.issuer,
                            "not_after": info.not_after.isoformat()},
            "sha256": new_digest, "bytes": len(signed), "previous_sha256": digest,
            "rendered_sha256": doc["rendered"]["sha256"], "signature": turn, "of": len(order),
        }
        if document == dom.PACKAGE_DOC:
            payload["manifest_sha256"] = state["financing_package"]["manifest_sha256"]

        def check(now_state: State) -> None:
            dom.check_awarded(pid, "sign", now_state)
            if dom.document_state(now_state, document)["sha256"] != digest:
                raise CheckFailed(f"{pid}: the {document} changed while signing (another party "
                                  f"signed first); sign the latest file", procurement=pid)
            dom.signing_turn(pid, now_state, document, party, label)

        with Staged() as staged:
            staged.add(out_path, signed)
            stored = self.services.record(pid, event_type, payload, actor, when,
                                          expected_version=state["version"], check=check)
        return {"ok": True, "procurement": pid, "event": event_type, "seq": stored.stream_seq,
                "document": document, "party": party, "signer": info.identity.to_dict(),
                "signature": turn, "of": len(order), "file": str(out_path),
                "sha256": new_digest, "bytes": len(signed), "signed_at": stored.occurred_at,
                "next": order[turn] if turn < len(order) else None}

    def _document_label(self, pid: str, state: State, document: str) -> str:
        if document == dom.AGREEMENT:
            rendered = self._event(pid, state["agreement"]["rendered"]["seq"])
            t = rendered.payload["template"]
        else:
            package = self._event(pid, state["financing_package"]["rendered"]["seq"])
            t = package.payload["manifest_template"]
        return f"合同模板 {t['id']} {t['version']}"

    # --- demo keys -------------------------------------------------------------------------
    def demo_keys(self, pid: str, out_dir: Path, *, valid_from: datetime | None = None,
                  valid_until: datetime | None = None) -> Any:
        """A demo CA and one PKCS#12 per signing party of the procurement's agreement,
        valid from the day before the procurement was opened (its first event's business
        time), or before ``valid_from``, for the default period or until ``valid_until``: the
        record or the caller decides their validity, never the day the keys are made."""
        from tenderflow.documents.keys import make_demo_keys

        if (out_dir / "demo-ca.pem").exists():
            raise InputError("already holds demo keys (demo-ca.pem); choose another folder — "
                             "new keys would not match signatures made with the old ones",
                             file=str(out_dir), field="--out")
        if out_dir.exists() and not out_dir.is_dir():
            raise InputError("is a file, not a folder", file=str(out_dir), field="--out")
        state = self.services.state(pid)
        dom.check_awarded(pid, "keys", state)
        recorded = (state.get("agreement") or {}).get("parties")
        tdef = self.template(AGREEMENT_TEMPLATE)
        if recorded:
            parties = recorded
        else:
            derived, _ = self.derived(pid, state, tdef)
            parties = dom.identities(derived, tdef.template.signing_order)
        lacking = terms_of.lacking_identities(parties, tdef.template.signing_order)
        if lacking:
            raise InputError(f"{pid}: the registry gives no identity for "
                             f"{', '.join(lacking)}; register the project's parties and the "
                             f"supplier (name and uscc) first", field="parties")
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"cannot create the folder: {exc.strerror}",
                             file=str(out_dir)) from None
        opened = valid_from or parse_time(self._event(pid, 1).occurred_at)
        return make_demo_keys(out_dir, {r: parties[r] for r in tdef.template.signing_order},
                              valid_from=opened, valid_until=valid_until)

    # --- verify ----------------------------------------------------------------------------
    def verify(self, path: Path, trust: Sequence[Path], *, use_log: bool = True
               ) -> dict[str, Any]:
        """Verify a signed PDF (its signatures, then the log), or a package folder."""
        from tenderflow.documents.verification import verify

        return verify(path, trust, _Log(self.services) if use_log else None)

    # --- package ---------------------------------------------------------------------------
    def package(self, pid: str, agreement_pdf: Path, financing_file: Path, out_dir: Path,
                actor: str, at: datetime) -> dict[str, Any]:
        """Assemble the financing-approval package from the fully signed agreement and the
        log; record ``FinancingPackageAssembled`` with the manifest's hash. The parties then
        sign ``manifest.pdf`` in turn (``contract sign``), which signs every file it names."""
        from tenderflow.documents.finance import financial_summary
        from tenderflow.documents.financing_package import (
            assemble_package,
            check_manifest_template,
            financing_terms,
            provenance,
        )
        from tenderflow.documents.pdf import renderer_info

        check_actor(actor)
        dom.check_role(pid, "package", actor)
        state = self.services.state(pid)
        dom.check_awarded(pid, "package", state)
        dom.check_fully_signed(pid, state)
        signed = read_input(agreement_pdf, "the signed agreement")
        agreement = state["agreement"]
        if sha256_hex(signed) != agreement["sha256"]:
            raise CheckFailed(
                f"{agreement_pdf}: SHA-256 {sha256_hex(signed)} is not the agreement as the log "
                f"last recorded it ({terms_of.last_record(agreement)}: {agreement['sha256']})",
                procurement=pid)
        cover = self.template(COVER_TEMPLATE)
        mtdef = self.template(MANIFEST_TEMPLATE)
        check_manifest_template(mtdef)
        raw = read_yaml_mapping(financing_file, "the financing file")
        financing, loan, discount_rate = financing_terms(raw, cover, mtdef, str(financing_file))
        data, terms_event = self.terms_data(pid, state)
        summary = financial_summary(data["investment"]["total"],
                                    terms_event.payload["revenue_plan"],
                                    operating_costs=terms_event.payload["operating_costs"] or None,
                                    discount_rate=discount_rate, loan=loan)
        last_sig = agreement["signatures"][-1]
        with self.store.reading() as tx:
            events = list(tx.read_stream(stream_of(pid)))
        signed_event = {e.stream_seq: e for e in events}[last_sig["seq"]]
        digest = record_digest(signed_event)
        report, left_out = self._eligibility_report(pid, state)
        _project, supplier = self._profiles(state)
        summary = summary.with_provenance(provenance(
            events, terms_event, Path(financing_file).name, state.get("award") or {}))
        files = assemble_package(
            pid, state, events, signed=signed, eligibility_report=report, data=data,
            summary=summary, financing=financing, financing_file=str(financing_file),
            cover=cover, mtdef=mtdef, digest=digest,
            method=self.services.definitions(state["mode"]).workflow.title_zh,
            supplier=supplier, agreement_sha256=agreement["sha256"],
            agreement_event=last_sig["seq"])
        manifest, manifest_sha = files.manifest, files.manifest_sha256
        manifest_pdf_sha = sha256_hex(files.manifest_pdf)
        outputs = files.outputs()
        clashing = clashes(out_dir, outputs)
        if clashing:
            raise InputError(f"already holds different files of the same names: "
                             f"{', '.join(clashing)}; choose another folder (a signed "
                             f"manifest.pdf is never overwritten)", file=str(out_dir),
                             field="--out")
        payload = {
            "manifest_sha256": manifest_sha, "manifest_pdf_sha256": manifest_pdf_sha,
            "manifest_pdf_bytes": len(files.manifest_pdf), "files": manifest["files"],
            "agreement_sha256": agreement["sha256"], "financing": financing,
            "finance": summary.package_fields(), "agreement_signed_digest": digest,
            "agreement_signed_seq": signed_event.stream_seq,
            "signing_order": mtdef.template.signing_order, "left_out": left_out,
            "cover_template": cover.describe(), "manifest_template": mtdef.describe(),
            "renderer": renderer_info(),
        }
        current = state.get("financing_package")
        recorded = not (current and current["rendered"]["sha256"] == manifest_pdf_sha)
        seq = current["rendered"]["seq"] if current and not recorded else None
        if recorded:
            dom.check_package_may_change(pid, state)

        def check(now_state: State) -> None:
            dom.check_awarded(pid, "package", now_state)
            dom.check_fully_signed(pid, now_state)
            dom.check_package_may_change(pid, now_state)

        if out_dir.exists() and not out_dir.is_dir():
            raise InputError("is a file, not a folder", file=str(out_dir), field="--out")
        with Staged() as staged:
            for name, content in outputs.items():
                target = out_dir / name
                if not (target.exists() and target.read_bytes() == content):
                    staged.add(target, content)
            if recorded:
                stored = self.services.record(
                    pid, dom.PACKAGE, payload, actor, at, expected_version=state["version"],
                    check=check, definitions={"cover_template": cover.pin(),
                                              "manifest_template": mtdef.pin()})
                seq = stored.stream_seq
        return {"ok": True, "procurement": pid, "event": dom.PACKAGE, "recorded": recorded,
                "seq": seq, "folder": str(out_dir), "manifest_sha256": manifest_sha,
                "manifest_pdf_sha256": manifest_pdf_sha, "files": manifest["files"],
                "finance": summary.package_fields(), "left_out": left_out,
                "signing_order": mtdef.template.signing_order}

    def _eligibility_report(self, pid: str, state: State) -> tuple[bytes | None, list[str]]:
        """The eligibility report of the latest recorded check, as ``eligibility report``
        renders it; or None, with why it is left out of the package."""
        from tenderflow.app.eligibility import recorded as recorded_check
        from tenderflow.app.eligibility import report_pdf

        try:
            return report_pdf(recorded_check(self.services, pid)), []
        except NotFound as exc:  # a mode or procurement without an eligibility check
            prequal = (state.get("prequal") or {}).get("results")
            return None, [f"eligibility-report.pdf: {exc.message}" + (
                " (the prequalification results are in award-record.pdf)" if prequal else "")]


class _Log:
    """The procurement log as :mod:`tenderflow.documents.verification` reads it."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.url: str = services.store.url

    def procurements(self, original_sha256: str, named: str | None) -> list[str]:
        if named:
            return [named]
        return [pid for pid, state in self.services.states().items()
                if original_sha256 in terms_of.document_hashes(state)]

    def events(self, pid: str) -> list[Any]:
        with self.services.store.reading() as tx:
            return list(tx.read_stream(stream_of(pid)))
