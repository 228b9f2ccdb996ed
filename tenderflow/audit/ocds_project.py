"""The planning stage of a renovation project as OCDS for PPPs releases (``audit export
--format ocds``), beside the procurements' processes of :mod:`tenderflow.audit.ocds`.

A project is its own contracting process (``ocid`` = prefix + ``project-`` + project id). Its
accepted ``fund`` step (the funding plan that passed the funding and PPP checks) publishes one
``planning`` release — a whitelist of what becomes public:

* ``planning.budget``: the investment (the sum of the scope items' costs), the funding plan in
  words, and each funding source as a financing arrangement (``budget.finance``, PPP profile:
  type, asset class, financing party type where the closed codelists have one), guarantees
  included;
* ``planning.project``: id, title, the community's place, the total value, sector (COFOG 06.2
  Community development), and the scope items by 基础类 / 完善类 / 提升类 as
  ``additionalClassifications``;
* ``planning.rationale``: the cooperation terms in words (payment, form, term, fiscal years);
* ``contracts[0]``, status ``pending``: the planned PPP agreement's ``riskAllocation`` (PPP
  profile: category from the open riskCategory codelist, allocation publicAuthority |
  privateParty | undefined) and ``financeSummary.shareCapital`` (the social capital's equity);
  its ``awardID`` names the award the project's procurement is to make. Only for a PPP.

Nothing else of the project record (the residents' ballots, sign-offs) is read.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tenderflow.audit.ocds_values import money

SECTOR = {"scheme": "COFOG", "id": "06.2", "description": "Community development"}
CATEGORY_SCHEME = "tenderflow-renovation-category"  # 国办发〔2020〕23号 work categories

#: funding source -> (title, finance type, asset class, financing party type)
FINANCE: dict[str, tuple[str, str | None, str | None, str | None]] = {
    "residents": ("居民出资", "grant", None, "other"),
    "maintenance_funds": ("住宅专项维修资金", "grant", None, "other"),
    "central_subsidy": ("中央补助资金", "grant", None, None),
    "local_budget": ("地方财政资金", "grant", None, None),
    "special_bonds": ("地方政府专项债券", "bond", "debt", None),
    "bank_loans": ("银行贷款", "loan", "debt", "commercial"),
    "social_capital": ("社会资本", "shares.unlisted", "equity", "commercial"),
    "facility_income": ("设施有偿使用收入", None, None, "other"),
    "contractor_advance": ("施工单位垫资", "loan", "debt", "vendor"),
}
PAYMENT_WORDS = {"user_pay": "使用者付费", "viability_gap": "可行性缺口补助",
                 "government_pay": "政府付费"}
FORM_WORDS = {"concession": "特许经营", "other": "其他政府和社会资本合作"}
RISK_ALLOCATIONS = ("publicAuthority", "privateParty", "undefined")


def _lines(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The plan's source lines with an amount above zero."""
    return [s for s in data.get("sources") or () if isinstance(s, dict)
            and (money(s.get("amount")) or {}).get("amount")]


def _finance(pid: str, lines: list[dict[str, Any]], guarantees: list[Any]
             ) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, line in enumerate(lines):
        key = str(line.get("kind"))
        title, kind, asset, party = FINANCE.get(key, (key, None, None, None))
        entry: dict[str, Any] = {"id": f"{pid}-{i + 1}-{key}", "title": title,
                                 "value": money(line["amount"]),
                                 "source": str(line.get("party") or title)}
        if line.get("note"):
            entry["description"] = str(line["note"])
        if kind:
            entry["type"] = kind
        if asset:
            entry["assetClass"] = [asset]
        if party:
            entry["financingPartyType"] = party
        out.append(entry)
    for i, g in enumerate(guarantees):
        if not isinstance(g, dict):
            continue
        entry = {"id": f"{pid}-guarantee-{i + 1}", "type": "guarantee",
                 "title": f"{g.get('guarantor', '')}担保".strip() or "担保",
                 "description": f"为{FINANCE.get(str(g.get('debtor')), (g.get('debtor'),))[0]}"
                                f"的债务提供担保"}
        value = money(g.get("amount"))
        if value:
            entry["value"] = value
        out.append(entry)
    return out


def _rationale(terms: dict[str, Any]) -> str | None:
    if not terms:
        return None
    parts = []
    if terms.get("form") in FORM_WORDS:
        parts.append(f"合作方式：{FORM_WORDS[terms['form']]}")
    if terms.get("payment") in PAYMENT_WORDS:
        parts.append(f"回报机制：{PAYMENT_WORDS[terms['payment']]}")
    if terms.get("concession_years"):
        parts.append(f"合作期限：{terms['concession_years']}年")
    if terms.get("private_stake") is not None:
        stake = (Decimal(str(terms["private_stake"])) * 100).quantize(Decimal("0.01"))
        parts.append(f"民营企业股权占比：{stake}%")
    spend = [f"{e['year']}年{e['amount']}元" for e in terms.get("fiscal_expenditure") or ()
             if isinstance(e, dict)]
    parts.append("财政支出责任：" + ("、".join(spend) if spend else "无"))
    return "；".join(parts)


def planning_release(prefix: str, project: dict[str, Any], data: dict[str, Any],
                     investment: str, release_id: str, date: str) -> dict[str, Any]:
    """The planning release of a project whose funding plan ``data`` was accepted."""
    pid = str(project.get("id", ""))
    title = str(project.get("name") or project.get("community") or pid)
    total = money(investment)
    lines = _lines(data)
    finance = _finance(pid, lines, list(data.get("guarantees") or ()))
    words = "、".join(f"{FINANCE.get(str(s.get('kind')), (s.get('kind'),))[0]}{s['amount']}元"
                     for s in lines)
    budget: dict[str, Any] = {"id": pid, "projectID": pid, "project": title,
                              "description": f"资金计划：{words}" if words else "资金计划"}
    if total:
        budget["amount"] = total
    if finance:
        budget["finance"] = finance
    ppp_project: dict[str, Any] = {"id": pid, "title": title, "sector": dict(SECTOR)}
    if total:
        ppp_project["totalValue"] = total
    place = "".join(str(project[k]) for k in ("city", "district", "community") if project.get(k))
    if place:
        ppp_project["locations"] = [{"description": place}]
    scope = [s for s in project.get("scope") or () if isinstance(s, dict)]
    if scope:
        ppp_project["description"] = "改造内容：" + "；".join(
            f"{s.get('item')}（{s.get('category')}，{s.get('cost')}元）" for s in scope)
        ppp_project["additionalClassifications"] = [
            {"scheme": CATEGORY_SCHEME, "id": c, "description": c}
            for c in dict.fromkeys(str(s.get("category")) for s in scope if s.get("category"))]
    planning: dict[str, Any] = {"budget": budget, "project": ppp_project}
    given = data.get("ppp")
    terms: dict[str, Any] = given if isinstance(given, dict) else {}
    rationale = _rationale(terms)
    if rationale:
        planning["rationale"] = rationale
    agency = project.get("implementing_agency") or project.get("purchaser")
    name = agency.get("name") if isinstance(agency, dict) else None
    buyer = {"id": f"purchaser:{pid}", "name": str(name or "实施机构")}
    release: dict[str, Any] = {
        "ocid": f"{prefix}-project-{pid}", "id": release_id, "date": date, "tag": ["planning"],
        "initiationType": "tender", "language": "zh",
        "parties": [{**buyer, "roles": ["buyer", "procuringEntity"]}], "buyer": buyer,
        "planning": planning, "tender": {"id": f"project-{pid}", "title": title,
                                         "status": "planning"},
    }
    if terms:
        contract: dict[str, Any] = {"id": f"{pid}-ppp-agreement", "awardID": f"{pid}-ppp-award",
                                    "status": "pending", "title": f"{title} PPP项目合同（拟）"}
        risks = [{"id": str(i + 1), "category": str(r.get("category")),
                  "allocation": r.get("allocation") if r.get("allocation") in RISK_ALLOCATIONS
                  else "undefined", **({"notes": str(r["notes"])} if r.get("notes") else {})}
                 for i, r in enumerate(terms.get("risks") or ()) if isinstance(r, dict)]
        if risks:
            contract["riskAllocation"] = risks
        capital = sum((Decimal(str(s["amount"])) for s in lines
                       if s.get("kind") == "social_capital"), Decimal(0))
        if capital:
            contract["financeSummary"] = {"shareCapital": money(capital),
                                          "shareCapitalDetails": "社会资本出资"}
        release["contracts"] = [contract]
    return release



INTAKE_PREFIX = "intake:"
STARTED, FUNDED = "ProjectIntakeStarted", "ProjectFunded"
#: The intake's event types that publish (the rest are internal to the project's record:
#: the residents' consultation and vote, the parties' sign-offs, the filing, the intention).
PUBLISHES_PROJECT = frozenset({FUNDED})
INTERNAL_PROJECT = frozenset({
    STARTED, "ProjectConsulted", "ResidentsVoteRecorded", "CoordinationSignedOff",
    "ProjectFiled", "ProcurementIntentionPublished", "ProjectMadeReady", "ProjectWithdrawn"})


def project_ids(tx: Any) -> list[str]:
    """The projects with an intake stream."""
    return [sid[len(INTAKE_PREFIX):] for sid in tx.stream_ids(INTAKE_PREFIX)]


def project_releases(tx: Any, project_id: str, prefix: str) -> list[dict[str, Any]]:
    """The planning release of each accepted ``fund`` step of a project's intake (the record
    as the intake copied it when it started)."""
    from tenderflow.audit.reading import events_of
    from tenderflow.domain.components.funding import project_investment
    from tenderflow.errors import InputError

    project: dict[str, Any] = {}
    out: list[dict[str, Any]] = []
    for ev in events_of(tx, f"{INTAKE_PREFIX}{project_id}"):
        payload = ev.payload if isinstance(ev.payload, dict) else {}
        if ev.type == STARTED and isinstance(payload.get("project"), dict):
            project = payload["project"]
        elif ev.type == FUNDED and isinstance(payload.get("data"), dict):
            try:
                investment = str(project_investment(project))
            except InputError:
                investment = ""
            out.append(planning_release(prefix, project, payload["data"], investment,
                                        f"project-{project_id}-{ev.stream_seq:04d}",
                                        ev.occurred_at))
    return out
