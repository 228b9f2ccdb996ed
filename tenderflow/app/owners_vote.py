"""The owners' vote file (民法典 第278条): read and validated line by line, turned into the data
of the project's ``record_vote`` step.

A vote file is YAML::

    questions:                       # what the owners were asked, each an owners' matter
      - id: parking                  # letters, digits, '.', '_', '-'
        matter: common_parts_use     # majority | maintenance_funds | rebuild | common_parts_use
        title: 利用小区公共空地设置收费停车位
        covers: [停车收费]            # the project's scope items / revenue streams it decides
    ballots: {file: ballots.csv}     # or a list of {unit, owner, area, answers: {parking: 同意}}
    held_on: "2023-04-16"            # optional: the day the vote was held

and a ballot CSV has the header ``unit,owner,area,<question id>...`` with one line per unit
(专有部分): ``1-2-301,张三,72.45,同意``. ``owner`` is the owner as the property register names
them: the same text on several lines is one owner (counted once, with the sum of the areas).
Answers: 同意 / 反对 / 弃权 or yes / no / abstain. Every error names the file, the line (or the
item), the field and what was expected; nothing is returned — and so nothing recorded — unless
the whole file is valid.

It is recorded with ``tenderflow fire PROJECT record_vote --data VOTE.yaml`` (the CLI reads a
record_vote's data through :func:`read_vote`), a scenario's ``fire: record_vote`` with
``with: {file: VOTE.yaml}`` (:func:`resolve_vote_step`), or :func:`record_vote_file`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tenderflow import yamlio
from tenderflow.app.registration import read_user_file
from tenderflow.domain.components.owners_vote import (
    MATTERS,
    answer_word,
    area_problem,
)
from tenderflow.errors import InputError

QUESTION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
VOTE_KEYS = ("questions", "ballots", "held_on")
QUESTION_KEYS = ("id", "matter", "title", "covers")
BALLOT_KEYS = ("unit", "owner", "area")
EXPECTED_ANSWER = "同意, 反对 or 弃权 (yes, no or abstain)"


@dataclass(frozen=True)
class VoteFile:
    """A valid vote: the ``record_vote`` data and where it came from."""

    data: dict[str, Any]
    file: str
    sha256: str


def _ballot_lines(text: str) -> dict[int, int]:
    """Ballot index -> its line in a YAML vote file with inline ballots."""
    try:
        node = yaml.compose(text, Loader=yamlio.StrictLoader)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    for key, value in node.value:
        if key.value == "ballots" and isinstance(value, yaml.SequenceNode):
            return {i: item.start_mark.line + 1 for i, item in enumerate(value.value)}
    return {}


def read_vote(path: Path) -> VoteFile:
    """Read and validate a vote file (see the module's docstring)."""
    file = str(path)
    if path.suffix.lower() == ".csv":
        raise InputError("a ballot CSV alone does not say what was asked", file=file,
                         expected="a vote YAML with questions: and ballots: {file: "
                                  f"{path.name}}}")
    text, raw = read_user_file(path)
    try:
        data = yamlio.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError("not valid YAML", file=file,
                         location=f"line {mark.line + 1}" if mark else None) from None
    except RecursionError:
        raise InputError("nested too deeply", file=file) from None
    if not isinstance(data, dict):
        raise InputError("a vote file is a mapping", file=file,
                         expected="questions: [...] and ballots: [...] or {file: ...}")
    for key in sorted(set(data) - set(VOTE_KEYS)):
        raise InputError(f"unknown key {key!r}", file=file, field=str(key),
                         expected=", ".join(VOTE_KEYS))
    for key in ("questions", "ballots"):
        if key not in data:
            raise InputError("missing", file=file, field=key)
    held_on = data.get("held_on")
    if held_on is not None and not _is_date(held_on):
        raise InputError(f"got {held_on!r}", file=file, field="held_on",
                         expected="the day the vote was held, YYYY-MM-DD")
    questions = _questions(data["questions"], file)
    ids = [q["id"] for q in questions]
    ballots_raw = data["ballots"]
    digest = hashlib.sha256(raw)
    if isinstance(ballots_raw, dict):
        if set(ballots_raw) != {"file"} or not isinstance(ballots_raw["file"], str):
            raise InputError("ballots given as a mapping name one file", file=file,
                             field="ballots", expected="{file: ballots.csv}")
        ballot_path = path.parent / ballots_raw["file"]
        ballot_text, ballot_raw = read_user_file(ballot_path)
        digest.update(ballot_raw)
        ballots = _csv_ballots(ballot_text, str(ballot_path), ids)
    elif isinstance(ballots_raw, list):
        lines = _ballot_lines(text)
        records = []
        for i, item in enumerate(ballots_raw):
            loc = f"line {lines[i]}" if i in lines else f"ballots[{i}]"
            if not isinstance(item, dict):
                raise InputError(f"a ballot is a mapping, got {type(item).__name__}", file=file,
                                 location=loc, expected="unit, owner, area, answers")
            records.append((loc, item))
        ballots = _yaml_ballots(records, file, ids)
    else:
        raise InputError("ballots must be a list or {file: ...}", file=file, field="ballots")
    out: dict[str, Any] = {"questions": questions, "ballots": ballots,
                           "source": {"file": path.name, "sha256": digest.hexdigest()}}
    if held_on is not None:
        out["held_on"] = str(held_on)
    return VoteFile(out, file, digest.hexdigest())


def _is_date(value: Any) -> bool:
    from datetime import date

    try:
        return isinstance(value, str) and date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def _questions(raw: Any, file: str) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        raise InputError("the vote must put at least one question", file=file,
                         field="questions", expected="a list of {id, matter, title, covers}")
    out: list[dict[str, Any]] = []
    for i, q in enumerate(raw):
        loc = f"questions[{i}]"
        if not isinstance(q, dict):
            raise InputError("a question is a mapping", file=file, location=loc,
                             expected="id, matter, title, covers")
        _keys(q, QUESTION_KEYS, file, loc)
        qid = q["id"]
        if not isinstance(qid, str) or not QUESTION_ID.match(qid) or qid in BALLOT_KEYS:
            raise InputError(f"got {qid!r}", file=file, location=loc, field="id",
                             expected="letters, digits, '.', '_' or '-' (not unit, owner, area)")
        if any(o["id"] == qid for o in out):
            raise InputError(f"question {qid!r} is defined twice", file=file, location=loc,
                             field="id")
        if q["matter"] not in MATTERS:
            raise InputError(f"got {q['matter']!r}", file=file, location=loc, field="matter",
                             expected=" | ".join(MATTERS) + " (民法典 第278条)")
        title = q["title"]
        if not isinstance(title, str) or not title.strip() or len(title) > 500:
            raise InputError(f"got {title!r}", file=file, location=loc, field="title",
                             expected="the question as put to the owners (at most 500 characters)")
        covers = q["covers"]
        if not isinstance(covers, list) or not covers or not all(
                isinstance(c, str) and c.strip() for c in covers):
            raise InputError(f"got {covers!r}", file=file, location=loc, field="covers",
                             expected="a list of the project's scope items or revenue streams "
                                      "the question decides")
        out.append({"id": qid, "matter": q["matter"], "title": title.strip(),
                    "covers": [c.strip() for c in covers]})
    return out


class _Ballots:
    """Accumulates valid ballots; refuses a duplicate unit or an owner answering twice
    differently, naming both places."""

    def __init__(self, file: str, ids: list[str]) -> None:
        self.file, self.ids = file, ids
        self.units: dict[str, str] = {}
        self.owners: dict[str, tuple[str, dict[str, str]]] = {}
        self.out: list[dict[str, Any]] = []

    def add(self, loc: str, unit: Any, owner: Any, area: Any, answers: dict[str, Any]) -> None:
        file = self.file
        for name, value in (("unit", unit), ("owner", owner)):
            if isinstance(value, int) and not isinstance(value, bool):
                value = str(value)
            if not isinstance(value, str) or not value.strip() or len(value) > 200:
                raise InputError(f"got {value!r}", file=file, location=loc, field=name,
                                 expected="the unit (专有部分) as the property register names it"
                                 if name == "unit" else "the owner as the property register "
                                                        "names them")
        unit, owner = str(unit).strip(), str(owner).strip()
        problem = area_problem(area)
        if problem:
            raise InputError(f"{area!r} {problem}", file=file, location=loc, field="area",
                             expected='the exclusive area in m², more than 0, at most two '
                                      'decimals ("72.45")')
        clean: dict[str, str] = {}
        for qid in self.ids:
            given = answers.get(qid)
            word = answer_word(given) if isinstance(given, str) else None
            if word is None:
                raise InputError("missing" if given in (None, "") else f"got {given!r}",
                                 file=file, location=loc, field=qid, expected=EXPECTED_ANSWER)
            clean[qid] = word
        if unit in self.units:
            raise InputError(f"unit {unit!r} is already on {self.units[unit]}", file=file,
                             location=loc, field="unit", expected="one ballot per unit")
        if owner in self.owners:
            first_loc, first = self.owners[owner]
            differ = [q for q in self.ids if first[q] != clean[q]]
            if differ:
                raise InputError(f"owner {owner!r} answers {differ[0]} {clean[differ[0]]} here "
                                 f"and {first[differ[0]]} on {first_loc}", file=file,
                                 location=loc, field=differ[0],
                                 expected="one answer per owner on all their units")
        else:
            self.owners[owner] = (loc, clean)
        self.units[unit] = loc
        self.out.append({"unit": unit, "owner": owner, "area": f"{_area(area)}",
                         "answers": clean})

    def done(self) -> list[dict[str, Any]]:
        if not self.out:
            raise InputError("no ballots", file=self.file, expected="one line per unit")
        return self.out


def _area(raw: Any) -> str:
    from decimal import Decimal

    return f"{Decimal(str(raw).strip()).quantize(Decimal('0.01')):f}"


def _csv_ballots(text: str, file: str, ids: list[str]) -> list[dict[str, Any]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader, [])]
        if not header:
            raise InputError("CSV has no header row", file=file, location="line 1",
                             expected="unit,owner,area," + ",".join(ids))
        expected = ", ".join([*BALLOT_KEYS, *ids])
        for name in header:
            if name not in BALLOT_KEYS and name not in ids:
                raise InputError(f"unknown column {name!r}", file=file, location="line 1",
                                 field=name, expected=expected)
            if header.count(name) > 1:
                raise InputError(f"column {name!r} twice", file=file, location="line 1",
                                 field=name, expected=expected)
        for name in (*BALLOT_KEYS, *ids):
            if name not in header:
                raise InputError("column missing", file=file, location="line 1", field=name,
                                 expected=expected)
        ballots = _Ballots(file, ids)
        for row in reader:
            loc = f"line {reader.line_num}"
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise InputError(f"{len(row)} cells, the header has {len(header)}", file=file,
                                 location=loc, expected=expected)
            cells = {h: c.strip() for h, c in zip(header, row, strict=True)}
            ballots.add(loc, cells["unit"], cells["owner"], cells["area"],
                        {q: cells[q] for q in ids})
    except csv.Error as exc:
        raise InputError(f"not valid CSV: {exc}", file=file,
                         location=f"line {reader.line_num}") from None
    return ballots.done()


def _yaml_ballots(records: list[tuple[str, dict[str, Any]]], file: str,
                  ids: list[str]) -> list[dict[str, Any]]:
    ballots = _Ballots(file, ids)
    keys = (*BALLOT_KEYS, "answers")
    for loc, item in records:
        _keys(item, keys, file, loc)
        answers = item["answers"]
        if not isinstance(answers, dict):
            raise InputError("answers is a mapping", file=file, location=loc, field="answers",
                             expected="{question id: 同意|反对|弃权}")
        for key in sorted(set(answers) - set(ids), key=str):
            raise InputError(f"answers a question the vote does not put: {key!r}", file=file,
                             location=loc, field=f"answers.{key}",
                             expected=", ".join(ids))
        ballots.add(loc, item["unit"], item["owner"], item["area"], answers)
    return ballots.done()


def record_vote_file(services: Any, project: str, path: Path, actor: str, at: Any,
                     held_on: str | None = None) -> Any:
    """Read the vote file and fire the project's ``record_vote`` with it (one transaction:
    a refused file or a refused vote records nothing). ``services`` are the procurement
    services (they find the intake by the project's id)."""
    data = dict(read_vote(path).data)
    if held_on is not None:
        data["held_on"] = held_on
    return services.fire(project, "record_vote", data, actor, at, where=str(path))


def resolve_vote_step(data: Any, scenario: Path, where: str) -> Any:
    """A scenario's ``record_vote`` step may give ``with: {file: vote.yaml}`` (relative to the
    scenario, optionally with ``held_on``): the vote file read here, before anything is
    written. Any other ``with`` is returned as it is."""
    if not isinstance(data, dict) or "file" not in data:
        return data
    extra = sorted(set(data) - {"file", "held_on"})
    if extra or not isinstance(data["file"], str):
        raise InputError(f"unknown key {extra[0]!r}" if extra else "file must be a path",
                         file=str(scenario), location=where,
                         field=f"with.{extra[0]}" if extra else "with.file",
                         expected="with: {file: VOTE.yaml, held_on: YYYY-MM-DD}")
    vote = dict(read_vote(scenario.parent / data["file"]).data)
    if "held_on" in data:
        vote["held_on"] = data["held_on"]
    return vote


def _keys(item: dict[Any, Any], keys: tuple[str, ...], file: str, loc: str) -> None:
    """``item`` has exactly ``keys``: the first unknown or missing one is named."""
    for key in sorted(set(item) - set(keys), key=str):
        raise InputError(f"unknown key {key!r}", file=file, location=loc, field=str(key),
                         expected=", ".join(keys))
    for key in keys:
        if key not in item:
            raise InputError("missing", file=file, location=loc, field=key)
