"""``tenderflow contract verify`` in a real process, as a bank runs it: exit 0 for the signed
agreement, 1 naming the broken signature for a tampered copy, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TF = str(Path(sys.executable).parent / "tenderflow")


def _verify(path: Path, ws) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "TENDERFLOW_DB"}
    return subprocess.run([TF, "--db", ws.db, "contract", "verify", str(path), "--trust",
                           str(ws.path("keys/demo-ca.pem"))], check=False, cwd=ws.folder, env=env,
                          capture_output=True, text=True, timeout=120)


def test_verify_in_a_real_process(signed):
    ok = _verify(signed.path("agreement.pdf"), signed)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.count("intact yes, trusted yes") == 4 and ok.stderr == ""
    pdf = bytearray(signed.path("agreement.pdf").read_bytes())
    pdf[pdf.rindex(b"/Reason (") + 12] ^= 0x01
    bad = signed.path("tampered.pdf")
    bad.write_bytes(bytes(pdf))
    res = _verify(bad, signed)
    assert res.returncode == 1
    assert "broken signature Sig_subdistrict_office" in res.stderr
    assert "Traceback" not in res.stdout + res.stderr
