"""The 合同履行 chapter of ``audit report ID`` (tenderflow.audit.report) when procurement ID has
a contract stream (``contract:ID``, workflows/ppp_contract.yaml): the contract's own hash chain
and replay verdict, its events with their Chinese names, the milestones planned against
achieved (late ones flagged with the days and the reason, open ones past due as overdue on the
contract's last recorded day), the payments and charges with totals by kind, the variations,
the suspensions, and the end — early termination with the compensation's figures, or the
handover with its asset list and condition. Built from the stored events and their fold; no
raw JSON.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tenderflow.audit.report_parts import minute
from tenderflow.domain.money import Money

KINDS = {"government_payment": "政府付费", "user_charge": "使用者付费", "subsidy": "补助资金",
         "penalty": "违约金", "compensation": "补偿", "other": "其他"}
VARIATION_KINDS = {"scope": "范围", "price": "价格", "term": "期限",
                   "revenue_sources": "收入来源", "other": "其他"}
PARTIES = {"government": "政府方", "social_capital": "社会资本方",
           "finance_department": "财政部门", "lender": "贷款人", "other": "其他"}
GROUNDS = {"government_default": "政府方违约", "social_capital_default": "社会资本方违约",
           "force_majeure": "不可抗力", "public_interest": "公共利益需要",
           "mutual_agreement": "双方协商一致"}
CONDITIONS = {"good": "良好", "fair": "一般", "poor": "较差"}
RECOVERY = {"straight_line": "按合作期平均回收", "payments": "按约定种类的已收款项回收"}


def _yuan(value: Any) -> str:
    return Money.parse(str(value)).formatted()


def _milestone_rows(view: dict[str, Any]) -> list[list[str]]:
    words = {"on_time": "按期完成", "open": "未到期"}
    rows = []
    for m in view["milestones"]:
        status = m["status"]
        if status == "late":
            verdict = f"逾期完成（{m['days_late']} 天）"
        elif status == "overdue":
            verdict = f"已逾期 {m['days_late']} 天，未完成"
        else:
            verdict = words.get(status, status)
        note = "；".join(x for x in (str(m.get("late_reason") or ""),
                                     f"付款节点 {_yuan(m['payment'])}" if m.get("payment") else "")
                         if x)
        rows.append([f"{m['id']}　{m['title']}（{m['clause']}）", m["planned"],
                     m.get("achieved_on") or "—", verdict, note or "—"])
    return rows


def _payment_rows(view: dict[str, Any]) -> list[list[str]]:
    rows = [[p["paid_on"], KINDS.get(p["kind"], p["kind"]), p["payer"], p["payee"],
             _yuan(p["amount"])] for p in view["payments"]]
    for kind, total in view["payment_totals"].items():
        rows.append(["合计", KINDS.get(kind, kind), "", "", _yuan(total)])
    return rows


def _variation_rows(state: dict[str, Any]) -> list[list[str]]:
    rows = []
    for v in state.get("variations") or []:
        changes = [x for x in (
            f"价格 {v['price_change']} 元" if v.get("price_change") else "",
            f"期限 {v['term_years_change']:+d} 年" if v.get("term_years_change") else "",
            "新增共有部分经营（业主已重新表决）" if v.get("common_parts_business") else "") if x]
        approvals = "；".join(f"{PARTIES.get(a['party'], a['party'])} {a['body']}"
                             f"（{a['reference']}，{a['date']}）" for a in v["approvals"])
        rows.append([(f"{v['id']}（{VARIATION_KINDS.get(v['kind'], v['kind'])}），记录于 "
                     f"{minute(v['at'])}"),
                     v["reason"] + (f"：{v['description']}" if v.get("description") else ""),
                     "；".join(changes) or "—", approvals])
    return rows


def _suspension_rows(state: dict[str, Any]) -> list[list[str]]:
    return [[minute(s["at"]), minute(s.get("resumed_at")) if s.get("resumed_at")
             else "尚未恢复", s["clause"], s["reason"]] for s in state.get("suspensions") or []]


def _termination_body(t: dict[str, Any]) -> list[Any]:
    body: list[Any] = [(f"{minute(t['at'])} 提前终止（{GROUNDS.get(t['ground'], t['ground'])}，"
                       f"依据{t['clause']}）：{t['reason']}。")]
    b = t.get("breakdown")
    if not b:
        return body + ["终止时未按合同公式计算补偿（本记录早于补偿公式的实施）。"]
    rows = [["合作期", f"自 {b['term_start']} 起 {b['term_years']} 年"],
            ["已履行 / 剩余合作期", f"{b['elapsed_years']} 年 / {b['remaining_years']} 年"],
            ["经审计确认的投资额", _yuan(b["audited_investment"])],
            [f"已回收投资（{RECOVERY.get(b['recovery'], b['recovery'])}）", _yuan(b["recovered"])],
            ["未回收投资", _yuan(b["unrecovered"])]]
    if "reasonable_return" in b:
        rows.append([f"剩余合作期合理利润（年利润率 {b['return_rate_percent']}%）",
                     _yuan(b["reasonable_return"])])
    if "deductions" in b:
        rows.append(["扣除违约损失", _yuan(b["deductions"])])
    if "share_percent" in b:
        rows.append(["约定补偿比例", f"{b['share_percent']}%"])
    rows += [["按公式计算", _yuan(b["before_cap"])], ["约定补偿上限", _yuan(b["cap"])],
             ["应付补偿" + ("（以上限为准）" if b["capped"] else ""), _yuan(b["compensation"])]]
    return body + [("补偿按合同约定的提前终止补偿公式，由已记录的补偿条款、经审计确认的投资额、"
                    "付款和终止日期计算，各项数字如下："),
                   {"table": {"columns": ["项目", "数额"], "rows": rows}}]


def _handover_body(h: dict[str, Any]) -> list[Any]:
    return [f"{minute(h['at'])} 期满移交，移交日期 {h['handed_over_on']}，接收方：{h['receiver']}。",
            {"table": {"columns": ["移交资产", "状况", "说明"],
                       "rows": [[a["name"], CONDITIONS.get(a["condition"], a["condition"]),
                                 a.get("note") or "—"] for a in h["assets"]]}}]


def contract_sections(tx: Any, procurement: str, pinned: Any, labels_for: Any
                      ) -> tuple[list[dict[str, Any]], list[str], list[str]]:
    """The 合同履行 sections of procurement ``procurement``'s contract stream (none if it has
    no contract), and the problems its chain check and its replay found. ``labels_for(events)``
    gives the report's Labels of the stream's pinned workflow (tenderflow.audit.report)."""
    from tenderflow.audit.reading import events_of
    from tenderflow.audit.replay import replay_stream
    from tenderflow.audit.report_parts import (
        event_row,
        stream_verification,
        verification_lines,
    )
    from tenderflow.domain.modes.ppp_contract.milestones import milestone_view
    from tenderflow.domain.state import empty_state, fold

    stream = f"contract:{procurement}"
    if not tx.head(stream)[0]:
        return [], [], []
    events = list(events_of(tx, stream))
    chain = stream_verification(tx, stream)
    replayed = replay_stream(tx, procurement, pinned, kind="contract")
    labels = labels_for(events)
    state = empty_state(procurement)
    for ev in events:
        state = fold(state, ev.type, ev.payload, ev.occurred_at, ev.stream_seq)
    last_day = date.fromisoformat(events[-1].occurred_at[:10])
    view = milestone_view(state, last_day)
    late = [m for m in view["milestones"] if m["status"] in ("late", "overdue")]
    summary = (f"合同流 {stream}：当前状态 {labels.state(state.get('state'))}；共 {len(events)} "
               f"个事件，{minute(events[0].occurred_at)} 至 {minute(events[-1].occurred_at)}"
               f"（北京时间）。里程碑 {len(view['milestones'])} 个，其中逾期 {len(late)} 个"
               + (f"（{'、'.join(m['id'] for m in late)}）" if late else "") +
               f"；付款和收费 {len(view['payments'])} 笔；合同变更 "
               f"{len(state.get('variations') or [])} 项；暂停 "
               f"{len(state.get('suspensions') or [])} 次。")
    sections: list[dict[str, Any]] = [
        {"heading": "合同履行：概况、核验与事件一览", "body": [
            summary, verification_lines(chain, replayed), {"table": {
                "columns": ["序号　事件", "业务时间", "状态", "操作人", "规则核验"],
                "rows": [event_row(ev, labels) for ev in events]}}]},
    ]
    if view["milestones"]:
        sections.append({"heading": f"合同履行：里程碑（计划与实际，状态截至 {last_day.isoformat()}）",
                         "body": [{"table": {
                             "columns": ["里程碑（合同条款）", "计划日期", "实际完成", "状态",
                                         "说明"], "rows": _milestone_rows(view)}}]})
    if view["payments"]:
        sections.append({"heading": "合同履行：付款与收费", "body": [{"table": {
            "columns": ["日期", "类别", "付款方", "收款方", "金额"],
            "rows": _payment_rows(view)}}]})
    if state.get("variations"):
        sections.append({"heading": "合同履行：合同变更", "body": [{"table": {
            "columns": ["变更（类别，记录时间）", "原因", "变动", "批准"],
            "rows": _variation_rows(state)}}]})
    if state.get("suspensions"):
        sections.append({"heading": "合同履行：暂停与恢复", "body": [{"table": {
            "columns": ["暂停时间", "恢复时间", "合同条款", "原因"],
            "rows": _suspension_rows(state)}}]})
    if state.get("termination"):
        sections.append({"heading": "合同履行：提前终止与补偿",
                         "body": _termination_body(state["termination"])})
    if state.get("handover"):
        sections.append({"heading": "合同履行：期满移交", "body": _handover_body(state["handover"])})
    problems = [f"{stream} replay: {replayed.violation.text}"] if replayed.violation else []
    problems += [f"{stream} projection: {p}" for p in replayed.projection]
    return sections, [f"{stream}: {p}" for p in chain], problems

