"""``tenderflow policy lint RULESET``: the fair-competition review (公平竞争审查) of an
eligibility ruleset; ``policy docs``: the policy handbook; ``policy diff OLD NEW``: what a
change of the rules changes, and would change in the recorded procurements."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from tenderflow.cli import Ctx

pass_ctx = click.make_pass_decorator(Ctx)


@click.group()
def policy() -> None:
    """Policy as data: review eligibility rulesets, write the policy handbook, compare two
    versions of the rules."""


@policy.command()
@click.argument("ruleset")
@click.pass_context
def lint(ctx: click.Context, ruleset: str) -> None:
    """Review an eligibility ruleset (a file, or a name in workflows/eligibility/): refuse rules
    on unknown fields and criteria that restrict by ownership form, organisation form,
    location, regional or industry track record, or size (政府采购法实施条例 第20条;
    招标投标法实施条例 第32–33条). Exit 0 when clean, 1 with findings (each with file, rule
    id, field and source), 2 when the file itself is malformed. A procurement cannot open
    with a ruleset that has findings.

    \b
    Example:
      tenderflow policy lint workflows/eligibility/renovation.yaml
      tenderflow policy lint renovation --json
    """
    from tenderflow.app.policy import lint as lint_ruleset
    from tenderflow.app.policy import load as load_ruleset
    from tenderflow.app.policy import ruleset_file

    obj = ctx.find_object(Ctx)
    assert obj is not None
    path = ruleset_file(ruleset)
    findings = lint_ruleset(path)
    data = {"ok": not findings, "ruleset": str(path),
            "findings": [f.to_dict() for f in findings]}
    if not findings:
        rs = load_ruleset(path)
        data.update(id=rs.id, version=rs.version, content_hash=rs.content_hash,
                    rules=len(rs.rules))
        obj.emit(data, f"{path}: ruleset {rs.id} {rs.version} ({len(rs.rules)} rules, "
                       f"sha256 {rs.content_hash}): no findings")
        return
    obj.emit(data, "\n".join(f"✗ {f}" for f in findings))
    click.echo(f"error: {path}: {len(findings)} finding(s) of the fair-competition review "
               "(公平竞争审查); the ruleset cannot be pinned to a procurement", err=True)
    ctx.exit(1)


@policy.command()
@click.option("--out", "out", type=click.Path(path_type=Path), required=True,
              help="Folder to write handbook.html, handbook.pdf and coverage.json into.")
@click.option("--results", type=click.Path(path_type=Path), default=None,
              help="Render from this cucumber JSON report instead of running the features.")
@click.option("--since", default=None, metavar="REV",
              help="Add a chapter of the definitions' changes since this git revision.")
@click.option("--run/--no-run", "run", default=True, show_default=True,
              help="Run the features (--no-run: render with every scenario marked not run).")
@click.option("--against-log", is_flag=True,
              help="In the changes chapter, re-decide the procurements recorded in --db "
                   "under the current definitions (needs --since).")
@click.pass_context
def docs(ctx: click.Context, out: Path, results: Path | None, since: str | None,
         run: bool, against_log: bool) -> None:
    """Write the policy handbook: every feature as a chapter per area and mode, each rule
    with its zh title, legal source and status (P / secondary / unconfirmed), its scenarios
    in Gherkin with the outline tables and a pass / fail mark from this run; the workflow
    diagrams, the coverage table (rules no scenario tags are listed as uncovered) and the
    index of legal sources. The features are run with pytest-bdd (a source checkout with
    tests/ is needed) unless --results gives a report of a run made elsewhere. Exit 1 when a
    scenario failed or was not run or a rule is uncovered (the handbook is written anyway).

    \b
    Example:
      tenderflow policy docs --out handbook
      tenderflow policy docs --out handbook --results features-results.json --since HEAD~10
      tenderflow --db sqlite:///demo-out/tenderflow.db policy docs --out handbook \\
          --since v0.1 --against-log
    """
    from tenderflow.app.handbook import make_handbook
    from tenderflow.i18n import _

    obj = ctx.find_object(Ctx)
    assert obj is not None
    if against_log and since is None:
        from tenderflow.errors import InputError

        raise InputError(_("--against-log compares the changes since a revision"),
                         field="--against-log", expected="--since REV as well")
    book, files = make_handbook(out, results=results, since=since, run=run,
                                store=obj.store() if against_log else None)
    c = book.counts()
    lines = [_("policy handbook: {features} features, {scenarios} scenarios, {rules} rules")
             .format(**c),
             _("  passed {passed}, failed {failed}, not run {not_run}; uncovered rules "
               "{uncovered}").format(**c)]
    lines += [_("  wrote {file}").format(file=f) for f in files]
    obj.emit({"ok": not (c["failed"] or c["not_run"] or c["uncovered"]), "counts": c,
              "files": files, "uncovered": [r.id for r in book.uncovered],
              "run": book.run}, "\n".join(lines))
    if c["failed"] or c["not_run"] or c["uncovered"]:
        click.echo(_("error: {failed} scenario(s) failed, {not_run} not run, {uncovered} "
                     "rule(s) without a scenario: see the handbook").format(**c), err=True)
        ctx.exit(1)


@policy.command()
@click.argument("old")
@click.argument("new")
@click.option("--against-log", is_flag=True,
              help="Re-decide every procurement recorded in --db under NEW.")
@click.pass_context
def diff(ctx: click.Context, old: str, new: str, against_log: bool) -> None:
    """Compare two versions of the parameters, an eligibility ruleset or a mode file (files,
    or REV:path at a git revision): the rules added, removed and changed, with their legal
    sources. With --against-log, every procurement recorded in the database is replayed with
    NEW in place of the definition it pinned, and the steps that would now be refused, or
    decided otherwise, are listed with the rule and its source. Exit 0 when nothing recorded
    would change, 1 when something would (or could not be compared), 2 for bad input.

    \b
    Example:
      tenderflow policy diff HEAD~1:workflows/parameters.yaml workflows/parameters.yaml
      tenderflow --db sqlite:///demo-out/tenderflow.db policy diff \\
          workflows/parameters.yaml my-parameters.yaml --against-log
    """
    from tenderflow.app.policy_diff import against_log as re_decide
    from tenderflow.app.policy_diff import policy_diff
    from tenderflow.i18n import _

    obj = ctx.find_object(Ctx)
    assert obj is not None
    before, after, changes = policy_diff(old, new)
    lines = [_("{kind}: {old} → {new}: {n} rule(s) changed").format(
        kind=after.kind, old=before.label, new=after.label, n=len(changes))]
    labels = {"added": _("added"), "removed": _("removed"), "changed": _("changed")}
    for c in changes:
        status = f", {c.status}" if c.status and c.status != "P" else ""
        lines.append(f"  {labels[c.change]} {c.id} {c.title} ({c.source}{status})")
        lines += [f"      {f}: {o!r} → {n!r}" for f, o, n in c.fields]
    data: dict[str, Any] = {"kind": after.kind, "old": before.label, "new": after.label,
                            "changes": [c.to_dict() for c in changes]}
    code = 0
    if against_log:
        report = re_decide(obj.store(), after)
        data["against_log"] = report.to_dict()
        lines.append(_("against the log ({n} procurements):").format(n=len(report.outcomes)))
        for o in report.outcomes:
            if o.status in ("unchanged", "not_concerned"):
                continue
            step = o.step
            where = f"#{step.stream_seq} {step.trigger or step.type} ({step.occurred_at})" \
                if step else ""
            if o.status == "refused":
                lines.append(_("  {pid}: {step} would now be refused").format(
                    pid=o.procurement, step=where))
                for r in step.refusals if step else []:
                    lines.append(f"      ✗ {r['rule']}: {r['reason']} — {r['source']}")
                if step and not step.refusals:
                    lines.append(f"      ✗ {step.message}")
            elif o.status == "differs":
                lines.append(_("  {pid}: {step} would now be decided otherwise: {why}").format(
                    pid=o.procurement, step=where, why=step.message if step else ""))
            else:
                lines.append(_("  {pid}: not compared: {why}").format(
                    pid=o.procurement, why=o.note))
        unchanged = [o.procurement for o in report.outcomes if o.status == "unchanged"]
        lines.append(_("  unchanged: {ids}").format(ids=", ".join(unchanged) or "—"))
        if report.changed or report.of("not_compared"):
            code = 1
    obj.emit(data, "\n".join(lines))
    ctx.exit(code)
