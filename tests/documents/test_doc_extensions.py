"""What the application needs from the documents layer: keywords naming the record a PDF
belongs to, a template's own signature-page note, a key file's identity, the manifest table."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from tenderflow.documents.filling import fill
from tenderflow.documents.finance import financial_summary
from tenderflow.documents.keys import key_info
from tenderflow.documents.pdf import render_agreement
from tenderflow.documents.reports import enclosures, manifest_document
from tenderflow.documents.signing import pdf_metadata
from tenderflow.documents.templates import read_template
from tenderflow.errors import DefinitionError, InputError
from tests.documents.conftest import KEYS_FROM, SIGNED_AT


def _text(pdf: bytes) -> str:
    return "".join(re.sub(r"\s+", "", p.extract_text() or "")
                   for p in PdfReader(BytesIO(pdf)).pages)


def test_keywords_name_the_procurement_and_document(sample_data, contracts, record_digest):
    pdf = render_agreement(contracts / "agreement.yaml", sample_data, record_digest,
                           keywords=["procurement=CD-2025-001", "document=agreement"])
    meta = pdf_metadata(pdf)
    assert meta["procurement"] == "CD-2025-001" and meta["document"] == "agreement"
    assert meta["record_digest"] == record_digest
    for bad in ("procurement=a;b", "Bad=1", "novalue"):
        with pytest.raises(InputError, match="not a keyword"):
            render_agreement(contracts / "agreement.yaml", sample_data, record_digest,
                             keywords=[bad])


def test_signature_note_replaces_the_default(sample_data, contracts, record_digest):
    cover = render_agreement(contracts / "financing_cover.yaml", sample_data, record_digest)
    text = _text(cover)
    assert "本函为融资审批文件包的组成部分，不单独签署" in text
    assert "依次以可靠的电子签名签署。各方的电子签名嵌入本文件" not in text
    agreement = _text(render_agreement(contracts / "agreement.yaml", sample_data, record_digest))
    assert "各方的电子签名嵌入本文件" in agreement


def test_read_template_gives_the_data_to_pin(contracts, tmp_path):
    template, raw = read_template(contracts / "agreement.yaml")
    assert raw["id"] == template.id == "ppp-renovation-agreement"
    dup = tmp_path / "dup.yaml"
    dup.write_text("id: a\nid: b\n", encoding="utf-8")
    with pytest.raises(DefinitionError, match="duplicate key"):
        read_template(dup)


def test_key_info_describes_the_certificate(demo_keys, registered_parties):
    info = key_info(demo_keys.party_keys["social_capital"], "demo")
    assert info.identity.matches(registered_parties["social_capital"]) == []
    assert info.identity.matches(registered_parties["residents_committee"])
    assert info.valid_at(SIGNED_AT) and info.validity_problem(SIGNED_AT) is None
    assert info.not_before == KEYS_FROM - dt.timedelta(days=1)
    assert not info.valid_at(info.not_before - dt.timedelta(seconds=1))
    assert not info.valid_at(info.not_after + dt.timedelta(days=1))
    assert "tenderflow Demo CA" in info.issuer and len(info.sha256) == 64
    with pytest.raises(InputError, match="passphrase"):
        key_info(demo_keys.party_keys["social_capital"], "nope")


def test_manifest_table_goes_into_the_files_clause(sample_data, contracts):
    template, _ = read_template(contracts / "package_manifest.yaml")
    data = {**sample_data, "package": {"file_count": 2, "manifest_sha256": "a" * 64,
                                       "agreement_sha256": "b" * 64, "agreement_event": 9}}
    manifest = {"files": [{"name": "agreement.pdf", "bytes": 1234, "sha256": "c" * 64},
                          {"name": "award-record.pdf", "bytes": 99, "sha256": "d" * 64}]}
    index = [c.id for c in template.clauses].index("files")
    doc = manifest_document(fill(template, data), manifest, index)
    table = doc.clauses[index].body[-1]
    assert table.columns == ("文件", "字节数", "SHA-256")
    assert [r[2] for r in table.rows] == ["c" * 64, "d" * 64]
    assert table.rows[0][1] == "1,234"
    assert enclosures(["financial-summary.pdf", "agreement.pdf"]) == \
        "项目合同（agreement.pdf）、财务摘要（financial-summary.pdf）"


def test_revenue_sources_keep_their_usual_order_whatever_the_key_order():
    plan = [{"parking": "1.00", "property_fees": "2.00"}, {"idle_space": "1.00",
                                                          "elevators": "1.00"}]
    summary = financial_summary("10.00", plan)
    assert summary.streams() == ["property_fees", "parking", "elevators", "idle_space"]
    table = summary.sections()[1]["body"][0]  # the revenue table, laid out
    heads = [cell.text for cell in table._cellvalues[0]]
    assert heads == ["年度", "物业服务", "停车", "加装电梯运营", "闲置空间租赁", "收入合计"]


def test_award_record_shows_what_the_mode_recorded():
    from types import SimpleNamespace

    from tenderflow.documents.reports import award_record_sections

    state = {
        "project": {"name": "某项目", "estimated_investment": "100.00",
                    "purchaser": {"name": "某局"}},
        "award": {"supplier": "S-B", "price": "90.00", "at": "2023-10-30T09:00:00+08:00"},
        "prequal": {"attempts": 2, "results": {"S-A": {"passed": False, "reason": "业绩不足"},
                                               "S-B": {"passed": True, "reason": None}}},
        "bids": {"S-B": {"price": "90.00"}, "S-C": {"price": "80.00"}},
        "ranked": [{"rank": 1, "supplier": "S-B", "score": "91.5"}],
        "confirmation": {"talks": [{"supplier": "S-B", "agreed": True,
                                    "changes": [{"term": "结算周期", "core": False}]}]},
        "contract": {"at": "2023-11-10T10:00:00+08:00", "value": "90.00",
                     "performance_bond": "9.00"},
    }
    award = SimpleNamespace(type="ProcurementAwarded", stream_seq=7, hash="e" * 64, payload={
        "trigger": "award", "checks": [{"rule": "tender.rank", "source": "条例 第55条"}]},
        occurred_at="2023-10-30T09:00:00+08:00", stream_id="procurement:P-1",
        schema_version=1, actor="staff:zhao", pins={}, body=None)
    sections = award_record_sections("P-1", state, [award], "公开招标",
                                     {"name": "乙公司", "uscc": "91510100MA61XY8127"})
    headings = [s["heading"] for s in sections]
    # the award's record digest (what it records, not when it was entered), not its hash
    from tenderflow.documents.record import record_digest

    assert record_digest(award) in sections[2]["body"][0] and "e" * 64 not in str(sections)
    assert headings == ["采购项目", "采购结果", "核验的规则", "资格预审结果", "投标报价",
                        "评审排名", "采购结果确认谈判", "合同签订记录", "采购过程"]
    prequal = sections[3]["body"][1]["table"]["rows"]
    assert prequal == [["S-A", "未通过", "业绩不足"], ["S-B", "通过", "—"]]
    bids = sections[4]["body"][1]["table"]["rows"]
    assert [r[0] for r in bids] == ["S-C", "S-B"]  # lowest first
    assert "结算周期" in sections[6]["body"][0]["table"]["rows"][0][2]
    # a state without those records gives only the common sections
    plain = award_record_sections("P-1", {"project": {}, "award": {}}, [], "竞争性谈判", None)
    assert [s["heading"] for s in plain] == ["采购项目", "采购结果", "采购过程"]
