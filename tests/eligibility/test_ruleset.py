"""Loading rulesets: strict validation, content hash, pinning and replay."""

from __future__ import annotations

import copy
import hashlib
import json
import random
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tenderflow.domain.eligibility import (
    CHECKS,
    PinnedRuleset,
    Ruleset,
    RulesetRefused,
    content_hash,
    ruleset_from_pinned,
)
from tenderflow.errors import CheckFailed, DefinitionError, InputError
from tenderflow.workflow.rulesets import (
    load_ruleset,
    pin_ruleset_file,
    read_ruleset_data,
)

from ._builders import DATA, RENOVATION, ROOT

EXPECTED_RULES = (
    "gpl22.independent_civil_liability", "gpl22.reputation_and_accounts",
    "gpl22.equipment_and_technical_capacity", "gpl22.tax_and_social_security",
    "gpl22.major_illegal_record", "credit.dishonest_judgment_debtor",
    "credit.major_tax_violation", "credit.procurement_serious_dishonesty", "qualification.scope",
    "finance.capacity", "relation.shared_legal_representative", "relation.control_link",
    "relation.prior_service_provider", "consortium.joint_agreement", "consortium.lower_grade",
    "consortium.member_also_bidding",
)


@pytest.fixture
def data() -> dict[str, Any]:
    return read_ruleset_data(RENOVATION)


def write(tmp_path: Path, data: dict[str, Any], name: str = "rules.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_renovation_ruleset_loads_with_every_rule_sourced() -> None:
    ruleset = load_ruleset(RENOVATION)
    assert ruleset.id == "renovation" and ruleset.rule_ids == EXPECTED_RULES
    for rule in ruleset.rules:
        assert rule.source and rule.title_zh and rule.title_en and rule.evidence
        assert (rule.expression is None) != (rule.check is None)
    assert ruleset.parameters["record_window_years"].value == 3
    assert ruleset.parameters["financial_capacity_ratio"].status == "unconfirmed"
    assert ruleset.rule("finance.capacity").severity == "warn"


def test_every_rule_id_tags_a_feature_scenario() -> None:
    features = "".join(p.read_text(encoding="utf-8")
                       for p in (ROOT / "features" / "eligibility").glob("*.feature"))
    tags = set(re.findall(r"(?<![\w@])@([\w.\-]+)", features))
    assert set(load_ruleset(RENOVATION).rule_ids) <= tags


def test_every_check_is_used_by_the_default_ruleset() -> None:
    used = {r.check for r in load_ruleset(RENOVATION).rules if r.check}
    assert used == set(CHECKS)


def test_content_hash_is_sha256_of_canonical_json(data: dict[str, Any]) -> None:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert load_ruleset(RENOVATION).content_hash == hashlib.sha256(text.encode()).hexdigest()


def test_to_data_round_trips_with_the_same_hash() -> None:
    ruleset = load_ruleset(RENOVATION)
    again = Ruleset.from_data(ruleset.to_data())
    assert again.content_hash == ruleset.content_hash
    assert again.rule_ids == ruleset.rule_ids
    mutated = ruleset.to_data()
    mutated["version"] = "changed"
    assert load_ruleset(RENOVATION).to_data()["version"] == "2025.1"  # to_data is a copy


def _shuffled(value: Any, rnd: random.Random) -> Any:
    if isinstance(value, dict):
        items = list(value.items())
        rnd.shuffle(items)
        return {k: _shuffled(v, rnd) for k, v in items}
    if isinstance(value, list):
        return [_shuffled(v, rnd) for v in value]
    return value


@given(st.integers(min_value=0, max_value=10_000))
def test_hash_does_not_depend_on_key_order(seed: int) -> None:
    data = read_ruleset_data(RENOVATION)
    shuffled = _shuffled(data, random.Random(seed))
    assert Ruleset.from_data(shuffled).content_hash == content_hash(data)


def test_any_change_changes_the_hash(data: dict[str, Any]) -> None:
    changed = copy.deepcopy(data)
    changed["parameters"]["record_window_years"]["value"] = 4
    assert content_hash(changed) != content_hash(data)


def test_pin_and_replay() -> None:
    pinned = pin_ruleset_file(RENOVATION)
    assert isinstance(pinned, PinnedRuleset)
    stored = json.loads(json.dumps(pinned.to_dict(), ensure_ascii=False))
    rebuilt = ruleset_from_pinned(stored)
    assert rebuilt.content_hash == pinned.content_hash == load_ruleset(RENOVATION).content_hash


def test_replay_refuses_tampered_data() -> None:
    stored = pin_ruleset_file(RENOVATION).to_dict()
    stored["data"]["parameters"]["record_window_years"]["value"] = 1
    with pytest.raises(DefinitionError, match="hashes to"):
        ruleset_from_pinned(stored)


def test_opening_refuses_a_ruleset_that_fails_the_lint() -> None:
    with pytest.raises(RulesetRefused) as err:
        pin_ruleset_file(DATA / "discriminatory.yaml")
    assert isinstance(err.value, CheckFailed) and err.value.exit_code == 1
    assert any(f.rule == "bad.state_owned_only" for f in err.value.findings)
    assert "discriminatory.yaml" in str(err.value)
    refusal = err.value.findings[0].to_refusal()
    assert refusal.rule.startswith("lint.") and "第20条" in refusal.source


# --------------------------------------------------------------------------- strict validation

def _error(tmp_path: Path, data: dict[str, Any]) -> InputError:
    path = write(tmp_path, data)
    with pytest.raises(InputError) as err:
        load_ruleset(path)
    assert err.value.context["file"] == str(path)
    return err.value


def test_unknown_field_in_expression_is_refused_naming_rule_and_field(
        tmp_path: Path, data: dict[str, Any]) -> None:
    data["rules"][0]["expression"] = "independent_civil_liabilty"
    err = _error(tmp_path, data)
    assert err.context["location"] == "rule gpl22.independent_civil_liability"
    assert err.context["field"] == "expression"
    assert "did you mean 'independent_civil_liability'" in err.message


def test_structured_field_in_expression_points_to_checks(tmp_path: Path,
                                                         data: dict[str, Any]) -> None:
    data["rules"][0]["expression"] = "records == []"
    assert "built-in checks only" in _error(tmp_path, data).message


def test_unknown_key_in_rule_is_refused(tmp_path: Path, data: dict[str, Any]) -> None:
    data["rules"][3]["severty"] = "warn"
    err = _error(tmp_path, data)
    assert err.context["field"] == "severty"
    assert "gpl22.tax_and_social_security" in err.context["location"]


@pytest.mark.parametrize("missing", ["id", "title", "source", "status", "severity", "evidence"])
def test_missing_rule_key_is_refused(tmp_path: Path, data: dict[str, Any], missing: str) -> None:
    del data["rules"][1][missing]
    assert _error(tmp_path, data).context["field"] == missing


@pytest.mark.parametrize(("key", "value", "field"), [
    ("severity", "exclude", "severity"),
    ("status", "probably", "status"),
    ("check", "vibes", "check"),
    ("evidence", [], "evidence"),
    ("id", "Gpl22 Bad", "id"),
])
def test_bad_rule_values(tmp_path: Path, data: dict[str, Any], key: str, value: Any,
                         field: str) -> None:
    rule = data["rules"][4]  # a check rule
    rule[key] = value
    assert _error(tmp_path, data).context["field"] == field


def test_expression_and_check_together_are_refused(tmp_path: Path,
                                                   data: dict[str, Any]) -> None:
    data["rules"][4]["expression"] = "accounts_sound"
    assert "either an expression or a check" in _error(tmp_path, data).message


def test_expression_must_be_a_condition(tmp_path: Path, data: dict[str, Any]) -> None:
    data["rules"][0]["expression"] = "net_assets + 1"
    assert "not true/false" in _error(tmp_path, data).message


def test_expression_may_not_read_the_clock(tmp_path: Path, data: dict[str, Any]) -> None:
    data["rules"][0]["expression"] = "independent_civil_liability and $today > d'2020-01-01'"
    assert "clock" in _error(tmp_path, data).message


def test_expression_syntax_error(tmp_path: Path, data: dict[str, Any]) -> None:
    data["rules"][0]["expression"] = "accounts_sound and ("
    assert "syntax" in _error(tmp_path, data).message


def test_duplicate_rule_id(tmp_path: Path, data: dict[str, Any]) -> None:
    data["rules"].append(copy.deepcopy(data["rules"][0]))
    assert "duplicate rule id" in _error(tmp_path, data).message


def test_credit_list_name_is_checked(tmp_path: Path, data: dict[str, Any]) -> None:
    data["rules"][5]["params"]["list"] = "黑名单"
    assert _error(tmp_path, data).context["field"] == "params.list"


def test_check_needs_its_parameter(tmp_path: Path, data: dict[str, Any]) -> None:
    del data["parameters"]["financial_capacity_ratio"]
    err = _error(tmp_path, data)
    assert err.context["field"] == "parameters.financial_capacity_ratio"
    assert "finance.capacity" in err.context["location"]


def test_unknown_parameter(tmp_path: Path, data: dict[str, Any]) -> None:
    data["parameters"]["min_registered_capital"] = {"value": "1", "source": "x", "status": "P"}
    assert _error(tmp_path, data).context["field"] == "min_registered_capital"


def test_float_parameter_is_refused(tmp_path: Path, data: dict[str, Any]) -> None:
    data["parameters"]["financial_capacity_ratio"]["value"] = 0.2
    assert "quoted" in _error(tmp_path, data).message


def test_base_field_type_cannot_change(tmp_path: Path, data: dict[str, Any]) -> None:
    data["fields"]["net_assets"]["type"] = "string"
    assert _error(tmp_path, data).context["field"] == "type"


def test_duplicate_yaml_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text(RENOVATION.read_text(encoding="utf-8").replace(
        'version: "2025.1"', 'version: "2025.1"\nversion: "2025.2"'), encoding="utf-8")
    with pytest.raises(InputError, match="duplicate key 'version'") as err:
        load_ruleset(path)
    assert err.value.context["location"].startswith("line ")


def test_unquoted_date_is_refused(tmp_path: Path, data: dict[str, Any]) -> None:
    path = tmp_path / "d.yaml"
    text = RENOVATION.read_text(encoding="utf-8").replace('version: "2025.1"',
                                                          "version: 2025-01-01")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="version"):
        load_ruleset(path)
