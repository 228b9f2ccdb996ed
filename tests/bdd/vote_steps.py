"""Steps of features/project/业主表决.feature (the owners' vote, 民法典 第278条). They register a
small project whose households and exclusive area the feature row gives, take its intake to
``consulted`` and record a vote built from the row's counts (tests/vote/ballots.py) through the
application services — the same ``record_vote`` the CLI's ``tenderflow vote`` fires. Imported by
tests/bdd/test_project.py, which runs features/project/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytest_bdd import given, parsers, then, when

from tenderflow.app.common import parse_time
from tenderflow.app.owners_vote import record_vote_file
from tenderflow.app.registration import validate_projects
from tenderflow.errors import InputError, TenderflowError
from tests.bdd.conftest import World
from tests.conftest import REGISTERED_AT
from tests.vote.ballots import QUESTION_IDS, REVENUE, SCOPE, vote_data

ACTOR = "staff:wang"
START, CONSULT, VOTE = ("2023-04-01T09:00+08:00", "2023-04-08T18:00+08:00",
                        "2023-04-16T18:00+08:00")


@given(parsers.parse('项目 "{pid}" 共 {households:d} 户、专有部分面积 "{area}" 平方米，已征求居民意见'))
def _project(world: World, pid: str, households: int, area: str) -> None:
    record = {"id": pid, "name": "老旧小区改造项目（业主表决特征用例）", "city": "成都市",
              "district": "青羊区", "community": "浣花社区", "built_year": 1992,
              "households": households, "floor_area": area,
              "estimated_investment": "800000.00", "procurement_category": "works",
              "scope": SCOPE, "revenue_sources": REVENUE}
    world.services.register("projects", validate_projects([("feature", record)], "feature"),
                            "staff:test", parse_time(REGISTERED_AT))
    world.services.open_procurement(pid, pid, "project", ACTOR, parse_time(START))
    world.services.fire(pid, "consult", {"meetings": [
        {"date": "2023-04-08", "place": "浣花社区居民议事厅", "participants": 40}]},
        ACTOR, parse_time(CONSULT))


@when(parsers.parse('业主表决 "{pid}"：{n:d} 户参与、面积 "{area}" 平方米，事项 "{question}" 全部同意'))
def _all_agree(world: World, pid: str, n: int, area: str, question: str) -> None:
    assert question in QUESTION_IDS
    world.fire(pid, "record_vote", vote_data(n, area), ACTOR, VOTE)


@when(parsers.parse('业主表决 "{pid}"：{n:d} 户参与、面积 "{area}" 平方米，事项 "{question}" '
                    '{yes:d} 户同意、面积 "{yes_area}" 平方米'))
def _some_agree(world: World, pid: str, n: int, area: str, question: str, yes: int,
                yes_area: str) -> None:
    world.fire(pid, "record_vote", vote_data(n, area, QUESTION_IDS[question], yes, yes_area),
               ACTOR, VOTE)


@when(parsers.parse('业主表决 "{pid}" 只表决事项 "{question}"：{n:d} 户参与、面积 "{area}" 平方米，'
                    '全部同意'))
def _only(world: World, pid: str, question: str, n: int, area: str) -> None:
    world.fire(pid, "record_vote", vote_data(n, area, only=[QUESTION_IDS[question]]), ACTOR,
               VOTE)


@when(parsers.parse('业主表决 "{pid}"，业主 "{owner}" 的两个专有部分一个同意一个反对'))
def _owner_disagrees(world: World, pid: str, owner: str) -> None:
    data = vote_data(8, "800.00")
    for ballot, answer in zip(data["ballots"][:2], ("yes", "no"), strict=True):
        ballot["owner"] = owner
        ballot["answers"]["business"] = answer
    world.fire(pid, "record_vote", data, ACTOR, VOTE)


@when(parsers.parse('以表决票文件记录 "{pid}" 的业主表决，其第 {line:d} 行面积为 "{value}"'))
def _bad_file(world: World, pid: str, line: int, value: str, tmp_path: Path) -> None:
    data = vote_data(8, "800.00")
    rows = ["unit,owner,area,plan,business"] + [
        ",".join([b["unit"], b["owner"], b["area"], "同意", "同意"]) for b in data["ballots"]]
    cells = rows[line - 1].split(",")
    cells[2] = value
    rows[line - 1] = ",".join(cells)
    (tmp_path / "ballots.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    import yaml

    (tmp_path / "vote.yaml").write_text(yaml.safe_dump(
        {"questions": data["questions"], "ballots": {"file": "ballots.csv"}},
        allow_unicode=True), encoding="utf-8")
    world.error = None
    world.events_before = world.count()
    try:
        world.result = record_vote_file(world.services, pid, tmp_path / "vote.yaml", ACTOR,
                                        parse_time(VOTE))
    except TenderflowError as exc:
        world.error = exc


def _refusal(world: World) -> Any:
    refusals = getattr(world.error, "refusals", None)
    assert refusals, f"not refused: {world.error or world.result}"
    return refusals


@then(parsers.parse('拒绝指明度量 "{measure}"，实际 "{value}"，至少需要 "{required}"，差额 "{margin}"'))
def _names_measure(world: World, measure: str, value: str, required: str, margin: str) -> None:
    hits = [r for r in _refusal(world) if measure in r.numbers.get("measures", [])]
    assert hits, [(r.rule, r.numbers) for r in _refusal(world)]
    n = hits[0].numbers
    assert (str(n[measure]), str(n[f"{measure}_required"]), str(n[f"{measure}_margin"])) == \
        (value, required, margin), n
    assert len(n["measures"]) == 1, n  # only the measure short is named
    word = "owners" if measure == "owners" else "exclusive area"
    assert f"{word} {value}" in hits[0].reason and "short" in hits[0].reason, hits[0].reason


@then(parsers.parse('拒绝指明未涵盖 "{name}"'))
def _names_gap(world: World, name: str) -> None:
    hits = [r for r in _refusal(world) if r.rule == "vote.covers_project"]
    assert hits and hits[0].numbers["uncovered"] == [name], hits


@then(parsers.parse('项目 "{pid}" 的状态为 "{state}"'))
def _project_state(world: World, pid: str, state: str) -> None:
    assert world.services.state(pid)["state"] == state, world.error and world.error.message


def _vote(world: World, pid: str) -> dict[str, Any]:
    vote = world.services.status(pid)["vote"]
    assert vote and "participation" in vote, vote
    return vote


@then(parsers.parse('项目 "{pid}" 的表决结果显示参与表决人数差额 "{owners}"、面积差额 "{area}"'))
def _participation_margins(world: World, pid: str, owners: str, area: str) -> None:
    p = _vote(world, pid)["participation"]
    assert (str(p["owners"]["margin"]), p["area"]["margin"]) == (owners, area), p
    assert p["passed"]


@then(parsers.parse('项目 "{pid}" 的表决结果显示事项 "{question}" 人数差额 "{owners}"、'
                    '面积差额 "{area}"'))
def _decision_margins(world: World, pid: str, question: str, owners: str, area: str) -> None:
    [d] = [d for d in _vote(world, pid)["decisions"] if d["question"] == QUESTION_IDS[question]]
    assert (str(d["owners"]["margin"]), d["area"]["margin"]) == (owners, area), d
    assert d["passed"]


@then(parsers.parse('输入被拒绝，指明文件 "{name}"、"{location}"、字段 "{field}" 和 "{expected}"'))
def _input_refused(world: World, name: str, location: str, field: str, expected: str) -> None:
    assert isinstance(world.error, InputError), world.error or world.result
    message = world.error.message
    assert f"{name}:{location}: field '{field}'" in message and expected in message, message


@then("没有记录任何内容")
def _nothing_written(world: World) -> None:
    assert world.count() == world.events_before
