"""Contract templates: YAML that legal staff edit, with ``{placeholder}`` fields filled from data.

A template (``contracts/*.yaml``, documented in ``contracts/README.md``) has a title, the ordered
list of signing parties, a preamble, numbered clauses and a closing. Text may hold

* ``{a.b.c}`` — the value at ``data["a"]["b"]["c"]``;
* ``{a.b|money}`` — an amount in figures and in 大写, ``¥40,000,000.00（人民币肆仟万元整）``;
  ``|figures`` gives only the figures and ``|capital`` only the 大写; ``|date`` writes an ISO
  date as ``2025年3月1日``;
* ``{clause.ID}`` — the number of the clause with that id, ``第十二条`` (clauses are numbered
  in order, so inserting one renumbers the references too);
* ``{{`` and ``}}`` — literal braces.

Loading checks the template itself (:class:`DefinitionError`); filling checks the data and
raises :class:`MissingFields` listing every missing field at once, before anything is rendered.

This module holds the template model, its loading and its checks; filling a template with data
is :mod:`tenderflow.documents.filling`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from tenderflow.errors import DefinitionError, InputError

FILTERS = ("money", "figures", "capital", "date")
MONEY_FILTERS = ("money", "figures", "capital")
RESERVED_ROOTS = ("clause",)

TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
FIELD = re.compile(r"^\s*([a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)*)\s*(?:\|\s*([a-z_]+)\s*)?$")
_ROLE = re.compile(r"^[a-z][a-z0-9_]*$")
_ZH_DIGITS = "零一二三四五六七八九"

_TOP_KEYS = {
    "kind", "id", "version", "description", "title", "subtitle", "number", "date_field",
    "numbering", "salutation", "signing_parties", "preamble", "clauses", "closing", "checks",
    "signature_note",
}
NUMBERING = ("articles", "sections")  # 第一条 … (contracts) or 一、二、… (letters, reports)
_CLAUSE_KEYS = {"id", "heading", "text"}
_PARTY_KEYS = {"role", "zh", "en"}
_CHECK_KEYS = {"sum_of", "equals", "message"}


class MissingFields(InputError):
    """Raised when data lacks fields a template needs; ``missing`` lists every one of them."""

    def __init__(self, missing: Sequence[str], *, file: str | None = None,
                 template: str | None = None) -> None:
        self.missing = list(missing)
        what = f"the template {template}" if template else "the template"
        super().__init__(
            f"{len(self.missing)} field(s) missing for {what}: {', '.join(self.missing)}",
            file=file,
        )
        self.context["missing"] = self.missing


# ---------------------------------------------------------------------------------------------
# The template model


@dataclass(frozen=True)
class Table:
    """A table in a clause body: column headings and rows of cell text."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


# A body entry: a paragraph, a numbered list （一）（二）… , or a table.
Entry = str | tuple[str, ...] | Table


@dataclass(frozen=True)
class SigningParty:
    role: str  # e.g. implementing_agency
    zh: str  # e.g. 甲方（项目实施机构）
    en: str = ""


@dataclass(frozen=True)
class Clause:
    id: str
    heading: str
    body: tuple[Entry, ...]


@dataclass(frozen=True)
class SumCheck:
    """``sum_of`` money fields must equal the ``equals`` money field."""

    sum_of: tuple[str, ...]
    equals: str
    message: str = ""


@dataclass(frozen=True)
class Template:
    id: str
    version: str
    title: str
    signing_parties: tuple[SigningParty, ...]
    clauses: tuple[Clause, ...]
    kind: str = "agreement"
    subtitle: str = ""
    number: str = ""
    date_field: str = ""
    numbering: str = "articles"
    salutation: str = ""
    preamble: tuple[Entry, ...] = ()
    closing: tuple[Entry, ...] = ()
    checks: tuple[SumCheck, ...] = ()
    signature_note: str = ""  # the signature page's opening paragraph, if not the default
    source: str = ""  # file the template came from, for messages

    @property
    def signing_order(self) -> list[str]:
        return [p.role for p in self.signing_parties]

    def clause_number(self, clause_id: str) -> str:
        """How the clause is referred to: 第十二条 (articles) or 第十二部分 (sections)."""
        unit = "条" if self.numbering == "articles" else "部分"
        return f"第{chinese_ordinal(self.clause_index(clause_id))}{unit}"

    def clause_index(self, clause_id: str) -> int:
        for index, clause in enumerate(self.clauses, start=1):
            if clause.id == clause_id:
                return index
        raise KeyError(clause_id)

    def clause_heading_prefix(self, clause_id: str) -> str:
        """第十二条　(articles) or 十二、(sections)."""
        n = chinese_ordinal(self.clause_index(clause_id))
        return f"第{n}条　" if self.numbering == "articles" else f"{n}、"


@dataclass(frozen=True)
class FilledParty:
    role: str
    label: str
    name: str
    uscc: str


@dataclass(frozen=True)
class FilledClause:
    number: str  # heading prefix: "第一条　" or "一、"
    heading: str
    body: tuple[Entry, ...]


@dataclass(frozen=True)
class FilledDocument:
    """A template with every placeholder replaced: what the PDF renderer lays out."""

    template_id: str
    template_version: str
    title: str
    subtitle: str
    number: str
    document_date: date | None
    parties: tuple[FilledParty, ...]
    salutation: str
    preamble: tuple[Entry, ...]
    clauses: tuple[FilledClause, ...]
    closing: tuple[Entry, ...]
    signature_note: str = ""

    @property
    def signing_order(self) -> list[str]:
        return [p.role for p in self.parties]


def chinese_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (clause numbers)."""
    if n <= 0 or n >= 1000:
        raise ValueError(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _ZH_DIGITS[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("" if tens == 1 and not hundreds else _ZH_DIGITS[tens]) + "十"
    if ones:
        out += _ZH_DIGITS[ones]
    return out


# ---------------------------------------------------------------------------------------------
# Loading and checking a template


def load_template(path: str | Path) -> Template:
    """Read and check a template file; every problem found is listed in one DefinitionError."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DefinitionError(f"{path}: cannot read template: {exc.strerror}",
                              file=str(path)) from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise DefinitionError(f"{path}{where}: not valid YAML: {exc}", file=str(path)) from None
    return parse_template(raw, source=str(path))


def read_template(path: str | Path) -> tuple[Template, dict[str, Any]]:
    """The template and its parsed YAML (plain JSON values: strict YAML 1.2, duplicate keys
    refused, dates kept as text), which the application pins by content hash in the events
    of the documents rendered from it."""
    from tenderflow import yamlio

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError(f"{path}: cannot read template: {exc}", file=str(path)) from None
    try:
        raw = yamlio.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise DefinitionError(f"{path}{where}: not valid YAML: {exc}", file=str(path)) from None
    return parse_template(raw, source=str(path)), raw


def parse_template(raw: Any, *, source: str = "<template>") -> Template:
    """Build a :class:`Template` from parsed YAML, checking structure and every placeholder."""
    problems: list[str] = []
    if not isinstance(raw, Mapping):
        raise DefinitionError(f"{source}: a template is a mapping with title, signing_parties "
                              f"and clauses", file=source)
    unknown = sorted(set(raw) - _TOP_KEYS)
    if unknown:
        problems.append(f"unknown key(s) {', '.join(map(str, unknown))} "
                        f"(allowed: {', '.join(sorted(_TOP_KEYS))})")

    def text_at(value: Any, where: str, *, required: bool = True) -> str:
        if value is None and not required:
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or (required and not value.strip()):
            problems.append(f"{where}: expected text, got {_describe(value)}")
            return ""
        problems.extend(f"{where}: {p}" for p in _placeholder_problems(value))
        return value

    def body_at(value: Any, where: str) -> tuple[Entry, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            problems.append(f"{where}: expected a list of paragraphs, got {_describe(value)}")
            return ()
        out: list[Entry] = []
        for i, entry in enumerate(value):
            here = f"{where}[{i}]"
            if isinstance(entry, str):
                out.append(text_at(entry, here))
            elif isinstance(entry, list):
                out.append(tuple(text_at(item, f"{here}[{j}]") for j, item in enumerate(entry)))
            elif isinstance(entry, Mapping) and set(entry) == {"table"}:
                out.append(table_at(entry["table"], f"{here}.table"))
            elif isinstance(entry, Mapping):
                problems.append(f"{here}: a mapping where a paragraph was expected; a line that "
                                f"starts with '{{' must be quoted in YAML")
            else:
                problems.append(f"{here}: expected text, got {_describe(entry)}")
        return tuple(out)

    def table_at(value: Any, where: str) -> Table:
        if not isinstance(value, Mapping) or set(value) != {"columns", "rows"}:
            problems.append(f"{where}: a table has exactly 'columns' and 'rows'")
            return Table((), ())
        columns = value["columns"]
        rows = value["rows"]
        if not isinstance(columns, list) or not columns:
            problems.append(f"{where}.columns: expected a list of headings")
            return Table((), ())
        cols = tuple(text_at(c, f"{where}.columns[{i}]") for i, c in enumerate(columns))
        out_rows: list[tuple[str, ...]] = []
        for r, row in enumerate(rows if isinstance(rows, list) else [None]):
            if not isinstance(row, list) or len(row) != len(cols):
                problems.append(f"{where}.rows[{r}]: expected a list of {len(cols)} cells")
                continue
            out_rows.append(tuple(text_at(c, f"{where}.rows[{r}][{i}]")
                                  for i, c in enumerate(row)))
        return Table(cols, tuple(out_rows))

    parties: list[SigningParty] = []
    raw_parties = raw.get("signing_parties")
    if not isinstance(raw_parties, list) or not raw_parties:
        problems.append("signing_parties: expected a non-empty list of {role, zh}")
        raw_parties = []
    for i, p in enumerate(raw_parties):
        where = f"signing_parties[{i}]"
        if not isinstance(p, Mapping):
            problems.append(f"{where}: expected a mapping with role and zh")
            continue
        bad = sorted(set(p) - _PARTY_KEYS)
        if bad:
            problems.append(f"{where}: unknown key(s) {', '.join(map(str, bad))}")
        role = p.get("role")
        if not isinstance(role, str) or not _ROLE.match(role):
            problems.append(f"{where}.role: expected a lower-case key like social_capital, "
                            f"got {_describe(role)}")
            continue
        if role in {q.role for q in parties}:
            problems.append(f"{where}.role: '{role}' is listed twice")
        parties.append(SigningParty(role, text_at(p.get("zh"), f"{where}.zh"),
                                    str(p.get("en") or "")))

    clauses: list[Clause] = []
    raw_clauses = raw.get("clauses")
    if not isinstance(raw_clauses, list) or not raw_clauses:
        problems.append("clauses: expected a non-empty list of {id, heading, text}")
        raw_clauses = []
    seen_ids: set[str] = set()
    for i, c in enumerate(raw_clauses):
        where = f"clauses[{i}]"
        if not isinstance(c, Mapping):
            problems.append(f"{where}: expected a mapping with id, heading and text")
            continue
        bad = sorted(set(c) - _CLAUSE_KEYS)
        if bad:
            problems.append(f"{where}: unknown key(s) {', '.join(map(str, bad))}")
        cid = c.get("id")
        if not isinstance(cid, str) or not _ROLE.match(cid):
            problems.append(f"{where}.id: expected a lower-case key, got {_describe(cid)}")
            cid = f"_{i}"
        elif cid in seen_ids:
            problems.append(f"{where}.id: '{cid}' is used twice")
        seen_ids.add(cid)
        where = f"clauses[{i}] ({cid})"
        clauses.append(Clause(cid, text_at(c.get("heading"), f"{where}.heading"),
                              body_at(c.get("text"), f"{where}.text")))

    checks: list[SumCheck] = []
    for i, chk in enumerate(raw.get("checks") or []):
        where = f"checks[{i}]"
        if (not isinstance(chk, Mapping) or set(chk) - _CHECK_KEYS
                or not isinstance(chk.get("sum_of"), list) or not isinstance(chk.get("equals"), str)):
            problems.append(f"{where}: expected {{sum_of: [fields], equals: field, message}}")
            continue
        fields_ = tuple(str(f) for f in chk["sum_of"])
        for f in (*fields_, chk["equals"]):
            if not FIELD.match(f) or "|" in f:
                problems.append(f"{where}: '{f}' is not a field path")
        checks.append(SumCheck(fields_, chk["equals"], str(chk.get("message") or "")))

    numbering = raw.get("numbering") or "articles"
    if numbering not in NUMBERING:
        problems.append(f"numbering: {numbering!r} is not one of {', '.join(NUMBERING)}")
        numbering = "articles"
    date_field = raw.get("date_field") or ""
    if date_field and (not isinstance(date_field, str) or not FIELD.match(date_field)):
        problems.append(f"date_field: '{date_field}' is not a field path")

    template = Template(
        id=str(raw.get("id") or ""),
        version=str(raw.get("version") or ""),
        kind=str(raw.get("kind") or "agreement"),
        title=text_at(raw.get("title"), "title"),
        subtitle=text_at(raw.get("subtitle"), "subtitle", required=False),
        number=text_at(raw.get("number"), "number", required=False),
        date_field=str(date_field),
        numbering=str(numbering),
        salutation=text_at(raw.get("salutation"), "salutation", required=False),
        signing_parties=tuple(parties),
        preamble=body_at(raw.get("preamble"), "preamble"),
        clauses=tuple(clauses),
        closing=body_at(raw.get("closing"), "closing"),
        checks=tuple(checks),
        signature_note=text_at(raw.get("signature_note"), "signature_note", required=False),
        source=source,
    )
    if not template.id:
        problems.append("id: missing (a short name such as ppp-renovation-agreement)")
    if not template.version:
        problems.append("version: missing")
    for where, text in _all_texts(template):
        for path, _filter in _fields_in(text):
            if path.startswith("clause.") and (
                    path.count(".") != 1 or path[len("clause."):] not in seen_ids):
                problems.append(f"{where}: {{{path}}} names no clause "
                                f"(clause ids: {', '.join(sorted(seen_ids))})")
    if problems:
        raise DefinitionError(
            f"{source}: {len(problems)} problem(s) in the template: " + "; ".join(problems),
            file=source, problems=problems,
        )
    return template


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return repr(value)
    return type(value).__name__


def _placeholder_problems(text: str) -> list[str]:
    problems = []
    for m in TOKEN.finditer(text):
        token = m.group(0)
        if token in ("{{", "}}"):
            continue
        if m.group(1) is None:
            problems.append(f"unbalanced '{token}' (write '{token * 2}' for a literal brace)")
            continue
        fm = FIELD.match(m.group(1))
        if not fm:
            problems.append(f"'{token}' is not a placeholder (expected {{a.b}} or {{a.b|money}} "
                            f"with lower-case keys)")
        elif fm.group(2) and fm.group(2) not in FILTERS:
            problems.append(f"'{token}': unknown filter '{fm.group(2)}' "
                            f"(known: {', '.join(FILTERS)})")
        elif fm.group(1).split(".")[0] in RESERVED_ROOTS and fm.group(2):
            problems.append(f"'{token}': a clause reference takes no filter")
    return problems


def _fields_in(text: str) -> list[tuple[str, str]]:
    """(path, filter) of every placeholder in text, in order."""
    out = []
    for m in TOKEN.finditer(text):
        if m.group(1) is not None:
            fm = FIELD.match(m.group(1))
            if fm:
                out.append((fm.group(1), fm.group(2) or ""))
    return out


def _entry_texts(entries: Sequence[Entry], where: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for i, entry in enumerate(entries):
        if isinstance(entry, str):
            out.append((f"{where}[{i}]", entry))
        elif isinstance(entry, tuple):
            out.extend((f"{where}[{i}][{j}]", item) for j, item in enumerate(entry))
        else:
            out.extend((f"{where}[{i}].columns", c) for c in entry.columns)
            for r, row in enumerate(entry.rows):
                out.extend((f"{where}[{i}].rows[{r}]", c) for c in row)
    return out


def _all_texts(t: Template) -> list[tuple[str, str]]:
    """Every text of the template with where it is, in reading order."""
    out = [("title", t.title), ("subtitle", t.subtitle), ("number", t.number),
           ("salutation", t.salutation), ("signature_note", t.signature_note)]
    out += [(f"signing_parties[{i}].zh", p.zh) for i, p in enumerate(t.signing_parties)]
    out += _entry_texts(t.preamble, "preamble")
    for i, c in enumerate(t.clauses):
        out.append((f"clauses[{i}] ({c.id}).heading", c.heading))
        out += _entry_texts(c.body, f"clauses[{i}] ({c.id}).text")
    out += _entry_texts(t.closing, "closing")
    return out


def placeholders(template: Template) -> list[str]:
    """Every data field the template needs, in order of first use (clause refs excluded).

    Besides the placeholders in the text, each signing party's ``parties.ROLE.name`` and
    ``parties.ROLE.uscc`` are needed for the signature block, and the ``date_field`` and the
    fields named in ``checks``.
    """
    seen: dict[str, None] = {}
    for _where, text in _all_texts(template):
        for path, _f in _fields_in(text):
            if path.split(".")[0] not in RESERVED_ROOTS:
                seen.setdefault(path)
    for p in template.signing_parties:
        seen.setdefault(f"parties.{p.role}.name")
        seen.setdefault(f"parties.{p.role}.uscc")
    if template.date_field:
        seen.setdefault(template.date_field)
    for chk in template.checks:
        for f in (*chk.sum_of, chk.equals):
            seen.setdefault(f)
    return list(seen)
