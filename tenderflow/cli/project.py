"""What ``status`` prints of a project's intake (workflows/project.yaml): its record in brief,
the coordination parties (agreed, objecting, missing), the consultation, vote, filing, funding
and intention, and what is pending. The data is tenderflow.app.project.project_status_view."""

from __future__ import annotations

from typing import Any

from tenderflow.i18n import N_, _, pick

# the project's record in brief: field -> its words
FACTS = {"community": N_("community {value}"), "district": N_("district {value}"),
         "built_year": N_("built in {value}"), "households": N_("{value} households"),
         "floor_area": N_("floor area {value} m²")}


def project_status_text(s: dict[str, Any], lang: str) -> str:
    p = s["project"]
    lines = [
        f"{s['id']}  {s['mode_title'][lang]}  —  {p.get('name', p['id'])}",
        _("state: {state} ({label}), version {version}").format(
            state=s["state"], label=s["state_label"][lang], version=s["version"]),
    ]
    facts = [_(FACTS[k]).format(value=p[k]) for k in FACTS if k in p]
    if facts:
        lines.append("  " + ", ".join(facts))
    lines += coordination_lines(s["coordination"])
    if s.get("consultation"):
        meetings = s["consultation"]["meetings"]
        lines.append(_("consulted: {n} meeting(s), {people} participants").format(
            n=len(meetings), people=sum(m["participants"] for m in meetings)))
    if s.get("vote"):
        from tenderflow.cli.vote import vote_lines

        lines += vote_lines(s["vote"])
    if s.get("filing"):
        f = s["filing"]
        lines.append(_("filed: {number} by {authority} ({at})").format(
            number=f["number"], authority=f["authority"], at=f["at"]))
    if s.get("funding"):
        lines.append(_("funded ({at})").format(at=s["funding"]["at"]))
    if s.get("intention"):
        i = s["intention"]
        lines.append(_("procurement intention published {date} on {channel}").format(
            date=i["published_on"], channel=i["channel"]))
    if s.get("returns"):
        lines += returns_lines(s["returns"])
    if s.get("ended"):
        lines.append(_("withdrawn: {reason}").format(reason=s["ended"]["reason"]))
    lines += pending_lines(s["pending"])
    return "\n".join(lines)


def pending_lines(pending: dict[str, Any]) -> list[str]:
    """The triggers ready now and those waiting (an intake's or a contract's status)."""
    if not (pending["ready"] or pending["waiting"]):
        return []
    return [_("ready: {ready}; waiting: {waiting}").format(
        ready=", ".join(pending["ready"]) or "-", waiting=", ".join(pending["waiting"]) or "-")]


def coordination_lines(c: dict[str, Any]) -> list[str]:
    """The coordination sign-offs (tenderflow.domain.components.signoffs.signoff_view): who
    is required, who agreed (who signed and when), who objects and why, who is missing."""

    def label(party: str) -> str:
        names = c["labels"].get(party) or {}
        return f"{party} ({pick(names.get('zh', party), names.get('en', party))})"

    lines = [_("coordination parties required: {parties}").format(
        parties=", ".join(label(x) for x in c["required"]))]
    for party, who in c["agreed"].items():
        lines.append("  " + _("agreed: {party} — {organisation}, {signatory}, {at}").format(
            party=label(party), **who))
    for party, why in c["objecting"].items():
        lines.append("  " + _("objects: {party} — {reason}").format(party=label(party),
                                                                   reason=why))
    if c["missing"]:
        lines.append("  " + _("missing: {parties}").format(
            parties=", ".join(label(x) for x in c["missing"])))
    return lines


def returns_lines(r: dict[str, Any]) -> list[str]:
    """The return model's headline figures (tenderflow.domain.finance), amounts with
    separators."""
    if "error" in r:
        return [_("return model not computed: {error}").format(error=r["error"])]
    f = r["figures"]

    def years(value: str) -> str:
        return _("{n} years").format(n=value) if value[:1].isdigit() else \
            _("not within the plan")

    lines = [_("returns over {years} years on {investment} yuan invested: payback {payback}, "
               "IRR {irr}").format(
        years=len(r["years"]), investment=_amount(r["investment"]),
        payback=years(f["payback_years"]),
        irr=f"{f['irr_percent']}%" if f["irr_percent"] != "—" else _("none"))]
    if f["npv"] != "—":
        lines.append("  " + _("NPV at {rate}%: {npv} yuan; discounted payback {payback}")
                     .format(rate=f["discount_rate_percent"], npv=_amount(f["npv"]),
                             payback=years(f["discounted_payback_years"])))
    if r.get("loan"):
        loan = r["loan"]
        lines.append("  " + _("loan {amount} yuan over {years} years ({grace} of grace): "
                              "DSCR min {min}, average {average}").format(
            amount=_amount(loan["amount"]), years=loan["years"], grace=loan["grace_years"],
            min=f["min_dscr"], average=f["average_dscr"]))
    return lines


def _amount(text: str) -> str:
    from decimal import Decimal

    return f"{Decimal(text):,.2f}"
