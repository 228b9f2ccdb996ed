"""``tenderflow eligibility check|show|report``: every rule of the pinned ruleset for every
candidate, recorded as an event, shown as a table and written as a PDF report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from tenderflow.cli import Ctx
from tenderflow.cli.help import Group
from tenderflow.cli.text import cell
from tenderflow.i18n import _

pass_ctx = click.make_pass_decorator(Ctx)

VERDICT = {"zh": {"pass": "通过", "fail": "不通过", "warn": "警告", "not_applicable": "不适用",
                  "not_checked": "未核查"},
           "en": {"pass": "pass", "fail": "FAIL", "warn": "warn", "not_applicable": "n/a",
                  "not_checked": "NOT CHECKED"}}
MARK = {"pass": "✓", "fail": "✗", "warn": "!", "not_applicable": "·", "not_checked": "?"}
WIDTHS = (40, 8, 34, 40)  # rule, verdict, value, threshold; the source takes the rest


@click.group(cls=Group)
def eligibility() -> None:
    """Supplier eligibility (准入): check candidates against the ruleset pinned when the
    procurement opened, see the recorded result, write the report."""




def table(report: dict[str, Any], lang: str) -> str:
    """The recorded check as text: a heading, then per candidate every rule with its verdict,
    the value seen, the threshold and the source (reasons under failed or warned rules)."""
    from tenderflow.app.eligibility import value_text

    rs, ev = report["ruleset"], report["event"]
    lines = [_("{procurement}: eligibility check of {at} under ruleset {ruleset} {version} "
               "({hash}…), recorded as {event} #{seq} by {actor}").format(
        procurement=report["procurement"], at=report["at"], ruleset=rs["id"],
        version=rs["version"], hash=rs["content_hash"][:12], event=ev["type"],
        seq=ev["stream_seq"], actor=ev["actor"])]
    imports = report["inputs"].get("credit_imports")
    if imports is not None:  # the credit lists read, each with its date (fail closed)
        from tenderflow.app.eligibility import CREDIT_LISTS

        lines += ["  " + _("credit list {name}: ").format(name=name) + (
            _("as of {as_of}, imported {imported_at} ({file})").format(**imports[name])
            if name in imports else
            _("NOT IMPORTED - its rule is not checked (tenderflow credit import FILE --as-of "
              "DATE --list {name})").format(name=name)) for name in CREDIT_LISTS]
    head = "  " + "".join(cell(h, w) + " " for h, w in zip(
        (_("rule"), _("verdict"), _("value seen"), _("threshold")), WIDTHS)) + _("source")
    for c in report["candidates"]:
        verdict = _("eligible") if c["eligible"] else _("NOT eligible")
        kind = " " + _("[consortium]") if c["consortium"] else ""
        lines += ["", f"{c['candidate']} {c['name']}{kind}: {verdict}", head]
        for o in c["outcomes"]:
            cells = (f"{MARK[o['verdict']]} {o['rule']}", VERDICT[lang][o["verdict"]],
                     value_text(o["value"]), value_text(o["threshold"]))
            status = "" if o["status"] == "P" else f" ({o['status']})"
            lines.append("  " + "".join(cell(t, w) + " " for t, w in zip(cells, WIDTHS))
                         + o["source"] + status)
            if o["verdict"] in ("fail", "warn", "not_checked"):
                lines.append(f"      → {o['reason']}")
    return "\n".join(lines)


def _emit(obj: Ctx, report: dict[str, Any], pdf: Path | None) -> None:
    from tenderflow.app.eligibility import write_report

    data: dict[str, Any] = {"ok": True, **report}
    text = table(report, obj.lang)
    if pdf is not None:
        digest = write_report(pdf, report)
        data["report"] = {"file": str(pdf), "sha256": digest}
        text += "\n\n" + _("report: {file} (sha256 {digest})").format(file=pdf, digest=digest)
    obj.emit(data, text)


@eligibility.command()
@click.argument("procurement_id")
@click.argument("supplier", required=False)
@click.option("--candidate", "candidates", multiple=True, metavar="ID",
              help="A supplier or consortium to check (repeat); suppliers already invited or "
                   "bidding are always included.")
@click.option("--at", "at", help="Business time of the check (ISO 8601; default now).")
@click.option("--note", help="A note recorded with the check.")
@click.option("--report", "report_file", type=click.Path(path_type=Path),
              help="Also write the eligibility report PDF to this file.")
@pass_ctx
def check(obj: Ctx, procurement_id: str, supplier: str | None, candidates: tuple[str, ...],
          at: str | None, note: str | None, report_file: Path | None) -> None:
    """Check every candidate against the procurement's pinned ruleset and the recorded credit
    lists at the business time, and record the result (EligibilityChecked).

    The candidates are checked together - the relation rules (same legal representative,
    control links, a consortium member also bidding) compare them with each other. SUPPLIER
    is checked with the others and is the only one shown. A disqualified candidate is then
    refused when invited or bidding. Exit 0 when the check is recorded, whatever the verdicts.

    \b
    Example:
      tenderflow --as staff:wang eligibility check CN-2023-001 --candidate S-CDJG \\
          --candidate S-HXJS --candidate S-SLGC --at 2023-03-03T09:00+08:00
      tenderflow eligibility check CN-2023-001 S-HXJS --report eligibility.pdf
    """
    from tenderflow.app.eligibility import check as run_check
    from tenderflow.app.eligibility import only
    from tenderflow.cli.procurement import actor_of, parse_at

    names = [*candidates, *([supplier] if supplier else [])]
    report = run_check(obj.services(), procurement_id, names, actor_of(obj), parse_at(at), note)
    _emit(obj, only(report, supplier), report_file)


@eligibility.command()
@click.argument("procurement_id")
@click.argument("supplier", required=False)
@pass_ctx
def show(obj: Ctx, procurement_id: str, supplier: str | None) -> None:
    """The latest recorded eligibility check of a procurement (records nothing).

    \b
    Example:
      tenderflow eligibility show CN-2023-001 S-HXJS --json
    """
    from tenderflow.app.eligibility import only, recorded

    _emit(obj, only(recorded(obj.services(), procurement_id), supplier), None)


@eligibility.command()
@click.argument("procurement_id")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="The PDF file to write.")
@pass_ctx
def report(obj: Ctx, procurement_id: str, out: Path) -> None:
    """Write the eligibility report PDF of the latest recorded check: the basis (ruleset hash,
    credit lists), the verdicts, and every rule for every candidate with the value seen, the
    threshold and the legal source. The same check gives the same bytes.

    \b
    Example:
      tenderflow eligibility report CN-2023-001 --out eligibility-report.pdf
    """
    from tenderflow.app.eligibility import recorded, write_report

    rec = recorded(obj.services(), procurement_id)
    digest = write_report(out, rec)
    obj.emit({"ok": True, "procurement": procurement_id, "file": str(out), "sha256": digest,
              "event": rec["event"]},
             _("{file}: eligibility report of {procurement} ({at}, event #{seq}), sha256 "
               "{digest}").format(file=out, procurement=procurement_id, at=rec["at"],
                                  seq=rec["event"]["stream_seq"], digest=digest))
