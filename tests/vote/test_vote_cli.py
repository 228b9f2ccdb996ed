"""The vote from the command line: ``fire PROJECT record_vote --data VOTE.yaml`` reads the vote
file; a bad line exits 2 naming file, line and field, a vote that does not carry exits 1 naming
the measures and margins, and neither writes anything; status shows both measures with their
margins; the 浣花-like example runs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tenderflow.paths import examples_dir
from tests.cli.test_cli import events

EXAMPLE = examples_dir() / "project_huanhua_vote.yaml"
VOTE = examples_dir() / "data" / "huanhua" / "vote.yaml"
AT = "2023-04-16T18:00+08:00"


def consulted(tmp_path: Path) -> Path:
    """The example up to its consultation (the vote step and after cut off)."""
    text = EXAMPLE.read_text(encoding="utf-8")
    path = tmp_path / "consult.yaml"
    path.write_text(text[:text.index('  - at: "2023-04-16T18:00+08:00"')], encoding="utf-8")
    return path


def test_the_example_records_the_vote_and_status_shows_the_margins(invoke: Any) -> None:
    res = invoke("run", str(EXAMPLE))
    assert res.exit_code == 0, res.output
    assert "CD-HH-PJ=consented" in res.output
    res = invoke("--lang", "en", "status", "CD-HH-PJ")
    assert "participation: owners 1119 of 1260 (needed ≥ 2/3 = 840, margin +279)" in res.output
    assert ("parking (item 8, changing the use of common parts or using them for business, "
            "3/4) passed: owners 911 of 1119 (needed ≥ 3/4 = 840, "
            "margin +71); area 65453.57 m² of 80544.36 m² (needed ≥ 3/4 = 60408.27 m², "
            "margin +5045.30 m²)") in res.output
    res = invoke("--lang", "zh", "status", "CD-HH-PJ")
    assert "参与表决：人数 1119／1260（须 ≥ 2/3，即 840；差额 +279）" in res.output
    status = json.loads(invoke("--json", "status", "CD-HH-PJ").output)
    assert status["vote"]["ballots"] == 1138 and status["vote"]["held_on"] == "2023-04-16"
    assert "answers" not in json.dumps(status["vote"])  # the ballots stay in the event


def test_fire_with_a_vote_file(invoke: Any, db_url: str, tmp_path: Path) -> None:
    assert invoke("run", str(consulted(tmp_path))).exit_code == 0
    bad = tmp_path / "bad"
    bad.mkdir()
    shutil.copy(VOTE, bad / "vote.yaml")
    lines = (VOTE.parent / "ballots.csv").read_text(encoding="utf-8").splitlines()
    cells = lines[4].split(",")
    cells[2] = "0"
    lines[4] = ",".join(cells)
    (bad / "ballots.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = events(db_url)
    res = invoke("fire", "CD-HH-PJ", "record_vote", "--data", str(bad / "vote.yaml"),
                 "--at", AT)
    assert res.exit_code == 2, res.output
    assert f"{bad / 'ballots.csv'}:line 5: field 'area'" in res.output
    assert "Traceback" not in res.output and events(db_url) == before
    # a third of the flats: participation fails by both measures, each named with its margin
    (bad / "ballots.csv").write_text("\n".join(lines[:1] + lines[5:300]) + "\n",
                                     encoding="utf-8")
    res = invoke("fire", "CD-HH-PJ", "record_vote", "--data", str(bad / "vote.yaml"),
                 "--at", AT)
    assert res.exit_code == 1, res.output
    assert "vote.participation_min" in res.output and "民法典 第278条第2款" in res.output
    assert "short" in res.output and events(db_url) == before
    res = invoke("fire", "CD-HH-PJ", "record_vote", "--data", str(VOTE), "--at", AT)
    assert res.exit_code == 0, res.output
    assert "consulted → consented" in res.output
