"""Supplier registration agrees with the eligibility profile schema of the rulesets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tenderflow.app.registration import (
    SUPPLIER_FIELDS,
    SUPPLIER_OFFICE_FIELDS,
    load_file,
    supplier_fields,
)
from tenderflow.domain.eligibility import BASE_FIELDS, normalise_profile
from tenderflow.errors import InputError
from tenderflow.paths import examples_dir, workflows_dir
from tenderflow.workflow.rulesets import load_ruleset
from tests.conftest import REGISTERED_AT, at

SUPPLIERS = examples_dir() / "data" / "suppliers.yaml"


def test_the_schema_is_the_rulesets_profile_plus_office_fields() -> None:
    fields = supplier_fields()
    for path in (workflows_dir() / "eligibility").glob("*.yaml"):
        for name, spec in load_ruleset(path).fields.items():
            assert fields[name] == spec.type, name
    assert set(BASE_FIELDS) <= set(SUPPLIER_FIELDS)
    assert set(fields) == set(SUPPLIER_FIELDS) | {
        n for p in (workflows_dir() / "eligibility").glob("*.yaml")
        for n in load_ruleset(p).fields}
    assert set(SUPPLIER_OFFICE_FIELDS).isdisjoint(BASE_FIELDS)


def test_the_example_suppliers_register_with_full_profiles() -> None:
    records = load_file(SUPPLIERS, "suppliers")
    ids = [r["id"] for r in records]
    assert {"S-CDJG", "S-HXJS", "S-SLGC", "S-YXWY", "C-CDRX"} <= set(ids)
    cdjg = records[ids.index("S-CDJG")]
    assert cdjg["independent_civil_liability"] is True
    assert cdjg["net_assets"] == "52000000.00"
    assert cdjg["qualifications"][0]["valid_until"] == "2027-06-30"
    # Stored as plain JSON that the eligibility check reads back unchanged.
    for r in records:
        json.dumps(r, ensure_ascii=False)
        normalise_profile(r)


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """- id: S-A
  name: 甲公司
  uscc: 91510100MA61XY8127
  legal_representative: 李
"""


@pytest.mark.parametrize("extra, fld, words", [
    ("  independent_legal_person: true\n", "independent_legal_person", "unknown field"),
    ("  ownership_form: 国有\n", "ownership_form", "unknown field"),
    ("  independent_civil_liability: yes\n", "independent_civil_liability", "true or false"),
    ("  net_assets: 1500000.5\n", "net_assets", "decimal string"),
    ("  records: [{kind: fine, date: '2024-01-01', authority: 某局, description: 罚款}]\n",
     "amount", "fine states its amount"),
    ("  records: [{kind: jail, date: '2024-01-01', authority: 某局, description: x}]\n",
     "kind", "unknown record kind"),
    ("  qualifications: [{type: 建筑工程施工总承包, grade: 五级}]\n", "grade", "unknown grade"),
    # found by tests/reliability/test_fuzz.py: a list as the grade crashed with TypeError
    ("  qualifications: [{type: 建筑工程施工总承包, grade: [一级]}]\n", "grade", "unknown grade"),
    ("  qualifications: [{type: 建筑工程施工总承包, grade: 一级, valid_until: 2027-02-30}]\n",
     "valid_until", "not a date"),
    ("  controlled_by: 某集团\n", "controlled_by", "list of text"),
    ("  net_assets:\n", "net_assets", "has no value"),
])
def test_a_bad_profile_value_names_file_and_field(tmp_path: Path, extra: str, fld: str,
                                                  words: str) -> None:
    path = write(tmp_path, GOOD + extra)
    with pytest.raises(InputError) as err:
        load_file(path, "suppliers")
    assert err.value.exit_code == 2
    assert str(path) in err.value.message and f"'{fld}'" in err.value.message
    assert words in err.value.message


def test_a_consortium_carries_only_its_membership(tmp_path: Path) -> None:
    text = GOOD + """- id: C-A
  name: 联合体
  consortium: {members: [S-A, S-B], lead: S-A, agreement: true}
  net_assets: "100.00"
"""
    with pytest.raises(InputError, match="a consortium carries only id, name and consortium"):
        load_file(write(tmp_path, text), "suppliers")
    text = GOOD + "- {id: C-A, name: 联合体, consortium: {members: [S-A], lead: S-A}}\n"
    with pytest.raises(InputError, match="two or more different members"):
        load_file(write(tmp_path, text), "suppliers")


def test_consortium_members_must_be_registered(services: Any, tmp_path: Path) -> None:
    text = GOOD + "- {id: C-A, name: 联合体, consortium: {members: [S-A, S-B], lead: S-A}}\n"
    records = load_file(write(tmp_path, text), "suppliers")
    with pytest.raises(InputError) as err:
        services.register("suppliers", records, "staff:wang", at(REGISTERED_AT))
    assert "S-B" in err.value.message and "consortium.members" in err.value.message
    with services.store.reading() as tx:
        assert tx.count_events() == 0  # nothing written, S-A included
    later = write(tmp_path, GOOD.replace("S-A", "S-B").replace("甲", "乙").replace(
        "91510100MA61XY8127", "91510105MA6CJK8P31"), "b.yaml")
    services.register("suppliers", load_file(later, "suppliers"), "staff:wang",
                      at(REGISTERED_AT))
    assert services.register("suppliers", records, "staff:wang", at(REGISTERED_AT))["registered"] == 2


def test_csv_suppliers_carry_structures_as_json(tmp_path: Path) -> None:
    quals = json.dumps([{"type": "建筑工程施工总承包", "grade": "二级"}], ensure_ascii=False)
    text = ("id,name,uscc,legal_representative,independent_civil_liability,controlled_by,"
            "qualifications,net_assets\n"
            f'S-A,甲公司,91510100MA61XY8127,李,true,某集团;另一集团,"{quals.replace(chr(34), 2 * chr(34))}",'
            "12000000.00\n")
    [rec] = load_file(write(tmp_path, text, "s.csv"), "suppliers")
    assert rec["independent_civil_liability"] is True
    assert rec["controlled_by"] == ["某集团", "另一集团"]
    assert rec["qualifications"] == [{"type": "建筑工程施工总承包", "grade": "二级"}]
    bad = text.replace("true", "maybe")
    with pytest.raises(InputError, match="independent_civil_liability"):
        load_file(write(tmp_path, bad, "bad.csv"), "suppliers")
