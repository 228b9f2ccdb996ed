"""``tenderflow policy lint RULESET``: the fair-competition review (公平竞争审查) of an
eligibility ruleset."""

from __future__ import annotations

import click

from tenderflow.cli import Ctx
from tenderflow.cli.help import Group
from tenderflow.i18n import _

pass_ctx = click.make_pass_decorator(Ctx)


@click.group(cls=Group)
def policy() -> None:
    """Policy as data: review eligibility rulesets before they are used."""


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
        obj.emit(data, _("{file}: ruleset {id} {version} ({n} rules, sha256 {digest}): no "
                         "findings").format(file=path, id=rs.id, version=rs.version,
                                            n=len(rs.rules), digest=rs.content_hash))
        return
    obj.emit(data, "\n".join(f"✗ {f}" for f in findings))
    click.echo(_("error: {message}").format(message=_(
        "{file}: {n} finding(s) of the fair-competition review (公平竞争审查); the ruleset "
        "cannot be pinned to a procurement").format(file=path, n=len(findings))), err=True)
    ctx.exit(1)
