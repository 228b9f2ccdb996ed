"""Steps for the eligibility features (features/eligibility/), calling the domain functions.

The CLI and store are wired elsewhere; these steps exercise the same pure functions the
services will call: load_ruleset, parse_credit_csv, evaluate, lint_ruleset_file,
pin_ruleset_file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pytest_bdd import given, parsers, scenarios, then, when

from tenderflow.app.eligibility import parse_credit_csv
from tenderflow.domain.eligibility import (
    EligibilityResult,
    LintFinding,
    PinnedRuleset,
    RuleOutcome,
    RulesetRefused,
    evaluate,
    ruleset_from_pinned,
)
from tenderflow.workflow.rulesets import (
    lint_ruleset_file,
    load_ruleset,
    pin_ruleset_file,
    read_ruleset_data,
)

from ._builders import ROOT, consortium, supplier

scenarios("eligibility/准入规则.feature")
scenarios("eligibility/公平竞争审查.feature")

VERDICTS = {"通过": "pass", "不通过": "fail", "警告": "warn", "不适用": "not_applicable"}
CONDITIONS = {
    "独立承担民事责任的能力": "independent_civil_liability",
    "良好的商业信誉": "good_commercial_reputation",
    "健全的财务会计制度": "accounts_sound",
    "履行合同所必需的设备和专业技术能力": "has_equipment_and_technical_capacity",
    "依法缴纳税收和社会保障资金的良好记录": "tax_social_security_ok",
}
RECORD_KINDS = {
    "刑事处罚": "criminal_penalty",
    "责令停产停业": "suspension",
    "吊销许可证或者执照": "licence_revocation",
    "较大数额罚款": "large_fine",
    "禁止参加政府采购活动": "debarment",
    "警告": "warning",
}


class Scene:
    """What a scenario has set up and seen."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.ruleset_path: Path | None = None
        self.ruleset_data: dict[str, Any] = {}
        self.procurement: dict[str, Any] = {"id": "P-FEATURE"}
        self.suppliers: dict[str, dict[str, Any]] = {}
        self.bidding: list[str] = []
        self.consortia: dict[str, dict[str, Any]] = {}
        self.credit_rows: list[str] = []
        self.result: EligibilityResult | None = None
        self.outcome: RuleOutcome | None = None
        self.findings: list[LintFinding] = []
        self.finding: LintFinding | None = None
        self.pinned: PinnedRuleset | None = None
        self.refused: RulesetRefused | None = None

    def add_supplier(self, name: str) -> dict[str, Any]:
        if name not in self.suppliers:
            self.suppliers[name] = supplier(name, len(self.suppliers) + 1)
        return self.suppliers[name]

    def written_ruleset(self) -> Path:
        path = self.tmp_path / "renovation-variant.yaml"
        path.write_text(yaml.safe_dump(self.ruleset_data, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        return path


def names(text: str) -> list[str]:
    return [n for n in re.split(r"[、,，]\s*", text) if n]


def dash(text: str) -> str | None:
    return None if text.strip() in ("-", "") else text.strip()


@pytest.fixture
def scene(tmp_path: Path) -> Scene:
    return Scene(tmp_path)


# --------------------------------------------------------------------------- 准入规则: given

@given(parsers.parse('采用规则集 "{name}"'))
def _use_ruleset(scene: Scene, name: str) -> None:
    scene.ruleset_path = ROOT / "workflows" / "eligibility" / f"{name}.yaml"


@given(parsers.parse('审查日期为 "{at}"，公告日期 "{notice}"，投标截止 "{deadline}"'))
def _dates(scene: Scene, at: str, notice: str, deadline: str) -> None:
    scene.procurement.update(at=at, notice_date=notice, bid_deadline=deadline)


@given(parsers.parse('项目投资额为 "{amount}" 元'))
def _investment(scene: Scene, amount: str) -> None:
    scene.procurement["investment"] = amount


@given(parsers.parse('合格的供应商 "{who}" 投标'))
def _bidding_suppliers(scene: Scene, who: str) -> None:
    for name in names(who):
        scene.add_supplier(name)
        scene.bidding.append(name)


@given(parsers.parse('已登记合格的供应商 "{who}"'))
def _registered_suppliers(scene: Scene, who: str) -> None:
    for name in names(who):
        scene.add_supplier(name)


@given(parsers.parse('供应商 "{name}" 不具备 "{condition}"'))
def _lacks(scene: Scene, name: str, condition: str) -> None:
    scene.add_supplier(name)[CONDITIONS[condition]] = False


@given(parsers.parse('供应商 "{name}" 有一条 "{kind}" 记录，日期 "{day}"，期满 "{until}"'))
def _record(scene: Scene, name: str, kind: str, day: str, until: str) -> None:
    record: dict[str, Any] = {"kind": RECORD_KINDS[kind], "date": day, "authority": "某行政机关",
                              "description": kind}
    if dash(until):
        record["until"] = dash(until)
    scene.add_supplier(name)["records"].append(record)


@given(parsers.parse('信用名单 "{list_name}" 于 "{listed}" 列入 "{name}"，移出日期 "{removed}"'))
def _credit(scene: Scene, list_name: str, listed: str, name: str, removed: str) -> None:
    profile = scene.add_supplier(name)
    scene.credit_rows.append(",".join([list_name, profile["uscc"], profile["name"], listed,
                                       dash(removed) or "", "信用中国"]))


@given(parsers.parse('本项目要求 "{qtype}" "{grade}" 及以上资质'))
def _required(scene: Scene, qtype: str, grade: str) -> None:
    scene.procurement["required_qualification"] = {"type": qtype, "min_grade": grade}


@given(parsers.parse('供应商 "{name}" 持有 "{qtype}" "{grade}" 资质'))
def _holds(scene: Scene, name: str, qtype: str, grade: str) -> None:
    scene.add_supplier(name)["qualifications"] = [{"type": qtype, "grade": grade}]


@given(parsers.parse('供应商 "{name}" 的净资产为 "{amount}" 元'))
def _net_assets(scene: Scene, name: str, amount: str) -> None:
    scene.add_supplier(name)["net_assets"] = amount


@given(parsers.parse('供应商 "{a}" 与 "{b}" 的法定代表人都是 "{person}"'))
def _same_representative(scene: Scene, a: str, b: str, person: str) -> None:
    scene.add_supplier(a)["legal_representative"] = person
    scene.add_supplier(b)["legal_representative"] = person


@given(parsers.parse('供应商 "{child}" 由 "{parent}" 直接控股'))
def _controlled(scene: Scene, child: str, parent: str) -> None:
    scene.add_supplier(child)["controlled_by"].append(parent)


@given(parsers.parse('供应商 "{a}" 与 "{b}" 同受 "{parent}" 控股'))
def _common_parent(scene: Scene, a: str, b: str, parent: str) -> None:
    scene.add_supplier(a)["controlled_by"].append(parent)
    scene.add_supplier(b)["controlled_by"].append(parent)


@given(parsers.parse('"{name}" 曾为本项目提供设计、监理或检测服务'))
def _prior_service(scene: Scene, name: str) -> None:
    scene.procurement.setdefault("prior_service_providers", []).append(name)


@given(parsers.parse('"{who}" 组成联合体 "{name}" 投标'))
def _consortium(scene: Scene, who: str, name: str) -> None:
    scene.consortia[name] = consortium(name, names(who))
    scene.bidding.append(name)


@given(parsers.parse('"{who}" 组成联合体 "{name}" 投标，未提交联合协议'))
def _consortium_without_agreement(scene: Scene, who: str, name: str) -> None:
    scene.consortia[name] = consortium(name, names(who), agreement=False)
    scene.bidding.append(name)


# --------------------------------------------------------------------------- 准入规则: when/then

@when("进行资格审查")
def _evaluate(scene: Scene) -> None:
    assert scene.ruleset_path is not None
    ruleset = load_ruleset(scene.ruleset_path)
    header = "list,uscc,name,listed_on,removed_on,source\n"
    entries = parse_credit_csv(header + "".join(r + "\n" for r in scene.credit_rows),
                               file="credit.csv")
    candidates = [scene.consortia[n] if n in scene.consortia else scene.suppliers[n]
                  for n in scene.bidding]
    others = [p for n, p in scene.suppliers.items() if n not in scene.bidding]
    scene.result = evaluate(ruleset, candidates, procurement=scene.procurement,
                            credit_entries=entries, suppliers=others)


@then(parsers.parse('"{name}" 的 "{rule}" 结论为 "{verdict}"'))
def _verdict(scene: Scene, name: str, rule: str, verdict: str) -> None:
    assert scene.result is not None
    outcome = scene.result.candidate(name).outcome(rule)
    assert outcome.verdict == VERDICTS[verdict], str(outcome)
    scene.outcome = outcome


@then(parsers.parse('该结论的依据包含 "{source}"'))
def _outcome_source(scene: Scene, source: str) -> None:
    assert scene.outcome is not None
    assert source in scene.outcome.source, scene.outcome.source


@then(parsers.parse('"{name}" 资格审查结论为 "{conclusion}"'))
def _eligible(scene: Scene, name: str, conclusion: str) -> None:
    assert scene.result is not None
    candidate = scene.result.candidate(name)
    assert candidate.eligible == (conclusion == "合格"), [str(o) for o in candidate.failed]


# --------------------------------------------------------------------------- 公平竞争审查

@given(parsers.parse('以默认规则集 "{name}" 为基础'))
def _base_ruleset(scene: Scene, name: str) -> None:
    scene.ruleset_data = read_ruleset_data(ROOT / "workflows" / "eligibility" / f"{name}.yaml")


@given(parsers.parse('规则集新增字段 "{field}"，类型 "{ftype}"，说明 "{description}"'))
def _add_field(scene: Scene, field: str, ftype: str, description: str) -> None:
    scene.ruleset_data["fields"][field] = {"type": ftype, "description": description}


@given(parsers.parse('规则集新增规则 "{rule}"，表达式 "{expression}"'))
def _add_rule(scene: Scene, rule: str, expression: str) -> None:
    scene.ruleset_data["rules"].append({
        "id": rule, "title": {"zh": "附加资格条件", "en": "Additional condition"},
        "source": "采购人自定", "status": "unconfirmed", "severity": "disqualify",
        "evidence": ["证明材料"], "expression": expression})


@when("进行公平竞争审查")
def _lint(scene: Scene) -> None:
    scene.ruleset_path = scene.written_ruleset()
    scene.findings = lint_ruleset_file(scene.ruleset_path)


@then(parsers.parse('审查在该文件的规则 "{rule}" 发现 "{kind}"'))
def _found(scene: Scene, rule: str, kind: str) -> None:
    match = [f for f in scene.findings if f.rule == rule and f.kind == kind]
    assert match, [str(f) for f in scene.findings]
    assert match[0].file == str(scene.ruleset_path)
    scene.finding = match[0]


@then(parsers.parse('该问题的依据包含 "{source}"'))
def _finding_source(scene: Scene, source: str) -> None:
    assert scene.finding is not None and scene.finding.source is not None
    assert source in scene.finding.source, scene.finding.source


@then("审查没有发现问题")
def _clean(scene: Scene) -> None:
    assert scene.findings == [], [str(f) for f in scene.findings]


@when("开启采购并锁定该规则集")
def _pin(scene: Scene) -> None:
    scene.ruleset_path = scene.written_ruleset()
    try:
        scene.pinned = pin_ruleset_file(scene.ruleset_path)
    except RulesetRefused as exc:
        scene.refused = exc


@then(parsers.parse('开启被拒绝，理由指明该文件和规则 "{rule}"'))
def _refused(scene: Scene, rule: str) -> None:
    assert scene.pinned is None and scene.refused is not None
    assert str(scene.ruleset_path) in str(scene.refused) and rule in str(scene.refused)
    assert scene.refused.exit_code == 1


@then("锁定的规则集带有内容哈希，并可由保存的数据重建")
def _pinned(scene: Scene) -> None:
    assert scene.pinned is not None and len(scene.pinned.content_hash) == 64
    rebuilt = ruleset_from_pinned(scene.pinned.to_dict())
    assert rebuilt.content_hash == scene.pinned.content_hash
