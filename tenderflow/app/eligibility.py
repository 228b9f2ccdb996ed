"""Eligibility (准入) as application services: the eligibility options checked before opening,
credit-list CSV exports read and recorded as events, the check fired and its recorded result,
and its PDF report.

Everything a check decides on is recorded: the ruleset by content hash in the ``definitions``
table (kind ``ruleset``) and in every event's ``pins``; credit-list entries as events on the
streams ``credit:<list>``; the candidates' registered profiles and the entries for their USCCs
copied into the ``EligibilityChecked`` event (``facts.eligibility``). The domain functions are
in :mod:`tenderflow.domain.eligibility` and :mod:`tenderflow.domain.components.eligibility`; the
rulesets are read by :mod:`tenderflow.workflow.rulesets`; what a check reads from the store
is gathered by :mod:`tenderflow.app.eligibility_facts` (the procurement services use both,
never this module, which uses them: :class:`~tenderflow.app.procurement.Services`).

Credit-list events (stream ``credit:<list>``, one per list, e.g. ``credit:失信被执行人``)::

    CreditEntryRecorded {"entry": {"list", "uscc", "name", "listed_on", "removed_on",
                                   "source"}, "imported_from": {"file", "line"}}
    CreditEntryAmended  {"entry": {...}, "previous": {...}, "imported_from": {...}}

An entry is identified by its list, USCC and ``listed_on``; importing the same file again
records nothing, and an import never deletes (the exports are incremental): a lifted listing
arrives as the same entry with its ``removed_on``.

Each import also records, per list the export covers, that the list was imported as of a date
(stream ``credit-asof:<list>:<YYYY-MM-DD>``)::

    CreditListImported  {"list", "as_of", "file", "entries"}

A check reads each list's latest import before it: a list never imported, or older than
``credit.list_max_age_days``, is not checked, and a candidate with a disqualifying rule not
checked is not eligible (fail closed; 财库〔2016〕125号).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tenderflow.app.common import check_actor, load_parameters, stream_of
from tenderflow.app.eligibility_facts import (
    credit_entries,
    credit_imports,
    credit_stream,
    import_record,
    import_stream,
)
from tenderflow.app.procurement import Services
from tenderflow.domain.credit import (
    CREDIT_LISTS,
    REQUIRED_COLUMNS,
    CreditEntry,
    check_entries,
    check_header,
)
from tenderflow.domain.timeutil import iso, local_date
from tenderflow.errors import InputError, NotFound
from tenderflow.store.eventstore import EventStore, NewEvent
from tenderflow.workflow.definitions import load_workflow
from tenderflow.workflow.rulesets import ruleset_for_opening

CHECK_TRIGGER = "check_eligibility"
CHECK_EVENT = "EligibilityChecked"


def check_opening(options: Mapping[str, Any] | None, root: Path | None = None, *,
                  file: str | None = None, location: str | None = None,
                  mode: str | None = None) -> None:
    """What opening checks about the eligibility options, for a scenario file to refuse before
    anything is written: bad input names the file and place (exit 2); a ruleset failing the
    lint raises :class:`RulesetRefused` (exit 1). ``mode`` gives the default ruleset (the
    mode's ``ruleset:``)."""
    try:
        default = load_workflow(mode, root).data.get("ruleset") if mode else None
        ruleset_for_opening(options, root, default)
    except (InputError, NotFound) as exc:
        raise InputError(exc.message, file=file, location=location) from None


# --------------------------------------------------------------------------- credit lists

def parse_credit_csv(text: str, *, file: str | None = None) -> list[CreditEntry]:
    """Parse a credit-list CSV export; strict: every error names the file, line and column
    (the cells are checked by :mod:`tenderflow.domain.credit`)."""
    text = text.removeprefix("\ufeff")  # spreadsheet exports often start with a byte order mark
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("the file is empty", file=file, location="line 1",
                         expected="a header line: " + ",".join(REQUIRED_COLUMNS)) from None
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", file=file, location="line 1") from None
    columns = [c.strip() for c in header]
    check_header(columns, file=file)

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise InputError(f"malformed CSV: {exc}", file=file,
                                 location=f"line {reader.line_num}") from None
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue  # blank line
            if len(cells) != len(columns):
                raise InputError(f"has {len(cells)} cells, the header has {len(columns)}",
                                 file=file, location=f"line {line}", expected=",".join(columns))
            yield line, dict(zip(columns, cells))

    return check_entries(rows(), file=file)


def load_credit_csv(path: str | Path) -> list[CreditEntry]:
    """Read and validate a credit-list CSV file (UTF-8, with or without a byte order mark)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", file=str(p),
                         expected="a UTF-8 CSV export") from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(p)) from None
    return parse_credit_csv(text, file=str(p))


def _entry_key(entry: Mapping[str, Any]) -> str:
    return f"{entry['uscc']}|{entry['listed_on']}"


def _entry_data(entry: Any) -> dict[str, Any]:
    d = entry.to_dict()
    return {k: d[k] for k in ("list", "uscc", "name", "listed_on", "removed_on", "source")}


def import_credit_lists(services: Services, path: Path, actor: str, at: datetime,
                        as_of: date | None = None,
                        lists: Sequence[str] | None = None) -> dict[str, Any]:
    """Record the entries of a credit-list CSV export as events on ``credit:<list>`` streams,
    and that each list the export covers was imported as of ``as_of`` (default: the day of
    ``at``) on ``credit-asof:<list>:<as_of>``, in one transaction; idempotent. ``lists`` names
    the lists the export covers (default: those its lines name), so that an export without a
    listing still counts as checked. Returns counts per list and the imports recorded."""
    check_actor(actor)
    entries = load_credit_csv(path)
    covered = sorted(set(lists) if lists else {e.list_name for e in entries})
    for name in covered:
        if name not in CREDIT_LISTS:
            raise InputError(f"unknown credit list {name!r}", field="--list",
                             expected=" | ".join(CREDIT_LISTS))
    outside = sorted({e.list_name for e in entries} - set(covered))
    if outside:
        raise InputError(f"the file has lines of {outside[0]} but --list does not name it",
                         file=str(path), field="--list", expected=", ".join(covered))
    if not entries and not covered:
        raise InputError("no entries in the file", file=str(path),
                         expected="one line per listing after the header, or --list naming "
                                  "the lists the (empty) export covers")
    day = local_date(at)
    as_of = as_of or day
    if as_of > day:
        raise InputError(f"the export is as of {as_of.isoformat()}, after the import on "
                         f"{day.isoformat()}", field="--as-of",
                         expected=f"a date on or before {day.isoformat()}")
    when, recorded_at = iso(at), services.recording_clock()
    late = services.late_entry_for(load_parameters(services.root), at, recorded_at,
                                   what=f"credit list import from {path.name}")
    counted: dict[str, dict[str, int]] = {}
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
            counted[list_name] = counts
        imports: dict[str, dict[str, Any]] = {}
        for name in covered:
            sid = import_stream(name, as_of.isoformat())
            recorded = tx.head(sid)[0] == 0
            if recorded:
                extra = {"late_entry": late} if late else {}
                tx.append(sid, 0, [NewEvent(
                    "CreditListImported",
                    {"list": name, "as_of": as_of.isoformat(), "file": path.name,
                     "entries": sum(1 for e in entries if e.list_name == name), **extra},
                    when, actor, {})], iso(recorded_at))
                tx.save_snapshot(sid, 1, import_record(as_of.isoformat(), when, path.name))
            imports[name] = {"as_of": as_of.isoformat(), "recorded": recorded}
    return {"file": str(path), "lists": counted, "imports": imports}


def credit_list(store: EventStore, uscc: str | None = None
                ) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The recorded credit-list entries (all, or those of ``uscc``) and each list's version."""
    with store.reading() as tx:
        return credit_entries(tx, {uscc} if uscc else None)


def credit_list_imports(store: EventStore) -> dict[str, dict[str, Any]]:
    """Each credit list's latest recorded import: as-of date, import time, file."""
    with store.reading() as tx:
        return credit_imports(tx)


# --------------------------------------------------------------------------- check, show

def check(services: Services, pid: str, candidates: list[str], actor: str,
          at: datetime, note: str | None = None) -> dict[str, Any]:
    """Fire ``check_eligibility`` (one transaction through the services) and return the
    recorded result."""
    data: dict[str, Any] = {"candidates": list(dict.fromkeys(candidates))}
    if note:
        data["note"] = note
    result = services.fire(pid, CHECK_TRIGGER, data, actor, at)
    return recorded(services, pid, result.version)


def recorded(services: Services, pid: str, version: int | None = None) -> dict[str, Any]:
    """The ``EligibilityChecked`` event at ``version`` (default: the latest) as a report:
    procurement, check date, ruleset, every rule for every candidate and the event's identity
    (its hash goes in the PDF footer)."""
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
        fields = _field_descriptions(tx, (event.pins or {}).get("ruleset"))
    from tenderflow.documents.record import record_digest

    result = event.payload["findings"]["eligibility"]
    facts = event.payload.get("facts", {}).get("eligibility", {})
    return {"procurement": pid, "at": result["at"], "ruleset": result["ruleset"],
            "candidates": result["candidates"], "fields": fields,
            "inputs": {"procurement": facts.get("procurement", {}),
                       "credit_lists": facts.get("credit_lists", {}),
                       "credit_imports": facts.get("credit_imports"),
                       "credit_entries": len(facts.get("credit", ()))},
            "event": {"type": event.type, "stream_seq": event.stream_seq,
                      "global_seq": event.global_seq, "occurred_at": event.occurred_at,
                      "actor": event.actor, "hash": event.hash, "pins": event.pins,
                      "record_digest": record_digest(event)}}


def _field_descriptions(tx: Any, digest: str | None) -> dict[str, str]:
    """The profile fields' descriptions in the ruleset the check pinned (the report names the
    facts with them); empty when the pinned body cannot be read as a ruleset."""
    row = tx.definition(digest) if digest else None
    if row is None or row[0] != "ruleset":
        return {}
    try:
        fields = json.loads(row[2]).get("fields") or {}
    except (ValueError, AttributeError):
        return {}
    return {str(k): str(v.get("description", "")) for k, v in fields.items()
            if isinstance(v, Mapping)}


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

def credit_basis(inputs: Mapping[str, Any]) -> list[str]:
    """The credit lists the check read, each with its as-of date and import time; a list
    never imported says so (its rule was not checked, which is not a pass)."""
    from tenderflow.documents.reports import time_text

    imports = inputs.get("credit_imports")
    entries = f"涉及候选人的名单记录 {inputs['credit_entries']} 条（财库〔2016〕125号）。"
    if imports is None:  # recorded before imports were recorded
        lists = "、".join(f"{k}（版本 {v}）" for k, v in sorted(inputs["credit_lists"].items()))
        return [f"信用记录：{lists or '未导入信用名单'}；{entries}"]
    lines = [f"信用名单“{name}”：" + (
        f"名单截至 {imports[name]['as_of']}，于 {time_text(imports[name]['imported_at'])} 导入"
        f"（文件 {imports[name]['file']}）。" if name in imports else
        "未导入，相关规则未核查（未核查不等于通过）。") for name in CREDIT_LISTS]
    return [*lines, f"信用记录：{entries}"]


def value_text(value: Any, limit: int = 400) -> str:
    """A value seen, as short readable text (JSON for structures; the terminal's view)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                           sort_keys=True)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def report_sections(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The eligibility report's sections for :func:`render_document`: the basis, a summary
    table, then every rule for every candidate in words (the standard with its source, the
    facts seen, the conclusion: tenderflow.documents.eligibility_words), and the rule ids for
    reference at the end."""
    from tenderflow.documents.eligibility_words import amount_words, outcome_words
    from tenderflow.documents.reports import time_text

    rs = report["ruleset"]
    inputs = report["inputs"]
    fields = report.get("fields") or {}
    ev = report["event"]
    basis = [
        f"采购项目编号：{report['procurement']}；审查日期：{report['at']}。",
        (f"适用规则集：{rs['id']}（版本 {rs['version']}），开启采购时按内容锁定，"
         f"内容哈希 {rs['content_hash']}。"),
        *credit_basis(inputs),
        (f"审查结果记录于采购日志第 {ev['stream_seq']} 号事件（资格审查），业务时间 "
         f"{time_text(ev['occurred_at'])}，经办人 {ev['actor']}。"),
    ]
    proc = inputs["procurement"]
    if proc.get("investment"):
        basis.append(f"项目投资额：{amount_words(proc['investment'])}。")
    if proc.get("required_qualification"):
        q = proc["required_qualification"]
        basis.append(f"本项目资质要求：{q['type']}{q['min_grade']}及以上。")
    summary_rows = []
    for c in report["candidates"]:
        failed = [o["title_zh"] + ("（未核查）" if o["verdict"] == "not_checked" else "")
                  for o in c["outcomes"] if o["verdict"] in ("fail", "not_checked")]
        warned = [o["title_zh"] for o in c["outcomes"] if o["verdict"] == "warn"]
        summary_rows.append([c["name"] + ("（联合体）" if c["consortium"] else ""),
                             "合格" if c["eligible"] else "不合格",
                             "；".join(failed) or "无", "；".join(warned) or "无"])
    sections: list[dict[str, Any]] = [
        {"heading": "审查依据", "body": basis},
        {"heading": "审查结论", "body": [{"table": {
            "columns": ["候选人", "结论", "未通过或未核查的事项", "警告"],
            "rows": summary_rows}}]},
    ]
    titles: dict[str, str] = {}
    for c in report["candidates"]:
        items = []
        for o in c["outcomes"]:
            w = outcome_words(o, fields)
            titles.setdefault(o["rule"], w["title"])
            items.append(f"{w['title']}——{w['verdict']}。标准：{w['standard']}。依据："
                         f"{w['source']}。所见事实：{w['facts']}。")
        sections.append({"heading": c["name"], "body": [
            (f"候选人编号 {c['candidate']}{'，联合体' if c['consortium'] else ''}。结论："
             f"{'合格' if c['eligible'] else '不合格'}。逐项审查如下："), items]})
    sections.append({"heading": "审查事项的规则编号（供查阅）", "body": [
        "规则编号用于在规则集和采购日志中查找对应的审查规则。",
        {"table": {"columns": ["审查事项", "规则编号"],
                   "rows": [[t, r] for r, t in titles.items()]}}]})
    return sections


def write_report(path: Path, report: Mapping[str, Any]) -> str:
    """Write the report's PDF to ``path``; returns its SHA-256."""
    from tenderflow.documents.pdf import write_pdf

    return write_pdf(path, report_pdf(report))


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
