"""The demo ends with a signed financing package for the example award, which verifies — on
the business dates of the example, and still three years later under libfaketime."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from click.testing import CliRunner

from tenderflow.app.demo import run_demo
from tenderflow.domain.timeutil import parse_time
from tests.agreements.test_contract_subprocess import (
    TF,
    assert_clock_is_ahead,
    run_ahead,
)

# When the demo's audit checkpoint is sealed: a fixed time, so the test does not depend on
# the day it runs (the CLI's demo uses its clock).
SEALED_AT = parse_time("2024-01-02T09:00+08:00")


def test_demo_produces_a_signed_package_that_verifies(tmp_path):
    summary = run_demo(tmp_path, SEALED_AT)
    agreement = summary["agreement"]
    assert agreement["verified"] and agreement["package_verified"]
    assert agreement["signed"]["parties"] == ["implementing_agency", "social_capital",
                                              "residents_committee", "subdistrict_office"]
    folder = tmp_path / "agreement"
    for name in ("agreement.pdf", "package/manifest.pdf", "package/manifest.json",
                 "package/financial-summary.pdf", "keys/demo-ca.pem"):
        assert str(folder / name) in summary["artifacts"]
    assert {"render", "verify", "package"} <= set(agreement["seconds"])
    # a bank with the package and the CA, and the demo's log, verifies it independently
    from tenderflow.cli import cli

    res = CliRunner().invoke(cli, ["--db", f"sqlite:///{summary['db']}", "--json", "contract",
                                   "verify", str(folder / "package"), "--trust",
                                   str(folder / "keys/demo-ca.pem")])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["ok"] is True
    # the signatures bear the example's business dates: the agreement's date for the
    # agreement, the financing letter's for the manifest (PPP-2023-001: contract signed
    # 2023-11-10 09:30 and published 10:00, financing letter 2023-12-08)
    times = agreement["business_times"]
    assert agreement["procurement"] == "PPP-2023-001"
    assert times["sign implementing_agency"] == "2023-11-10T11:30:00+08:00"
    assert times["sign subdistrict_office"] == "2023-11-10T13:00:00+08:00"
    assert times["package"] == "2023-12-08T09:30:00+08:00"
    assert times["sign manifest subdistrict_office"] == "2023-12-08T11:30:00+08:00"
    report = json.loads(res.output)
    assert [s["signing_time"] for s in report["files"]["agreement.pdf"]["signatures"]] == [
        times[f"sign {p}"] for p in agreement["signed"]["parties"]]
    # a bank verifies the archived package three years later: the certificates have expired,
    # each signature is judged at its signing time
    assert_clock_is_ahead(tmp_path)
    late = run_ahead(TF, "--db", f"sqlite:///{summary['db']}", "--lang", "en", "contract",
                     "verify",
                     str(folder / "package"), "--trust", str(folder / "keys/demo-ca.pem"),
                     cwd=tmp_path)
    assert late.returncode == 0, late.stdout + late.stderr
    assert late.stdout.count("Signature valid: yes; certificate trusted: yes; file not changed since: yes") == 8
    # a bank that was sent the package (and has the CA) verifies it with no database at all
    bank_verifies_alone(folder / "package", folder / "keys/demo-ca.pem", tmp_path / "bank")
    # and the demo runs again into the same folder
    again = run_demo(tmp_path, SEALED_AT)
    assert again["agreement"]["verified"]
    assert again["agreement"]["business_times"] == times


def bank_verifies_alone(package: Path, ca: Path, bank: Path) -> None:
    """The package copied to an empty folder, ``tenderflow contract verify`` run there with no
    --db, no TENDERFLOW_DB and no tenderflow.db: exit 0, and it says the file alone was
    checked — in English and in Chinese; no database is created."""
    bank.mkdir()
    shutil.copytree(package, bank / "package")
    shutil.copy(ca, bank / "demo-ca.pem")
    env = {k: v for k, v in os.environ.items() if k != "TENDERFLOW_DB"}
    for lang, said in (("en", "The file alone was checked: no database was given"),
                       ("zh", "仅核验了文件本身：未提供数据库")):
        res = subprocess.run([TF, "--lang", lang, "contract", "verify", "package", "--trust",
                              "demo-ca.pem"], cwd=bank, env=env, capture_output=True,
                             text=True, timeout=120, check=False)
        assert res.returncode == 0, res.stdout + res.stderr
        assert said in res.stdout and res.stderr == ""
        assert res.stdout.count({"en": "Signer: ", "zh": "签署人："}[lang]) == 8
    assert sorted(p.name for p in bank.iterdir()) == ["demo-ca.pem", "package"]
    # one changed byte in a file of the package, and the bank is told
    cover = bank / "package" / "financing-cover.pdf"
    cover.write_bytes(cover.read_bytes() + b"\n")
    res = subprocess.run([TF, "--lang", "en", "contract", "verify", "package", "--trust",
                          "demo-ca.pem"], cwd=bank, env=env, capture_output=True, text=True,
                         timeout=120, check=False)
    assert res.returncode == 1
    assert "financing-cover.pdf: SHA-256 differs from the manifest" in res.stdout
    assert "Result: NOT VALID" in res.stdout
