"""Several real processes firing on the same procurement at once (SQLite file).

Every attempt is either applied on top of the latest state (exit 0) or refused (exit 1 by a
guard, exit 3 by a conflict); no sequence number twice, no event lost, every chain intact.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

from tenderflow.paths import examples_dir
from tenderflow.store.canonical import GENESIS, sha256_hex

TF = str(Path(sys.executable).parent / "tenderflow")


def test_processes_racing_on_one_procurement(tmp_path: Path) -> None:
    db = tmp_path / "race.db"
    scenario = tmp_path / "s.yaml"
    text = (examples_dir() / "negotiation_failed.yaml").read_text(encoding="utf-8")
    text = text.replace("file: data/", f"file: {examples_dir()}/data/")
    # Stop once the documents are issued: responses are what the processes race on.
    scenario.write_text(text[:text.index("  - {at: \"2023-04-06T10:00")], encoding="utf-8")
    env = {**os.environ, "TENDERFLOW_DB": f"sqlite:///{db}"}
    assert subprocess.run([TF, "run", str(scenario)], env=env, capture_output=True,
                          timeout=120).returncode == 0
    con = sqlite3.connect(db)
    version = con.execute("SELECT version FROM streams WHERE stream_id='procurement:CN-2023-002'"
                          ).fetchone()[0]
    con.close()
    data = {}
    for sid in ("S-CDJG", "S-HXJS", "S-SLGC"):
        data[sid] = tmp_path / f"{sid}.yaml"
        data[sid].write_text(f"supplier: {sid}\n", encoding="utf-8")
    attempts = []
    for sid in ("S-CDJG", "S-HXJS", "S-SLGC", "S-CDJG", "S-HXJS", "S-SLGC"):
        attempts.append([TF, "--as", f"supplier:{sid}", "fire", "CN-2023-002", "submit_response",
                         "--data", str(data[sid]), "--at", "2023-04-06T10:00+08:00"])
    for _ in range(4):  # officers acting on the view they had (version before the race)
        attempts.append([TF, "--as", "staff:wang", "fire", "CN-2023-002", "submit_response",
                         "--data", str(data["S-CDJG"]), "--at", "2023-04-06T10:00+08:00",
                         "--if-version", str(version)])
    procs = [subprocess.Popen(a, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for a in attempts]
    outcomes = Counter()
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode in (0, 1, 3), err
        assert "Traceback" not in err
        outcomes[p.returncode] += 1
    # Three distinct suppliers: exactly three responses are applied, whoever wins each race.
    assert outcomes[0] == 3, outcomes
    assert outcomes[1] + outcomes[3] == len(attempts) - 3
    con = sqlite3.connect(db)
    from tenderflow.store.eventstore import EventStore

    store = EventStore(f"sqlite:///{db}")
    with store.reading() as tx:
        rows = list(tx.raw_events(stream_id="procurement:CN-2023-002"))
    store.dispose()
    assert [r.stream_seq for r in rows] == list(range(1, version + 4))
    prev = GENESIS
    for row in rows:
        assert json.loads(row.body)["prev_hash"] == prev and sha256_hex(row.body) == row.hash
        prev = row.hash
    assert con.execute("SELECT count(*) FROM events").fetchone()[0] == \
        con.execute("SELECT count(DISTINCT global_seq) FROM events").fetchone()[0]
    con.close()
