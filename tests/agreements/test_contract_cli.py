"""The agreement end to end through the CLI: terms from the record, render, four parties sign in
turn, verification against the log, refusals that write nothing (issue 6, "Done when")."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from PIL import Image
from pypdf import PdfReader

from tests.agreements.conftest import FINANCING, ORDER, PID, TERMS, Workspace
from tests.conftest import at

AWARD_CAPITAL = "人民币叁佰贰拾肆万伍仟元整"  # the award price 3,245,000.00 in 大写
PARTIES = {
    "implementing_agency": ("成都市青羊区住房和城乡建设局", "11510105009210735X"),
    "social_capital": ("四川华西城市建设有限公司", "91510105MA6CJK8P31"),
    "residents_committee": ("成都市青羊区草堂街道浣花社区居民委员会", "55510105MEB7L2H64C"),
    "subdistrict_office": ("成都市青羊区人民政府草堂街道办事处", "11510105009215842F"),
}


def _text(pdf: bytes) -> list[str]:
    return [re.sub(r"\s+", "", p.extract_text() or "") for p in PdfReader(BytesIO(pdf)).pages]


def _terms(tmp: Path, change: dict | None = None, drop: tuple[str, ...] = ()) -> Path:
    """The example terms with some fields changed (dotted path → value) or dropped."""
    data = yaml.safe_load(TERMS.read_text(encoding="utf-8"))
    for path in drop:
        *parents, leaf = path.split(".")
        node = data
        for key in parents:
            node = node[key]
        del node[leaf]
    for path, value in (change or {}).items():
        *parents, leaf = path.split(".")
        node = data
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = value
    out = tmp / "terms.yaml"
    out.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return out


def _head(ws: Workspace) -> tuple[int, str]:
    events = ws.events()
    return events[-1].stream_seq, events[-1].hash


# --- terms -----------------------------------------------------------------------------------


def test_terms_record_the_derived_fields_and_the_parties(awarded):
    res = awarded.run("contract", "terms", PID, str(TERMS), as_json=True)
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    [event] = awarded.events(("AgreementTermsRecorded",))
    assert out["seq"] == event.stream_seq and out["hash"] == event.hash
    derived = event.payload["derived"]
    assert derived["investment"]["total"] == "3245000.00"  # the award price
    assert derived["procurement"] == {"id": PID, "method": "竞争性谈判",
                                      "award_date": "2023-03-13"}
    assert derived["project"]["households"] == 1279
    assert {r: (p["name"], p["uscc"]) for r, p in event.payload["parties"].items()} == PARTIES
    assert event.payload["sources"]["parties.social_capital.uscc"].startswith("supplier S-HXJS")
    assert event.payload["finance"] == {"payback_years": "8.52", "irr_percent": "6.08"}
    assert set(event.pins) == {"workflow", "parameters", "calendar", "template"}
    # the same terms again record nothing new
    again = awarded.run("contract", "terms", PID, str(TERMS), as_json=True)
    assert again.exit_code == 0 and json.loads(again.output)["recorded"] is False
    assert len(awarded.events(("AgreementTermsRecorded",))) == 1


def test_terms_may_not_contradict_the_record_or_give_identities(awarded, tmp_path):
    before = awarded.version()
    bad = _terms(tmp_path, {"investment.total": "4000000.00",
                            "parties.residents_committee.uscc": "55510105MEB7L2H64C",
                            "scope.basci": "typo", "colour": "red"})
    res = awarded.run("contract", "terms", PID, str(bad))
    assert res.exit_code == 2
    msg = res.output
    assert "terms.yaml" in msg and "4 problem(s)" in msg
    assert "'investment.total' comes from the procurement record" in msg
    assert "award price" in msg
    assert "'parties.residents_committee.uscc': a party's name and 统一社会信用代码" in msg
    assert "'scope.basci' is not used by the template agreement.yaml" in msg
    assert "fields under 'scope': scope.basic, scope.enhancement, scope.improvement" in msg
    assert "'colour' is not used" in msg
    assert awarded.version() == before


def test_terms_missing_fields_are_all_listed_and_nothing_recorded(awarded, tmp_path):
    before = awarded.version()
    bad = _terms(tmp_path, drop=("disputes", "term.start_date", "bond.operation"))
    res = awarded.run("contract", "terms", PID, str(bad))
    assert res.exit_code == 2
    assert "4 field(s) missing for the template agreement.yaml" in res.output
    for field in ("disputes.mediator", "disputes.court", "term.start_date", "bond.operation"):
        assert field in res.output
    assert awarded.version() == before


def test_terms_values_that_do_not_fit_are_refused(awarded, tmp_path):
    bad = _terms(tmp_path, {"investment.basic": "2000000.00",  # no longer adds up
                            "agreement.date": "2023-02-30", "term.concession_years": 12.5})
    res = awarded.run("contract", "terms", PID, str(bad))
    assert res.exit_code == 2
    assert "term.concession_years" in res.output and "12.5" in res.output
    bad = _terms(tmp_path, {"investment.basic": "2000000.00", "agreement.date": "2023-02-30"})
    res = awarded.run("contract", "terms", PID, str(bad))
    assert res.exit_code == 2
    assert "基础类、完善类、提升类投资之和应等于项目总投资" in res.output
    assert "2023-02-30" in res.output
    assert awarded.events(("AgreementTermsRecorded",)) == []


def test_a_party_without_a_registered_uscc_is_named(awarded, tmp_path):
    services = awarded.services()
    with services.store.reading() as tx:
        project = services.profile(tx, "project", "CD-HH-2023")
    del project["residents_committee"]["uscc"]
    services.register("projects", [project], "staff:wang", at("2025-01-02T09:00+08:00"))
    services.store.dispose()
    res = awarded.run("contract", "terms", PID, str(TERMS))
    assert res.exit_code == 2
    assert "parties.residents_committee.uscc" in res.output
    assert "come from the registry: register them" in res.output


def test_terms_and_render_are_refused_unless_awarded(awarded, tmp_path):
    services = awarded.services()
    services.open_procurement("CN-2023-009", "CD-HH-2023", "competitive_negotiation",
                              "staff:wang", at("2023-03-20T09:00+08:00"))
    services.store.dispose()
    out = tmp_path / "x.pdf"
    for args in (("contract", "terms", "CN-2023-009", str(TERMS)),
                 ("contract", "render", "CN-2023-009", "--out", str(out)),
                 ("keys", "demo", "CN-2023-009", "--out", str(tmp_path / "k"))):
        res = awarded.run(*args)
        assert res.exit_code == 1, res.output
        assert "refused in state 'created'" in res.output
        assert "agreement.after_award" in res.output and "政府采购法 第46条" in res.output
    assert not out.exists() and not (tmp_path / "k").exists()


# --- render ----------------------------------------------------------------------------------


def test_render_before_terms_lists_every_missing_field(awarded):
    out = awarded.path("agreement-draft.pdf")
    res = awarded.run("contract", "render", PID, "--out", str(out))
    assert res.exit_code == 2
    assert "field(s) missing for the template agreement.yaml" in res.output
    for field in ("agreement.number", "scope.basic", "revenue.parking", "disputes.court",
                  "parties.social_capital.address"):
        assert field in res.output
    assert "project.name" not in res.output.split("missing")[1]  # the record provides it
    assert "tenderflow contract terms" in res.output
    assert not out.exists()


def test_render_writes_the_agreement_and_records_its_hash(awarded):
    assert awarded.run("contract", "terms", PID, str(TERMS)).exit_code == 0
    head_seq, head_hash = _head(awarded)
    from tenderflow.documents.record import record_digest

    [terms] = awarded.events(("AgreementTermsRecorded",))
    digest = record_digest(terms)
    out = awarded.path("agreement.pdf")
    res = awarded.run("contract", "render", PID, "--out", str(out), as_json=True)
    assert res.exit_code == 0, res.output
    pdf = out.read_bytes()
    import hashlib

    [event] = awarded.events(("AgreementRendered",))
    assert event.payload["sha256"] == hashlib.sha256(pdf).hexdigest()
    # the terms record's digest, not its chain hash (which covers the time it was recorded)
    assert terms.stream_seq == head_seq and digest != head_hash
    assert event.payload["terms_digest"] == digest and event.payload["terms_seq"] == head_seq
    assert "log_hash" not in event.payload
    assert event.payload["signing_order"] == ORDER
    assert event.pins["template"] == awarded.events(("AgreementTermsRecorded",))[0].pins[
        "template"]
    pages = _text(pdf)
    text = "".join(pages)
    for name, uscc in PARTIES.values():
        assert name in text and uscc in text
    assert f"¥3,245,000.00（{AWARD_CAPITAL}）" in text
    assert "竞争性谈判方式（采购编号：CN-2023-001）" in text
    for number, page in enumerate(pages, start=1):  # the terms record's digest on each page
        assert digest in page and f"第{number}页共{len(pages)}页" in page
        assert "条款记录摘要" in page and head_hash not in page
    # rendering again gives the same bytes and records nothing new
    again = awarded.path("again.pdf")
    res2 = awarded.run("contract", "render", PID, "--out", str(again), as_json=True)
    assert res2.exit_code == 0 and json.loads(res2.output)["recorded"] is False
    assert again.read_bytes() == pdf
    assert len(awarded.events(("AgreementRendered",))) == 1


def test_rendered_title_area_is_not_blank(awarded):
    assert awarded.run("contract", "terms", PID, str(TERMS)).exit_code == 0
    pdf = awarded.path("agreement.pdf")
    assert awarded.run("contract", "render", PID, "--out", str(pdf)).exit_code == 0
    pdftoppm, pdftotext = shutil.which("pdftoppm"), shutil.which("pdftotext")
    if not pdftoppm or not pdftotext:
        pytest.fail("pdftoppm and pdftotext are needed: apt-get install poppler-utils")
    subprocess.run([pdftoppm, "-r", "144", "-f", "1", "-l", "1", "-png", str(pdf),
                    str(awarded.path("page"))], check=True)
    (png,) = awarded.folder.glob("page*.png")
    subprocess.run([pdftotext, "-bbox", "-f", "1", "-l", "1", str(pdf),
                    str(awarded.path("bbox.html"))], check=True)
    html = awarded.path("bbox.html").read_text(encoding="utf-8")
    boxes = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                       r'([^<]*)</word>', html)
    title = max((b for b in boxes if "政府和社会资本合作项目合同" in b[4]),
                key=lambda b: float(b[3]) - float(b[1]))
    x0, y0, x1, y1 = (float(v) * 2 for v in title[:4])  # points → pixels at 144 dpi
    with Image.open(png) as img:
        gray = img.convert("L")
        region = gray.crop((int(x0), int(y0), int(x1) + 1, int(y1) + 1))
        dark = sum(region.histogram()[:128])
        blank = gray.crop((0, int(y0), 60, int(y1) + 1))  # the margin beside it
        assert sum(blank.histogram()[:128]) == 0
    assert dark > 0.05 * region.width * region.height


def test_a_template_asking_for_more_lists_the_missing_fields(awarded, tmp_path):
    from tenderflow.paths import contracts_dir

    assert awarded.run("contract", "terms", PID, str(TERMS)).exit_code == 0
    text = (contracts_dir() / "agreement.yaml").read_text(encoding="utf-8")
    text = text.replace("closing:\n", "closing:\n  - \"监管银行：{escrow.bank}；账号：{escrow.account}。\"\n")
    template = tmp_path / "agreement-v2.yaml"
    template.write_text(text, encoding="utf-8")
    out = tmp_path / "v2.pdf"
    res = awarded.run("contract", "render", PID, "--out", str(out), "--template", str(template))
    assert res.exit_code == 2
    assert "2 field(s) missing for the template agreement-v2.yaml: escrow.bank, escrow.account"\
        in res.output
    assert "recorded terms (event #" in res.output
    assert not out.exists() and awarded.events(("AgreementRendered",)) == []


# --- sign and verify -------------------------------------------------------------------------


def test_four_parties_sign_in_turn_and_verify_reports_them(signed):
    res = signed.run("contract", "verify", str(signed.path("agreement.pdf")), "--trust",
                     str(signed.path("keys/demo-ca.pem")), as_json=True)
    assert res.exit_code == 0, res.output
    report = json.loads(res.output)
    assert report["ok"] is True and report["procurement"] == PID
    sigs = report["signatures"]
    assert [s["role"] for s in sigs] == ORDER
    for s in sigs:
        assert (s["signer"], s["signer_uscc"]) == PARTIES[s["role"]]
        assert s["intact"] and s["trusted"] and s["valid"] and s["identity_ok"]
        assert s["signing_time"] and s["problems"] == []
    assert [s["coverage"] for s in sigs] == ["ENTIRE_REVISION"] * 3 + ["ENTIRE_FILE"]
    assert [s["modification_level"] for s in sigs] == ["FORM_FILLING"] * 3 + ["NONE"]
    signed_events = signed.events(("AgreementSigned",))
    assert [e.payload["party"] for e in signed_events] == ORDER
    assert report["log"]["ok"] and report["log"]["matches"].startswith(
        f"AgreementSigned #{signed_events[-1].stream_seq}")
    import hashlib

    assert signed_events[-1].payload["sha256"] == hashlib.sha256(
        signed.path("agreement.pdf").read_bytes()).hexdigest()
    assert signed_events[0].payload["signer"]["name"] == PARTIES["implementing_agency"][0]
    # text output: one line per signature with its signer, then the log
    text = signed.run("contract", "verify", str(signed.path("agreement.pdf")), "--trust",
                      str(signed.path("keys/demo-ca.pem")), lang="zh").output
    assert text.count("签名有效：是；证书可信：是；签署后文件未被改动：是") == 4
    assert "采购日志：文件与采购日志记录的一致（AgreementSigned" in text
    assert text.count("签署人：") == 4 and "结论：通过" in text
    en = signed.run("--lang", "en", "contract", "verify", str(signed.path("agreement.pdf")),
                    "--trust", str(signed.path("keys/demo-ca.pem"))).output
    assert en.count("Signature valid: yes; certificate trusted: yes; file not changed "
                    "since: yes") == 4
    assert "Log: the file is the one the procurement log recorded (AgreementSigned" in en
    assert "签名" not in en and "Result: VALID" in en
    # the technical detail only under --verbose
    assert "coverage ENTIRE_FILE" not in en
    verbose = signed.run("--lang", "en", "contract", "verify", "--verbose",
                         str(signed.path("agreement.pdf")), "--trust",
                         str(signed.path("keys/demo-ca.pem"))).output
    assert "coverage ENTIRE_FILE, modification level NONE" in verbose


def test_each_signature_is_an_incremental_update_of_the_rendered_file(signed):
    rendered = signed.path("rendered.pdf").read_bytes()
    previous = rendered
    for party in ORDER:
        current = signed.path(f"after-{party}.pdf").read_bytes()
        assert current.startswith(previous) and len(current) > len(previous)
        previous = current


def _flip(data: bytes, index: int) -> bytes:
    out = bytearray(data)
    out[index] ^= 0x01
    return bytes(out)


def test_flipped_byte_in_the_content_breaks_every_signature(signed):
    pdf = signed.path("agreement.pdf").read_bytes()
    bad = signed.path("tampered.pdf")
    bad.write_bytes(_flip(pdf, pdf.index(b"stream", 1000) + 200))
    res = signed.run("--lang", "en", "contract", "verify",
                     str(bad), "--trust",
                     str(signed.path("keys/demo-ca.pem")))
    assert res.exit_code == 1
    for role in ORDER:
        assert f"broken signature Sig_{role} (not intact)" in res.output
    assert "differs from the hash in the log" in res.output


def test_flipped_byte_under_the_last_signature_names_only_it(signed):
    pdf = signed.path("agreement.pdf").read_bytes()
    index = pdf.rindex(b"/Reason (") + 12  # in the last signature's own dictionary
    bad = signed.path("tampered.pdf")
    bad.write_bytes(_flip(pdf, index))
    res = signed.run("--lang", "en", "contract", "verify",
                     str(bad), "--trust",
                     str(signed.path("keys/demo-ca.pem")), as_json=True)
    assert res.exit_code == 1
    report = json.loads(res.output.split("\nerror:")[0])
    broken = [s["field"] for s in report["signatures"] if s["problems"]]
    assert broken == ["Sig_subdistrict_office"]
    assert "broken signature Sig_subdistrict_office" in res.output
    assert "Sig_implementing_agency (" not in res.output


def test_a_file_whose_hash_differs_from_the_log_is_reported(signed):
    """Signed by the same four keys outside tenderflow: every signature holds, but the file is
    not the one the log recorded."""
    from tenderflow.documents.signing import sign_pdf

    pdf = signed.path("rendered.pdf").read_bytes()
    for party, event in zip(ORDER, signed.events(("AgreementSigned",)), strict=True):
        name, uscc = PARTIES[party]
        pdf = sign_pdf(pdf, signed.path(f"keys/{party}.p12"), "demo", party,
                       {"name": name, "uscc": uscc},
                       signing_time=at(event.occurred_at) + timedelta(days=1))
    other = signed.path("other.pdf")
    other.write_bytes(pdf)
    res = signed.run("--lang", "en", "contract", "verify",
                     str(other), "--trust",
                     str(signed.path("keys/demo-ca.pem")), as_json=True)
    assert res.exit_code == 1
    report = json.loads(res.output.split("\nerror:")[0])
    assert all(not s["problems"] for s in report["signatures"])
    assert report["log"]["ok"] is False
    assert "differs from the hash in the log: AgreementSigned" in report["log"]["problems"][0]
    assert "the file's SHA-256 differs from the log (AgreementSigned #" in res.output
    # and its signatures declare other times than the log recorded for them
    assert [t["agrees"] for t in report["log"]["signing_times"]] == [False] * 4
    assert "Sig_implementing_agency declares the signing time 2023-04-08T10:30:00+08:00, but " \
           "AgreementSigned #" in " ".join(report["log"]["problems"])


def test_a_file_signed_by_fewer_parties_than_the_log_says(signed):
    res = signed.run("--lang", "en", "contract", "verify",
                     str(signed.path("after-social_capital.pdf")),
                     "--trust", str(signed.path("keys/demo-ca.pem")))
    assert res.exit_code == 1
    assert "not signed by residents_committee, subdistrict_office" in res.output
    assert "it is the agreement as signed by social_capital" in res.output


def test_verify_without_the_log_checks_signatures_only(signed, tmp_path):
    args = ("--lang", "en", "contract", "verify",
            str(signed.path("agreement.pdf")), "--trust",
            str(signed.path("keys/demo-ca.pem")))
    res = signed.run(*args, "--no-log", "--db", f"sqlite:///{tmp_path / 'none.db'}")
    assert res.exit_code == 0 and "The file alone was checked: --no-log was given" in res.output
    res = signed.run(*args, "--db", f"sqlite:///{tmp_path / 'none.db'}")
    assert res.exit_code == 2 and "no database" in res.output


def test_an_untrusted_root_fails(signed, tmp_path):
    from tenderflow.documents.keys import make_demo_keys

    other = make_demo_keys(tmp_path / "other", {"x": {"name": "某公司", "uscc":
                                                      "91510100MA61XY8127"}},
                           valid_from=at("2023-03-01T09:00+08:00"))
    res = signed.run("--lang", "en", "contract", "verify",
                     str(signed.path("agreement.pdf")), "--trust",
                     str(other.ca_cert))
    assert res.exit_code == 1
    assert res.output.count("Problem: the signer's certificate is not from a trusted "
                            "authority") == 4
    assert "certificate trusted: NO" in res.output and "Result: NOT VALID" in res.output


def test_wrong_key_is_refused_and_nothing_recorded(awarded):
    assert awarded.run("contract", "terms", PID, str(TERMS)).exit_code == 0
    pdf = awarded.path("agreement.pdf")
    assert awarded.run("contract", "render", PID, "--out", str(pdf)).exit_code == 0
    rendered = pdf.read_bytes()
    before = awarded.version()
    res = awarded.sign("implementing_agency", dst="signed.pdf", key="social_capital")
    assert res.exit_code == 1
    assert "agreement.signer_identity" in res.output and "电子签名法 第13条" in res.output
    assert "certificate O is '四川华西城市建设有限公司'" in res.output
    assert awarded.version() == before
    assert pdf.read_bytes() == rendered and not awarded.path("signed.pdf").exists()
    # a key that cannot be opened is bad input
    res = awarded.run("contract", "sign", PID, "--party", "implementing_agency", "--key",
                      str(awarded.path("keys/implementing_agency.p12")), "--passphrase",
                      "wrong", "--in", str(pdf))
    assert res.exit_code == 2 and "passphrase" in res.output
    assert awarded.version() == before and pdf.read_bytes() == rendered


def test_out_of_turn_and_twice_are_refused(awarded):
    assert awarded.run("contract", "terms", PID, str(TERMS)).exit_code == 0
    assert awarded.run("contract", "render", PID, "--out",
                       str(awarded.path("agreement.pdf"))).exit_code == 0
    before = awarded.version()
    res = awarded.sign("residents_committee")
    assert res.exit_code == 1
    assert "implementing_agency, social_capital must sign first" in res.output
    assert awarded.version() == before
    assert awarded.sign("implementing_agency").exit_code == 0
    res = awarded.sign("implementing_agency")
    assert res.exit_code == 1 and "already signed" in res.output
    res = awarded.sign("guarantor")
    assert res.exit_code == 2 and "not a signing party" in res.output


def test_signing_a_file_that_is_not_the_recorded_one_is_refused(signed):
    # the rendered (unsigned) file, once the log has four signatures
    before = signed.version()
    res = signed.sign("subdistrict_office", src="rendered.pdf", dst="x.pdf")
    assert res.exit_code == 1
    assert "is not a document CN-2023-001 expects to be signed" in res.output
    assert "signed by subdistrict_office" in res.output
    assert signed.version() == before and not signed.path("x.pdf").exists()


def test_terms_are_fixed_once_signing_began(signed, tmp_path):
    res = signed.run("contract", "terms", PID, str(_terms(tmp_path, {"bond.due_days": 20})))
    assert res.exit_code == 1
    assert "agreement.terms_fixed_once_signed" in res.output
    # rendering the same agreement again is fine (same bytes), and records nothing
    out = signed.path("again.pdf")
    before = signed.version()
    assert signed.run("contract", "render", PID, "--out", str(out)).exit_code == 0
    assert out.read_bytes() == signed.path("rendered.pdf").read_bytes()
    assert signed.version() == before


def test_the_folded_state_is_the_stored_snapshot(signed):
    """Replaying the stream gives the same agreement state as the snapshot the commands kept."""
    from tenderflow.domain.state import fold_all

    services = signed.services()
    stored = services.state(PID)
    services.store.dispose()
    replayed = fold_all(PID, signed.events())
    assert replayed["agreement"] == stored["agreement"]
    assert [s["party"] for s in stored["agreement"]["signatures"]] == ORDER
    assert replayed["state"] == "awarded"  # the records do not move the workflow


def test_keys_demo_refuses_a_folder_that_already_has_keys(awarded):
    res = awarded.run("keys", "demo", PID, "--out", str(awarded.path("keys")))
    assert res.exit_code == 2 and "already holds demo keys" in res.output


def test_roles(awarded):
    res = awarded.run("contract", "terms", PID, str(TERMS), actor="auditor:zhao")
    assert res.exit_code == 1 and "may not record terms" in res.output


# --- the financing package -------------------------------------------------------------------


def test_package_is_refused_until_every_party_signed(awarded, tmp_path):
    assert awarded.run("contract", "terms", PID, str(TERMS)).exit_code == 0
    pdf = awarded.path("agreement.pdf")
    assert awarded.run("contract", "render", PID, "--out", str(pdf)).exit_code == 0
    assert awarded.sign("implementing_agency").exit_code == 0
    res = awarded.run("contract", "package", PID, "--agreement", str(pdf), "--financing",
                      str(FINANCING), "--out", str(tmp_path / "pkg"))
    assert res.exit_code == 1
    assert "social_capital, residents_committee, subdistrict_office still to sign" in res.output
    assert not (tmp_path / "pkg").exists()


def test_package_signed_by_all_and_verified(signed):
    import hashlib

    pkg = signed.path("package")
    res = signed.run("contract", "package", PID, "--agreement",
                     str(signed.path("agreement.pdf")), "--financing", str(FINANCING),
                     "--out", str(pkg), as_json=True)
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    names = sorted(p.name for p in pkg.iterdir())
    assert names == ["agreement.pdf", "award-record.pdf", "eligibility-report.pdf",
                     "financial-summary.pdf", "financing-cover.pdf", "manifest.json",
                     "manifest.pdf"]
    assert out["left_out"] == []
    manifest = json.loads((pkg / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        assert hashlib.sha256((pkg / entry["name"]).read_bytes()).hexdigest() == entry["sha256"]
    [event] = signed.events(("FinancingPackageAssembled",))
    assert event.payload["manifest_sha256"] == hashlib.sha256(
        (pkg / "manifest.json").read_bytes()).hexdigest() == out["manifest_sha256"]
    assert event.payload["agreement_sha256"] == hashlib.sha256(
        signed.path("agreement.pdf").read_bytes()).hexdigest()
    # the model's figures with the financing file's loan (2,100,000 at 3.95 %, 8 years, 1 of
    # grace, equal principal) and 5 % discount: year 1 net 70,000 over interest 82,950 → 0.84
    assert event.payload["finance"] == {
        "payback_years": "8.52", "irr_percent": "6.08", "discounted_payback_years": "11.14",
        "npv": "225337.61", "npv_wan": "22.53", "discount_rate_percent": "5.00",
        "min_dscr": "0.84", "average_dscr": "1.20", "loan_rate_percent": "3.95",
        "grace_years": "1", "repayment": "等额本金"}
    assert event.payload["financing"]["bank"] == "中国建设银行股份有限公司成都青羊支行"
    assert {"cover_template", "manifest_template", "workflow"} <= set(event.pins)
    summary = "".join(_text((pkg / "financial-summary.pdf").read_bytes()))
    assert "静态投资回收期8.52年，全投资内部收益率（税前）6.08%" in summary
    assert "按5.00%折现的净现值22.53万元；贷款期内最低偿债备付率0.84，平均1.20" in summary
    assert "项目总投资324.50万元" in summary
    # every input names the event it came from
    [terms] = signed.events(("AgreementTermsRecorded",))
    assert f"各年收入和运营成本：本采购记录第{terms.stream_seq}号事件" in summary
    from tenderflow.documents.record import record_digest

    assert record_digest(terms)[:16] in summary  # not the chain hash: it covers recorded_at
    assert terms.hash[:16] not in summary
    assert "贷款条件和折现率：融资文件CN-2023-001-financing.yaml" in summary
    award = "".join(_text((pkg / "award-record.pdf").read_bytes()))
    assert "四川华西城市建设有限公司" in award and "negotiation.lowest_price" in award
    cover = "".join(_text((pkg / "financing-cover.pdf").read_bytes()))
    assert "¥2,100,000.00（人民币贰佰壹拾万元整）" in cover and "award-record.pdf" in cover
    assert "社会资本方资格审查报告（eligibility-report.pdf）" in cover
    from tenderflow.app.eligibility import recorded, report_pdf

    services = signed.services()
    assert (pkg / "eligibility-report.pdf").read_bytes() == report_pdf(recorded(services, PID))
    services.store.dispose()
    manifest_text = "".join(_text((pkg / "manifest.pdf").read_bytes()))
    assert event.payload["manifest_sha256"] in manifest_text
    for entry in manifest["files"]:
        assert entry["sha256"] in manifest_text
    # the parties sign the manifest in turn; the bank verifies the whole folder
    for party in ORDER:
        assert signed.sign(party, src="package/manifest.pdf").exit_code == 0
    assert [e.payload["party"] for e in signed.events(("FinancingPackageSigned",))] == ORDER
    res = signed.run("--lang", "en", "contract", "verify", str(pkg), "--trust",
                     str(signed.path("keys/demo-ca.pem")))
    assert res.exit_code == 0, res.output
    assert res.output.count("Signature valid: yes; certificate trusted: yes; file not changed "
                            "since: yes") == 8
    assert "Every file of the package is the one the signed manifest lists" in res.output
    # a changed file in the package is named
    cover_pdf = pkg / "financing-cover.pdf"
    cover_pdf.write_bytes(cover_pdf.read_bytes() + b"\n")
    res = signed.run("--lang", "en", "contract", "verify", str(pkg), "--trust",
                     str(signed.path("keys/demo-ca.pem")))
    assert res.exit_code == 1
    assert "financing-cover.pdf: SHA-256 differs from the manifest" in res.output
    # assembling again into the folder does not overwrite the signed manifest
    res = signed.run("contract", "package", PID, "--agreement",
                     str(signed.path("agreement.pdf")), "--financing", str(FINANCING),
                     "--out", str(pkg))
    assert res.exit_code == 2 and "manifest.pdf" in res.output


def test_package_refuses_a_bad_financing_file(signed, tmp_path):
    bad = tmp_path / "financing.yaml"
    bad.write_text("financing:\n  bank: 某银行\n  rate: 3.1\n", encoding="utf-8")
    before = signed.version()
    res = signed.run("contract", "package", PID, "--agreement",
                     str(signed.path("agreement.pdf")), "--financing", str(bad),
                     "--out", str(tmp_path / "pkg"))
    assert res.exit_code == 2
    assert "financing.yaml" in res.output and "'financing.rate' is not used" in res.output
    bad.write_text("financing:\n  bank: 某银行\n", encoding="utf-8")
    res = signed.run("contract", "package", PID, "--agreement",
                     str(signed.path("agreement.pdf")), "--financing", str(bad),
                     "--out", str(tmp_path / "pkg"))
    assert res.exit_code == 2
    for field in ("financing.date", "financing.amount", "financing.contact_phone",
                  "financing.rate_percent", "financing.repayment",
                  "financing.discount_rate_percent"):
        assert field in res.output
    assert signed.version() == before and not (tmp_path / "pkg").exists()


def test_package_needs_the_recorded_signed_agreement(signed, tmp_path):
    res = signed.run("contract", "package", PID, "--agreement",
                     str(signed.path("after-social_capital.pdf")), "--financing",
                     str(FINANCING), "--out", str(tmp_path / "pkg"))
    assert res.exit_code == 1
    assert "is not the agreement as the log last recorded it" in res.output


def test_the_audit_verifies_and_replays_the_agreement_records(signed):
    """The records chain like every event; replay folds them to the stored projections."""
    res = signed.run("audit", "verify")
    assert res.exit_code == 0, res.output
    res = signed.run("audit", "replay", PID)
    assert res.exit_code == 0, res.output


def test_an_agreement_dated_before_the_award_is_refused(awarded, tmp_path):
    res = awarded.run("contract", "terms", PID,
                      str(_terms(tmp_path, {"agreement.date": "2023-03-10"})))
    assert res.exit_code == 1
    assert "agreement.date_within_contract_period" in res.output
    assert "dated 2023-03-10, before the award of 2023-03-13" in res.output
    assert awarded.events(("AgreementTermsRecorded",)) == []


def test_a_pdf_the_log_never_recorded(signed, sample_pdf):
    other = signed.path("sample.pdf")
    other.write_bytes(sample_pdf)
    res = signed.run("contract", "verify", str(other), "--trust",
                     str(signed.path("keys/demo-ca.pem")))
    assert res.exit_code == 1
    assert "no procurement in the log" in res.output and "recorded this file" in res.output
    assert "the document has no signatures" in res.output


@pytest.fixture
def sample_pdf():
    """The sample agreement rendered by the library alone: in no procurement's log."""
    from tenderflow.documents.pdf import render_agreement
    from tenderflow.paths import contracts_dir

    data = yaml.safe_load((contracts_dir() / "sample-data.yaml").read_text(encoding="utf-8"))
    return render_agreement(contracts_dir() / "agreement.yaml", data, "0" * 64)


def test_a_step_whose_record_fails_leaves_no_file(awarded, monkeypatch, tmp_path):
    """Outputs are staged beside their targets and moved into place only once recorded."""
    from tenderflow.app.agreements import Agreements
    from tenderflow.errors import ConcurrencyConflict

    services = awarded.services()
    agreements = Agreements(services)
    agreements.record_terms(PID, TERMS, "staff:wang", at("2023-04-07T09:30+08:00"))

    def conflict(*args, **kwargs):
        raise ConcurrencyConflict("another officer acted first")

    monkeypatch.setattr(services, "record", conflict)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ConcurrencyConflict):
        agreements.render(PID, out / "agreement.pdf", "staff:wang", at("2023-04-07T10:00+08:00"))
    assert list(out.iterdir()) == []
    monkeypatch.undo()
    agreements.render(PID, awarded.path("agreement.pdf"), "staff:wang",
                      at("2023-04-07T10:00+08:00"))
    for party in ORDER:
        assert awarded.sign(party).exit_code == 0
    monkeypatch.setattr(services, "record", conflict)
    with pytest.raises(ConcurrencyConflict):
        agreements.package(PID, awarded.path("agreement.pdf"), FINANCING, out / "pkg" / "x",
                           "staff:wang", at("2023-04-20T09:30+08:00"))
    assert list(out.iterdir()) == []  # not even the folders it made
    services.store.dispose()
