"""``tenderflow contract verify`` in a real process, as a bank runs it: exit 0 for the signed
agreement, 1 naming the broken signature for a tampered copy, never a traceback — and still 0
years later, under libfaketime, when the demo certificates have long expired."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

TF = str(Path(sys.executable).parent / "tenderflow")
# Three years ahead of the day the tests run (issue 11: "contract verify on the demo package
# passes under faketime three years ahead").
AHEAD = "+1100d"


def faketime() -> str:
    """The libfaketime wrapper; `make` installs it (Debian package faketime)."""
    found = shutil.which("faketime")
    if not found:
        raise AssertionError("the faketime program is missing: apt-get install faketime "
                             "(make installs it with the other system packages)")
    return found


def run_ahead(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A command with the system clock moved three years ahead."""
    env = {k: v for k, v in os.environ.items() if k != "TENDERFLOW_DB"}
    return subprocess.run([faketime(), "-f", AHEAD, *args], check=False, cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def assert_clock_is_ahead(cwd: Path) -> None:
    """The faked clock reaches Python (else the test below would prove nothing)."""
    from tenderflow.clock import now

    probe = run_ahead(sys.executable, "-c", "from tenderflow.clock import now; "
                      "print(now().isoformat())", cwd=cwd)
    assert probe.returncode == 0, probe.stderr
    ahead = datetime.fromisoformat(probe.stdout.strip()) - now()
    assert ahead.days >= 1099, f"faketime did not move the clock: {probe.stdout}"


def _verify(path: Path, ws) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "TENDERFLOW_DB"}
    return subprocess.run([TF, "--db", ws.db, "--lang", "en", "contract", "verify", str(path), "--trust",
                           str(ws.path("keys/demo-ca.pem"))], check=False, cwd=ws.folder, env=env,
                          capture_output=True, text=True, timeout=120)


def test_verify_in_a_real_process(signed):
    ok = _verify(signed.path("agreement.pdf"), signed)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.count("Signature valid: yes; certificate trusted: yes; file not changed since: yes") == 4 and ok.stderr == ""
    pdf = bytearray(signed.path("agreement.pdf").read_bytes())
    pdf[pdf.rindex(b"/Reason (") + 12] ^= 0x01
    bad = signed.path("tampered.pdf")
    bad.write_bytes(bytes(pdf))
    res = _verify(bad, signed)
    assert res.returncode == 1
    assert "broken signature Sig_subdistrict_office" in res.stderr
    assert "Traceback" not in res.stdout + res.stderr


def test_verify_three_years_later_under_faketime(signed):
    """The demo certificates (valid 2023-02-28 to 2025-02-27) are judged at each signature's
    signing time, which equals its AgreementSigned event's occurred_at; the wall clock, three
    years ahead, plays no part."""
    assert_clock_is_ahead(signed.folder)
    res = run_ahead(TF, "--db", signed.db, "--lang", "en", "contract", "verify",
                    str(signed.path("agreement.pdf")), "--trust",
                    str(signed.path("keys/demo-ca.pem")), cwd=signed.folder)
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.count("Signature valid: yes; certificate trusted: yes; file not changed since: yes") == 4
    assert "Signing time: 2023-04-07 10:30 (Beijing time), as declared by the signer" \
        in res.stdout
    assert "Log: each signing time equals the time the log recorded the signature " \
           "(AgreementSigned #" in res.stdout
    assert res.stderr == ""
