"""Filling a contract template (:mod:`tenderflow.documents.templates`) with data: every
``{placeholder}`` looked up in nested mappings and formatted (amounts in figures and 大写,
dates as 2025年3月1日, clause references as 第十二条), every missing field listed at once
(:class:`~tenderflow.documents.templates.MissingFields`) before anything is rendered."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from tenderflow.documents.templates import (
    FIELD,
    MONEY_FILTERS,
    TOKEN,
    Entry,
    FilledClause,
    FilledDocument,
    FilledParty,
    MissingFields,
    Table,
    Template,
    load_template,
    placeholders,
)
from tenderflow.domain.money import Money
from tenderflow.domain.uscc import uscc_problem
from tenderflow.errors import DefinitionError, InputError

_MISSING = object()


def lookup(data: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path in nested mappings, or a sentinel when absent."""
    node: Any = data
    for key in path.split("."):
        if not isinstance(node, Mapping) or key not in node:
            return _MISSING
        node = node[key]
    return node


def _is_missing(value: Any) -> bool:
    return value is _MISSING or value is None or (isinstance(value, str) and not value.strip())


def missing_fields(template: Template | str | Path, data: Mapping[str, Any]) -> list[str]:
    """Every field the template needs that the data lacks (absent, null or blank), in order."""
    if not isinstance(template, Template):
        template = load_template(template)
    return [p for p in placeholders(template) if _is_missing(lookup(data, p))]


def as_money(value: Any, path: str) -> Money:
    if isinstance(value, Money):
        return value
    if isinstance(value, Decimal):
        value = str(value)
    return Money.parse(value, field=path)


def as_date(value: Any, path: str) -> date:
    """A date; a time with an offset gives its date in Beijing time (Asia/Shanghai)."""
    if isinstance(value, datetime):
        return _beijing_date(value)
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            try:
                return _beijing_date(datetime.fromisoformat(value.strip()))
            except ValueError:
                pass
    raise InputError(f"not a date: {value!r}", field=path, expected="an ISO date like 2025-03-01")


def _beijing_date(value: datetime) -> date:
    from tenderflow.domain.timeutil import SHANGHAI

    return value.astimezone(SHANGHAI).date() if value.utcoffset() is not None else value.date()


# A contract amount written in figures in free text: with thousands separators, and ¥ or 人民币
# before it or 元 after it (a unit price such as 0.55元 is not one); group 1 or 2 the figures.
_FREE_AMOUNT = re.compile(
    r"(?:¥|人民币)\s*(\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?)\s*元?"
    r"|(\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?)\s*元")


def with_capitals(text: str) -> str:
    """Free text with the 大写 after every amount in figures that lacks it: "补助资金人民币
    7,200,000.00元" → "补助资金人民币7,200,000.00元（人民币柒佰贰拾万元整）" — a contract states an
    amount in both. An amount already followed by （人民币… or （大写 is left as it is."""

    def add(m: re.Match[str]) -> str:
        rest = text[m.end():m.end() + 4]
        if rest.startswith(("（人民币", "(人民币", "（大写", "(大写")):
            return m.group(0)
        figures = (m.group(1) or m.group(2)).replace(",", "")
        try:
            money = Money.parse(figures)
        except InputError:
            return m.group(0)
        return f"{m.group(0)}（{money.chinese()}）"

    return _FREE_AMOUNT.sub(add, text)


def zh_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def format_value(value: Any, path: str, filter_: str = "") -> str:
    """The text for one placeholder; raises InputError when the value does not fit the filter."""
    if filter_ in MONEY_FILTERS:
        money = as_money(value, path)
        if filter_ == "figures":
            return money.formatted()
        if filter_ == "capital":
            return money.chinese()
        return f"{money.formatted()}（{money.chinese()}）"
    if filter_ == "date":
        return zh_date(as_date(value, path))
    if isinstance(value, (bool, float)):
        raise InputError(f"{type(value).__name__} {value!r} cannot be written into a contract",
                         field=path, expected="text, an integer or a decimal string")
    if isinstance(value, Money):
        return value.formatted()
    if isinstance(value, (datetime, date)):
        return zh_date(as_date(value, path))
    if isinstance(value, str):
        return with_capitals(value.strip())
    if isinstance(value, (int, Decimal)):
        return str(value).strip()
    raise InputError(f"a {type(value).__name__} cannot be written into a sentence", field=path,
                     expected="text, a number, an amount or a date")


def substitute(text: str, data: Mapping[str, Any], template: Template,
               errors: list[str] | None = None) -> str:
    """Replace the placeholders in one text; problems are appended to ``errors`` if given."""

    def replace(m: re.Match[str]) -> str:
        token = m.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        fm = FIELD.match(m.group(1) or "")
        if not fm:  # load_template refuses these; guard against hand-built templates
            raise DefinitionError(f"'{token}' is not a placeholder", file=template.source)
        path, filter_ = fm.group(1), fm.group(2) or ""
        if path.startswith("clause."):
            return template.clause_number(path[len("clause."):])
        value = lookup(data, path)
        if _is_missing(value):
            if errors is None:
                raise MissingFields([path], file=template.source)
            errors.append(f"{path}: missing")
            return ""
        try:
            return format_value(value, path, filter_)
        except InputError as exc:
            if errors is None:
                raise
            errors.append(exc.message)
            return ""

    return TOKEN.sub(replace, text)


def fill(template: Template | str | Path, data: Mapping[str, Any]) -> FilledDocument:
    """Fill every placeholder; raise before anything is rendered if any field is wrong.

    :class:`MissingFields` lists every missing field; otherwise one :class:`InputError` lists
    every field whose value does not fit (an amount that does not parse, a date that is not a
    date, an invalid 统一社会信用代码, figures that do not add up per the template's ``checks``).
    """
    if not isinstance(template, Template):
        template = load_template(template)
    missing = missing_fields(template, data)
    if missing:
        raise MissingFields(missing, file=template.source)
    errors: list[str] = []

    def sub(text: str) -> str:
        return substitute(text, data, template, errors)

    def entries(items: Sequence[Entry]) -> tuple[Entry, ...]:
        out: list[Entry] = []
        for entry in items:
            if isinstance(entry, str):
                out.append(sub(entry))
            elif isinstance(entry, tuple):
                out.append(tuple(sub(i) for i in entry))
            else:
                out.append(Table(tuple(sub(c) for c in entry.columns),
                                 tuple(tuple(sub(c) for c in row) for row in entry.rows)))
        return tuple(out)

    parties = []
    for p in template.signing_parties:
        name = " ".join(str(lookup(data, f"parties.{p.role}.name")).split())
        uscc = str(lookup(data, f"parties.{p.role}.uscc")).strip()
        problem = uscc_problem(uscc)
        if problem:
            errors.append(f"field 'parties.{p.role}.uscc': 统一社会信用代码 {uscc!r} {problem}")
        parties.append(FilledParty(p.role, sub(p.zh), name, uscc))

    for chk in template.checks:
        try:
            total = sum((as_money(lookup(data, f), f).amount for f in chk.sum_of), Decimal(0))
            expected = as_money(lookup(data, chk.equals), chk.equals)
        except InputError as exc:
            errors.append(exc.message)
            continue
        if total != expected.amount:
            errors.append(
                f"{' + '.join(chk.sum_of)} = {Money(total).formatted()} but {chk.equals} = "
                f"{expected.formatted()}" + (f" ({chk.message})" if chk.message else ""))

    document_date = None
    if template.date_field:
        try:
            document_date = as_date(lookup(data, template.date_field), template.date_field)
        except InputError as exc:
            errors.append(exc.message)

    filled = FilledDocument(
        template_id=template.id,
        template_version=template.version,
        title=sub(template.title),
        subtitle=sub(template.subtitle),
        number=sub(template.number),
        document_date=document_date,
        parties=tuple(parties),
        salutation=sub(template.salutation),
        preamble=entries(template.preamble),
        clauses=tuple(FilledClause(template.clause_heading_prefix(c.id), sub(c.heading),
                                   entries(c.body))
                      for c in template.clauses),
        closing=entries(template.closing),
        signature_note=sub(template.signature_note),
    )
    if errors:
        unique = list(dict.fromkeys(errors))
        raise InputError(f"{len(unique)} field(s) do not fit the template: " + "; ".join(unique),
                         file=template.source)
    return filled

