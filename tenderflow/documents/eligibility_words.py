"""The eligibility report's words: each recorded rule outcome stated in Chinese — the standard
with its legal source, the facts seen, the conclusion — for a reader, not a debugger.

The outcome is read as the ``EligibilityChecked`` event recorded it (tenderflow.domain.
eligibility: ``rule``, ``title_zh``, ``verdict``, ``value``, ``threshold``, ``reason``,
``source``, ``status``). The built-in checks record their standard as an English sentence with
the figures it applied (the ratio, the investment, the window's dates, the list's date); those
figures are taken from that recorded sentence, so the report states what was applied, not what
the ruleset says today. An outcome of a shape not known here is stated from its title and the
values seen, never as raw JSON.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

VERDICT_ZH = {"pass": "通过", "fail": "未通过", "warn": "警告（不影响资格）",
              "not_applicable": "不适用", "not_checked": "未核查（不等于通过）"}
STATUS_ZH = {"P": "", "secondary": "，该依据转引自二手资料，原文待核对",
             "unconfirmed": "，该依据尚未核实"}
RECORD_KINDS = {"criminal_penalty": "刑事处罚", "suspension": "责令停产停业",
                "licence_revocation": "吊销许可证或者执照", "large_fine": "较大数额罚款",
                "fine": "罚款", "debarment": "禁止参加政府采购活动", "warning": "警告"}


def amount_words(value: Any) -> str:
    """40000000.00 → "4,000 万元"; 1234567.89 → "1,234,567.89 元" (whole 万元 when exact)."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if amount % 100 == 0:
        wan = amount / 10000
        text = f"{wan:,.2f}".rstrip("0").rstrip(".")
        return f"{text} 万元"
    return f"{amount:,.2f} 元"


def percent_words(ratio: str) -> str:
    """"0.20" → "20%"."""
    try:
        pct = Decimal(ratio) * 100
    except (InvalidOperation, ValueError):
        return ratio
    return f"{pct.normalize():f}%"


def status_words(status: str | None) -> str:
    return STATUS_ZH.get(status or "", f"，依据状态：{status}")


def source_words(outcome: Mapping[str, Any]) -> str:
    """The legal source in Chinese punctuation with its status in words."""
    source = "；".join(s.strip() for s in str(outcome.get("source") or "—").split(";"))
    return source + status_words(outcome.get("status"))


def _yes(value: Any) -> str:
    return "未申报" if value is None else plain(value)


def plain(value: Any) -> str:
    """Any recorded value as words: lists joined with 、, mappings as 名：值, no braces."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Mapping):
        return "；".join(f"{k}：{plain(v)}" for k, v in value.items()) or "无"
    if isinstance(value, (list, tuple)):
        return "、".join(plain(v) for v in value) or "无"
    return str(value)


# ---------------------------------------------------------------------------- the checks

_RECORD = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\w+)(?: ([\d.]+) yuan)?(?: until (\d{4}-\d{2}-\d{2}))?"
                     r" \((.*?): (.*)\)(?: - (.*))?$")


def record_words(text: str) -> str:
    """One administrative or criminal record as the check recorded it, in Chinese."""
    m = _RECORD.match(text)
    if not m:
        return text
    day, kind, amount, until, authority, description, note = m.groups()
    out = f"{day} {authority}{RECORD_KINDS.get(kind, kind)}"
    if amount:
        out += f" {amount_words(amount)}"
    if until:
        out += f"（至 {until}）"
    out += f"：{description}"
    if note:
        before = re.match(r"before (\S+)", note)
        out += ("，禁止期限未满" if note == "debarment in force" else
                "，禁止期限已满" if note == "debarment expired" else
                "，不属于重大违法记录" if note == "not a major illegal record" else
                f"，早于 {before.group(1)}，在审查期限之外" if before else f"（{note}）")
    return out


def _major_record(o: Mapping[str, Any], m: re.Match[str]) -> tuple[str, str]:
    start, at, years, _in_force = m.groups()
    standard = (f"{start} 至 {at}（{years} 年内）在经营活动中没有重大违法记录，即未受刑事处罚、"
                f"责令停产停业、吊销许可证或者执照、较大数额罚款等行政处罚；{at} 不在禁止参加"
                f"政府采购活动的期限内")
    value = o.get("value") or {}
    blocking = [record_words(r) for r in value.get("blocking", ())]
    other = [record_words(r) for r in value.get("disregarded", ())]
    facts = []
    if blocking:
        facts.append("重大违法记录：" + "；".join(blocking))
    if other:
        facts.append("其他记录（不构成障碍）：" + "；".join(other))
    return standard, "。".join(facts) or "未见行政处罚、刑事处罚或禁止参加政府采购活动的记录"


def _credit(o: Mapping[str, Any], m: re.Match[str]) -> tuple[str, str]:
    name, at, as_of, imported = m.groups()
    standard = f"{at} 未被列入“{name}”名单"
    if as_of:
        standard += f"；查询所用名单截至 {as_of}，于 {_minute(imported)} 导入"
    value = o.get("value")
    if o.get("verdict") == "not_checked":
        imported_list = value.get("imported") if isinstance(value, Mapping) else None
        facts = (f"该名单截至 {imported_list['as_of']}，已超过允许的时效，未核查；请导入最新名单"
                 if imported_list else "该名单未导入，未核查；请先导入名单")
        return standard, facts
    if isinstance(value, list) and value:
        return standard, "；".join(
            f"已被列入：{h.get('name') or ''}（{h.get('uscc')}），列入日期 {h.get('listed_on')}"
            + (f"，移出日期 {h['removed_on']}" if h.get("removed_on") else "")
            + f"，来源：{h.get('source')}" for h in value if isinstance(h, Mapping))
    return standard, f"在“{name}”名单中未查到该供应商"


def _qualification(o: Mapping[str, Any], m: re.Match[str]) -> tuple[str, str]:
    qtype, grade, at, _origin = m.groups()
    standard = f"持有{qtype}{grade}及以上资质，{at} 在有效期内，且在资质等级许可范围内承揽工程"
    value = o.get("value")
    if isinstance(value, str):
        return standard, f"持有有效的{value}资质"
    held = "、".join(str(v) for v in value or ())
    return standard, (f"未持有有效的{qtype}资质" + (f"（所持资质：{held}）" if held else ""))


def _consortium_grade(o: Mapping[str, Any], m: re.Match[str]) -> tuple[str, str]:
    qtype, grade, _origin = m.groups()
    standard = f"联合体按同一专业资质等级较低的成员确定资质等级，应为{qtype}{grade}及以上"
    value = o.get("value") or {}
    members = value.get("members") or {}
    if not members:
        return standard, f"联合体各方均未持有有效的{qtype}资质"
    return standard, ("各成员资质等级：" + "、".join(f"{k} {v}" for k, v in members.items())
                      + f"；联合体按{value.get('consortium_grade')}确定")


def _finance(o: Mapping[str, Any], m: re.Match[str]) -> tuple[str, str]:
    ratio, investment, needed = m.groups()
    pct = percent_words(ratio)
    standard = (f"净资产不低于项目投资额的 {pct}（投资额 {amount_words(investment)}，"
                f"即 {amount_words(needed)}）")
    value = o.get("value")
    if isinstance(value, Mapping) and "members" in value:
        parts = "、".join(f"{k} {amount_words(v) if v else '未申报'}"
                         for k, v in value["members"].items())
        total = value.get("total")
        if total is None:
            return standard, f"联合体成员净资产：{parts}；有成员未申报净资产"
        seen = f"联合体各方净资产合计 {amount_words(total)}（{parts}）"
    elif isinstance(value, Mapping):  # a consortium with a member whose net assets are missing
        return standard, "净资产未申报：" + "、".join(k for k, v in value.items() if v is None)
    elif value is None:
        return standard, "净资产未申报"
    else:
        total, seen = value, f"净资产 {amount_words(value)}"
    try:
        enough = Decimal(str(total)) >= Decimal(needed)
    except (InvalidOperation, ValueError):
        return standard, seen
    relation = "不低于" if enough else "低于"
    return standard, f"{seen}，{relation}投资额的 {pct}（{amount_words(needed)}）"


def _shared_rep(o: Mapping[str, Any], _m: re.Match[str]) -> tuple[str, str]:
    hits = [h for h in o.get("value") or () if isinstance(h, Mapping)]
    facts = "；".join(
        f"{h['supplier']} 与候选人 {h['other_candidate']} 的 {h['other_supplier']} 单位负责人同为"
        f"{h['legal_representative']}（按{'身份证件号码' if h.get('matched_on') == 'id' else '姓名'}"
        f"比对）" for h in hits)
    return ("与同一标段的其他候选人不存在单位负责人为同一人的情形",
            facts or "未发现与其他候选人单位负责人为同一人")


def _control(o: Mapping[str, Any], _m: re.Match[str]) -> tuple[str, str]:
    value = o.get("value") or {}
    direct = [f"{d['supplier']} 受 {d['controlled_by']}（候选人 {d['other_candidate']}）直接控股"
              f"或管理" for d in value.get("direct", ())]
    common = [f"{c['supplier']} 与 {c['other_supplier']}（候选人 {c['other_candidate']}）同受"
              f"{'、'.join(c.get('common_controller') or ())}控制，不属于直接控股、管理关系，"
              f"需人工复核" for c in value.get("common", ())]
    return ("与同一标段的其他候选人不存在直接控股、管理关系",
            "；".join(direct + common) or "未发现与其他候选人存在控股、管理关系")


def _also_bidding(o: Mapping[str, Any], _m: re.Match[str]) -> tuple[str, str]:
    clashes = [f"{c['supplier']} 另以{'联合体成员' if c.get('as') == 'in consortium' else '单独'}"
               f"身份作为候选人 {c['also_in']} 参加" for c in o.get("value") or ()
               if isinstance(c, Mapping)]
    return ("同一供应商在同一标段只参加一个候选人（单独或者以联合体成员身份）",
            "；".join(clashes) or "未发现同一供应商参加多个候选人")


def _joint_agreement(o: Mapping[str, Any], _m: re.Match[str]) -> tuple[str, str]:
    return "联合体已提交联合协议", "已提交联合协议" if o.get("value") else "未提交联合协议"


def _prior_service(o: Mapping[str, Any], _m: re.Match[str]) -> tuple[str, str]:
    hits = "、".join(str(h) for h in o.get("value") or ())
    return ("不是为本项目提供整体设计、规范编制或者项目管理、监理、检测等服务的供应商",
            f"曾为本项目提供服务：{hits}" if hits else "不在为本项目提供过上述服务的供应商之列")


# (pattern of the recorded standard, what it says in words)
CHECK_WORDS: tuple[tuple[re.Pattern[str], Callable[..., tuple[str, str]]], ...] = (
    (re.compile(r"^no criminal penalty, suspension, licence revocation or large fine from "
                r"(\S+) to (\S+) \((\d+) years?\); no debarment in force on (\S+)$"),
     _major_record),
    (re.compile(r"^not listed on (.+?) on (\d{4}-\d{2}-\d{2})"
                r"(?: \(list as of (\S+), imported (\S+)\))?$"), _credit),
    (re.compile(r"^(.+?) (\S+) or higher, valid on (\S+) \(from (.+)\)$"), _qualification),
    (re.compile(r"^(.+?) (\S+) or higher at the lowest grade among members holding it "
                r"\(from (.+)\)$"), _consortium_grade),
    (re.compile(r"^net assets >= (\S+) x investment (\S+) = (\S+)$"), _finance),
    (re.compile(r"^no other candidate on the same lot has the same legal representative$"),
     _shared_rep),
    (re.compile(r"^no direct control or management link with another candidate"), _control),
    (re.compile(r"^no supplier takes part in more than one candidate"), _also_bidding),
    (re.compile(r"^joint agreement submitted"), _joint_agreement),
    (re.compile(r"^not among the project's design"), _prior_service),
)

NOT_APPLICABLE_WHY = {"a consortium is rated by consortium.lower_grade":
                      "联合体的资质按联合体资质等级的规则审查",
                      "not a consortium": "该候选人不是联合体"}


def _minute(value: str | None) -> str:
    from tenderflow.documents.reports import time_text

    return time_text(value)


def _expression(o: Mapping[str, Any], fields: Mapping[str, str]) -> tuple[str, str]:
    """A rule written as an expression over the profile: its title is the standard, shown by
    the evidence the rule asks for; the facts are the profile's fields it read, each with its
    Chinese description."""
    evidence = "、".join(str(e) for e in o.get("evidence") or ())
    standard = f"应{o.get('title_zh')}" + (f"（证明材料：{evidence}）" if evidence else "")
    value = o.get("value")
    if not isinstance(value, Mapping):
        return standard, plain(value)
    facts = "；".join(f"{field_label(k, fields)}：{_yes(v)}" for k, v in value.items())
    return standard, facts or "—"


def field_label(name: str, fields: Mapping[str, str]) -> str:
    """A profile field's Chinese description (the part before " / " or "（"), else its name."""
    text = fields.get(name)
    if not text:
        return name
    return re.split(r" / |（| \(", text, maxsplit=1)[0].strip() or name


def outcome_words(o: Mapping[str, Any], fields: Mapping[str, str] | None = None
                  ) -> dict[str, str]:
    """``{"title", "standard", "facts", "verdict", "source", "reason"}`` in Chinese."""
    fields = fields or {}
    verdict = str(o.get("verdict"))
    threshold = o.get("threshold")
    if verdict == "not_applicable":
        why = NOT_APPLICABLE_WHY.get(str(o.get("reason")), "该规则不适用于此候选人")
        standard, facts = str(o.get("title_zh")), why
    else:
        standard, facts = "", ""
        if isinstance(threshold, str):
            for pattern, words in CHECK_WORDS:
                m = pattern.match(threshold)
                if m:
                    standard, facts = words(o, m)
                    break
        if not standard:
            standard, facts = _expression(o, fields)
    return {"title": str(o.get("title_zh")), "standard": standard, "facts": facts,
            "verdict": VERDICT_ZH.get(verdict, verdict), "source": source_words(o)}
