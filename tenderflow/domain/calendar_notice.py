"""Reading the State Council's holiday notice (国务院办公厅关于某年部分节假日安排的通知) as
published, into the calendar data of its year. Pure: it receives the text, the CLI reads the file.

The notice, line by line (blank lines ignored)::

    国务院办公厅关于2025年部分节假日安排的通知          title: the year
    国办发明电〔2024〕12号                               number (the 2026 text has none)
    各省、自治区、直辖市人民政府，……：                  addressees
    经……批准，……通知如下。                              preamble, up to "通知如下"
    一、元旦：1月1日（周三）放假1天，不调休。            items, numbered 一、二、… in order
    二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。
        1月26日（周日）、2月8日（周六）上班。
    ……
    节假日期间，……                                      closing paragraphs (no dates)
    国务院办公厅                                        signature
    2024年11月12日                                      date of the notice

An item is sentences (ended by 。) of clauses (separated by ，):
``DATE[至DATE]放假[调休|N天]``, ``DATE补休`` (rest days), ``共N天`` (the range's length),
``与周末连休`` (a single day next to the weekend), ``不调休``, ``DATE、DATE上班`` (make-up working
days); a sentence starting with 鼓励 (an encouragement, e.g. to rest on 除夕) decides nothing.
A date is ``[YYYY年][M月]D日`` with an optional note in （）: the weekday (星期一 / 周一) and the
lunar date (农历除夕, 农历正月初七, 农历腊月二十八), each checked against the date.

Checks: each 共N天 equals its range; make-up working days fall on a weekend; each statutory day
of 《全国年节及纪念日放假办法》 in force that year lies in the holiday of its festival
(:func:`tenderflow.domain.calendar_provisional.statutory_days`); every festival has an item;
the number's year is the date's. Anything it cannot read raises
:class:`~tenderflow.errors.InputError` naming the file and the line where it stopped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from tenderflow.domain.calendar_provisional import FESTIVALS, lunar_of, statutory_days
from tenderflow.errors import InputError

TITLE = re.compile(r"^国务院办公厅关于(\d{4})年部分节假日安排的通知$")
NUMBER = re.compile(r"^国办发明电〔(\d{4})〕(\d+)号$")
ITEM = re.compile(r"^([一二三四五六七八九十]+)、([^：:]+)[：:](.*)$")
SIGNATURE = "国务院办公厅"
DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_NOTE = r"(?:（([^）]*)）)?"
_DATE = r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日" + _NOTE
DATE = re.compile(_DATE)
REST = re.compile(rf"^{_DATE}(?:至{_DATE})?(放假调休|放假|补休)(?:(\d+)天)?$")
WORK = re.compile(rf"^((?:{_DATE}、)*{_DATE})上班$")
TOTAL = re.compile(r"^共(\d+)天$")
NUMERALS = "一二三四五六七八九十"
WEEKDAYS = "一二三四五六日"
LUNAR_MONTHS = {"正": 1, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                "八": 8, "九": 9, "十": 10, "冬": 11, "十一": 11, "腊": 12, "十二": 12}


@dataclass(frozen=True)
class Holiday:
    """One festival's arrangement as the notice states it."""

    name: str
    line: int
    rest: tuple[tuple[date, date], ...]  # ranges of rest days (first, last)
    workdays: tuple[date, ...]

    def rest_days(self) -> list[date]:
        out: list[date] = []
        for first, last in self.rest:
            out.extend(first + timedelta(days=i) for i in range((last - first).days + 1))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "line": self.line,
                "rest": [[a.isoformat(), b.isoformat()] for a, b in self.rest],
                "workdays": [d.isoformat() for d in self.workdays]}


@dataclass(frozen=True)
class Notice:
    year: int
    title: str
    number: str | None
    date: dt.date
    sha256: str
    holidays: frozenset[dt.date]  # rest days that fall on a weekday
    workdays: frozenset[dt.date]  # make-up working days (weekend)
    items: tuple[Holiday, ...] = field(default=())

    @property
    def source(self) -> str:
        """The notice's number (or title when it has none) and date."""
        return f"{self.number or self.title} ({self.date.isoformat()})"

    def data(self) -> dict[str, Any]:
        """The year's calendar as recorded (kind ``calendar-year``)."""
        return {"year": self.year, "holidays": sorted(d.isoformat() for d in self.holidays),
                "workdays": sorted(d.isoformat() for d in self.workdays),
                "source": self.source, "notice": {"title": self.title, "number": self.number,
                                                  "date": self.date.isoformat()},
                "sha256": self.sha256}


class _Reader:
    def __init__(self, text: str, file: str) -> None:
        self.file = file
        self.lines = [(i + 1, line.strip()) for i, line in enumerate(text.splitlines())]
        self.lines = [(n, s.replace("\u3000", "").replace(" ", "")) for n, s in self.lines
                      if s.strip()]
        self.pos = 0

    def error(self, line: int | None, message: str, expected: str | None = None) -> InputError:
        return InputError(message, file=self.file,
                          location=f"line {line}" if line is not None else "end of text",
                          expected=expected)

    def peek(self) -> tuple[int, str] | None:
        return self.lines[self.pos] if self.pos < len(self.lines) else None

    def next(self, what: str) -> tuple[int, str]:
        got = self.peek()
        if got is None:
            last = self.lines[-1][0] if self.lines else None
            raise self.error(last, f"the notice ends before its {what} (truncated?)")
        self.pos += 1
        return got


def parse_notice(text: str, file: str = "<notice>") -> Notice:
    """Read a notice's text into the calendar data of its year; refuse what it cannot read."""
    if "\ufffd" in text:
        raise InputError("the text has undecodable characters", file=file,
                         expected="the notice as UTF-8 text")
    text = text.lstrip("\ufeff")
    r = _Reader(text, file)
    if not r.lines:
        raise InputError("the file is empty", file=file, expected="a State Council notice")
    n, line = r.next("title")
    m = TITLE.match(line)
    if not m:
        raise r.error(n, f"not the title of a holiday notice: {line[:40]!r}",
                      "国务院办公厅关于YYYY年部分节假日安排的通知")
    year, title = int(m.group(1)), line
    number: str | None = None
    number_year: int | None = None
    got = r.peek()
    if got and NUMBER.match(got[1]):
        r.next("number")
        number, number_year = got[1], int(NUMBER.match(got[1]).group(1))  # type: ignore[union-attr]
    n, line = r.next("addressees")
    if not line.endswith(("：", ":")):
        raise r.error(n, f"expected the addressees (ending with ：), found {line[:40]!r}")
    # preamble: up to the line announcing the arrangements
    while True:
        n, line = r.next("preamble")
        if ITEM.match(line):
            raise r.error(n, "an item before the preamble's '通知如下'")
        if "通知如下" in line:
            break
    items: list[Holiday] = []
    while (got := r.peek()) is not None and ITEM.match(got[1]):
        n, line = r.next("items")
        items.append(_item(r, n, line, year, len(items) + 1))
    if not items:
        n, line = r.next("items")
        raise r.error(n, f"expected the first item '一、元旦：…', found {line[:40]!r}")
    # closing paragraphs, signature and date
    while True:
        n, line = r.next("signature")
        if line == SIGNATURE:
            break
        if ITEM.match(line) or DATE.search(line):
            raise r.error(n, "a date or item after the closing paragraph: cannot tell what it "
                             "arranges", "the items together, numbered 一、二、…")
    n, line = r.next("date")
    m = DATE_LINE.match(line)
    if not m:
        raise r.error(n, f"expected the notice's date, found {line[:40]!r}", "YYYY年M月D日")
    try:
        issued = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise r.error(n, f"not a date: {line}") from None
    if not year - 1 <= issued.year <= year:
        raise r.error(n, f"a notice for {year} dated {issued.isoformat()}",
                      f"a date in {year - 1} or {year}")
    if number_year is not None and number_year != issued.year:
        raise r.error(n, f"the number {number} is of {number_year}, the notice is dated "
                         f"{issued.isoformat()}")
    extra = r.peek()
    if extra is not None:
        raise r.error(extra[0], f"text after the notice's date: {extra[1][:40]!r}")
    holidays, workdays = _check(r, year, items)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Notice(year, title, number, issued, digest, frozenset(holidays),
                  frozenset(workdays), tuple(items))


def _item(r: _Reader, n: int, line: str, year: int, index: int) -> Holiday:
    m = ITEM.match(line)
    assert m is not None
    if m.group(1) != _numeral(index):
        raise r.error(n, f"item {m.group(1)}、 where {_numeral(index)}、 was expected "
                         "(an item is missing or repeated)")
    names = m.group(2).split("、")
    unknown = [x for x in names if x not in FESTIVALS]
    if unknown or not names:
        raise r.error(n, f"unknown festival {'、'.join(unknown) or m.group(2)!r}",
                      "、".join(FESTIVALS))
    body = m.group(3)
    if not body.endswith("。"):
        raise r.error(n, "the item does not end with 。 (truncated?)")
    rest: list[tuple[date, date]] = []
    work: list[date] = []
    for sentence in body[:-1].split("。"):
        if not sentence:
            raise r.error(n, "an empty sentence (。。)")
        if sentence.startswith("鼓励"):  # an encouragement (e.g. rest on 除夕): no arrangement
            continue
        clauses = sentence.split("，")
        last_range: tuple[date, date] | None = None
        for clause in clauses:
            if (mr := REST.match(clause)) is not None:
                first = _date(r, n, year, mr.group(1), mr.group(2), mr.group(3), mr.group(4),
                              None)
                last = first
                if mr.group(7):
                    last = _date(r, n, year, mr.group(5), mr.group(6), mr.group(7),
                                 mr.group(8), first)
                if last < first:
                    raise r.error(n, f"{clause}: the range ends before it starts")
                if mr.group(9) == "补休" and (first != last or first.weekday() >= 5):
                    raise r.error(n, f"{clause}: 补休 is a single weekday")
                if mr.group(10) is not None:
                    _length(r, n, clause, first, last, int(mr.group(10)))
                rest.append((first, last))
                last_range = (first, last)
            elif (mt := TOTAL.match(clause)) is not None:
                if last_range is None:
                    raise r.error(n, f"{clause} without a range before it")
                _length(r, n, clause, *last_range, int(mt.group(1)))
            elif clause == "与周末连休":
                if last_range is None or last_range[0] != last_range[1]:
                    raise r.error(n, f"{clause} after something else than a single day")
                if last_range[0].weekday() not in (0, 4, 5, 6):
                    raise r.error(n, f"{last_range[0].isoformat()} is a "
                                     f"{_weekday(last_range[0])}: not next to a weekend")
            elif clause == "不调休":
                continue
            elif (mw := WORK.match(clause)) is not None:
                for md in DATE.finditer(mw.group(1)):
                    d = _date(r, n, year, md.group(1), md.group(2), md.group(3), md.group(4),
                              None)
                    if d.weekday() < 5:
                        raise r.error(n, f"make-up working day {d.isoformat()} is a "
                                         f"{_weekday(d)}, not a weekend day",
                                      "调休上班 on a Saturday or Sunday")
                    work.append(d)
            else:
                raise r.error(n, f"cannot read {clause[:40]!r}",
                              "放假/放假调休/补休 with dates, 共N天, 与周末连休, 不调休, or "
                              "dates with 上班")
    if not rest:
        raise r.error(n, f"no rest days for {m.group(2)}")
    return Holiday(m.group(2), n, tuple(rest), tuple(work))


def _length(r: _Reader, n: int, clause: str, first: date, last: date, total: int) -> None:
    days = (last - first).days + 1
    if days != total:
        raise r.error(n, f"{clause}: {first.isoformat()} to {last.isoformat()} is {days} "
                         f"day(s), the notice says {total}", f"共{days}天")


def _date(r: _Reader, n: int, year: int, y: str | None, month: str | None, day: str,
          note: str | None, after: date | None) -> date:
    if month is None and after is None:
        raise r.error(n, f"{day}日 without a month")
    try:
        d = date(int(y) if y else (after.year if after else year),
                 int(month) if month else after.month,  # type: ignore[union-attr]
                 int(day))
    except ValueError:
        raise r.error(n, f"not a date: {y or ''}{month or ''}月{day}日") from None
    if d.year != year:
        raise r.error(n, f"{d.isoformat()} is not in {year}: a notice changing another "
                         "year's calendar cannot be imported (use an override file)")
    if note:
        _check_note(r, n, d, note)
    return d


def _check_note(r: _Reader, n: int, d: date, note: str) -> None:
    for part in note.split("、"):
        m = re.fullmatch(r"(?:星期|周)([一二三四五六日天])", part)
        if m:
            wd = WEEKDAYS.index(m.group(1).replace("天", "日"))
            if wd != d.weekday():
                raise r.error(n, f"{d.isoformat()} is a {_weekday(d)}, the notice says {part}")
            continue
        m = re.fullmatch(r"农历(.+)", part)
        if m:
            month, day, eve = lunar_of(d)
            said = m.group(1)
            if said == "除夕":
                ok = eve
            else:
                parsed = _lunar(said)
                if parsed is None:
                    raise r.error(n, f"cannot read the lunar date {part!r}")
                ok = parsed == (month, day)
            if not ok:
                raise r.error(n, f"{d.isoformat()} is not {part}")
            continue
        raise r.error(n, f"cannot read the note （{note}）", "a weekday (周一/星期一) or a "
                                                              "lunar date (农历…)")


def _lunar(text: str) -> tuple[int, int] | None:
    m = re.fullmatch(r"(闰)?(正|一|二|三|四|五|六|七|八|九|十一|十二|十|冬|腊)月(.+)", text)
    if not m:
        return None
    month = LUNAR_MONTHS[m.group(2)] * (-1 if m.group(1) else 1)
    day_text = m.group(3)
    tens = {"初": 0, "十": 1, "二十": 2, "廿": 2, "三十": 3, "卅": 3}
    m2 = re.fullmatch(r"(初|二十|廿|三十|卅|十)([一二三四五六七八九十]?)", day_text)
    if not m2:
        return None
    unit = NUMERALS.index(m2.group(2)) + 1 if m2.group(2) else 0
    lead = m2.group(1)
    if lead == "初":
        day = unit
    elif lead == "十":
        day = 10 + unit if unit else 10
    else:
        day = tens[lead] * 10 + (unit if unit != 10 else 0)
        if unit == 10:  # 二十 written as 初十-like forms are not used; 三十 handled by lead
            return None
    if not 1 <= day <= 30:
        return None
    return month, day


def _numeral(i: int) -> str:
    if i <= 10:
        return NUMERALS[i - 1]
    return "十" + NUMERALS[i - 11] if i < 20 else str(i)


def _weekday(d: date) -> str:
    return "周" + WEEKDAYS[d.weekday()]


def _check(r: _Reader, year: int, items: list[Holiday]) -> tuple[set[date], set[date]]:
    """Statutory days in their festival's holiday; no day both rest and work; collect."""
    rest_of: dict[str, set[date]] = {}
    holidays: set[date] = set()
    workdays: set[date] = set()
    seen: dict[str, int] = {}
    for item in items:
        days = set(item.rest_days())
        for name in item.name.split("、"):
            if name in seen:
                raise r.error(item.line, f"{name} is arranged twice (also line {seen[name]})")
            seen[name] = item.line
            rest_of[name] = days
        for d in item.workdays:
            if d in workdays:
                raise r.error(item.line, f"make-up working day {d.isoformat()} listed twice")
            workdays.add(d)
        holidays.update(d for d in days if d.weekday() < 5)
    for item in items:
        both = set(item.rest_days()) & workdays
        if both:
            raise r.error(item.line, f"{', '.join(sorted(d.isoformat() for d in both))} is "
                                     "both a rest day and a make-up working day")
    last_line = items[-1].line
    for name, law in statutory_days(year).items():
        if name not in rest_of:
            raise r.error(last_line, f"no arrangement for {name}, a statutory holiday of "
                                     f"{year}", "one item per festival")
        missing = [d for d in law if d not in rest_of[name]]
        if missing:
            raise r.error(seen[name], f"statutory day(s) of {name} "
                                      f"{', '.join(d.isoformat() for d in missing)} "
                                      f"(《全国年节及纪念日放假办法》) not in its holiday")
    return holidays, workdays
