"""The policy handbook as HTML (Jinja2, ``handbook.html.j2``: one self-contained file, the
workflow diagrams inline as SVG, no script and nothing fetched when it is read) and as PDF
(:func:`tenderflow.documents.pdf.render_document`, with the embedded CJK font).

The handbook object is built by :mod:`tenderflow.app.handbook`; this module only lays it out.
A scenario's result is ``passed``, ``failed`` or ``not run``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from tenderflow.errors import InputError

TITLE = "老旧小区改造社会资本采购 政策手册"
MARKS = {"passed": "✓ 通过", "failed": "✗ 未通过", "not run": "○ 未运行"}
# The embedded font (WenQuanYi Zen Hei) has no ✓ ✗ ○: the PDF says it in words.
PDF_MARKS = {"passed": "【通过】", "failed": "【未通过】", "not run": "【未运行】"}
STATUS_LABELS = {"P": "P（已读原文）", "secondary": "二手资料（secondary）",
                 "unconfirmed": "未经核实（unconfirmed）"}
CHANGE_LABELS = {"added": "新增", "removed": "删除", "changed": "修改"}
OUTCOME_LABELS = {"refused": "此步骤按当前版本将被拒绝", "differs": "此步骤按当前版本的决定将不同",
                  "not_compared": "未比较"}
TEMPLATE = "handbook.html.j2"


def _css(result: str) -> str:
    return result.replace(" ", "-")


def render_html(book: Any) -> str:
    """The handbook as one HTML page."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
    from markupsafe import Markup, escape

    env = Environment(loader=FileSystemLoader(str(Path(__file__).parent)),
                      autoescape=select_autoescape(["html", "j2"]), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)

    def mark(result: str) -> Markup:
        return Markup('<span class="mark {}">{}</span>').format(_css(result), MARKS[result])

    def step(st: Any) -> Markup:
        out = Markup('<div class="step"><span class="kw">{}</span> {}</div>').format(
            st.keyword, st.text)
        if st.doc is not None:
            out += Markup("<pre>{}</pre>").format(st.doc)
        if st.table:
            rows = Markup("").join(
                Markup("<tr>{}</tr>").format(Markup("").join(
                    Markup("<td>{}</td>").format(c) for c in row)) for row in st.table)
            out += Markup('<table style="margin-left:2.4em">{}</table>').format(rows)
        return out

    def feature_rules(f: Any) -> list[str]:
        seen: dict[str, None] = {}
        for s in f.scenarios:
            seen.update({t: None for t in s.tags if t in book.rules})
        return list(seen)

    run = dict(book.run)
    run["summary_zh"] = escape(run.get("summary_zh") or "")
    return env.get_template(TEMPLATE).render(
        title=TITLE, chapters=book.chapters, rules=book.rules, sources=book.sources,
        uncovered=book.uncovered, counts=book.counts(), run=run, changes=book.changes,
        since=book.since, status_labels=STATUS_LABELS, change_labels=CHANGE_LABELS,
        outcome_labels=OUTCOME_LABELS,
        mark=mark, css=_css, step=step, feature_rules=feature_rules)


def digest(book: Any) -> str:
    """SHA-256 over what the handbook says (rules, statuses, scenarios and their results):
    printed in the PDF's footer, so two printouts can be told apart."""
    data = {"rules": {r.id: [r.status, r.source, [f"{s.feature}:{s.line}" for s in r.scenarios]]
                      for r in book.rules.values()},
            "results": {f"{s.feature}:{s.line}": s.result for s in book.scenarios},
            "changes": book.changes}
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True,
                                     default=str).encode("utf-8")).hexdigest()


def _step_lines(steps: Any) -> list[str]:
    out = []
    for st in steps:
        out.append(f"{st.keyword} {st.text}")
        if st.doc is not None:
            out += [f"    {line}" for line in st.doc.splitlines()]
        for row in st.table or []:
            out.append("    | " + " | ".join(row) + " |")
    return out


def pdf_sections(book: Any) -> list[dict[str, Any]]:
    """The handbook as ``render_document`` sections."""
    c = book.counts()
    sections: list[dict[str, Any]] = [{"heading": "说明", "body": [
        f"本次运行：{book.run.get('summary_zh', '')}。",
        (f"场景 {c['scenarios']} 个：通过 {c['passed']}，未通过 {c['failed']}，未运行 "
        f"{c['not_run']}；规则 {c['rules']} 条，未覆盖 {c['uncovered']} 条。"),
        "状态：P 已读法规原文；secondary 二手资料引述；unconfirmed 未经核实。流程图见 HTML 版。"]}]
    for ch in book.chapters:
        body: list[Any] = []
        if ch.workflow is not None:
            body.append(f"法律依据：{ch.workflow.source}")
        for f in ch.features:
            body.append(f"【{f.name}】（features/{f.uri}）")
            body += f.paragraphs
            ids = [t for s in f.scenarios for t in s.tags if t in book.rules]
            ids = list(dict.fromkeys(ids))
            if ids:
                body.append({"table": {"columns": ["规则", "标题", "法律依据", "状态", "结果"],
                                       "rows": [[i, book.rules[i].title_zh,
                                                 book.rules[i].source,
                                                 STATUS_LABELS[book.rules[i].status],
                                                 PDF_MARKS[book.rules[i].result]] for i in ids]}})
            if f.background:
                body.append("背景：")
                body += _step_lines(f.background)
            for s in f.scenarios:
                tags = " ".join(f"@{t}" for t in s.tags)
                body.append(f"{PDF_MARKS[s.result]}{s.keyword}：{s.name}　{tags}")
                body += _step_lines(s.steps)
                for ex in s.examples:
                    results = ex.results or ["not run"] * len(ex.rows)
                    body.append({"table": {"columns": ["结果", *ex.header],
                                           "rows": [[PDF_MARKS[r], *row]
                                                    for r, row in zip(results, ex.rows)]}})
        sections.append({"heading": f"{ch.title_zh}（{ch.title_en}）", "body": body})
    sections.append({"heading": "规则覆盖表", "body": [
        {"table": {"columns": ["规则", "标题", "法律依据", "状态", "场景数", "结果"],
                   "rows": [[r.id, r.title_zh, r.source, r.status, str(len(r.scenarios)),
                             PDF_MARKS[r.result] if r.scenarios else "未覆盖"]
                            for r in book.rules.values()]}}]})
    sections.append({"heading": "法律依据索引", "body": [
        {"table": {"columns": ["法律依据", "规则"],
                   "rows": [[src, "、".join(ids)] for src, ids in book.sources]}}]})
    if book.changes is not None:
        body = []
        for file in book.changes:
            body.append(f"{file['file']}（{file['kind']}）{file['note'] or ''}")
            if file["changes"]:
                body.append({"table": {"columns": ["规则", "变更", "法律依据", "内容"],
                                       "rows": [[ch["id"], CHANGE_LABELS[ch["change"]],
                                                 ch["source"],
                                                 "；".join(f"{fd['field']}：{fd['old']} → "
                                                          f"{fd['new']}" for fd in ch["fields"])]
                                                for ch in file["changes"]]}})
            for o in file.get("against_log") or []:
                step = o["step"] or {}
                body.append(f"{o['procurement']}：{OUTCOME_LABELS[o['status']]}"
                            f"（#{step.get('stream_seq', '')} {step.get('trigger') or ''}）"
                            + "；".join(f"{r['rule']} {r['reason']}"
                                       for r in step.get("refusals") or []))
        sections.append({"heading": f"变更（自 {book.since} 起）", "body": body})
    return sections


def render_pdf(book: Any) -> bytes:
    from tenderflow.documents.pdf import render_document

    return render_document(TITLE, pdf_sections(book), digest(book),
                           subtitle="tenderflow policy docs", digest_label="手册内容摘要")


def write_text(path: Path, text: str) -> str:
    """Write a text file atomically; its path."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", file=str(path)) from None
    return str(path)
