"""How ``status`` prints a project's owners' vote (民法典 第278条): participation and each
question, by owners and by exclusive area, each with the least figure that meets its threshold
and the margin. The vote is recorded with ``tenderflow fire PROJECT record_vote --data
VOTE.yaml`` (tenderflow.app.owners_vote reads the file)."""

from __future__ import annotations

from typing import Any

from tenderflow.i18n import _

def vote_lines(v: dict[str, Any]) -> list[str]:
    """The vote's result: participation and each question, by owners and by area, each with
    its margin."""
    if "participation" not in v:
        return []
    p = v["participation"]
    lines = [_("owners' vote: {ballots} ballots (民法典 第278条)").format(ballots=v["ballots"]),
             "  " + _("participation: {owners}; {area}").format(
                 owners=measure_text(p["owners"]), area=measure_text(p["area"]))]
    for d in v.get("decisions", []):
        verdict = _("passed") if d["passed"] else _("not passed")
        lines.append("  " + _("{question} ({matter}) {verdict}: {owners}; {area}").format(
            question=d["question"], matter=d["matter"], verdict=verdict,
            owners=measure_text(d["owners"]), area=measure_text(d["area"])))
    return lines


def measure_text(m: dict[str, Any]) -> str:
    relation = ">" if m["more_than"] else "≥"
    unit = " m²" if m["measure"] == "area" else ""
    what = _("owners") if m["measure"] == "owners" else _("area")
    margin = str(m["margin"])
    sign = "+" if not margin.startswith("-") else ""
    return _("{what} {value}{unit} of {base}{unit} (needed {relation} {ratio} = "
             "{required}{unit}, margin {sign}{margin}{unit})").format(
        what=what, value=m["value"], base=m["of"], unit=unit, relation=relation,
        ratio=m["ratio"], required=m["required"], sign=sign, margin=margin)
