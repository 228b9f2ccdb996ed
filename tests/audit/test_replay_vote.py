"""``audit replay`` re-decides the vote from its recorded ballots: a ResidentsVoteRecorded
forged with answers that do not carry a 3/4 matter (hashes valid) is refused with its rule, the
measure and the margin; the recorded tally is recomputed, not trusted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tenderflow.audit.replay import replay
from tenderflow.audit.verify import verify_store
from tenderflow.paths import examples_dir
from tests.audit.test_replay_project import forge, one, stored

INTAKE = "intake:CD-HH-PJ"


@pytest.fixture
def huanhua(services: Any) -> Any:
    from tenderflow.app.scenario import run_scenario

    report = run_scenario(services, examples_dir() / "project_huanhua_vote.yaml")
    assert report.ok, report.to_dict()
    return services


def test_the_vote_is_re_decided(huanhua: Any) -> None:
    result = one(replay(huanhua.store, "CD-HH-PJ"), INTAKE)
    assert result.ok and result.decided == 2, result.to_dict()


def test_a_vote_forged_to_carry_the_business_use_is_refused(huanhua: Any,
                                                            db_path: Path) -> None:
    store = huanhua.store
    vote = stored(store, INTAKE, 3)
    assert vote.type == "ResidentsVoteRecorded"
    # 72 owners who said yes to parking now say no: 911 − 72 = 839, one short of 840
    turned = 0
    seen: set[str] = set()
    for ballot in vote.payload["data"]["ballots"]:
        if ballot["answers"]["parking"] == "yes" and (ballot["owner"] in seen or turned < 72):
            if ballot["owner"] not in seen:
                turned += 1
                seen.add(ballot["owner"])
            ballot["answers"]["parking"] = "no"
    forge(store, db_path, INTAKE, 2, [vote])
    assert verify_store(store)[0].ok
    result = one(replay(store, "CD-HH-PJ"), INTAKE)
    v = result.violation
    assert v is not None and v.type == "ResidentsVoteRecorded" and v.kind == "refused"
    [refusal] = [r for r in v.refusals if r["rule"] == "vote.special_majority_min"]
    assert refusal["numbers"]["question"] == "parking"
    assert refusal["numbers"]["owners_margin"] == -1
    assert "owners 839 of 1119, needed ≥ 3/4 = 840: 1 short" in refusal["reason"]
