"""Documents carry business time (issue 11, item 5): every contract command takes --at, each
event records it as occurred_at, a signature's signing time is its event's occurred_at, a key
not valid at --at is refused, verification judges each certificate at its signing time and
checks it against the log, and the documents print the recorded times in +08:00."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from click.testing import CliRunner

from tenderflow.domain.timeutil import SHANGHAI, parse_time
from tests.agreements.conftest import FINANCING, ORDER, PID, TERMS, Workspace
from tests.agreements.test_contract_cli import _text
from tests.conftest import HISTORIC_ENV

TRUST = "keys/demo-ca.pem"


def _documents(ws: Workspace, command: str) -> tuple[str, ...]:
    """The arguments of each contract command in a state where it would succeed."""
    return {
        "terms": ("contract", "terms", PID, str(TERMS)),
        "render": ("contract", "render", PID, "--out", str(ws.path("x.pdf"))),
        "sign": ("contract", "sign", PID, "--party", "implementing_agency", "--key",
                 str(ws.path("keys/implementing_agency.p12")), "--passphrase", "demo",
                 "--in", str(ws.path("rendered.pdf")), "--out", str(ws.path("x.pdf"))),
        "package": ("contract", "package", PID, "--agreement", str(ws.path("agreement.pdf")),
                    "--financing", str(FINANCING), "--out", str(ws.path("pkg"))),
    }[command]


@pytest.mark.parametrize("command", ["terms", "render", "sign", "package"])
@pytest.mark.parametrize("bad", ["yesterday", "2023-13-01T09:00", "2023-04-07 25:00"])
def test_a_bad_at_exits_2_naming_the_option(signed, command, bad):
    before = signed.version()
    res = signed.run(*_documents(signed, command), "--at", bad)
    assert res.exit_code == 2, res.output
    assert "--at" in res.output and repr(bad) in res.output
    assert "Traceback" not in res.output
    assert signed.version() == before
    assert not signed.path("x.pdf").exists() and not signed.path("pkg").exists()


def test_each_command_records_its_at_as_occurred_at(awarded):
    times = {"terms": "2023-04-07T09:15+08:00", "render": "2023-04-07T01:45:00Z",
             "package": "2023-04-20T09:30"}  # with an offset, in UTC, naive (Beijing)
    assert awarded.run("contract", "terms", PID, str(TERMS), "--at",
                       times["terms"]).exit_code == 0
    pdf = awarded.path("agreement.pdf")
    assert awarded.run("contract", "render", PID, "--out", str(pdf), "--at",
                       times["render"]).exit_code == 0
    signed_at = [f"2023-04-07T1{i}:00+08:00" for i in range(len(ORDER))]
    for party, when in zip(ORDER, signed_at, strict=True):
        res = awarded.sign(party, at=when)
        assert res.exit_code == 0, res.output
        assert f"signing time {parse_time(when).isoformat()}" in res.output
    res = awarded.run("contract", "package", PID, "--agreement", str(pdf), "--financing",
                      str(FINANCING), "--out", str(awarded.path("pkg")), "--at",
                      times["package"])
    assert res.exit_code == 0, res.output
    by_type = {e.type: e for e in awarded.events()}
    assert by_type["AgreementTermsRecorded"].occurred_at == "2023-04-07T09:15:00+08:00"
    assert parse_time(by_type["AgreementRendered"].occurred_at) == parse_time(times["render"])
    assert by_type["FinancingPackageAssembled"].occurred_at == "2023-04-20T09:30:00+08:00"
    assert [e.occurred_at for e in awarded.events(("AgreementSigned",))] == [
        parse_time(w).isoformat() for w in signed_at]


def test_without_at_a_command_happens_now_by_the_cli_clock(awarded):
    from tenderflow.cli import cli
    from tenderflow.clock import now

    before = now().replace(microsecond=0)
    res = CliRunner().invoke(cli, ["--db", awarded.db, "--as", "staff:wang", "contract",
                                   "terms", PID, str(TERMS)], env=HISTORIC_ENV)
    after = now()
    assert res.exit_code == 0, res.output
    [event] = awarded.events(("AgreementTermsRecorded",))
    assert before <= parse_time(event.occurred_at) <= after
    assert event.occurred_at.endswith("+08:00")


def test_the_signing_time_is_the_events_occurred_at(signed):
    """In the signature (CMS signingTime and /M), in verify's report and in the log: one
    instant per signature, in +08:00."""
    from tenderflow.documents.signing import _reader

    events = signed.events(("AgreementSigned",))
    recorded = [parse_time(e.occurred_at) for e in events]
    sigs = list(_reader(signed.path("agreement.pdf").read_bytes()).embedded_signatures)
    assert [s.self_reported_timestamp for s in sigs] == recorded
    assert recorded == [parse_time("2023-04-07T10:30+08:00") + timedelta(minutes=30 * i)
                        for i in range(4)]
    pdf = signed.path("agreement.pdf").read_bytes()
    for when in recorded:
        stamp = when.astimezone(SHANGHAI).strftime("%Y%m%d%H%M%S")
        assert f"D\\072{stamp}\\05308\\04700\\047".encode() in pdf  # /M (D:…+08'00')
    res = signed.run("contract", "verify", str(signed.path("agreement.pdf")), "--trust",
                     str(signed.path(TRUST)), as_json=True)
    assert res.exit_code == 0, res.output
    report = json.loads(res.output)
    assert [s["signing_time"] for s in report["signatures"]] == [e.occurred_at for e in events]
    assert [(t["seq"], t["agrees"]) for t in report["log"]["signing_times"]] == [
        (e.stream_seq, True) for e in events]
    text = signed.run("--lang", "en", "contract", "verify", str(signed.path("agreement.pdf")),
                      "--trust", str(signed.path(TRUST))).output
    assert "Signing time: 2023-04-07 10:30 (Beijing time), as declared by the signer" in text
    assert "Log: each signing time equals the time the log recorded the signature " \
           "(AgreementSigned #" in text


def test_a_key_not_valid_at_the_signing_time_is_refused(awarded):
    """The demo certificates are valid from the day before the procurement was opened
    (2023-02-28 09:00) for 730 days."""
    assert awarded.run("contract", "terms", PID, str(TERMS)).exit_code == 0
    pdf = awarded.path("agreement.pdf")
    assert awarded.run("contract", "render", PID, "--out", str(pdf)).exit_code == 0
    rendered, before = pdf.read_bytes(), awarded.version()
    res = awarded.sign("implementing_agency", dst="signed.pdf", at="2025-06-01T09:00+08:00")
    assert res.exit_code == 1, res.output
    assert ("key refused for implementing_agency: the certificate of 成都市青羊区住房和城乡建设局 "
            "is valid from 2023-02-28T09:00:00+08:00 to 2025-02-27T09:00:00+08:00, not at the "
            "signing time 2025-06-01T09:00:00+08:00 (--at)") in res.output
    assert awarded.version() == before
    assert pdf.read_bytes() == rendered and not awarded.path("signed.pdf").exists()
    # within its validity the same key signs
    assert awarded.sign("implementing_agency", at="2025-02-27T08:59+08:00").exit_code == 0


def test_a_signing_time_before_the_records_last_step_is_refused(awarded):
    assert awarded.run("contract", "terms", PID, str(TERMS)).exit_code == 0
    pdf = awarded.path("agreement.pdf")
    assert awarded.run("contract", "render", PID, "--out", str(pdf)).exit_code == 0
    before, rendered = awarded.version(), pdf.read_bytes()
    res = awarded.sign("implementing_agency", at="2023-04-07T09:00+08:00")
    assert res.exit_code == 2, res.output
    assert awarded.version() == before and pdf.read_bytes() == rendered


def test_keys_are_valid_from_the_procurement_not_the_wall_clock(awarded):
    from cryptography import x509

    ca = x509.load_pem_x509_certificate(awarded.path(TRUST).read_bytes())
    opened = parse_time(awarded.events()[0].occurred_at)
    assert opened.isoformat() == "2023-03-01T09:00:00+08:00"
    assert ca.not_valid_before_utc == opened - timedelta(days=1)


def test_documents_print_the_recorded_business_times_in_beijing_time(signed):
    """The award record's times are the log's (ProcurementAwarded at 2023-03-13 10:00 +08:00),
    the cover letter's date the agreement's, which its signatures bear, and the manifest's
    signatures carry the times recorded for them."""
    pkg = signed.path("package")
    res = signed.run("contract", "package", PID, "--agreement",
                     str(signed.path("agreement.pdf")), "--financing", str(FINANCING),
                     "--out", str(pkg), "--at", "2023-04-20T09:30+08:00")
    assert res.exit_code == 0, res.output
    award = "".join(_text((pkg / "award-record.pdf").read_bytes()))
    assert "确定时间（北京时间）2023-03-1310:00" in award
    stamps = re.findall(r"\d{4}-\d{2}-\d{2}\d{2}:\d{2}", award)
    recorded = {parse_time(e.occurred_at).astimezone(SHANGHAI).strftime("%Y-%m-%d%H:%M")
                for e in signed.events()}
    assert stamps and set(stamps) <= recorded
    # the letter names the agreement's date, the day its parties signed (AgreementSigned);
    # its own date (financing.date) is the file's creation date, in +08:00
    cover_pdf = (pkg / "financing-cover.pdf").read_bytes()
    assert "于2023年4月7日签订了项目合同" in "".join(_text(cover_pdf))
    assert {parse_time(e.occurred_at).date().isoformat()
            for e in signed.events(("AgreementSigned",))} == {"2023-04-07"}
    assert b"/CreationDate (D:20230420000000+08'00')" in cover_pdf
    for i, party in enumerate(ORDER):
        res = signed.sign(party, src="package/manifest.pdf",
                          at=f"2023-04-20T1{i}:00+08:00")
        assert res.exit_code == 0, res.output
    res = signed.run("contract", "verify", str(pkg), "--trust", str(signed.path(TRUST)),
                     as_json=True)
    assert res.exit_code == 0, res.output
    manifest = json.loads(res.output)["files"]["manifest.pdf"]
    assert [s["signing_time"] for s in manifest["signatures"]] == [
        f"2023-04-20T1{i}:00:00+08:00" for i in range(len(ORDER))]
