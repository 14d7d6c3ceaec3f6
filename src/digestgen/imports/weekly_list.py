"""Read the English weekly list (a README of Markdown sections, newest week first) into DraftIssues.

A week is a ``## Top ML Papers of the Week (…)`` heading followed by a ``| Paper | Links |`` table.
Its dates come from the heading; a heading without a year takes it from the table of contents
(``## 2023`` or ``**2023**`` followed by links to the weeks) or from ``--year``. For a week that
crosses New Year, the year given is the year the week ends in, as the list's own ``- 2025``
suffix is. Korean is left empty: editors translate in place.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from ..errors import Problem
from ..model import Bilingual, Link
from .draft import DraftIssue, DraftPaper
from .text import BULLET, blocks_to_markdown, escape_list_markdown

WEEK_HEADING = re.compile(r"^#{1,3}\s+(Top ML Papers of the Week\b.*?)\s*#*\s*$", re.IGNORECASE)
_MONTH = r"([A-Za-z]{3,9})\.?"
WEEK_DATES = re.compile(
    rf"\(\s*{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\s*[-–—~]\s*(?:{_MONTH}\s+)?(\d{{1,2}})"
    r"(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\s*\)\s*(?:[-–—,]\s*(\d{4}))?\s*$"
)
YEAR_HEADING = re.compile(r"^\s*(?:#{1,6}\s*)?(?:\*\*)?\s*((?:19|20)\d\d)\s*(?:\*\*)?\s*:?\s*$")
TOC_ENTRY = re.compile(r"^\s*[-*+]\s*\[(Top ML Papers of the Week[^\]]*)\]\(", re.IGNORECASE)
ROW = re.compile(r"^\s*\|")
SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}")
LINK = re.compile(r"\[([^\]]*)\]\(\s*(\S+?)\s*\)")
NUMBER = re.compile(r"^\s*\d+\s*[.)]+\s*\.?\s*")
BOLD_TITLE = re.compile(r"^\*\*(.+?)\*\*\s*(?:[-–—:]\s+|\s*[-–—:]\s*(?=\S)|\s+|$)")
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


class ListReader:
    def __init__(self, text: str, display: str, year: int | None, week: date | None) -> None:
        self.display = display
        self.lines = [line.rstrip() for line in text.split("\n")]
        self.year = year
        self.week = week
        self.problems: list[Problem] = []

    def warn(self, line: int, field_name: str, message: str) -> None:
        self.problems.append(Problem(self.display, line, None, field_name, message, warning=True))

    def error(self, line: int, field_name: str, message: str, *, warning: bool = False) -> None:
        self.problems.append(Problem(self.display, line, None, field_name, message, warning=warning))

    def read(self) -> list[DraftIssue]:
        toc = self._table_of_contents()
        drafts: list[DraftIssue] = []
        unreadable: list[tuple[int, str]] = []
        for index, line in enumerate(self.lines):
            m = WEEK_HEADING.match(line)
            if not m:
                continue
            rows = self._table(index + 1)
            if rows is None:
                continue  # a heading without a table is not a week (e.g. the list's own title)
            dates = self._dates(m.group(1), toc, index + 1)
            if isinstance(dates, str):
                unreadable.append((index + 1, dates))
                continue
            if self.week and not dates[0] <= self.week <= dates[1]:
                continue
            papers = tuple(self._paper(n, i, self.lines[i]) for n, i in enumerate(rows))
            drafts.append(
                DraftIssue(
                    week=dates[0], week_end=dates[1], papers=papers, pending_ko=True, line=index + 1, input=self.display
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

    def _table_of_contents(self) -> dict[str, int]:
        """Week heading text → the year it is listed under."""
        years: dict[str, int] = {}
        current: int | None = None
        for line in self.lines:
            year = YEAR_HEADING.match(line)
            if year:
                current = int(year.group(1))
                continue
            entry = TOC_ENTRY.match(line)
            if entry and current is not None:
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

    def _dates(self, heading: str, toc: dict[str, int], line: int) -> tuple[date, date] | str:
        m = WEEK_DATES.search(heading)
        if not m:
            return f"cannot read the dates of this week from {heading!r} (expected e.g. '(November 13 - November 19)')"
        m1, d1, y1, m2_word, d2, y2, suffix = m.groups()
        month1, month2 = _month(m1), _month(m2_word) if m2_word else _month(m1)
        if month1 is None or month2 is None:
            return f"cannot read the month in {heading!r}"
        year = next((int(y) for y in (suffix, y2, y1) if y), None) or toc.get(_key(heading)) or self.year
        if year is None:
            return (
                f"the heading {heading!r} has no year and the table of contents does not list it under one; "
                f"give it with --year"
            )
        crosses = (month2, int(d2)) < (month1, int(d1))
        try:
            start = date(int(y1) if y1 else year - crosses, month1, int(d1))
            end = date(year, month2, int(d2))
        except ValueError as exc:
            return f"the dates in {heading!r} do not exist: {exc}"
        if not timedelta(0) <= end - start <= timedelta(days=13):
            return f"the dates in {heading!r} ({start.isoformat()} ~ {end.isoformat()}) are not one week"
        return start, end

    def _paper(self, n: int, index: int, row: str) -> DraftPaper:
        where = f"papers[{n}]"
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", row.strip().strip("|"))]
        first, links_cell = cells[0], " | ".join(cells[1:])
        first = NUMBER.sub("", first, count=1)
        m = BOLD_TITLE.match(first)
        if m:
            title, description = m.group(1).strip(), first[m.end() :].strip()
        elif re.search(r"\S\s{2,}\S", first):
            title, description = re.split(r"\s{2,}", first, maxsplit=1)
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
            title=Bilingual(en=title), summary=Bilingual(en=summary), links=tuple(links), tweet=tweet, line=index + 1
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
