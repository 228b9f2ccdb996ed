"""``tenderflow policy docs``: the policy handbook — the features rendered as one readable,
checked document (issue 18).

One chapter per area of ``features/`` (the three modes first, each with its workflow diagram):
each feature with its legal basis, the rules it tags with their zh title, legal source and
status (P / secondary / unconfirmed, from ``workflows/parameters.yaml``,
``workflows/rules.yaml`` and the eligibility rulesets), and its scenarios in Gherkin with the
outline tables and the pass / fail mark of the run the handbook was made from. Then the
coverage table (every rule id against the scenarios tagging it; a rule with none is listed as
uncovered), the index of legal sources to rules and, with ``since``, the changes of the
definitions since a git revision (:mod:`tenderflow.app.policy_diff`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tenderflow.app.features import FAILED, NOT_RUN, PASSED, Feature, Scenario

MODES = ("open_tender", "competitive_negotiation", "delegation", "project")
# a feature area whose chapter shows the diagram of a workflow of another name
AREA_WORKFLOW = {"contract": "ppp_contract"}
AREAS: dict[str, tuple[str, str]] = {
    "open_tender": ("公开招标", "Open tender"),
    "competitive_negotiation": ("竞争性谈判", "Competitive negotiation"),
    "delegation": ("政府委托", "Government delegation"),
    "project": ("立项备案", "Project intake"),
    "contract": ("合同履行", "Contract lifecycle"),
    "eligibility": ("供应商准入", "Supplier eligibility"),
    "bids": ("投标与响应", "Bids and responses"),
    "evaluation": ("评审", "Evaluation"),
    "award": ("成交、质疑与合同", "Award, challenges and contract"),
    "agreement": ("协议签署", "Agreement signing"),
    "periods": ("期间计算", "Counting periods"),
    "calendar": ("工作日历", "Working-day calendar"),
    "time": ("业务时间", "Business time"),
    "audit": ("审计", "Audit"),
}
STATUS_LABELS = {"P": "P（已读法规原文）", "secondary": "二手资料引述（secondary）",
                 "unconfirmed": "未经核实（unconfirmed）"}
MARKS = {PASSED: "✓ 通过", FAILED: "✗ 未通过", NOT_RUN: "○ 未运行"}


@dataclass
class RuleRow:
    """A rule id with its title, legal source and status, and the scenarios tagging it."""

    id: str
    title_zh: str
    title_en: str
    source: str
    status: str
    origin: str  # parameters.yaml | rules.yaml | eligibility/NAME.yaml | lint
    value: str = ""
    scenarios: list[Scenario] = field(default_factory=list)

    @property
    def result(self) -> str:
        """Passed when every scenario tagging it passed; failed when one failed."""
        marks = {s.result for s in self.scenarios}
        if not marks:
            return NOT_RUN
        if FAILED in marks:
            return FAILED
        return PASSED if marks == {PASSED} else NOT_RUN


@dataclass
class Chapter:
    area: str
    title_zh: str
    title_en: str
    features: list[Feature]
    workflow: Any = None
    diagram: str | None = None
    diagram_note: str = ""

    @property
    def rules(self) -> list[str]:
        seen: dict[str, None] = {}
        for f in self.features:
            for s in f.scenarios:
                seen.update(dict.fromkeys(s.tags))
        return list(seen)


@dataclass
class Handbook:
    chapters: list[Chapter]
    rules: dict[str, RuleRow]
    sources: list[tuple[str, list[str]]]
    run: dict[str, Any]
    changes: list[dict[str, Any]] | None = None
    since: str | None = None

    @property
    def uncovered(self) -> list[RuleRow]:
        return [r for r in self.rules.values() if not r.scenarios]

    @property
    def scenarios(self) -> list[Scenario]:
        return [s for c in self.chapters for f in c.features for s in f.scenarios]

    def counts(self) -> dict[str, int]:
        marks = [s.result for s in self.scenarios]
        return {"features": sum(len(c.features) for c in self.chapters),
                "scenarios": len(marks), "passed": marks.count(PASSED),
                "failed": marks.count(FAILED), "not_run": marks.count(NOT_RUN),
                "rules": len(self.rules), "uncovered": len(self.uncovered)}


def _value_text(p: Any) -> str:
    return "；".join(f"{d.isoformat()} 起 {v}" for d, v in p.values) + f"（{p.unit}）"


def rule_registry(root: Path | None = None) -> dict[str, RuleRow]:
    """Every rule id tenderflow knows, with its status from the one place that holds it:
    parameters, rules.yaml, the eligibility rulesets and the fair-competition lint's kinds."""
    from tenderflow.app.common import load_parameters
    from tenderflow.domain.eligibility.lint import LINT_SOURCES
    from tenderflow.workflow.rulebook import load_rules
    from tenderflow.workflow.rulesets import (
        available_rulesets,
        load_ruleset,
        ruleset_path,
    )

    out: dict[str, RuleRow] = {}
    for name in available_rulesets(root):
        rs = load_ruleset(ruleset_path(name, root))
        for r in rs.rules:  # a rule shared by rulesets is listed once, with each file
            if r.id in out:
                out[r.id].origin += f", eligibility/{name}.yaml"
                continue
            out[r.id] = RuleRow(r.id, r.title_zh, r.title_en, r.source, str(r.status),
                                f"eligibility/{name}.yaml")
    for kind, (source, status) in LINT_SOURCES.items():
        if source is not None:
            out[f"lint.{kind}"] = RuleRow(f"lint.{kind}", f"公平竞争审查：{kind}",
                                          f"Fair-competition review: {kind}", source,
                                          status or "unconfirmed", "lint")
    for e in load_rules(root):
        out[e.key] = RuleRow(e.key, e.title_zh, e.title_en, e.source, e.status, "rules.yaml")
    for p in load_parameters(root):
        out[p.key] = RuleRow(p.key, p.title_zh, p.title_en, p.source, p.status,
                             "parameters.yaml", _value_text(p))
    return dict(sorted(out.items()))


def cover(rules: dict[str, RuleRow], features: list[Feature]) -> dict[str, list[Scenario]]:
    """Attach to each rule the scenarios tagging it; the tags that name no known rule."""
    unknown: dict[str, list[Scenario]] = {}
    for f in features:
        for s in f.scenarios:
            for tag in s.tags:
                if tag in rules:
                    rules[tag].scenarios.append(s)
                elif "." in tag:
                    unknown.setdefault(tag, []).append(s)
    return unknown


def source_index(rules: dict[str, RuleRow]) -> list[tuple[str, list[str]]]:
    """Legal sources → rule ids; a source naming several articles (``法 第24条; 条例 第21条``)
    is indexed under each."""
    index: dict[str, list[str]] = {}
    for r in rules.values():
        for part in re.split(r"\s*[;；]\s*", r.source):
            part = part.strip(" 。，,")
            if part:
                index.setdefault(part, []).append(r.id)
    return sorted(index.items())


def chapters(features: list[Feature], diagrams: bool = True) -> list[Chapter]:
    from tenderflow.app.common import workflow_of
    from tenderflow.app.diagrams import svg

    by_area: dict[str, list[Feature]] = {}
    for f in features:
        by_area.setdefault(f.area, []).append(f)
    order = [a for a in AREAS if a in by_area] + sorted(a for a in by_area if a not in AREAS)
    out = []
    for area in order:
        zh, en = AREAS.get(area, (area, area))
        chapter = Chapter(area, zh, en, by_area[area])
        if area in MODES or area in AREA_WORKFLOW:
            wf = workflow_of(AREA_WORKFLOW.get(area, area))
            chapter.workflow = wf
            chapter.title_zh, chapter.title_en = wf.title_zh, wf.title_en
            if diagrams:
                chapter.diagram, chapter.diagram_note = svg(wf)
        out.append(chapter)
    return out


def changes_since(rev: str, store: Any = None) -> list[dict[str, Any]]:
    """The definitions' changes since git revision ``rev``: the parameters, each mode file
    and each ruleset, each diffed rule by rule (a file not at ``rev`` is new). With ``store``,
    each changed file's current version is also tried against the recorded procurements
    (``policy diff --against-log``). An unknown revision, or definitions outside a git
    checkout, is InputError."""
    import subprocess

    from tenderflow.app.policy_diff import against_log, diff_versions, load_version
    from tenderflow.errors import InputError
    from tenderflow.paths import workflows_dir

    folder = workflows_dir()
    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=folder,
                         capture_output=True, text=True, check=False)
    known = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
                           cwd=folder, capture_output=True, text=True, check=False)
    if top.returncode != 0:
        raise InputError("the definitions are not in a git repository", file=str(folder),
                         expected="--since REV only in a git checkout")
    if known.returncode != 0:
        raise InputError(f"git knows no revision {rev!r}", field="--since",
                         expected="a commit, branch or tag, e.g. HEAD~10 or main")
    root = Path(top.stdout.strip()).resolve()
    files = [folder / "parameters.yaml", *sorted(p for p in folder.glob("*.yaml")
                                                 if p.name not in ("parameters.yaml",
                                                                   "rules.yaml")),
             *sorted((folder / "eligibility").glob("*.yaml"))]
    out = []
    for path in files:
        rel = path.resolve().relative_to(root).as_posix()
        new = load_version(str(path))
        entry: dict[str, Any] = {"file": rel, "kind": new.kind, "note": "", "changes": [],
                                 "against_log": None}
        try:
            old = load_version(f"{rev}:{rel}", cwd=folder)
        except InputError as exc:
            entry["note"] = f"not compared: {exc.message}"
            out.append(entry)
            continue
        entry["changes"] = [c.to_dict() for c in diff_versions(old, new)]
        if store is not None and entry["changes"]:
            report = against_log(store, new)
            entry["against_log"] = [o.to_dict() for o in report.outcomes
                                    if o.status in ("refused", "differs", "not_compared")]
        out.append(entry)
    return out


def build(results: list[dict[str, Any]] | None, run: dict[str, Any],
          since: str | None = None, diagrams: bool = True, store: Any = None) -> Handbook:
    """The handbook from the features, the rule registry and a cucumber JSON report
    (``None``: no run, every scenario *not run*)."""
    from tenderflow.app.features import apply_results, load_features
    from tenderflow.paths import project_root

    features = load_features(project_root() / "features")
    if results is not None:
        apply_results(features, results)
    rules = rule_registry()
    unknown = cover(rules, features)
    run = {**run, "unknown_tags": sorted(unknown)}
    book = Handbook(chapters(features, diagrams), rules, source_index(rules), run,
                    since=since)
    if since:
        book.changes = changes_since(since, store)
    return book


def write(book: Handbook, out: Path) -> list[str]:
    """Write ``handbook.html``, ``handbook.pdf`` and ``coverage.json`` into ``out``."""
    from tenderflow.documents.handbook import render_html, render_pdf, write_text

    out.mkdir(parents=True, exist_ok=True)
    files = []
    html = render_html(book)
    files.append(write_text(out / "handbook.html", html))
    from tenderflow.documents.pdf import write_pdf

    pdf = render_pdf(book)
    write_pdf(out / "handbook.pdf", pdf)
    files.append(str(out / "handbook.pdf"))
    import json

    coverage = {"counts": book.counts(),
                "rules": [{"id": r.id, "status": r.status, "source": r.source,
                           "origin": r.origin, "result": r.result,
                           "scenarios": [f"{s.feature}:{s.line}" for s in r.scenarios]}
                          for r in book.rules.values()],
                "uncovered": [r.id for r in book.uncovered], "run": book.run}
    files.append(write_text(out / "coverage.json",
                            json.dumps(coverage, ensure_ascii=False, indent=2)))
    return files


def make_handbook(out: Path, *, results: Path | None = None, since: str | None = None,
                  run: bool = True, started: Any = None,
                  store: Any = None) -> tuple[Handbook, list[str]]:
    """Run the features (or read ``results``, a cucumber JSON report; or wait for
    ``started``, a run begun with :func:`tenderflow.app.features.start_features`), build the
    handbook and write it into ``out``: ``handbook.html``, ``handbook.pdf``,
    ``coverage.json`` and, when the features were run here, their report
    ``features-results.json``. Bad input (a report that is not one, a revision git does not
    know) is refused before anything is written."""
    import tempfile

    from tenderflow.app.features import read_results, start_features
    from tenderflow.paths import project_root

    if since is not None:
        changes_since(since)  # a bad revision fails here, before the run and any file
    report = None
    if results is not None:
        report = read_results(results)
        info = {"summary_zh": f"读取已有的特性运行结果 {results}（cucumber JSON）",
                "results": str(results)}
    elif run or started is not None:
        with tempfile.TemporaryDirectory(prefix="tenderflow-features-") as tmp:
            feature_run = started or start_features(project_root(),
                                                    Path(tmp) / "features-results.json")
            done = feature_run.wait()
            report = read_results(feature_run.report)
            out.mkdir(parents=True, exist_ok=True)
            (out / "features-results.json").write_bytes(feature_run.report.read_bytes())
        info = {"summary_zh": f"在本机运行全部特性（pytest-bdd，{len(done['modules'])} 个测试"
                              f"模块）：{done['summary']}", **done,
                "results": str(out / "features-results.json")}
    else:
        info = {"summary_zh": "未运行特性：每个场景标为未运行"}
    book = build(report, info, since=since, store=store)
    return book, write(book, out)
