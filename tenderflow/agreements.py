"""The agreement's application service: record terms, render, sign, verify, assemble the
financing-approval package (DESIGN §8). The CLI (``tenderflow contract …``, ``tenderflow keys
demo``) and the demo call it; it reads and appends through :class:`~tenderflow.app.procurement.Services`.

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

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from tenderflow.documents.record import record_digest
from tenderflow.domain import agreement as dom
from tenderflow.domain.state import State
from tenderflow.domain.timeutil import SHANGHAI, iso, local_date, parse_time
from tenderflow.errors import CheckFailed, InputError, NotFound
from tenderflow.app.procurement import Services, check_actor, stream_of
from tenderflow.store.canonical import canonical_json, content_hash

AGREEMENT_TEMPLATE = "agreement.yaml"
COVER_TEMPLATE = "financing_cover.yaml"
MANIFEST_TEMPLATE = "package_manifest.yaml"
MANIFEST_PDF = "manifest.pdf"
MANIFEST_TABLE_CLAUSE = "files"
MAX_INPUT_BYTES = 50 * 1024 * 1024


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# What each document's footer calls its record digest.
TERMS_DIGEST_LABEL = "条款记录摘要"
SIGNED_DIGEST_LABEL = "签署记录摘要"


# ---------------------------------------------------------------------------------------------
# Templates, pinned by content hash


@dataclass(frozen=True)
class TemplateDef:
    """A contract template as read, with the hash that pins it in the events."""

    template: Any  # documents.templates.Template
    raw: dict[str, Any]
    path: Path

    @property
    def hash(self) -> str:
        return content_hash(self.raw)

    def pin(self) -> tuple[str, str, str, str]:
        return (self.hash, "template", self.template.id, canonical_json(self.raw))

    def describe(self) -> dict[str, str]:
        return {"id": self.template.id, "version": self.template.version, "sha256": self.hash,
                "file": self.path.name}


def load_template_def(path: Path) -> TemplateDef:
    from tenderflow.documents.templates import read_template

    template, raw = read_template(path)
    return TemplateDef(template, raw, path)


# ---------------------------------------------------------------------------------------------
# Files the user gives and the files we write


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


def page_count(pdf: bytes) -> int:
    from tenderflow.documents.signing import _reader

    return int(_reader(pdf).root["/Pages"]["/Count"])


_FONT_HASHES: dict[str, str] = {}


def renderer_info() -> dict[str, str]:
    """What else the bytes depend on: reportlab's version and the embedded font file."""
    import reportlab

    from tenderflow.documents.fonts import find_cjk_font

    font = find_cjk_font()
    key = str(font.path)
    if key not in _FONT_HASHES:
        _FONT_HASHES[key] = sha256_hex(font.path.read_bytes())
    return {"reportlab": reportlab.Version, "font": f"{font.path.name}#{font.subfont_index}",
            "font_sha256": _FONT_HASHES[key]}


# ---------------------------------------------------------------------------------------------
# The service


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
        from tenderflow.documents.finance import financial_summary
        from tenderflow.documents.templates import MissingFields, fill, placeholders

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
        body = {k: v for k, v in raw.items() if k not in dom.PLAN_KEYS}
        data = dom.merge(derived, body)
        try:
            fill(tdef.template, data)
        except MissingFields as exc:
            raise _missing(exc, str(terms_file), tdef) from None
        except InputError as exc:
            raise InputError(exc.message, file=str(terms_file)) from None
        from tenderflow.documents.templates import as_date, lookup

        if tdef.template.date_field:
            agreed = as_date(lookup(data, tdef.template.date_field), tdef.template.date_field)
            dom.check_agreement_date(pid, state, agreed)
        summary = financial_summary(data["investment"]["total"], raw["revenue_plan"],
                                    operating_costs=raw.get("operating_costs"))
        payload = {
            "terms": body,
            "revenue_plan": raw["revenue_plan"],
            "operating_costs": raw.get("operating_costs") or [],
            "derived": derived,
            "sources": sources,
            "parties": dom.identities(data, tdef.template.signing_order),
            "template": tdef.describe(),
            "finance": summary.fields(),
        }
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
        from tenderflow.documents.pdf import (
            KEYWORD_DOCUMENT,
            KEYWORD_PROCUREMENT,
            render_filled,
        )
        from tenderflow.documents.templates import MissingFields, fill, missing_fields

        check_actor(actor)
        dom.check_role(pid, "render", actor)
        check_output(out, "--out")
        state = self.services.state(pid)
        dom.check_awarded(pid, "render", state)
        tdef = load_template_def(template) if template else self.template(AGREEMENT_TEMPLATE)
        if not (state.get("agreement") or {}).get("terms"):
            derived, _ = self.derived(pid, state, tdef)
            exc = MissingFields(missing_fields(tdef.template, derived), file=str(tdef.path))
            raise _missing(exc, None, tdef, hint=f"no terms are recorded yet: put them in a "
                           f"YAML file and run tenderflow contract terms {pid} FILE") from None
        data, terms_event = self.terms_data(pid, state)
        try:
            filled = fill(tdef.template, data)
        except MissingFields as exc:
            raise _missing(exc, None, tdef, hint=f"the template asks for fields the recorded "
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
        from tenderflow.documents.signing import (
            field_name,
            key_info,
            sign_pdf,
            signing_moment,
        )

        check_actor(actor)
        dom.check_role(pid, "sign", actor)
        check_output(out_path, "--out")
        pdf = read_input(in_path, "the PDF to sign")
        state = self.services.state(pid)
        dom.check_awarded(pid, "sign", state)
        digest = sha256_hex(pdf)
        document = self._which_document(pid, state, digest, in_path)
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
        signed = sign_pdf(pdf, key, passphrase, party, expected, signing_time=when,
                          signing_order=order,
                          reason=f"{party} signs ({turn} of {len(order)})")
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

    def _which_document(self, pid: str, state: State, digest: str, path: Path) -> str:
        """The document a file is, by its hash against the log's latest records."""
        agreement = state.get("agreement") or {}
        package = state.get("financing_package") or {}
        if agreement.get("sha256") == digest:
            return dom.AGREEMENT
        if package.get("sha256") == digest:
            return dom.PACKAGE_DOC
        expected = []
        if agreement.get("sha256"):
            expected.append(f"the agreement as last recorded ({_last_record(agreement)}): "
                            f"{agreement['sha256']}")
        if package.get("sha256"):
            expected.append(f"the package manifest as last recorded "
                            f"({_last_record(package, dom.PACKAGE)}): {package['sha256']}")
        raise CheckFailed(
            f"{path}: SHA-256 {digest} is not a document {pid} expects to be signed"
            + (": the log expects " + "; or ".join(expected) if expected else
               f": nothing has been rendered yet (tenderflow contract render {pid})"),
            procurement=pid, sha256=digest)

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
        from tenderflow.documents.signing import make_demo_keys

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
        lacking = [f"parties.{r}.{k}" for r in tdef.template.signing_order
                   for k in ("name", "uscc") if not (parties.get(r) or {}).get(k)]
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
        if path.is_dir():
            return self._verify_package_dir(path, trust, use_log=use_log)
        return self._verify_file(path, read_input(path, "the PDF"), trust, use_log=use_log)

    def _verify_file(self, path: Path, pdf: bytes, trust: Sequence[Path], *,
                     use_log: bool) -> dict[str, Any]:
        from tenderflow.documents.signing import (
            load_trust_roots,
            pdf_metadata,
            verify_pdf,
        )

        load_trust_roots(trust)  # a bad --trust file is bad input (exit 2), before anything
        if not pdf.lstrip()[:5] == b"%PDF-":
            raise InputError("not a PDF file", file=str(path))
        try:
            meta = pdf_metadata(pdf)
        except InputError as exc:
            raise InputError(exc.message, file=str(path)) from None
        log: dict[str, Any] = {"consulted": use_log, "ok": None, "problems": []}
        parties = None
        found = None
        if use_log:
            found = self._locate(pdf, meta)
            if found is None:
                log["ok"] = False
                log["problems"].append(
                    f"no procurement in the log ({self.store.url}) recorded this file "
                    f"(SHA-256 {sha256_hex(pdf)})")
            else:
                parties = found["parties"]
        report = verify_pdf(pdf, trust, parties=parties)
        if use_log and found is not None:
            log.update(self._log_check(found, report))
        out = {"file": str(path), **report.to_dict(), "document": meta.get("document"),
               "procurement": meta.get("procurement"), "log": log}
        out["ok"] = report.ok and (log["ok"] is True or not use_log)
        return out

    def _locate(self, pdf: bytes, meta: Mapping[str, Any]) -> dict[str, Any] | None:
        """The procurement and document a PDF belongs to: by the ``procurement=`` keyword it
        carries, else by its hash among the procurements' recorded documents."""
        from tenderflow.documents.signing import original_revision

        try:
            original = sha256_hex(original_revision(pdf))
        except InputError:
            original = sha256_hex(pdf)
        candidates: list[str] = []
        with self.store.reading() as tx:
            if meta.get("procurement"):
                candidates.append(str(meta["procurement"]))
            else:
                for sid in tx.stream_ids("procurement:"):
                    snap = tx.snapshot(sid)
                    if snap and original in _document_hashes(snap[1]):
                        candidates.append(sid.split(":", 1)[1])
        for pid in candidates:
            with self.store.reading() as tx:
                events = list(tx.read_stream(stream_of(pid)))
            options = []
            for document, render_type, sign_type, key in (
                    (dom.AGREEMENT, dom.RENDERED, dom.SIGNED, "sha256"),
                    (dom.PACKAGE_DOC, dom.PACKAGE, dom.PACKAGE_SIGNED, "manifest_pdf_sha256")):
                renders = [e for e in events if e.type == render_type]
                if not renders:
                    continue
                # the rendering the file starts from, else the kind the file says it is
                if any(e.payload[key] == original for e in renders):
                    rank = 0
                elif meta.get("document") in (None, document):
                    rank = 1
                else:
                    continue
                options.append((rank, {"procurement": pid, "document": document,
                                       "events": events, "original_sha256": original,
                                       "render_type": render_type, "sign_type": sign_type,
                                       "parties": _parties_of(events)}))
            if options:
                return min(options, key=lambda o: o[0])[1]
        return None

    def _log_check(self, found: Mapping[str, Any], report: Any) -> dict[str, Any]:
        """Whether the file is, byte for byte, the document as the log last recorded it: the
        last signature recorded on the latest rendering (or that rendering, if unsigned)."""
        pid, events = found["procurement"], found["events"]
        render_type, sign_type = found["render_type"], found["sign_type"]
        key = "sha256" if render_type == dom.RENDERED else "manifest_pdf_sha256"
        renders = [e for e in events if e.type == render_type]
        latest = renders[-1]
        sigs = [e for e in events if e.type == sign_type
                and e.payload["rendered_sha256"] == latest.payload[key]]
        last = sigs[-1] if sigs else latest
        last_sha = last.payload["sha256"] if sigs else latest.payload[key]
        who = f" ({last.payload['party']}, signature {last.payload['signature']} of " \
              f"{last.payload['of']})" if sigs else ""
        out: dict[str, Any] = {
            "procurement": pid, "document": found["document"],
            "expected": {"event": last.type, "seq": last.stream_seq, "sha256": last_sha,
                         "party": last.payload.get("party")}}
        problems: list[str] = []
        if report.sha256 == last_sha:
            out["matches"] = f"{last.type} #{last.stream_seq}{who}"
        else:
            problems.append(f"the file's SHA-256 {report.sha256} differs from the hash in the "
                            f"log: {last.type} #{last.stream_seq}{who} recorded {last_sha}")
            earlier = next((e for e in sigs if e.payload["sha256"] == report.sha256), None)
            older = next((e for e in renders if e.payload[key] == report.original_sha256), None)
            if earlier is not None:
                problems.append(f"it is the {found['document']} as signed by "
                                f"{earlier.payload['party']} ({earlier.type} "
                                f"#{earlier.stream_seq}), before the later signatures")
            elif older is None:
                problems.append(f"its first revision (SHA-256 {report.original_sha256}) is "
                                f"not the {found['document']} as rendered "
                                f"({latest.type} #{latest.stream_seq}: {latest.payload[key]})")
            elif older is not latest:
                problems.append(f"it was rendered at {older.type} #{older.stream_seq}, "
                                f"superseded by #{latest.stream_seq}")
        times: list[dict[str, Any]] = []
        if report.original_sha256 == latest.payload[key]:
            times, mismatched = _signing_times(report.signatures, sigs)
            problems += mismatched
        out["signing_times"] = times
        if report.original_sha256 == latest.payload[key]:
            digest_row, mismatched = _digest_check(pid, latest, report, events)
            out["record_digest"] = digest_row
            problems += mismatched
        return {**out, "ok": not problems, "problems": problems}

    def _verify_package_dir(self, folder: Path, trust: Sequence[Path], *,
                            use_log: bool) -> dict[str, Any]:
        from tenderflow.documents.package import MANIFEST, check_package

        manifest_pdf = folder / MANIFEST_PDF
        results = {}
        problems: list[str] = []
        for name in (MANIFEST_PDF, "agreement.pdf"):
            p = folder / name
            if not p.exists():
                problems.append(f"{name}: missing")
                continue
            results[name] = self._verify_file(p, read_input(p, "the PDF"), trust,
                                              use_log=use_log)
        problems += check_package(folder)
        if manifest_pdf.exists() and (folder / MANIFEST).exists():
            from tenderflow.documents.signing import original_revision, pdf_metadata

            meta = pdf_metadata(original_revision(read_input(manifest_pdf, "the manifest")))
            actual = sha256_hex(read_input(folder / MANIFEST, "the manifest"))
            if meta.get("manifest_sha256") != actual:
                problems.append(f"{MANIFEST}: SHA-256 {actual} is not the one the signed "
                                f"{MANIFEST_PDF} names ({meta.get('manifest_sha256')})")
        ok = not problems and len(results) == 2 and all(r["ok"] for r in results.values())
        return {"folder": str(folder), "ok": ok, "files": results, "problems": problems}

    # --- package ---------------------------------------------------------------------------
    def package(self, pid: str, agreement_pdf: Path, financing_file: Path, out_dir: Path,
                actor: str, at: datetime) -> dict[str, Any]:
        """Assemble the financing-approval package from the fully signed agreement and the
        log; record ``FinancingPackageAssembled`` with the manifest's hash. The parties then
        sign ``manifest.pdf`` in turn (``contract sign``), which signs every file it names."""
        from tenderflow.documents.finance import financial_summary
        from tenderflow.documents.package import MANIFEST, manifest_bytes, manifest_for
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
        from tenderflow.documents.templates import MissingFields, fill, placeholders

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
                f"last recorded it ({_last_record(agreement)}: {agreement['sha256']})",
                procurement=pid)
        cover = self.template(COVER_TEMPLATE)
        mtdef = self.template(MANIFEST_TEMPLATE)
        if MANIFEST_TABLE_CLAUSE not in [c.id for c in mtdef.template.clauses]:
            from tenderflow.errors import DefinitionError

            raise DefinitionError(f"{mtdef.path}: the manifest template needs a clause with "
                                  f"id '{MANIFEST_TABLE_CLAUSE}' for the table of files",
                                  file=str(mtdef.path))
        raw = read_yaml_mapping(financing_file, "the financing file")
        financing = raw.get("financing")
        wanted = {f for t in (cover, mtdef) for f in placeholders(t.template)
                  if f.startswith("financing.")}
        problems = [f"unknown top-level key '{k}' (expected financing)" for k in raw
                    if k != "financing"]
        if not isinstance(financing, dict):
            problems.append("financing: expected a mapping of the letter's fields "
                            f"({', '.join(sorted(f.split('.', 1)[1] for f in wanted))})")
            financing = {}
        for key, value in financing.items():
            if f"financing.{key}" not in wanted:
                problems.append(f"field 'financing.{key}' is not used by {cover.path.name}; "
                                f"fields: {', '.join(sorted(wanted))}")
            elif isinstance(value, (bool, float, list, dict)) or value is None:
                problems.append(f"field 'financing.{key}': expected text, a whole number or "
                                f"an amount in quotes, got {value!r}")
        if problems:
            raise InputError(f"{len(problems)} problem(s) in the financing file: "
                             + "; ".join(problems), file=str(financing_file))

        data, terms_event = self.terms_data(pid, state)
        summary = financial_summary(data["investment"]["total"],
                                    terms_event.payload["revenue_plan"],
                                    operating_costs=terms_event.payload["operating_costs"] or None)
        last_sig = agreement["signatures"][-1]
        with self.store.reading() as tx:
            events = list(tx.read_stream(stream_of(pid)))
        by_seq = {e.stream_seq: e for e in events}
        signed_event = by_seq[last_sig["seq"]]
        digest = record_digest(signed_event)
        keywords = [KEYWORD_PROCUREMENT + pid]
        fin_date = str(financing.get("date") or "")
        documents: dict[str, bytes] = {"agreement.pdf": signed}
        left_out: list[str] = []
        try:  # the eligibility report of the latest recorded check, as `eligibility report`
            from tenderflow.eligibility_service import recorded as recorded_check
            from tenderflow.eligibility_service import report_pdf

            documents["eligibility-report.pdf"] = report_pdf(recorded_check(self.services, pid))
        except NotFound as exc:  # a mode or procurement without an eligibility check
            prequal = (state.get("prequal") or {}).get("results")
            left_out.append(f"eligibility-report.pdf: {exc.message}" + (
                " (the prequalification results are in award-record.pdf)" if prequal else ""))
        names = [*documents, "award-record.pdf", "financial-summary.pdf"]
        data = dom.merge(data, {"financing": financing, "finance": summary.fields(),
                                "package": {"enclosures": enclosures(names)}})
        try:
            filled_cover = fill(cover.template, data)
        except MissingFields as exc:
            raise _missing(exc, str(financing_file), cover) from None
        except InputError as exc:
            raise InputError(exc.message, file=str(financing_file)) from None
        documents["financing-cover.pdf"] = render_filled(
            filled_cover, digest, digest_label=SIGNED_DIGEST_LABEL,
            keywords=[*keywords, KEYWORD_DOCUMENT + "financing-cover"])
        method = self.services.definitions(state["mode"]).workflow.title_zh
        _project, supplier = self._profiles(state)
        award_date = (state.get("award") or {}).get("at")
        documents["award-record.pdf"] = render_document(
            "采购结果记录", award_record_sections(pid, state, events, method, supplier),
            digest, digest_label=SIGNED_DIGEST_LABEL,
            subtitle=str(state["project"].get("name", "")),
            document_date=business_date(award_date) if award_date else None,
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
            "agreement_sha256": agreement["sha256"], "agreement_event": last_sig["seq"]}})
        try:
            filled_manifest = fill(mtdef.template, mdata)
        except MissingFields as exc:
            raise _missing(exc, str(financing_file), mtdef) from None
        index = [c.id for c in mtdef.template.clauses].index(MANIFEST_TABLE_CLAUSE)
        manifest_pdf = render_filled(
            manifest_document(filled_manifest, manifest, index), digest,
            digest_label=SIGNED_DIGEST_LABEL, keywords=[*keywords, KEYWORD_DOCUMENT + dom.PACKAGE_DOC,
                      f"manifest-sha256={manifest_sha}"])
        manifest_pdf_sha = sha256_hex(manifest_pdf)
        outputs = {**documents, MANIFEST: manifest_json, MANIFEST_PDF: manifest_pdf}
        clashes = _clashes(out_dir, outputs)
        if clashes:
            raise InputError(f"already holds different files of the same names: "
                             f"{', '.join(clashes)}; choose another folder (a signed "
                             f"manifest.pdf is never overwritten)", file=str(out_dir),
                             field="--out")
        payload = {
            "manifest_sha256": manifest_sha, "manifest_pdf_sha256": manifest_pdf_sha,
            "manifest_pdf_bytes": len(manifest_pdf), "files": manifest["files"],
            "agreement_sha256": agreement["sha256"], "financing": financing,
            "finance": summary.fields(), "agreement_signed_digest": digest,
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
                "finance": summary.fields(), "left_out": left_out,
                "signing_order": mtdef.template.signing_order}


def _missing(exc: Any, file: str | None, tdef: TemplateDef, hint: str = "") -> Any:
    """MissingFields naming the file the fields should be in, with what to do."""
    from tenderflow.documents.templates import MissingFields

    parties = [f for f in exc.missing if f.startswith("parties.")
               and f.rsplit(".", 1)[-1] in ("name", "uscc")]
    new = MissingFields(exc.missing, file=file, template=tdef.path.name)
    notes = []
    if parties:
        notes.append(f"{', '.join(parties)} come from the registry: register them with the "
                     f"project's parties or the supplier")
    if hint:
        notes.append(hint)
    if notes:
        new.message += " — " + "; ".join(notes)
    return new


def _clashes(folder: Path, outputs: Mapping[str, bytes]) -> list[str]:
    """Names in ``folder`` that hold other bytes than we would write (a signed manifest.pdf
    differs from the unsigned one only by the signatures appended to it)."""
    out = []
    for name, content in outputs.items():
        target = folder / name
        if target.exists() and (target.is_dir() or target.read_bytes() != content):
            out.append(name)
    return out


def _last_record(doc: Mapping[str, Any], render_type: str = dom.RENDERED) -> str:
    sigs = doc.get("signatures") or []
    if sigs:
        return f"signed by {sigs[-1]['party']}, event #{sigs[-1]['seq']}"
    return f"{render_type} #{doc['rendered']['seq']}"


def _signing_times(signatures: Sequence[Mapping[str, Any]], events: Sequence[Any]
                   ) -> tuple[list[dict[str, Any]], list[str]]:
    """Each signature's declared signing time against the ``occurred_at`` of the event that
    recorded it (the party's signature of this rendering): they must be the same instant.
    There is no time-stamp authority, so this is what makes the declared time trustworthy."""
    by_party = {e.payload.get("party"): e for e in events}
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    for sig in signatures:
        event = by_party.get(sig.get("role"))
        if event is None or not sig.get("signing_time"):
            continue  # an unrecorded signature is reported by the hash comparison
        declared = parse_time(sig["signing_time"])
        occurred = parse_time(event.occurred_at)
        agrees = declared == occurred
        rows.append({"field": sig["field"], "declared": sig["signing_time"],
                     "event": event.type, "seq": event.stream_seq,
                     "occurred_at": iso(occurred.astimezone(SHANGHAI)), "agrees": agrees})
        if not agrees:
            problems.append(f"{sig['field']} declares the signing time {sig['signing_time']}, "
                            f"but {event.type} #{event.stream_seq} records it at "
                            f"{iso(occurred.astimezone(SHANGHAI))}")
    return rows, problems


# Where a rendering records the digest it printed and the event it is of: (digest field, seq
# field, what the footer calls it). Older renderings recorded the event's chain hash as
# ``log_hash`` / ``log_seq``.
_DIGEST_FIELDS = {dom.RENDERED: ("terms_digest", "terms_seq", TERMS_DIGEST_LABEL),
                  dom.PACKAGE: ("agreement_signed_digest", "agreement_signed_seq",
                                SIGNED_DIGEST_LABEL)}


def _digest_check(pid: str, rendering: Any, report: Any, events: Sequence[Any]
                  ) -> tuple[dict[str, Any], list[str]]:
    """The digest printed in the file against the one its rendering recorded, and that one
    recomputed from the stored event it names: the record digest
    (:func:`~tenderflow.documents.record.record_digest`), or for a rendering from before it,
    the event's chain hash."""
    payload = rendering.payload
    by_seq = {e.stream_seq: e for e in events}
    if "log_hash" in payload:  # rendered before the record digest
        kind, recorded, seq = "log_hash", payload["log_hash"], payload["log_seq"]
        printed = report.log_hash
        basis = by_seq.get(seq)
        actual = basis.hash if basis is not None else None
        what = "log hash"
    else:
        digest_field, seq_field, what = _DIGEST_FIELDS[rendering.type]
        kind, recorded, seq = digest_field, payload[digest_field], payload[seq_field]
        printed = report.record_digest
        basis = by_seq.get(seq)
        actual = record_digest(basis) if basis is not None else None
    row = {"kind": kind, "printed": printed, "recorded": recorded, "event_seq": seq,
           "event": basis.type if basis is not None else None,
           "matches": printed == recorded == actual}
    problems = []
    if printed != recorded:
        problems.append(f"the {what} printed in the file ({printed}) is not the one "
                        f"{rendering.type} #{rendering.stream_seq} recorded ({recorded})")
    elif actual != recorded:
        problems.append(f"the {what} {recorded} is not that of event #{seq} of {pid} as "
                        f"stored ({actual})")
    return row, problems


def _document_hashes(state: Mapping[str, Any]) -> set[str]:
    out = set()
    for key in ("agreement", "financing_package"):
        doc = state.get(key) or {}
        if doc.get("rendered"):
            out.add(doc["rendered"]["sha256"])
    return out


def _parties_of(events: Sequence[Any]) -> dict[str, dict[str, str]]:
    """The signing parties' identities as the latest agreement rendering (or terms) recorded
    them; the package manifest is signed by the same parties."""
    for ev in reversed(events):
        if ev.type == dom.RENDERED and ev.payload.get("parties"):
            return dict(ev.payload["parties"])
        if ev.type == dom.TERMS:
            return dict(ev.payload["parties"])
    return {}


def business_date(value: str) -> str:
    return local_date(parse_time(value)).isoformat()



# ---------------------------------------------------------------------------------------------
# The demo: a signed financing package for the example award


# (procurement, terms, financing) in order of preference: the PPP example suits the PPP
# agreement best; the competitive negotiation example is always there.
DEMO_AWARDS = (
    ("PPP-2023-001", "PPP-2023-001-terms.yaml", "PPP-2023-001-financing.yaml"),
    ("CN-2023-001", "CN-2023-001-terms.yaml", "CN-2023-001-financing.yaml"),
)


# Why the demo's agreement steps are late entries: like the example scenarios, they record
# a 2023 procurement after the fact (tenderflow.domain.entry).
DEMO_ENTRY_REASON = "示例：按已办结采购项目的档案补录（合同签署与融资材料）"
DEMO_STEP = timedelta(minutes=30)
DEMO_DAY_STARTS = time(9, 0)


def demo_times(after: datetime, day: date, count: int) -> list[datetime]:
    """``count`` business times, half an hour apart, on ``day`` from 09:00 (Asia/Shanghai) —
    or, if the record has already passed that, from half an hour after its last step."""
    start = max(datetime.combine(day, DEMO_DAY_STARTS, SHANGHAI), after)
    return [start + DEMO_STEP * (i + 1) for i in range(count)]


def demo_signed_package(services: Services, out: Path) -> dict[str, Any]:
    """After the example scenarios: the shipped demo keys, terms, render, the four parties sign in turn,
    verify, package, the parties sign its manifest, verify the package — into ``out``.
    Returns what was done with its timings and sizes.

    Every step happens at a business time of the example, never at the wall clock: the
    agreement is recorded, rendered and signed on the date it bears (``agreement.date``, the
    procurement's ContractSigned), the package assembled and its manifest signed on the
    financing letter's date (``financing.date``), each step half an hour after the one before;
    the demo keys are the fixed ones shipped in ``examples/keys/PID/``. So the cover letter,
    the award record, the signatures and every recorded event are the same on any run
    date."""
    import json
    import shutil
    import time as clock_time

    from tenderflow.domain.entry import Entry
    from tenderflow.paths import examples_dir

    examples = examples_dir() / "agreement"
    chosen = None
    with services.store.reading() as tx:
        for candidate, terms_name, financing_name in DEMO_AWARDS:
            snap = tx.snapshot(stream_of(candidate))
            if snap and snap[1].get("award") and not snap[1].get("ended") \
                    and (examples / terms_name).exists():
                chosen = (candidate, examples / terms_name, examples / financing_name)
                break
    if chosen is None:
        raise CheckFailed("no example procurement was awarded: no agreement to sign")
    pid, terms, financing = chosen
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    services = services.with_entry(Entry(reason=DEMO_ENTRY_REASON))
    agreements = Agreements(services)
    actor = "staff:demo"
    timings: dict[str, Any] = {}
    times: dict[str, str] = {}

    def timed(name: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        t0 = clock_time.perf_counter()
        result = fn(*args, **kwargs)
        timings[name] = round(clock_time.perf_counter() - t0, 3)
        return result

    def last_at() -> datetime:
        return parse_time(services.state(pid)["last_event_at"])

    keys = timed("keys", shipped_demo_keys, pid, signing_roles(agreements), out / "keys")
    state = services.state(pid)
    tdef = agreements.template(AGREEMENT_TEMPLATE)
    signing_order = tdef.template.signing_order
    agreed = _demo_date(agreements, pid, state, tdef, terms, "agreement.date")
    at_terms, at_render, *at_signs = demo_times(last_at(), agreed, 2 + len(signing_order))
    times.update(terms=iso(at_terms), render=iso(at_render))
    timed("terms", agreements.record_terms, pid, terms, actor, at_terms)
    pdf = out / "agreement.pdf"
    rendered = timed("render", agreements.render, pid, pdf, actor, at_render)
    signed = []
    for party, at in zip(rendered["signing_order"], at_signs, strict=True):
        result = timed(f"sign {party}", agreements.sign, pid, party,
                       keys.party_keys[party], keys.passphrase, pdf, pdf, actor, at)
        times[f"sign {party}"] = result["signed_at"]
        signed.append(result)
    verified = timed("verify", agreements.verify, pdf, [keys.ca_cert])
    package_dir = out / "package"
    fin_date = _financing_date(financing)
    mtdef = agreements.template(MANIFEST_TEMPLATE)
    at_package, *at_manifest = demo_times(last_at(), fin_date or local_date(last_at()),
                                          1 + len(mtdef.template.signing_order))
    times["package"] = iso(at_package)
    package = timed("package", agreements.package, pid, pdf, financing, package_dir, actor,
                    at_package)
    manifest = package_dir / MANIFEST_PDF
    for party, at in zip(package["signing_order"], at_manifest, strict=True):
        result = timed(f"sign manifest {party}", agreements.sign, pid, party,
                       keys.party_keys[party], keys.passphrase, manifest, manifest, actor, at)
        times[f"sign manifest {party}"] = result["signed_at"]
    package_verified = timed("verify package", agreements.verify, package_dir, [keys.ca_cert])
    (out / "verification.json").write_text(
        json.dumps({"agreement": verified, "package": package_verified}, ensure_ascii=False,
                   indent=2, default=str), encoding="utf-8")
    if not (verified["ok"] and package_verified["ok"]):
        raise CheckFailed(f"the demo's signed agreement or package does not verify: see "
                          f"{out / 'verification.json'}")
    files = [pdf, *sorted(package_dir.iterdir()), out / "verification.json", keys.ca_cert,
             keys.readme]
    return {
        "procurement": pid, "terms": str(terms), "financing": str(financing),
        "rendered": {"sha256": rendered["sha256"], "bytes": rendered["bytes"],
                     "pages": rendered["pages"],
                     "terms_digest": rendered["terms_digest"]},
        "signed": {"sha256": signed[-1]["sha256"], "bytes": signed[-1]["bytes"],
                   "parties": [s["party"] for s in signed]},
        "verified": verified["ok"], "package_verified": package_verified["ok"],
        "manifest_sha256": package["manifest_sha256"], "finance": package["finance"],
        "left_out": package["left_out"], "business_times": times, "seconds": timings,
        "files": {str(f): f.stat().st_size for f in files},
    }


# The demo's keys: made once (examples/keys/README.md) and shipped, so that the same record
# gives the same signatures on any run date — fresh keys would give other certificates,
# other signatures and other recorded hashes every time.
DEMO_KEYS_DIR = "keys"
DEMO_CA = "demo-ca.pem"
DEMO_README = "README-DEMO.txt"


def signing_roles(agreements: Agreements) -> list[str]:
    """Who signs the agreement and the package manifest, in the templates' orders."""
    roles = list(agreements.template(AGREEMENT_TEMPLATE).template.signing_order)
    roles += [r for r in agreements.template(MANIFEST_TEMPLATE).template.signing_order
              if r not in roles]
    return roles


def shipped_demo_keys(pid: str, roles: Sequence[str], out_dir: Path) -> Any:
    """The demo keys shipped for ``pid`` in ``examples/keys/PID/`` (the demo CA, one PKCS#12
    per role, the DEMO notice), copied into ``out_dir``; CheckFailed naming what is missing.
    The parties' identities and validity are checked when each signs."""
    import shutil

    from tenderflow.documents.signing import DEMO_PASSPHRASE, DemoKeys
    from tenderflow.paths import examples_dir

    source = examples_dir() / DEMO_KEYS_DIR / pid
    wanted = [DEMO_CA, DEMO_README, *(f"{role}.p12" for role in roles)]
    missing = [name for name in wanted if not (source / name).is_file()]
    if missing:
        raise CheckFailed(f"{source}: the demo keys for {pid} lack {', '.join(missing)}; make "
                          f"them as {source.parent / 'README.md'} says", procurement=pid)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in wanted:
        shutil.copyfile(source / name, out_dir / name)
    return DemoKeys(out_dir / DEMO_CA, {role: out_dir / f"{role}.p12" for role in roles},
                    DEMO_PASSPHRASE, out_dir / DEMO_README)


def _demo_date(agreements: Agreements, pid: str, state: State, tdef: TemplateDef,
               terms: Path, field: str) -> date:
    """The date the agreement bears: recorded by the procurement (ContractSigned), else the
    terms file's."""
    from tenderflow.documents.templates import as_date, lookup

    derived, _sources = agreements.derived(pid, state, tdef)
    data = dom.merge(derived, read_yaml_mapping(terms, "the terms file"))
    try:
        return as_date(lookup(data, field), field)
    except (KeyError, InputError):
        return local_date(parse_time(state["last_event_at"]))


def _financing_date(financing: Path) -> date | None:
    from tenderflow.documents.templates import as_date

    raw = read_yaml_mapping(financing, "the financing file")
    value = (raw.get("financing") or {}).get("date")
    return as_date(value, "financing.date") if value else None
