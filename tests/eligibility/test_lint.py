"""The fair-competition review (公平竞争审查) of eligibility rulesets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tenderflow.domain.eligibility import concepts, lint_ruleset
from tenderflow.errors import InputError
from tenderflow.workflow.rulesets import (
    lint_ruleset_file,
    load_ruleset,
    read_ruleset_data,
)

from ._builders import DATA, RENOVATION

DISCRIMINATORY = DATA / "discriminatory.yaml"


def test_default_ruleset_passes() -> None:
    assert lint_ruleset_file(RENOVATION) == []
    assert lint_ruleset(load_ruleset(RENOVATION)) == []


@pytest.mark.parametrize(("rule", "field", "kind", "source"), [
    ("bad.state_owned_only", "ownership_form", "ownership_form", "政府采购法实施条例 第20条"),
    ("bad.state_owned_only", "expression", "ownership_form", "招标投标法实施条例 第32–33条"),
    ("bad.limited_company_only", "company_type", "organisation_form", "政府采购法实施条例 第20条"),
    ("bad.local_registration", "registered_city", "location", "招标投标法实施条例 第32–33条"),
    ("bad.local_track_record", "local_project_count", "track_record",
     "政府采购法实施条例 第20条"),
    ("bad.registered_capital", "registered_capital", "size", "财政部令第87号 第17条"),
    ("bad.revenue", "annual_revenue", "size", "财政部令第87号 第17条"),
    ("bad.unknown_field", "employee_count", "unknown_field", None),
    ("bad.name_pattern", "name", "specific_supplier", "政府采购法实施条例 第20条"),
])
def test_each_forbidden_kind_is_found_with_file_and_rule(rule: str, field: str, kind: str,
                                                         source: str | None) -> None:
    findings = lint_ruleset_file(DISCRIMINATORY)
    match = [f for f in findings if (f.rule, f.field, f.kind) == (rule, field, kind)]
    assert match, [str(f) for f in findings]
    finding = match[0]
    assert finding.file == str(DISCRIMINATORY)
    if source is None:
        assert finding.source is None
    else:
        assert source in finding.source
    assert rule in str(finding) and str(DISCRIMINATORY) in str(finding)


def test_size_is_cited_as_unconfirmed() -> None:
    size = [f for f in lint_ruleset_file(DISCRIMINATORY) if f.kind == "size"]
    assert size and all(f.status == "unconfirmed" for f in size)
    assert "status unconfirmed" in str(size[0])


def test_declared_fields_are_reviewed_even_if_unused() -> None:
    fields = {f.field for f in lint_ruleset_file(DISCRIMINATORY) if f.rule is None}
    assert fields == {"ownership_form", "company_type", "registered_city", "local_project_count",
                      "registered_capital"}


def test_generic_track_record_is_allowed() -> None:
    assert not [f for f in lint_ruleset_file(DISCRIMINATORY) if f.rule == "fine.similar_projects"
                or f.field == "similar_projects"]


def test_a_strict_load_refuses_the_unknown_field_outright() -> None:
    with pytest.raises(InputError, match="employee_count"):
        load_ruleset(DISCRIMINATORY)


def _with_rule(tmp_path: Path, expression: str, **fields: Any) -> Path:
    data = read_ruleset_data(RENOVATION)
    data["fields"].update({k: {"type": t, "description": d} for k, (t, d) in fields.items()})
    data["rules"].append({"id": "extra.criterion", "title": {"zh": "附加条件", "en": "Extra"},
                          "source": "x", "status": "unconfirmed", "severity": "disqualify",
                          "evidence": ["x"], "expression": expression})
    path = tmp_path / "extra.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_net_assets_as_an_absolute_threshold_is_size(tmp_path: Path) -> None:
    """Net assets may be compared only with the project's investment (check financial_capacity);
    an absolute threshold in an expression is a size criterion."""
    findings = lint_ruleset_file(_with_rule(tmp_path, "net_assets >= 50000000"))
    assert [(f.rule, f.field, f.kind) for f in findings] == [
        ("extra.criterion", "net_assets", "size")]


def test_uscc_in_an_expression_is_refused(tmp_path: Path) -> None:
    """Characters 3-8 of a USCC are the registration area: a pattern on it is a location test."""
    findings = lint_ruleset_file(_with_rule(tmp_path, 'uscc =~ "^..5101.*"'))
    assert [f.kind for f in findings] == ["specific_supplier"]


@pytest.mark.parametrize(("name", "description", "kind"), [
    ("is_soe", "是否国企", "ownership_form"),
    ("private_enterprise", "民营企业", "ownership_form"),
    ("legal_form", "法人类型", "organisation_form"),
    ("has_local_branch", "在本市设有分支机构", "location"),
    ("province_awards", "省级奖项", "track_record"),
    ("industry_experience_years", "行业系统内业绩年限", "track_record"),
    ("headcount_ok", "从业人员不少于100人", "size"),
])
def test_declared_field_kinds(tmp_path: Path, name: str, description: str, kind: str) -> None:
    path = _with_rule(tmp_path, f"{name} != ''", **{name: ("string", description)})
    findings = lint_ruleset_file(path)
    assert {f.kind for f in findings} == {kind}
    assert {f.rule for f in findings} == {None, "extra.criterion"}


@pytest.mark.parametrize(("literal", "kind"), [
    ("国有独资", "ownership_form"), ("四川", "location"), ("本地", "location"),
    ("有限责任公司", "organisation_form"),
])
def test_string_literals_are_reviewed(tmp_path: Path, literal: str, kind: str) -> None:
    path = _with_rule(tmp_path, f'note_text =~ ".*{literal}.*"',
                      note_text=("string", "补充说明"))
    assert [(f.field, f.kind) for f in lint_ruleset_file(path)] == [("expression", kind)]


@pytest.mark.parametrize("text", [
    "independent_civil_liability", "accounts_sound", "similar_projects", "safety_licence_valid",
    "有效的安全生产许可证", "类似项目经验", "project_manager_certified", "项目经理注册建造师",
])
def test_legitimate_criteria_are_not_flagged(text: str) -> None:
    assert concepts(text) == set()
