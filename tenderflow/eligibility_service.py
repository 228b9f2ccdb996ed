"""Eligibility (准入) as application services: rulesets pinned at opening, credit lists
recorded as events, the facts a check reads, the recorded result and its PDF report.

Everything a check decides on is recorded: the ruleset by content hash in the ``definitions``
table (kind ``ruleset``) and in every event's ``pins``; credit-list entries as events on the
streams ``credit:<list>``; the candidates' registered profiles and the entries for their USCCs
copied into the ``EligibilityChecked`` event (``facts.eligibility``). The domain functions are
in :mod:`tenderflow.domain.eligibility` and :mod:`tenderflow.domain.components.eligibility`.

Credit-list events (stream ``credit:<list>``, one per list, e.g. ``credit:失信被执行人``)::

    CreditEntryRecorded {"entry": {"list", "uscc", "name", "listed_on", "removed_on",
                                   "source"}, "imported_from": {"file", "line"}}
    CreditEntryAmended  {"entry": {...}, "previous": {...}, "imported_from": {...}}

An entry is identified by its list, USCC and ``listed_on``; importing the same file again
records nothing, and an import never deletes (the exports are incremental): a lifted listing
arrives as the same entry with its ``removed_on``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from tenderflow.domain.timeutil import iso
from tenderflow.errors import DefinitionError, InputError, NotFound
from tenderflow.store.eventstore import NewEvent, Tx

DEFAULT_RULESET = "renovation"
RULESET_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
CREDIT_PREFIX = "credit:"
CHECK_TRIGGER = "check_eligibility"
CHECK_EVENT = "EligibilityChecked"

_LOADED: dict[tuple[str, float], Any] = {}
_PINNED: dict[str, Any] = {}


# --------------------------------------------------------------------------- rulesets

def rulesets_dir(root: Path | None = None) -> Path:
    from tenderflow.paths import workflows_dir

    return (root or workflows_dir()) / "eligibility"


def available_rulesets(root: Path | None = None) -> list[str]:
    folder = rulesets_dir(root)
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def ruleset_path(name: Any, root: Path | None = None, *, field: str = "options.ruleset") -> Path:
    """The file of a ruleset named in a procurement's options."""
    if not isinstance(name, str) or not RULESET_NAME.match(name):
        raise InputError(f"ruleset name {name!r}", field=field,
                         expected="a ruleset in workflows/eligibility/ named by its file stem, "
                                  "e.g. renovation")
    path = rulesets_dir(root) / f"{name}.yaml"
    if not path.is_file():
        known = ", ".join(available_rulesets(root)) or "none"
        raise NotFound(f"no eligibility ruleset {name!r} in {rulesets_dir(root)} (known: {known})",
                       ruleset=name)
    return path


def load_ruleset_file(path: Path) -> Any:
    """Load (and cache by modification time) a ruleset file, strictly."""
    from tenderflow.domain.eligibility import load_ruleset

    key = (str(path), path.stat().st_mtime)
    if key not in _LOADED:
        _LOADED[key] = load_ruleset(path)
    return _LOADED[key]


def ruleset_for_opening(options: Mapping[str, Any] | None, root: Path | None = None) -> Any:
    """The ruleset an opening procurement pins: ``options.ruleset`` (default renovation),
    refused with :class:`RulesetRefused` (exit 1) if it fails the fairness lint. Validates the
    eligibility options (``required_qualification``, ``prior_service_providers``,
    ``investment``) on the way."""
    from tenderflow.domain.eligibility import lint_ruleset
    from tenderflow.errors import RulesetRefused

    options = options or {}
    check_options(options)
    path = ruleset_path(options.get("ruleset", DEFAULT_RULESET), root)
    findings = lint_ruleset(path)
    if findings:
        raise RulesetRefused(str(path), findings)
    return load_ruleset_file(path)


def check_opening(options: Mapping[str, Any] | None, root: Path | None = None, *,
                  file: str | None = None, location: str | None = None) -> None:
    """What opening checks about the eligibility options, for a scenario file to refuse before
    anything is written: bad input names the file and place (exit 2); a ruleset failing the
    lint raises :class:`RulesetRefused` (exit 1)."""
    try:
        ruleset_for_opening(options, root)
    except (InputError, NotFound) as exc:
        raise InputError(exc.message, file=file, location=location) from None


def check_options(options: Mapping[str, Any]) -> None:
    """The procurement options the eligibility check reads, validated at opening."""
    from tenderflow.domain.eligibility import GRADE_RANK, UNGRADED
    from tenderflow.domain.money import Money

    req = options.get("required_qualification")
    if req is not None:
        grades = [*GRADE_RANK, UNGRADED]
        if not isinstance(req, Mapping) or set(req) != {"type", "min_grade"} or \
                not isinstance(req.get("type"), str) or not req["type"].strip() or \
                req.get("min_grade") not in grades:
            raise InputError(f"got {req!r}", field="options.required_qualification",
                             expected="{type: 建筑工程施工总承包, min_grade: "
                                      + " | ".join(grades) + "}")
    prior = options.get("prior_service_providers")
    if prior is not None and (not isinstance(prior, list) or not all(
            isinstance(x, str) and x.strip() for x in prior)):
        raise InputError(f"got {prior!r}", field="options.prior_service_providers",
                         expected="a list of supplier ids (or USCCs, or names) that designed, "
                                  "supervised, managed or tested this project")
    if options.get("investment") is not None:
        Money.parse(options["investment"], field="options.investment", allow_zero=False)


def pinned_ruleset(tx: Tx, digest: str) -> Any:
    """The ruleset pinned under ``digest`` in the definitions table, rebuilt and hash-checked."""
    from tenderflow.domain.eligibility import ruleset_from_pinned

    if digest not in _PINNED:
        row = tx.definition(digest)
        if row is None or row[0] != "ruleset":
            raise DefinitionError(f"pinned ruleset {digest} is missing from the definitions "
                                  "table", ruleset=digest)
        _kind, name, body = row
        data = json.loads(body)
        ident, _, version = name.partition(" ")
        _PINNED[digest] = ruleset_from_pinned({"id": ident, "version": version,
                                               "content_hash": digest, "data": data})
    return _PINNED[digest]


def ruleset_of(tx: Tx, state: Mapping[str, Any]) -> Any:
    """The ruleset pinned into a procurement when it opened (None if opened before)."""
    pinned = state.get("ruleset")
    return pinned_ruleset(tx, pinned["content_hash"]) if pinned else None


def pin_definition_args(ruleset: Any) -> tuple[str, str, str, str]:
    """(hash, kind, name, canonical body) of a ruleset for ``Tx.pin_definition``."""
    from tenderflow.store.canonical import canonical_json

    return (ruleset.content_hash, "ruleset", f"{ruleset.id} {ruleset.version}",
            canonical_json(ruleset.to_data()))


# --------------------------------------------------------------------------- credit lists

def credit_stream(list_name: str) -> str:
    return f"{CREDIT_PREFIX}{list_name}"


def _entry_key(entry: Mapping[str, Any]) -> str:
    return f"{entry['uscc']}|{entry['listed_on']}"


def _entry_data(entry: Any) -> dict[str, Any]:
    d = entry.to_dict()
    return {k: d[k] for k in ("list", "uscc", "name", "listed_on", "removed_on", "source")}


def import_credit_lists(services: Any, path: Path, actor: str,
                        at: datetime) -> dict[str, Any]:
    """Record the entries of a credit-list CSV export as events on ``credit:<list>`` streams,
    in one transaction; idempotent. Returns counts per list."""
    from tenderflow.app.common import check_actor
    from tenderflow.domain.credit import load_credit_csv

    check_actor(actor)
    entries = load_credit_csv(path)
    if not entries:
        raise InputError("no entries in the file", file=str(path),
                         expected="one line per listing after the header")
    from tenderflow.app.common import load_parameters

    when, recorded_at = iso(at), services.recording_clock()
    late = services.late_entry_for(load_parameters(services.root), at, recorded_at,
                                   what=f"credit list import from {path.name}")
    lists: dict[str, dict[str, int]] = {}
    with services.store.transaction() as tx:
        for list_name in sorted({e.list_name for e in entries}):
            sid = credit_stream(list_name)
            snap = tx.snapshot(sid)
            version, current = snap if snap else (0, {"entries": {}})
            counts = {"recorded": 0, "amended": 0, "unchanged": 0}
            new: list[NewEvent] = []
            for e in (x for x in entries if x.list_name == list_name):
                data = _entry_data(e)
                key = _entry_key(data)
                origin = {"file": path.name, "line": e.line}
                old = current["entries"].get(key)
                if old == data:
                    counts["unchanged"] += 1
                    continue
                extra = {"late_entry": late} if late else {}
                if old is None:
                    new.append(NewEvent("CreditEntryRecorded",
                                        {"entry": data, "imported_from": origin, **extra},
                                        when, actor, {}))
                    counts["recorded"] += 1
                else:
                    new.append(NewEvent("CreditEntryAmended", {"entry": data, "previous": old,
                                                               "imported_from": origin, **extra},
                                        when, actor, {}))
                    counts["amended"] += 1
                current["entries"][key] = data
            if new:
                tx.append(sid, version, new, iso(recorded_at))
                tx.save_snapshot(sid, version + len(new), current)
            lists[list_name] = counts
    return {"file": str(path), "lists": lists}


def credit_entries(tx: Tx, usccs: set[str] | None = None
                   ) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The recorded entries (all, or those for ``usccs``) and each list stream's version."""
    found: list[dict[str, Any]] = []
    versions: dict[str, int] = {}
    for sid in tx.stream_ids(CREDIT_PREFIX):
        snap = tx.snapshot(sid)
        if snap is None:
            continue
        versions[sid[len(CREDIT_PREFIX):]] = snap[0]
        for key in sorted(snap[1]["entries"]):
            entry = snap[1]["entries"][key]
            if usccs is None or entry["uscc"] in usccs:
                found.append(entry)
    return found, versions


# --------------------------------------------------------------------------- the check's facts

def eligibility_facts(services: Any, tx: Tx, state: Mapping[str, Any],
                      data: Any) -> dict[str, Any]:
    """What a check reads, copied from the store into the ``EligibilityChecked`` event."""
    from tenderflow.domain.components.eligibility import check_procurement, participants

    named = data.get("candidates") if isinstance(data, Mapping) else None
    named = [c for c in named if isinstance(c, str)] if isinstance(named, list) else []
    ids = list(dict.fromkeys([*named, *participants(state)]))
    if not ids:
        raise InputError(f"{state['id']}: no candidate to check", field="with.candidates",
                         expected="supplier ids (eligibility check ID --candidate S-…), or "
                                  "suppliers already invited or bidding")
    candidates = [_profile(services, tx, cid) for cid in ids]
    members: list[dict[str, Any]] = []
    for c in candidates:
        for m in (c.get("consortium") or {}).get("members", ()):
            if m not in ids and all(x["id"] != m for x in members):
                members.append(_profile(services, tx, m, f"member of consortium {c['id']}"))
    usccs = {p["uscc"] for p in [*candidates, *members] if p.get("uscc")}
    entries, versions = credit_entries(tx, usccs)
    return {"candidates": candidates, "suppliers": members,
            "procurement": check_procurement(state, [*candidates, *members]),
            "credit": entries, "credit_lists": versions}


def _profile(services: Any, tx: Tx, sid: str, what: str = "candidate") -> dict[str, Any]:
    profile: dict[str, Any] | None = services.profile(tx, "supplier", sid)
    if profile is None:
        raise NotFound(f"supplier {sid!r} ({what}) is not registered", supplier=sid)
    return profile


# --------------------------------------------------------------------------- check, show

def check(services: Any, pid: str, candidates: list[str], actor: str,
          at: datetime, note: str | None = None) -> dict[str, Any]:
    """Fire ``check_eligibility`` (one transaction through the services) and return the
    recorded result."""
    data: dict[str, Any] = {"candidates": list(dict.fromkeys(candidates))}
    if note:
        data["note"] = note
    result = services.fire(pid, CHECK_TRIGGER, data, actor, at)
    return recorded(services, pid, result.version)


def recorded(services: Any, pid: str, version: int | None = None) -> dict[str, Any]:
    """The ``EligibilityChecked`` event at ``version`` (default: the latest) as a report:
    procurement, check date, ruleset, every rule for every candidate and the event's identity
    (its hash goes in the PDF footer)."""
    from tenderflow.app.common import stream_of

    if version is None:
        checked = services.state(pid).get("eligibility")
        if not checked:
            raise NotFound(f"no eligibility check is recorded for {pid}: run "
                           f"'tenderflow eligibility check {pid} --candidate …' first",
                           procurement=pid)
        version = int(checked["version"])
    with services.store.reading() as tx:
        event = next(iter(tx.read_stream(stream_of(pid), after=version - 1)), None)
        if event is None or event.type != CHECK_EVENT:
            raise NotFound(f"{pid}: event {version} is not an eligibility check",
                           procurement=pid)
    from tenderflow.documents.record import record_digest

    result = event.payload["findings"]["eligibility"]
    facts = event.payload.get("facts", {}).get("eligibility", {})
    return {"procurement": pid, "at": result["at"], "ruleset": result["ruleset"],
            "candidates": result["candidates"],
            "inputs": {"procurement": facts.get("procurement", {}),
                       "credit_lists": facts.get("credit_lists", {}),
                       "credit_entries": len(facts.get("credit", ()))},
            "event": {"type": event.type, "stream_seq": event.stream_seq,
                      "global_seq": event.global_seq, "occurred_at": event.occurred_at,
                      "actor": event.actor, "hash": event.hash, "pins": event.pins,
                      "record_digest": record_digest(event)}}


def only(report: dict[str, Any], supplier: str | None) -> dict[str, Any]:
    """The report narrowed to one candidate (the evaluation itself covered all of them)."""
    if supplier is None:
        return report
    hits = [c for c in report["candidates"] if c["candidate"] == supplier]
    if not hits:
        raise NotFound(f"{supplier} is not a candidate of the eligibility check of "
                       f"{report['procurement']} (candidates: "
                       f"{', '.join(c['candidate'] for c in report['candidates'])})",
                       supplier=supplier)
    return {**report, "candidates": hits}


# --------------------------------------------------------------------------- PDF report

VERDICT_ZH = {"pass": "通过", "fail": "不通过", "warn": "警告", "not_applicable": "不适用"}


def value_text(value: Any, limit: int = 400) -> str:
    """A value seen, as short readable text (JSON for structures)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                           sort_keys=True)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def report_sections(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The eligibility report's sections for :func:`render_document`: the basis, a summary
    table, then every rule for every candidate."""
    rs = report["ruleset"]
    inputs = report["inputs"]
    lists = ", ".join(f"{k}（版本 {v}）" for k, v in sorted(inputs["credit_lists"].items()))
    basis = [
        f"采购项目编号：{report['procurement']}；审查日期：{report['at']}。",
        f"适用规则集：{rs['id']} {rs['version']}，内容哈希 {rs['content_hash']}（开启采购时锁定）。",
        (f"信用记录：{lists or '未导入信用名单'}；涉及候选人的名单记录 "
         f"{inputs['credit_entries']} 条（财库〔2016〕125号）。"),
        (f"审查结果记录为事件 {report['event']['type']}（第 {report['event']['stream_seq']} 号，"
         f"{report['event']['occurred_at']}，{report['event']['actor']}）。"),
    ]
    proc = inputs["procurement"]
    if proc.get("investment"):
        basis.append(f"项目投资额：{proc['investment']} 元。")
    if proc.get("required_qualification"):
        q = proc["required_qualification"]
        basis.append(f"本项目资质要求：{q['type']} {q['min_grade']} 及以上。")
    summary_rows = []
    for c in report["candidates"]:
        failed = [o["rule"] for o in c["outcomes"] if o["verdict"] == "fail"]
        warned = [o["rule"] for o in c["outcomes"] if o["verdict"] == "warn"]
        summary_rows.append([c["candidate"], c["name"] + ("（联合体）" if c["consortium"] else ""),
                             "合格" if c["eligible"] else "不合格",
                             "、".join(failed) or "—", "、".join(warned) or "—"])
    sections: list[dict[str, Any]] = [
        {"heading": "审查依据", "body": basis},
        {"heading": "审查结论", "body": [{"table": {
            "columns": ["编号", "候选人", "结论", "未通过的规则", "警告"],
            "rows": summary_rows}}]},
    ]
    for c in report["candidates"]:
        rows = [[f"{o['title_zh']}\n{o['rule']}", VERDICT_ZH.get(o["verdict"], o["verdict"]),
                 value_text(o["value"]), value_text(o["threshold"]),
                 o["source"] + ("" if o["status"] == "P" else f"（{o['status']}）")]
                for o in c["outcomes"]]
        reasons = [f"{o['rule']}：{o['reason']}" for o in c["outcomes"]
                   if o["verdict"] in ("fail", "warn")]
        body: list[Any] = [f"结论：{'合格' if c['eligible'] else '不合格'}。"]
        if reasons:
            body.append(reasons)
        body.append({"table": {"columns": ["规则", "结论", "所见事实", "标准", "法律依据"],
                               "rows": rows}})
        sections.append({"heading": f"{c['candidate']} {c['name']}", "body": body})
    return sections


def report_pdf(report: Mapping[str, Any]) -> bytes:
    """The eligibility report as PDF bytes (embedded CJK font; deterministic for a record)."""
    from tenderflow.documents.pdf import render_document

    # The footer carries the check event's record digest (what it records, not when it was
    # recorded), so the same record gives the same report on any day.
    return render_document("供应商资格审查报告", report_sections(report),
                           report["event"]["record_digest"], digest_label="审查记录摘要",
                           subtitle=f"{report['procurement']} · {report['ruleset']['id']} "
                                    f"{report['ruleset']['version']}",
                           document_date=report["at"])
