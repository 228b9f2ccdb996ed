"""The notices facade (``tenderflow contract notice ID KIND --out FILE``): fill a notice's
template in ``contracts/`` from the procurement's log (tenderflow.documents.notices), render it
and record ``NoticeRendered`` with its SHA-256 — as the agreement records its renderings — or,
when the same notice was already recorded with the same bytes, record nothing new.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path
from typing import Any

from tenderflow.app.common import check_actor, stream_of
from tenderflow.app.procurement import Services
from tenderflow.documents.contract_templates import TemplateDef, load_template_def
from tenderflow.domain import agreement as dom


class Notices:
    """The notices of procurements: rendered from the log, recorded by hash."""

    def __init__(self, services: Services, *, contracts: Path | None = None) -> None:
        from tenderflow.paths import contracts_dir

        self.services = services
        self.contracts = contracts or contracts_dir()

    def template(self, name: str) -> TemplateDef:
        return load_template_def(self.contracts / name)

    def build(self, pid: str) -> tuple[Any, list[Any], Any]:
        """The procurement's state, its events, and the supplier-name lookup."""
        state = self.services.state(pid)
        with self.services.store.reading() as tx:
            events = list(tx.read_stream(stream_of(pid)))
            profiles: dict[str, Any] = {}

            def names(sid: str) -> tuple[str, str]:
                if sid not in profiles:
                    profiles[sid] = self.services.profile(tx, "supplier", sid) or {}
                p = profiles[sid]
                return str(p.get("name") or sid), str(p.get("uscc") or "—")

            # read every supplier the events name while the transaction is open
            for ev in events:
                data = ev.payload.get("data") if isinstance(ev.payload, dict) else None
                for sid in _supplier_ids(data):
                    names(sid)
            for sid in (state.get("final_quotes") or {}):
                names(str(sid))
        return state, events, lambda sid: (str(profiles.get(sid, {}).get("name") or sid),
                                           str(profiles.get(sid, {}).get("uscc") or "—"))

    def render(self, pid: str, kind: str, out: Path, actor: str, at: datetime
               ) -> dict[str, Any]:
        """Render notice ``kind`` of ``pid`` into ``out``; record ``NoticeRendered`` at ``at``
        unless the same bytes are recorded already. The bytes depend on the log only."""
        from tenderflow.documents import pdf as layout
        from tenderflow.documents.files import Staged, check_output
        from tenderflow.documents.filling import fill
        from tenderflow.documents.notices import (
            KINDS,
            NOTICE_DIGEST_LABEL,
            NOTICE_EVENT,
            TABLE_CLAUSES,
            TEMPLATES,
            notice_data,
            with_table,
        )
        from tenderflow.documents.record import record_digest
        from tenderflow.documents.signing import page_count
        from tenderflow.errors import CheckFailed
        from tenderflow.store.canonical import sha256_hex

        dom.check_role(pid, "render", check_actor(actor))  # staff, as for the agreement
        check_output(out, "--out")
        state, events, names = self.build(pid)
        method = self.services.definitions(state["mode"]).workflow.title_zh
        notice = notice_data(kind, pid, state, events, method, names)
        tdef = self.template(TEMPLATES[notice.template])
        # a notice is issued under the issuer's seal (its closing), not signed electronically:
        # filled without the signature page the template's issuer would otherwise get
        filled = fill(dataclasses.replace(tdef.template, signing_parties=()), notice.data)
        clause = TABLE_CLAUSES.get(notice.template)
        index = tdef.template.clause_index(clause) - 1 if clause else 0  # 1-based
        filled = with_table(filled, index, notice.table)
        digest = record_digest(notice.source)
        pdf = layout.render_filled(filled, digest, digest_label=NOTICE_DIGEST_LABEL, keywords=[
            layout.KEYWORD_PROCUREMENT + pid, layout.KEYWORD_DOCUMENT + f"notice-{kind}"])
        sha = sha256_hex(pdf)
        previous = (state.get("notices") or {}).get(kind)
        recorded = not (previous and previous["sha256"] == sha)
        payload = {"kind": kind, "title": filled.title, "sha256": sha, "bytes": len(pdf),
                   "pages": page_count(pdf), "source_type": notice.source.type,
                   "source_seq": notice.source.stream_seq, "source_digest": digest,
                   "template": tdef.describe(), "renderer": layout.renderer_info()}
        seq = previous["seq"] if previous and not recorded else None

        def check(now: Any) -> None:
            if now.get("version") != state.get("version"):
                raise CheckFailed(f"{pid}: the log moved while rendering the notice; retry",
                                  procurement=pid)

        with Staged() as staged:
            staged.add(out, pdf)
            if recorded:
                stored = self.services.record(pid, NOTICE_EVENT, payload, actor, at,
                                              expected_version=state["version"], check=check,
                                              definitions={"template": tdef.pin()})
                seq = stored.stream_seq
        return {"ok": True, "procurement": pid, "kind": kind, "name": KINDS[kind][0],
                "title": filled.title, "event": NOTICE_EVENT, "recorded": recorded,
                "seq": seq, "file": str(out), "sha256": sha, "bytes": len(pdf),
                "pages": payload["pages"], "source": {"type": notice.source.type,
                                                      "seq": notice.source.stream_seq}}

    def available(self, pid: str) -> list[str]:
        """The kinds of notice the log of ``pid`` can support now."""
        from tenderflow.documents.notices import KINDS, notice_data
        from tenderflow.errors import CheckFailed

        state, events, names = self.build(pid)
        method = self.services.definitions(state["mode"]).workflow.title_zh
        out = []
        for kind in KINDS:
            try:
                notice_data(kind, pid, state, events, method, names)
            except CheckFailed:
                continue
            out.append(kind)
        return out


def _supplier_ids(data: Any) -> list[str]:
    """Supplier ids a trigger's data names (supplier, suppliers[].id, candidates[].supplier,
    results[].supplier)."""
    if not isinstance(data, dict):
        return []
    out = [str(data["supplier"])] if isinstance(data.get("supplier"), str) else []
    for key, field in (("suppliers", "id"), ("candidates", "supplier"),
                       ("results", "supplier")):
        for item in data.get(key) or ():
            if isinstance(item, dict) and item.get(field):
                out.append(str(item[field]))
    return out


def demo_notices(services: Services, out: Path) -> dict[str, Any]:
    """The demo's notices: every notice each procurement's log supports, written into
    ``out/PID/KIND.pdf`` and recorded, half an hour after the procurement's last step (a late
    entry, like the demo's agreement steps: tenderflow.app.demo_agreement)."""
    from tenderflow.app.demo_agreement import DEMO_ENTRY_REASON, DEMO_STEP
    from tenderflow.domain.entry import Entry
    from tenderflow.domain.timeutil import parse_time

    services = services.with_entry(Entry(reason=DEMO_ENTRY_REASON))
    notices = Notices(services)
    files: dict[str, int] = {}
    written: dict[str, list[str]] = {}
    with services.store.reading() as tx:
        pids = sorted(s.removeprefix("procurement:") for s in tx.heads()
                      if s.startswith("procurement:"))
    for pid in pids:
        kinds = notices.available(pid)
        if not kinds:
            continue
        at = parse_time(services.state(pid)["last_event_at"])
        for n, kind in enumerate(kinds, start=1):
            target = out / pid / f"{kind}.pdf"
            target.parent.mkdir(parents=True, exist_ok=True)
            result = notices.render(pid, kind, target, "staff:demo", at + DEMO_STEP * n)
            files[str(target)] = result["bytes"]
        written[pid] = kinds
    return {"procurements": written, "files": files}
