"""One racing officer: a separate OS process that drives procurements through the CLI.

Run as a script: ``python race_worker.py PLAN.json SEED OUT.jsonl``. The plan lists, per
procurement, the steps still to do (trigger, actor, time, data file) after a base version.
Each attempt reads ``status --json`` and fires the step that follows the version it saw,
half the time with ``--if-version`` (an officer acting on what is on screen), and records the
exit code and the version it got. Attempts are run through the real command (click's
``main``) inside this process, so that hundreds of them fit in a test.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path
from typing import Any


def run(cli: Any, args: list[str]) -> tuple[int, str, str]:
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, args)
    return result.exit_code, result.stdout, result.stderr


def main() -> None:
    plan_file, seed, out_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    plan = json.loads(Path(plan_file).read_text(encoding="utf-8"))
    from tenderflow.cli import cli

    rnd = random.Random(seed)
    db = plan["db"]
    while time.time() < plan.get("start_at", 0):  # line the workers up
        time.sleep(0.005)
    out = open(out_file, "w", encoding="utf-8")
    pids = list(plan["procurements"])
    weights = [plan["procurements"][p]["weight"] for p in pids]
    for _ in range(plan["attempts"]):
        pid = rnd.choices(pids, weights)[0]
        proc = plan["procurements"][pid]
        code, stdout, stderr = run(cli, ["--db", db, "--json", "status", pid])
        if code != 0:
            out.write(json.dumps({"procurement": pid, "kind": "status", "code": code,
                                  "stderr": stderr}) + "\n")
            continue
        seen = json.loads(stdout)["version"]
        index = seen - proc["base"]
        if index < len(proc["steps"]) and rnd.random() < 0.9:
            step = proc["steps"][index]
        else:  # a step out of order (already done, or a repeat)
            step = rnd.choice(proc["steps"])
        pin = rnd.random() < 0.5
        if step["trigger"] == "tick":
            args = ["--db", db, "--json", "tick", "--at", step["at"]]
        else:
            args = ["--db", db, "--as", step["as"], "--json", "fire", pid, step["trigger"],
                    "--at", step["at"]]
            if step.get("data"):
                args += ["--data", step["data"]]
            if pin:
                args += ["--if-version", str(seen)]
        code, stdout, stderr = run(cli, args)
        record: dict[str, Any] = {"procurement": pid, "kind": step["trigger"], "code": code,
                                  "seen": seen, "pinned": pin and step["trigger"] != "tick",
                                  "stderr": stderr[-2000:]}
        if code == 0:
            data = json.loads(stdout)
            if step["trigger"] == "tick":
                record["fired"] = [{"procurement": f["procurement"], "version": f["version"],
                                    "trigger": f["trigger"]}
                                   for f in data["fired"] if "version" in f]
            else:
                record["version"] = data["version"]
                record["global_seq"] = data["global_seq"]
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()
    out.close()


if __name__ == "__main__":
    main()
