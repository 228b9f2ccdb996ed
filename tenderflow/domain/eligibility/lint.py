"""The fair-competition review (公平竞争审查) of a ruleset: criteria that restrict suppliers by
ownership, organisation form, location, regional or sector track record, size, or that point
at particular suppliers."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from tenderflow.domain.eligibility.ruleset import Ruleset
from tenderflow.domain.eligibility.schema import IDENTITY_FIELDS, SIZE_FIELDS
from tenderflow.errors import Refusal

# --------------------------------------------------------------------------- the fairness lint
#
# What the lint reviews, and why (公平竞争审查):
#
# * Every field a ruleset adds in ``fields:`` - its name and description - even if no rule uses
#   it yet: declaring ``ownership_form`` is already collecting a forbidden criterion.
# * Every expression: the fields it reads (name and description), attribute names, and string
#   literals (``name =~ ".*国有.*"`` restricts ownership through the back door).
# * Built-in checks are reviewed here, in code, once: each one implements a condition the law
#   sets (第22条, 第18-19条, 第24条, 建筑法, 125号), and their params are validated strictly.
#
# Kinds refused, matched on Chinese terms and on English words of identifiers:
#   ownership_form, organisation_form, location, specific_supplier - 政府采购法实施条例 第20条,
#   招标投标法实施条例 第32-33条 (P), with 优化营商环境条例 第13条 / 公平竞争审查条例 第8-9条 for
#   ownership and location; track_record - only track record *in a particular region or industry*
#   (业绩/奖项 with 本地/省/行业/系统); similar-project experience in general is not refused;
#   size - registered capital, assets, revenue, headcount, profit, tax paid: 财政部令第87号
#   第17条, cited with status unconfirmed as POLICY.md marks it; unknown_field - an expression over
#   a field neither the base profile nor ``fields:`` declares (no legal source; a schema error).
#
# Financial capacity versus size. Base fields net_assets and annual_revenue are size measures:
# an expression over them (``net_assets >= 50000000``) is refused as size. The built-in
# ``financial_capacity`` check is allowed because (1) its threshold is a ratio of *this
# project's* investment, so it asks whether the supplier can carry this project - the
# converse of the forbidden "conditions unrelated to the project's characteristics or needs"
# (实施条例 第20条, 招投标条例 第32条) - not whether it is big; (2) capacity to perform is a
# legal condition (招标投标法 第26条; 政府采购法 第22条); (3) it reads net assets (what stands
# behind a liability), never registered capital, revenue or headcount; (4) its ratio has no
# source yet, so the default ruleset marks it unconfirmed and makes it a warning, not a
# disqualification. 87号令 governs 货物和服务招标; whether its size ban reaches a works or PPP
# procurement is itself unconfirmed.
#
# The lint is deliberately conservative (it matches words, e.g. "local", "private"): a false
# finding is resolved by renaming the field or rewording its description, never by exemption.

@dataclass(frozen=True)
class LintFinding:
    """A criterion the fair-competition review refuses, with where it is and why."""

    file: str | None
    rule: str | None      # None for a field declared in ``fields:``
    field: str | None
    kind: str             # unknown_field | ownership_form | organisation_form | location |
    #                       track_record | size | specific_supplier
    message: str
    source: str | None
    status: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "rule": self.rule, "field": self.field, "kind": self.kind,
                "message": self.message, "source": self.source, "status": self.status}

    def to_refusal(self) -> Refusal:
        where = self.rule or f"fields.{self.field}"
        return Refusal(rule=f"lint.{self.kind}", reason=f"{self.file}: {where}: {self.message}",
                       source=self.source or "ruleset schema",
                       numbers={"file": self.file, "rule": self.rule, "field": self.field})

    def __str__(self) -> str:
        where = ":".join(x for x in (self.file, self.rule or "fields", self.field) if x)
        cite = f" ({self.source}" + (f", status {self.status}" if self.status != "P" else "") + \
            ")" if self.source else ""
        return f"{where}: {self.message}{cite}"


_FAIR_SOURCE = "政府采购法实施条例 第20条; 招标投标法实施条例 第32–33条"
_EQUAL_SOURCE = "优化营商环境条例 第13条; 公平竞争审查条例 第8–9条"
LINT_SOURCES: dict[str, tuple[str | None, str | None]] = {
    "unknown_field": (None, None),
    "ownership_form": (f"{_FAIR_SOURCE}; {_EQUAL_SOURCE}", "P"),
    "organisation_form": (_FAIR_SOURCE, "P"),
    "location": (f"{_FAIR_SOURCE}; {_EQUAL_SOURCE}", "P"),
    "track_record": (_FAIR_SOURCE, "P"),
    "specific_supplier": (_FAIR_SOURCE, "P"),
    "size": ("财政部令第87号 第17条", "unconfirmed"),
}

_PROVINCES = ("北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏",
              "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南",
              "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏",
              "宁夏", "新疆", "香港", "澳门")
# Chinese terms matched as substrings; English terms matched as whole words of an identifier
# split at "_", "-", spaces and case changes. Pairs must both occur.
_ZH = {
    "ownership_form": ("所有制", "国有", "国企", "央企", "民营", "民企", "私营", "外资", "外商",
                       "集体企业", "混合所有"),
    "organisation_form": ("组织形式", "企业类型", "公司类型", "企业性质", "法人类型", "有限责任公司",
                          "股份有限", "合伙", "个体工商", "事业单位", "上市公司", "法人资格"),
    "location": ("所在地", "注册地", "住所", "地址", "本地", "本市", "本省", "本区", "本县", "当地",
                 "外地", "属地", "区域", "地区", "行政区", "户籍", "分支机构", "分公司",
                 *_PROVINCES),
    "size": ("注册资本", "注册资金", "资产总额", "总资产", "净资产", "营业收入", "营收", "从业人员",
             "员工人数", "职工人数", "人数", "利润", "纳税额", "规模"),
}
_TRACK_ZH = ("业绩", "奖项", "获奖", "荣誉")
_SECTOR_ZH = ("行业", "系统内", "部门")
_EN_WORDS = {
    "ownership_form": {"ownership", "owned", "soe", "soes", "private", "foreign", "collective"},
    "organisation_form": {"partnership", "proprietorship", "llc", "plc", "incorporated",
                          "incorporation"},
    "location": {"location", "located", "region", "regional", "province", "provincial", "city",
                 "county", "district", "local", "locality", "domicile", "address", "hometown",
                 "branch"},
    "size": {"capital", "assets", "revenue", "revenues", "turnover", "headcount", "employees",
             "employee", "staff", "workforce", "profit", "profits", "size", "scale"},
}
_EN_PAIRS = {
    "organisation_form": {("organisation", "form"), ("organization", "form"), ("legal", "form"),
                          ("company", "type"), ("entity", "type"), ("enterprise", "type"),
                          ("business", "type"), ("legal", "person")},
    "location": {("registered", "place"), ("registration", "place"), ("registered", "area"),
                 ("registration", "area")},
}
_TRACK_EN = {"track", "experience", "project", "projects", "awards", "award", "achievements",
             "references", "honours", "honors"}
_SECTOR_EN = {"industry", "sector", "ministry", "department", "system"}
_WHY = {
    "ownership_form": "restricts suppliers by ownership form (所有制形式)",
    "organisation_form": "restricts suppliers by organisation form (组织形式)",
    "location": "restricts suppliers by location or registered place (所在地)",
    "track_record": "uses track record in a particular region or industry (特定行政区域或者特定"
                    "行业的业绩、奖项)",
    "size": "uses the supplier's size (注册资本, 资产, 营业收入, 从业人员) as a criterion; "
            "financial capacity may only be checked relative to the project's investment "
            "(check: financial_capacity)",
    "specific_supplier": "names or identifies particular suppliers (and USCC characters 3-8 "
                         "encode the registration area)",
}


def _words(text: str) -> list[str]:
    text = re.sub(r"([a-z])([A-Z])", r"\1_\2", text)
    return [w for w in re.split(r"[^A-Za-z0-9]+", text.lower()) if w]


def concepts(text: str) -> set[str]:
    """The forbidden kinds of criterion a name, description or literal refers to."""
    found: set[str] = set()
    words = _words(text)
    wordset = set(words)
    pairs = set(itertools.pairwise(words))
    for kind, terms in _ZH.items():
        if any(t in text for t in terms):
            found.add(kind)
    for kind, words_of_kind in _EN_WORDS.items():
        if wordset & words_of_kind:
            found.add(kind)
    for kind, term_pairs in _EN_PAIRS.items():
        if pairs & term_pairs:
            found.add(kind)
    track = any(t in text for t in _TRACK_ZH) or bool(wordset & _TRACK_EN) or \
        ("track", "record") in pairs or ("track", "records") in pairs
    sector = any(t in text for t in _SECTOR_ZH) or bool(wordset & _SECTOR_EN)
    if track and ("location" in found or sector):
        found.discard("location")
        found.add("track_record")
    return found


def _lint_findings(ruleset: Ruleset) -> list[LintFinding]:
    out: list[LintFinding] = []
    file = ruleset.file

    def add(rule: str | None, fld: str | None, kind: str, message: str) -> None:
        source, status = LINT_SOURCES[kind]
        finding = LintFinding(file, rule, fld, kind, message, source, status)
        if finding not in out:
            out.append(finding)

    # Fields a ruleset adds: their names and descriptions must not name a forbidden criterion.
    for declared in ruleset.fields.values():
        if declared.base:
            continue
        for kind in sorted(concepts(f"{declared.name} {declared.description}")):
            add(None, declared.name, kind, f"field {declared.name!r} {_WHY[kind]}")
    for rule in ruleset.rules:
        if rule.expression is None:
            continue  # built-in checks are reviewed in code (see module docs)
        for name in rule.unknown_symbols:
            spec = ruleset.fields.get(name)
            why = (f"{spec.type} is read by built-in checks only" if spec else
                   "not in the base profile nor declared in fields:")
            add(rule.id, name, "unknown_field", f"expression refers to unknown field {name!r} "
                f"({why})")
        for name in rule.symbols:
            spec = ruleset.fields.get(name)
            if spec is None:
                kinds = concepts(name)
            elif spec.base:
                kinds = set()
                if name in IDENTITY_FIELDS:
                    kinds.add("specific_supplier")
                if name in SIZE_FIELDS:
                    kinds.add("size")
            else:
                kinds = concepts(f"{name} {spec.description}")
            for kind in sorted(kinds):
                add(rule.id, name, kind, f"expression uses {name!r}, which {_WHY[kind]}")
        for attr in rule.attributes:
            for kind in sorted(concepts(attr)):
                add(rule.id, attr, kind, f"expression uses attribute {attr!r}, which "
                    f"{_WHY[kind]}")
        for literal in rule.literals:
            for kind in sorted(concepts(literal)):
                add(rule.id, "expression", kind, f"expression compares with {literal!r}, which "
                    f"{_WHY[kind]}")
    return out


def lint_ruleset(ruleset: Ruleset) -> list[LintFinding]:
    """The fair-competition review of a ruleset; an empty list means it passes. To review a
    file whose expressions may name unknown fields (reported as findings instead of stopping
    the load), build it leniently first (:func:`tenderflow.workflow.rulesets.lint_ruleset_file`).
    """
    return _lint_findings(ruleset)


# --------------------------------------------------------------------------- scoring criteria

SCORING_RULE = "fairness.scoring_criteria"


def lint_scoring(method: Any, where: str = "evaluation") -> list[LintFinding]:
    """The same review of the scoring criteria (and price adjustment factors) of tender
    documents: a criterion on ownership form, organisation form, location, regional or sector
    track record or size is refused (政府采购法实施条例 第20条第(四)项 forbids such a criterion
    as 评审因素; 招标投标法实施条例 第32条; size: 财政部令第87号 第17条, unconfirmed).
    ``method`` is the documents' evaluation as data ({method, criteria, factors, ...})."""
    out: list[LintFinding] = []
    if not isinstance(method, dict):
        return out
    for key in ("criteria", "factors"):
        items = method.get(key)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            text = " ".join(str(item[k]) for k in ("id", "name", "description")
                            if isinstance(item.get(k), str))
            label = f"{item.get('id')} ({item['name']})" if item.get("name") else \
                str(item.get("id"))
            for kind in sorted(concepts(text) - {"specific_supplier"}):
                source, status = LINT_SOURCES[kind]
                out.append(LintFinding(None, SCORING_RULE, f"{where}.{key}[{i}]", kind,
                                       f"scoring {'factor' if key == 'factors' else 'criterion'}"
                                       f" {label} {_WHY[kind]}", source, status))
    return out
