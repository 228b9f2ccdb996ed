"""The policy features as a document: ``features/**/*.feature`` parsed with the official Gherkin
parser, and the result of each scenario (each row of an outline's examples) from a run of the
features with pytest-bdd's cucumber JSON report (``pytest --cucumberjson=FILE``).

The features are run from a source checkout, where ``tests/`` holds their step definitions:
the test modules that bind them are the modules of ``tests/`` that call pytest-bdd's
``scenarios(...)``. An installed tenderflow has no ``tests/``: it can only render the results of
a run made elsewhere (``--results FILE``). A scenario the report does not mention is *not run*,
never a pass.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tenderflow.errors import CheckFailed, InputError

PASSED, FAILED, NOT_RUN = "passed", "failed", "not run"
_BINDS = re.compile(r"^\s*scenarios\(", re.MULTILINE)


@dataclass
class Step:
    keyword: str
    text: str
    doc: str | None = None
    table: list[list[str]] | None = None


@dataclass
class Examples:
    name: str
    header: list[str]
    rows: list[list[str]]
    results: list[str] = field(default_factory=list)  # one per row


@dataclass
class Scenario:
    feature: str  # uri under features/
    line: int
    keyword: str
    name: str
    tags: list[str]
    steps: list[Step]
    examples: list[Examples]
    result: str = NOT_RUN
    failures: list[str] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"s-{_slug(self.feature)}-{self.line}"


@dataclass
class Feature:
    uri: str  # e.g. bids/响应期限.feature
    area: str
    name: str
    description: str
    tags: list[str]
    background: list[Step]
    scenarios: list[Scenario]

    @property
    def paragraphs(self) -> list[str]:
        """The description as paragraphs: its lines are wrapped in the file, so they are
        joined (Chinese takes no space between lines; a Latin word boundary keeps one); a line
        citing the legal basis (法律依据) starts a new paragraph, as does an empty line."""
        out: list[str] = []
        current = ""
        for line in self.description.splitlines():
            line = line.strip()
            if not line or line.startswith(("法律依据", "依据")):
                if current:
                    out.append(current)
                current = line
                continue
            if current and current[-1].isascii() and line[0].isascii() and \
                    current[-1].isalnum() and line[0].isalnum():
                current += " "
            current += line
        if current:
            out.append(current)
        return out


def _slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z\u4e00-\u9fff]+", "-", text).strip("-")


def _steps(raw: list[dict[str, Any]]) -> list[Step]:
    out = []
    for s in raw:
        table = None
        if s.get("dataTable"):
            table = [[c["value"] for c in row["cells"]] for row in s["dataTable"]["rows"]]
        doc = s["docString"]["content"] if s.get("docString") else None
        out.append(Step(s["keyword"].strip(), s["text"], doc, table))
    return out


def parse_feature(path: Path, uri: str) -> Feature:
    """One feature file; a file the Gherkin parser rejects is InputError naming it."""
    from gherkin.errors import CompositeParserException, ParserException
    from gherkin.parser import Parser
    from gherkin.token_scanner import TokenScanner

    try:
        doc = Parser().parse(TokenScanner(path.read_text(encoding="utf-8")))
    except (CompositeParserException, ParserException) as exc:
        raise InputError(f"not valid Gherkin: {exc}", file=str(path)) from None
    f = doc.get("feature")
    if not f:
        raise InputError("no feature in the file", file=str(path))
    background: list[Step] = []
    scenarios = []
    for child in f["children"]:
        if "background" in child:
            background = _steps(child["background"]["steps"])
        elif "scenario" in child:
            s = child["scenario"]
            examples = [Examples(e.get("name", ""),
                                 [c["value"] for c in e["tableHeader"]["cells"]]
                                 if e.get("tableHeader") else [],
                                 [[c["value"] for c in r["cells"]] for r in e.get("tableBody", [])])
                        for e in s.get("examples", [])]
            scenarios.append(Scenario(uri, s["location"]["line"], s["keyword"], s["name"],
                                      [t["name"].lstrip("@") for t in s["tags"]],
                                      _steps(s["steps"]), examples))
    description = "\n".join(line.strip() for line in f.get("description", "").splitlines())
    return Feature(uri, uri.split("/")[0], f["name"], description.strip(),
                   [t["name"].lstrip("@") for t in f["tags"]], background, scenarios)


def load_features(root: Path) -> list[Feature]:
    """Every feature under ``root`` (the project's ``features/``), in path order."""
    if not root.is_dir():
        raise InputError("the features folder is missing", file=str(root),
                         expected="features/<area>/*.feature")
    return [parse_feature(p, p.relative_to(root).as_posix())
            for p in sorted(root.rglob("*.feature"))]


# --------------------------------------------------------------------------- results

def feature_test_modules(tests: Path) -> list[Path]:
    """The test modules that bind feature files to step definitions (call ``scenarios(``)."""
    return sorted(p for p in tests.rglob("test_*.py")
                  if _BINDS.search(p.read_text(encoding="utf-8")))


@dataclass
class FeatureRun:
    """A run of the features in progress (a pytest subprocess writing ``report``)."""

    process: Any
    report: Path
    command: list[str]
    modules: list[str]

    def wait(self) -> dict[str, Any]:
        """Wait for the run; what it said. No report written is CheckFailed."""
        out, err = self.process.communicate()
        tail = (out or "").strip().splitlines()[-1:] or [""]
        if not self.report.is_file():
            raise CheckFailed(f"the feature run wrote no report (pytest exit "
                              f"{self.process.returncode}): {tail[0]} {(err or '')[-400:]}")
        return {"command": " ".join(self.command[1:]), "exit": self.process.returncode,
                "summary": tail[0], "modules": self.modules}


def start_features(project: Path, report: Path, python: str | None = None) -> FeatureRun:
    """Start running every feature with pytest-bdd into the cucumber JSON ``report`` (in the
    background: :meth:`FeatureRun.wait`). Without a ``tests/`` folder (an installed
    tenderflow) this is CheckFailed saying to give ``--results``."""
    tests = project / "tests"
    if not tests.is_dir() or not (tests / "bdd").is_dir():
        raise CheckFailed(
            f"the features cannot be run here: {tests} is missing (an installed tenderflow "
            "has no step definitions); run them in a source checkout with `pytest "
            "--cucumberjson=FILE tests/bdd …` and give the report with --results FILE")
    report = report.resolve()  # pytest runs in the project folder
    modules = [str(m.relative_to(project)) for m in feature_test_modules(tests)]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(project), env.get("PYTHONPATH")]))
    cmd = [python or sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
           f"--cucumberjson={report}", *modules]
    report.unlink(missing_ok=True)
    proc = subprocess.Popen(cmd, cwd=project, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    return FeatureRun(proc, report, cmd, modules)


def run_features(project: Path, report: Path, python: str | None = None) -> dict[str, Any]:
    """Run every feature (:func:`start_features`) and wait for the report."""
    return start_features(project, report, python).wait()


def read_results(path: Path) -> list[dict[str, Any]]:
    """A cucumber JSON report; anything else is InputError naming the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"not JSON: {exc}", file=str(path),
                         expected="a cucumber JSON report (pytest --cucumberjson=FILE)") from None
    if not isinstance(data, list) or not all(
            isinstance(f, dict) and isinstance(f.get("uri"), str)
            and isinstance(f.get("elements", []), list) for f in data):
        raise InputError("not a cucumber JSON report", file=str(path),
                         expected="a list of features with uri and elements")
    return data


def _element_result(element: dict[str, Any]) -> tuple[str, list[str]]:
    statuses = []
    failures = []
    for step in element.get("steps") or []:
        result = (step.get("result") or {})
        statuses.append(result.get("status"))
        if result.get("status") == "failed":
            failures.append(f"{step.get('keyword', '')}{step.get('name', '')}: "
                            f"{str(result.get('error_message', ''))[-300:]}")
    if not statuses:
        return NOT_RUN, []
    if "failed" in statuses:
        return FAILED, failures
    if all(s == "passed" for s in statuses):
        return PASSED, []
    return NOT_RUN, []


def apply_results(features: list[Feature], report: list[dict[str, Any]]) -> None:
    """Mark each scenario (and each example row, in the order pytest-bdd runs them) with its
    result in ``report``; a scenario or row the report does not have stays *not run*."""
    by_line: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for f in report:
        uri = f["uri"].replace("\\", "/")
        for e in f.get("elements") or []:
            if isinstance(e, dict) and isinstance(e.get("line"), int):
                by_line.setdefault((uri, e["line"]), []).append(e)
    for feature in features:
        for s in feature.scenarios:
            elements = by_line.get((feature.uri, s.line), [])
            results = [_element_result(e) for e in elements]
            rows = sum(len(x.rows) for x in s.examples)
            if s.examples:
                # one element per row, in the rows' order; any other count: not matched
                marks = [r for r, _ in results] if len(results) == rows else [NOT_RUN] * rows
                i = 0
                for ex in s.examples:
                    ex.results = marks[i:i + len(ex.rows)]
                    i += len(ex.rows)
            else:
                marks = [r for r, _ in results][:1] if len(results) == 1 else []
            s.failures = [msg for _, fails in results for msg in fails]
            if not marks:
                s.result = NOT_RUN
            elif FAILED in marks:
                s.result = FAILED
            elif all(m == PASSED for m in marks):
                s.result = PASSED
            else:
                s.result = NOT_RUN
