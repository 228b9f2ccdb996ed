"""How ``status`` prints a project's owners' vote (民法典 第278条): participation and each
question, by owners and by exclusive area, each with the least figure that meets its threshold
and the margin. The vote is recorded with ``tenderflow fire PROJECT record_vote --data
VOTE.yaml`` (tenderflow.app.owners_vote reads the file)."""

from __future__ import annotations

from typing import Any

from tenderflow.i18n import _, pick

#: 民法典 第278条第1款: the item each owners' matter is, as status names it.
MATTER_LABELS = {
    "majority": ("其他共同决定事项，过半数", "other matters, more than half"),
    "maintenance_funds": ("第六项 筹集维修资金，四分之三", "item 6, raising maintenance funds, 3/4"),
    "rebuild": ("第七项 改建、重建，四分之三", "item 7, rebuilding, 3/4"),
    "common_parts_use": ("第八项 改变共有部分用途或者利用共有部分从事经营活动，四分之三",
                         ("item 8, changing the use of common parts or using them for "
                          "business, 3/4")),
}

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
            question=d["question"], matter=pick(*MATTER_LABELS.get(d["matter"],
                                                                   (d["matter"],) * 2)),
            verdict=verdict,
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
