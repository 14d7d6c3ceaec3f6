"""Read the English weekly list (a README of Markdown sections, newest week first) into DraftIssues.

A week is a ``## Top ML Papers of the Week (…)`` heading followed by a ``| Paper | Links |`` table.
Its dates come from the heading. A heading without a year takes it from the table of contents
(``## 2023`` or ``**2023**`` followed by links to the weeks, matched by their anchor or their
text), else from the order of the list (newest first: a week's year is the one that puts it just
before the week above it, or just after the week below it), else from ``--year`` (for the first
week; the order gives the rest). For a week that crosses New Year, a year given is the year the
week ends in, as the list's own ``- 2025`` suffix is. Korean is left empty: editors translate in
place. Every year taken from the order, every title split by a guess and every row without a
summary is reported as a Guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from ..errors import Problem
from ..model import Bilingual, Link
from .draft import DraftIssue, DraftPaper, Guess
from .text import BULLET, blocks_to_markdown, escape_list_markdown

WEEK_HEADING = re.compile(r"^#{1,3}\s+(Top ML Papers of the Week\b.*?)\s*#*\s*$", re.IGNORECASE)
_MONTH = r"([A-Za-z]{3,9})\.?"
WEEK_DATES = re.compile(
    rf"\(\s*{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\s*[-–—~]\s*(?:{_MONTH}\s+)?(\d{{1,2}})"
    r"(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\s*\)\s*(?:[-–—,]\s*(\d{4}))?\s*$"
)
YEAR_HEADING = re.compile(r"^\s*(?:#{1,6}\s*)?(?:\*\*)?\s*((?:19|20)\d\d)\s*(?:\*\*)?\s*:?\s*$")
TOC_ENTRY = re.compile(
    r"^\s*[-*+]\s*\[(Top ML Papers of the Week[^\]]*)\]\(\s*[^)#\s]*(?:#([^)\s]*))?\s*\)", re.IGNORECASE
)
ROW = re.compile(r"^\s*\|")
SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}")
LINK = re.compile(r"\[([^\]]*)\]\(\s*(\S+?)\s*\)")
NUMBER = re.compile(r"^\s*\d+\s*[.)]+\s*\.?\s*")
BOLD_TITLE = re.compile(r"^\*\*(.+?)\*\*\s*(?:[-–—:]\s+|\s*[-–—:]\s*(?=\S)|\s+|$)")
DASH = re.compile(r"\s+[-–—]\s+")
GAP = re.compile(r"\s{2,}")
MAX_TITLE = 150
"""Characters: longer text before a separator is a sentence, not a title."""
BREAK = re.compile(r"\s*<br\s*/?>\s*", re.IGNORECASE)
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def _month(word: str) -> int | None:
    word = word.lower()
    return next((i for i, name in enumerate(MONTHS, start=1) if name.startswith(word) and len(word) >= 3), None)


def _key(heading: str) -> str:
    return re.sub(r"\s+", "", heading.lower())  # "(Jan 1-8)" and "(Jan 1 - 8)" are one week


def _anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lowercase, punctuation dropped, each space a '-'."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@dataclass(frozen=True)
class Span:
    """A week's dates as its heading writes them, with the year when the list says it."""

    month1: int
    day1: int
    month2: int
    day2: int
    year: int | None
    """The year the week ends in, from the heading or the table of contents."""
    start_year: int | None = None
    """Written for the first day (``(December 30, 2024 - January 5, 2025)``)."""

    @property
    def crosses(self) -> bool:
        return (self.month2, self.day2) < (self.month1, self.day1)

    def ending_in(self, year: int) -> tuple[date, date]:
        """The dates when the week ends in ``year``; raises ValueError for a day that does not exist."""
        start = date(self.start_year or year - self.crosses, self.month1, self.day1)
        return start, date(year, self.month2, self.day2)

    def starting_in(self, year: int) -> tuple[date, date]:
        return self.ending_in(year + self.crosses)


@dataclass(frozen=True)
class Week:
    line: int
    heading: str
    rows: list[int]
    span: Span | str
    """The dates, or why they cannot be read."""


class ListReader:
    def __init__(self, text: str, display: str, year: int | None, week: date | None) -> None:
        self.display = display
        self.lines = [line.rstrip() for line in text.split("\n")]
        self.year = year
        self.week = week
        self.problems: list[Problem] = []
        self.guesses: dict[int, list[Guess]] = {}
        """By the line of the week they belong to."""

    def warn(self, line: int, field_name: str, message: str) -> None:
        self.problems.append(Problem(self.display, line, None, field_name, message, warning=True))

    def error(self, line: int, field_name: str, message: str, *, warning: bool = False) -> None:
        self.problems.append(Problem(self.display, line, None, field_name, message, warning=warning))

    def guess(self, week: int, line: int, field_name: str, message: str) -> None:
        self.guesses.setdefault(week, []).append(Guess(self.display, line, field_name, message))

    def read(self) -> list[DraftIssue]:
        weeks = self._weeks()
        dates = self._years(weeks)
        drafts: list[DraftIssue] = []
        unreadable: list[tuple[int, str]] = []
        for week, found in zip(weeks, dates, strict=True):
            if isinstance(found, str):
                unreadable.append((week.line, found))
                continue
            if self.week and not found[0] <= self.week <= found[1]:
                continue
            papers = tuple(self._paper(n, i, self.lines[i], week.line) for n, i in enumerate(week.rows))
            drafts.append(
                DraftIssue(
                    week=found[0],
                    week_end=found[1],
                    papers=papers,
                    pending_ko=True,
                    line=week.line,
                    input=self.display,
                    guesses=tuple(self.guesses.get(week.line, ())),
                )
            )
        for number, message in unreadable:  # with --week, the other weeks don't matter
            self.error(number, "week", message, warning=self.week is not None and bool(drafts))
        if self.week and not drafts and not unreadable:
            self.error(1, "week", f"no week containing {self.week.isoformat()} in this list")
        elif not drafts and not unreadable:
            self.error(
                1,
                "",
                "no week found: expected '## Top ML Papers of the Week (…)' headings, each "
                "followed by a '| Paper | Links |' table",
            )
        return drafts

    def _weeks(self) -> list[Week]:
        """Every heading followed by a table (a heading without one is not a week, e.g. the list's title)."""
        toc = self._table_of_contents()
        weeks = []
        for index, line in enumerate(self.lines):
            m = WEEK_HEADING.match(line)
            rows = self._table(index + 1) if m else None
            if m and rows is not None:
                weeks.append(Week(index + 1, m.group(1), rows, self._span(m.group(1), toc)))
        return weeks

    def _table_of_contents(self) -> dict[str, int]:
        """Week heading text, and the anchor each entry links to, → the year it is listed under.
        The link text can be wrong (the real list says 'December 24' for the week of December 25),
        so the anchor is looked up first."""
        years: dict[str, int] = {}
        current: int | None = None
        for line in self.lines:
            year = YEAR_HEADING.match(line)
            if year:
                current = int(year.group(1))
                continue
            entry = TOC_ENTRY.match(line)
            if entry and current is not None:
                if entry.group(2):
                    years.setdefault("#" + entry.group(2).lower(), current)
                years.setdefault(_key(entry.group(1)), current)
        return years

    def _table(self, start: int) -> list[int] | None:
        """Indexes of the table's body rows after a heading, or None when no table follows."""
        i = start
        while i < len(self.lines) and not self.lines[i].strip():
            i += 1
        if i + 1 >= len(self.lines) or not ROW.match(self.lines[i]) or not SEPARATOR.match(self.lines[i + 1]):
            return None
        rows = []
        i += 2
        while i < len(self.lines) and ROW.match(self.lines[i]):
            rows.append(i)
            i += 1
        return rows

    @staticmethod
    def _span(heading: str, toc: dict[str, int]) -> Span | str:
        m = WEEK_DATES.search(heading)
        if not m:
            return f"cannot read the dates of this week from {heading!r} (expected e.g. '(November 13 - November 19)')"
        m1, d1, y1, m2_word, d2, y2, suffix = m.groups()
        month1, month2 = _month(m1), _month(m2_word) if m2_word else _month(m1)
        if month1 is None or month2 is None:
            return f"cannot read the month in {heading!r}"
        year = next((int(y) for y in (suffix, y2, y1) if y), None)
        if year is None:
            year = toc.get("#" + _anchor(heading)) or toc.get(_key(heading))
        return Span(month1, int(d1), month2, int(d2), year, int(y1) if y1 and (suffix or y2) else None)

    def _years(self, weeks: list[Week]) -> list[tuple[date, date] | str]:
        """Each week's dates: years from the list where it gives them, else from the order of the
        list (newest first), else from --year for the first week (and the order for the rest)."""
        found: list[tuple[date, date] | str | None] = []
        for week in weeks:
            span = week.span
            found.append(
                span if isinstance(span, str) else None if span.year is None else self._checked(week, span.year)
            )
        known = [f[0] for f in found if isinstance(f, tuple)]
        newest_first = all(a > b for a, b in pairwise(known))
        if self.year is not None and not known and newest_first:
            first = next((i for i, w in enumerate(weeks) if isinstance(w.span, Span)), None)
            if first is not None:
                found[first] = self._checked(weeks[first], self.year)
        if newest_first:
            self._infer(weeks, found, range(len(weeks)), "above")
            self._infer(weeks, found, range(len(weeks) - 1, -1, -1), "below")
        for i, week in enumerate(weeks):
            if found[i] is None and self.year is not None:
                found[i] = self._checked(week, self.year)  # a list not newest first: --year as given
        return [
            f
            if f is not None
            else (
                f"the heading {w.heading!r} has no year, the table of contents does not list it under one and "
                f"no week near it has one; give it with --year"
            )
            for w, f in zip(weeks, found, strict=True)
        ]

    def _infer(self, weeks: list[Week], found: list[tuple[date, date] | str | None], order: range, side: str) -> None:
        """Years of weeks without one from their neighbour on one ``side``: the week just older
        than the one above, or just newer than the one below."""
        neighbour: tuple[Week, date] | None = None
        for i in order:
            week, dates = weeks[i], found[i]
            if isinstance(dates, tuple):
                neighbour = (week, dates[0])
                continue
            if dates is not None or neighbour is None or not isinstance(week.span, Span):
                continue
            other, start = neighbour
            span = week.span
            if side == "above":  # the latest start before the week above starts
                year = start.year if (span.month1, span.day1) < (start.month, start.day) else start.year - 1
            else:  # the earliest start after the week below starts
                year = start.year if (span.month1, span.day1) > (start.month, start.day) else start.year + 1
            try:
                dates = span.starting_in(year)
            except ValueError as exc:
                found[i] = f"the dates in {week.heading!r} do not exist in {year}: {exc}"
                continue
            found[i] = dates
            neighbour = (week, dates[0])
            self.guess(
                week.line,
                week.line,
                "week",
                f"year {year} from the order of the list (the week {side}, line {other.line}, starts on "
                f"{start.isoformat()}): {dates[0].isoformat()} ~ {dates[1].isoformat()}",
            )

    @staticmethod
    def _checked(week: Week, year: int) -> tuple[date, date] | str:
        assert isinstance(week.span, Span)
        try:
            start, end = week.span.ending_in(year)
        except ValueError as exc:
            return f"the dates in {week.heading!r} do not exist: {exc}"
        if not timedelta(0) <= end - start <= timedelta(days=13):
            return f"the dates in {week.heading!r} ({start.isoformat()} ~ {end.isoformat()}) are not one week"
        return start, end

    def _split(self, first: str, week: int, line: int, where: str) -> tuple[str, str] | None:
        """(title, description) where the row says: '**Title** - …', else 'Title - …', else 'Title  …'
        (two spaces, the description starting a sentence). A double space inside a title is never
        taken for the end of it."""
        m = BOLD_TITLE.match(first)
        if m:
            return m.group(1), first[m.end() :]
        dash, gap = DASH.search(first), GAP.search(first)
        if dash and dash.start() <= MAX_TITLE and (gap is None or dash.start() < gap.start()):
            return first[: dash.start()], first[dash.end() :]
        gaps = [g for g in GAP.finditer(first) if g.start() <= MAX_TITLE]
        for n, g in enumerate(gaps):
            title, rest = first[: g.start()], first[g.end() :]
            if re.match(r"[A-Z0-9\"“'‘(\[]", rest) and not re.search(r"[.;,]$|\.\s", title):
                if n:
                    self.guess(
                        week,
                        line,
                        f"{where}.title.en",
                        f"the title ends at the double space before {rest[:20]!r} (the earlier "
                        f"{'one is' if n == 1 else f'{n} are'} inside the title: {GAP.sub(' ', title)!r})",
                    )
                return title, rest
        return None

    def _paper(self, n: int, index: int, row: str, week: int) -> DraftPaper:
        where = f"papers[{n}]"
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", row.strip().strip("|"))]
        first, links_cell = cells[0], " | ".join(cells[1:])
        first = NUMBER.sub("", first, count=1)
        split = self._split(first, week, index + 1, where)
        if split:
            title, description = GAP.sub(" ", split[0].strip()), split[1].strip()
        else:
            title, description = first, first
            self.warn(
                index + 1,
                f"{where}.title.en",
                "cannot tell where the title ends (expected '**Title** - "
                "description' or two spaces after the title); the whole "
                "text is used as title and summary",
            )
        summary = self._description(description)
        absent: tuple[str, ...] = ()
        if not summary.strip():
            summary, absent = "", ("summary",)
            self.guess(
                week,
                index + 1,
                f"{where}.summary",
                "no summary in the table: written with 'absent: [summary]' (readers see 'No summary in the original')",
            )
        links: list[Link] = []
        tweet = ""
        for label, url in LINK.findall(links_cell):
            name = label.strip(" ()[]*_`'\"")
            if name.lower() == "tweet" and not tweet:
                tweet = url
                continue
            name = "paper" if name.lower() == "paper" else (name or "link")
            taken = {link.label for link in links}
            unique, k = name, 2
            while unique in taken or (unique == "tweet"):
                unique, k = f"{name} {k}", k + 1
            links.append(Link(unique, url))
        rest = LINK.sub("", links_cell).strip(" ,;|")
        if rest:
            summary += f"\n\n{escape_list_markdown(rest)}"
            self.warn(
                index + 1,
                f"{where}.summary.en",
                f"text in the links column that is not a link; kept at the end of the summary ({rest[:60]!r})",
            )
        return DraftPaper(
            title=Bilingual(en=title),
            summary=Bilingual(en=summary.strip()),
            links=tuple(links),
            tweet=tweet,
            absent=absent,
            line=index + 1,
        )

    @staticmethod
    def _description(text: str) -> str:
        """'<br>' breaks become paragraphs, '●' lines list items; '$' and ':word:' stay literal."""
        items = []
        for piece in BREAK.split(text):
            piece = piece.strip()
            if piece:
                bullet = bool(BULLET.match(piece))
                items.append((bullet, escape_list_markdown(BULLET.sub("", piece, count=1))))
        return blocks_to_markdown(items, single_bullet_as_paragraph=False)


def read_list(
    text: str, display: str, *, year: int | None = None, week: date | None = None
) -> tuple[list[DraftIssue], list[Problem]]:
    """Every week of the list (or the one containing ``week``) and every problem found."""
    reader = ListReader(text, display, year, week)
    drafts = reader.read()
    return drafts, reader.problems
