"""The financing-approval package: documents plus a manifest of SHA-256 hashes."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

import pytest

from tenderflow.documents.finance import financial_summary
from tenderflow.documents.package import build_package, check_package, manifest_bytes
from tenderflow.documents.pdf import render_agreement, render_document
from tenderflow.errors import InputError


def test_package_writes_documents_and_manifest(tmp_path, signed_agreement, sample_data,
                                               contracts, record_digest):
    from tenderflow.domain.finance.loan import Loan

    summary = financial_summary("40000000.00", ["4800000.00"] * 10,
                                discount_rate=Decimal("0.06"),
                                loan=Loan(Decimal("28000000.00"), Decimal("0.042"), 12, 2))
    sample_data["finance"] = summary.package_fields()
    documents = {
        "agreement.pdf": signed_agreement,
        "financing-cover.pdf": render_agreement(contracts / "financing_cover.yaml",
                                                sample_data, record_digest),
        "eligibility-report.pdf": render_document(
            "资格审查报告", [{"heading": "结论", "body": ["乙方符合资格条件。"]}], record_digest),
        "award-record.pdf": render_document(
            "采购结果记录", [{"heading": "成交供应商", "body": ["成都安居城市更新有限公司"]}],
            record_digest),
        "financial-summary.pdf": render_document("财务摘要", summary.sections(), record_digest),
    }
    manifest = build_package(tmp_path / "pkg", documents)
    assert [f["name"] for f in manifest["files"]] == sorted(documents)
    for entry in manifest["files"]:
        data = (tmp_path / "pkg" / entry["name"]).read_bytes()
        assert data == documents[entry["name"]]
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["bytes"] == len(data)
    on_disk = (tmp_path / "pkg" / "manifest.json").read_bytes()
    assert json.loads(on_disk) == manifest
    assert on_disk == manifest_bytes(manifest)
    assert check_package(tmp_path / "pkg") == []
    # same documents, same manifest bytes
    build_package(tmp_path / "again", documents)
    assert (tmp_path / "again" / "manifest.json").read_bytes() == on_disk


def test_check_package_finds_changed_and_missing_files(tmp_path):
    build_package(tmp_path, {"a.pdf": b"one", "b.pdf": b"two"})
    (tmp_path / "a.pdf").write_bytes(b"One")
    (tmp_path / "b.pdf").unlink()
    assert check_package(tmp_path) == ["a.pdf: SHA-256 differs from the manifest",
                                       "b.pdf: missing"]


@pytest.mark.parametrize("name", ["../x.pdf", "sub/x.pdf", "manifest.json", ".hidden", ""])
def test_bad_names_refused_before_writing(tmp_path, name):
    with pytest.raises(InputError):
        build_package(tmp_path / "pkg", {"ok.pdf": b"1", name: b"2"})
    assert not (tmp_path / "pkg").exists()
