"""``contract notice``: the notices a procurement publishes, filled from its log with the
templates in contracts/, recorded by hash (NoticeRendered), the same bytes from the same log."""

from __future__ import annotations

import hashlib
import io
import json
from typing import Any

import pytest

from tests.agreements.conftest import PID


def text_of(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "".join("".join((p.extract_text() or "").split())
                   for p in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize(("kind", "words"), [
    ("invitation", ("谈判邀请书", "受邀供应商", "四川华西城市建设有限公司", "2023-03-0809:30")),
    ("qualification", ("资格审查结果", "共审查3家", "通过")),
    ("candidates", ("成交候选人公示", "最后报价", "¥3,245,000.00")),
    ("award", ("成交通知书", "四川华西城市建设有限公司：", "91510105MA6CJK8P31",
               "¥3,245,000.00（人民币叁佰贰拾肆万伍仟元整）", "三十日内")),
])
def test_each_notice_is_filled_from_the_log_and_recorded_by_hash(awarded: Any, kind: str,
                                                               words: tuple[str, ...]) -> None:
    out = awarded.path(f"{kind}.pdf")
    res = awarded.run("--json", "contract", "notice", PID, kind, "--out", str(out))
    assert res.exit_code == 0, res.output
    result = json.loads(res.stdout)
    pdf = out.read_bytes()
    assert result["recorded"] and result["sha256"] == hashlib.sha256(pdf).hexdigest()
    [event] = awarded.events(("NoticeRendered",))
    assert event.payload["sha256"] == result["sha256"] and event.payload["kind"] == kind
    assert event.payload["source_seq"] == result["source"]["seq"]
    assert event.payload["template"]["file"].startswith("notice_")
    text = text_of(pdf)
    for word in words:
        assert word in text, (word, text[:400])
    assert "{" not in text and "None" not in text
    # the same log gives the same bytes; nothing new is recorded
    again = awarded.path(f"{kind}-again.pdf")
    res = awarded.run("--json", "contract", "notice", PID, kind, "--out", str(again))
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["recorded"] is False and again.read_bytes() == pdf
    assert len(awarded.events(("NoticeRendered",))) == 1


def test_a_notice_the_log_cannot_support_is_refused_and_nothing_written(awarded: Any) -> None:
    out = awarded.path("contract.pdf")
    res = awarded.run("contract", "notice", PID, "contract", "--out", str(out))
    assert res.exit_code == 1
    assert "nothing to publish as 合同公告 yet" in res.output and "ContractSigned" in res.output
    assert not out.exists() and awarded.events(("NoticeRendered",)) == []
    res = awarded.run("contract", "notice", PID, "tender", "--out", str(out))
    assert res.exit_code == 2 and "invitation" in res.output
    res = awarded.run("contract", "notice", PID, "award", "--out",
                      str(awarded.path("missing/x.pdf")))
    assert res.exit_code == 2 and "its folder does not exist" in res.output
    assert awarded.events(("NoticeRendered",)) == []
