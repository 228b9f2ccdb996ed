"""The demo ends with a signed financing package for the example award, which verifies."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tenderflow.demo import run_demo


def test_demo_produces_a_signed_package_that_verifies(tmp_path):
    summary = run_demo(tmp_path)
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
    # and the demo runs again into the same folder
    again = run_demo(tmp_path)
    assert again["agreement"]["verified"]
