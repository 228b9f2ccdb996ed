"""Vote files read line by line: every error names the file, the line, the field and what was
expected, and nothing comes back from a refused file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenderflow.app.owners_vote import read_vote
from tenderflow.errors import InputError

QUESTIONS = """\
questions:
  - id: parking
    matter: common_parts_use
    title: 利用小区公共空地设置收费停车位
    covers: [停车收费]
  - id: works
    matter: majority
    title: 改造方案
    covers: [外墙保温, 雨污分流]
"""


def vote(tmp_path: Path, csv_text: str) -> Path:
    (tmp_path / "ballots.csv").write_text(csv_text, encoding="utf-8")
    path = tmp_path / "vote.yaml"
    path.write_text(QUESTIONS + "ballots: {file: ballots.csv}\n", encoding="utf-8")
    return path


HEADER = "unit,owner,area,parking,works\n"


def test_a_valid_csv_vote_becomes_the_record_vote_data(tmp_path: Path) -> None:
    path = vote(tmp_path, HEADER + "1-1-101,张三,72.45,同意,同意\n1-1-102,张三,60,同意,同意\n"
                                   "1-1-201,李四,80.5,反对,弃权\n\n")
    result = read_vote(path)
    assert [b["unit"] for b in result.data["ballots"]] == ["1-1-101", "1-1-102", "1-1-201"]
    assert result.data["ballots"][1] == {"unit": "1-1-102", "owner": "张三", "area": "60.00",
                                         "answers": {"parking": "yes", "works": "yes"}}
    assert result.data["ballots"][2]["answers"] == {"parking": "no", "works": "abstain"}
    assert result.data["questions"][1]["covers"] == ["外墙保温", "雨污分流"]
    assert result.data["source"] == {"file": "vote.yaml", "sha256": result.sha256}
    assert len(result.sha256) == 64


def test_the_hash_covers_the_ballots(tmp_path: Path) -> None:
    one = read_vote(vote(tmp_path, HEADER + "1,a,1,yes,yes\n")).sha256
    two = read_vote(vote(tmp_path, HEADER + "1,a,1,yes,no\n")).sha256
    assert one != two


@pytest.mark.parametrize(("rows", "where", "field", "expected"), [
    ("1,a,72.45,同意,同意\n1,b,60,反对,同意\n", "line 3", "unit", "one ballot per unit"),
    ("1,a,0,同意,同意\n", "line 2", "area", "more than 0"),
    ("1,a,-3,同意,同意\n", "line 2", "area", "more than 0"),
    ("1,a,72.456,同意,同意\n", "line 2", "area", "at most two"),
    ("1,a,七十,同意,同意\n", "line 2", "area", "m²"),
    ("1,a,72,同意,也许\n", "line 2", "works", "同意, 反对 or 弃权"),
    ("1,a,72,同意,\n", "line 2", "works", "同意, 反对 or 弃权"),
    ("1,,72,同意,同意\n", "line 2", "owner", "property register"),
    ("1,a,72,同意,同意\n2,a,60,反对,同意\n", "line 3", "parking", "one answer per owner"),
    ("1,a,72,同意\n", "line 2", None, "unit, owner, area, parking, works"),
])
def test_a_bad_ballot_line_is_named(tmp_path: Path, rows: str, where: str, field: str | None,
                                    expected: str) -> None:
    path = vote(tmp_path, HEADER + rows)
    with pytest.raises(InputError) as err:
        read_vote(path)
    message = err.value.message
    assert f"{tmp_path / 'ballots.csv'}:{where}" in message
    if field:
        assert f"field '{field}'" in message
    assert expected in message


@pytest.mark.parametrize(("header", "field"), [
    ("unit,owner,area,parking\n", "works"),
    ("unit,owner,area,parking,works,extra\n", "extra"),
    ("unit,owner,parking,works\n", "area"),
])
def test_a_bad_header_names_the_column(tmp_path: Path, header: str, field: str) -> None:
    with pytest.raises(InputError) as err:
        read_vote(vote(tmp_path, header + "1,a,1,yes,yes\n"))
    assert ":line 1:" in err.value.message and f"field '{field}'" in err.value.message


def test_inline_yaml_ballots_are_named_by_their_line(tmp_path: Path) -> None:
    path = tmp_path / "vote.yaml"
    path.write_text(QUESTIONS + """\
ballots:
  - {unit: "1", owner: a, area: "72.45", answers: {parking: 同意, works: 反对}}
  - {unit: "2", owner: b, area: 72.45, answers: {parking: 同意, works: 反对}}
""", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_vote(path)
    assert f"{path}:line 12: field 'area'" in err.value.message
    assert '"72.45"' in err.value.message  # a YAML float is refused: write the area as text
    path.write_text(path.read_text(encoding="utf-8").replace("area: 72.45", 'area: "72.4"'),
                    encoding="utf-8")
    data = read_vote(path).data
    assert [b["area"] for b in data["ballots"]] == ["72.45", "72.40"]


@pytest.mark.parametrize(("questions", "field", "expected"), [
    ("questions:\n  - {id: p, matter: parking, title: t, covers: [x]}\n", "matter",
     "common_parts_use"),
    ("questions:\n  - {id: p, matter: rebuild, title: t, covers: []}\n", "covers",
     "scope items"),
    ("questions:\n  - {id: unit, matter: rebuild, title: t, covers: [x]}\n", "id", "not unit"),
    ("questions:\n  - {id: p, matter: rebuild, title: t}\n", "covers", None),
    ("questions:\n  - {id: p, matter: rebuild, title: t, covers: [x], when: 1}\n", "when",
     "id, matter, title, covers"),
    ("questions: []\n", "questions", "a list of"),
])
def test_a_bad_question_is_named(tmp_path: Path, questions: str, field: str,
                                 expected: str | None) -> None:
    path = tmp_path / "vote.yaml"
    path.write_text(questions + "ballots: []\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_vote(path)
    assert str(path) in err.value.message and f"field '{field}'" in err.value.message
    if expected:
        assert expected in err.value.message


def test_a_csv_alone_is_refused_saying_what_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "ballots.csv"
    path.write_text(HEADER, encoding="utf-8")
    with pytest.raises(InputError, match="questions"):
        read_vote(path)


def test_a_missing_ballot_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "vote.yaml"
    path.write_text(QUESTIONS + "ballots: {file: nowhere.csv}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_vote(path)
    assert "nowhere.csv: file not found" in err.value.message


def test_no_ballots_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no ballots"):
        read_vote(vote(tmp_path, HEADER))


def test_held_on_is_a_date(tmp_path: Path) -> None:
    path = vote(tmp_path, HEADER + "1,a,1,yes,yes\n")
    path.write_text(path.read_text(encoding="utf-8") + 'held_on: "2023-4-16"\n',
                    encoding="utf-8")
    with pytest.raises(InputError, match="field 'held_on'"):
        read_vote(path)
    path.write_text(path.read_text(encoding="utf-8").replace("2023-4-16", "2023-04-16"),
                    encoding="utf-8")
    assert read_vote(path).data["held_on"] == "2023-04-16"
