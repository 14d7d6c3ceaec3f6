"""Read a community post (the text a reader copies from the forum) into a DraftIssue.

The post's shape: a title line with a date range, disclaimer bullets, an introduction (under
``소개`` or without a heading), then one block per paper: a ``Korean title / English title`` line,
``논문 소개`` (Korean, then English), optionally ``논문 초록`` likewise, ``논문 링크`` (a URL or
nothing), ``더 읽어보기`` (the tweet URL), and at the very end ``원문`` (with or without a URL).

A paper heading is recognised as the last text line before a ``논문 소개`` line, so headings need no
markup and blank lines may be missing. Lines that fit nowhere are kept on the nearest field and
reported as warnings: nothing the editor had is dropped without a message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from ..errors import Problem
from ..model import Bilingual, Lang, Link
from .draft import DraftIssue, DraftPaper
from .text import BULLET, URL, blocks_to_markdown, escape_text, has_hangul

TITLE = re.compile(
    r"^\s*(?:#+\s*)?\[\s*(?P<y1>\d{4})/(?P<m1>\d{1,2})/(?P<d1>\d{1,2})\s*~\s*"
    r"(?:(?:(?P<y2>\d{4})/)?(?P<m2>\d{1,2})/)?(?P<d2>\d{1,2})\s*\]"
)
MARKERS = {
    "논문소개": "summary",
    "논문초록": "abstract",
    "논문링크": "paper",
    "더읽어보기": "tweet",
    "원문": "source",
    "소개": "intro",
}
MARKER = re.compile(
    r"^\s*(?:#+\s*)?(?:\*\*)?(논문\s*소개|논문\s*초록|논문\s*링크|더\s*읽어\s*보기|원문|소개)(?:\*\*)?"
    r"\s*[:：]?\s*(?P<url>https?://\S+)?\s*$"
)
HEADING_PREFIX = re.compile(r"^\s*#+\s*")
LONE_BULLET = re.compile(r"^\s*[-•*]\s*$")


@dataclass(frozen=True)
class Line:
    number: int
    text: str
    """Without trailing spaces."""
    marker: str = ""
    url: str = ""
    """A URL given on the marker's own line."""

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass
class _Paper:
    """A paper while it is being read: lines per field, in order."""

    heading: Line
    fields: dict[str, list[Line]] = field(default_factory=dict)
    urls: dict[str, list[Line]] = field(default_factory=dict)
    stray: list[Line] = field(default_factory=list)


class PostReader:
    def __init__(self, text: str, display: str) -> None:
        self.display = display
        self.lines = [_classify(n, raw.rstrip()) for n, raw in enumerate(text.split("\n"), start=1)]
        self.problems: list[Problem] = []

    def warn(self, line: int, field_name: str, message: str) -> None:
        self.problems.append(Problem(self.display, line, None, field_name, message, warning=True))

    def error(self, line: int | None, field_name: str, message: str) -> None:
        self.problems.append(Problem(self.display, line, None, field_name, message))

    def read(self) -> DraftIssue | None:
        first_marker = next((i for i, line in enumerate(self.lines) if line.marker), len(self.lines))
        candidates = [i for i, line in enumerate(self.lines[:first_marker]) if TITLE.match(line.text)]
        if not candidates:
            first = next((line.number for line in self.lines if not line.blank), 1)
            self.error(
                first,
                "title",
                "no title line with the week's dates, like '[2023/11/13 ~ 11/19] 이번 주의 주요 ML 논문'",
            )
            return None
        # Page chrome repeats the title, sometimes with the site's name after it: the shortest is
        # the post's own; exact copies go silently, longer ones with a warning.
        title_index = min(candidates, key=lambda i: (len(_bare(self.lines[i])), i))
        title_line = self.lines[title_index]
        dates = self._dates(title_line)
        title_text = _bare(title_line)
        chrome = {title_text, title_text[title_text.index("]") + 1 :].strip()}
        for i in candidates:
            if _bare(self.lines[i]) not in chrome:
                chrome.add(_bare(self.lines[i]))
                self.warn(
                    self.lines[i].number,
                    "title",
                    f"another title line (page chrome?) left out; the title is line {title_line.number}",
                )
        before = [line for line in self.lines[:title_index] if not line.blank and _bare(line) not in chrome]
        body = [line for line in self.lines[title_index + 1 :] if _bare(line) not in chrome]
        for line in before:
            self.warn(line.number, "intro", "text before the title line; kept at the start of the introduction")

        starts = self._paper_starts(body)
        preamble = body[: starts[0]] if starts else body
        papers = [self._paper(body[start:end]) for start, end in zip(starts, starts[1:] + [len(body)], strict=False)]
        notice, intro, source = self._preamble(before + preamble)
        source = self._source(papers, source)
        if not papers:
            self.error(
                title_line.number,
                "papers",
                "no paper found: a paper starts with a title line followed by a '논문 소개' line",
            )
        if dates is None or not papers:
            return None
        return DraftIssue(
            week=dates[0],
            week_end=dates[1],
            input=self.display,
            line=title_line.number,
            title=Bilingual(ko=title_text),
            notice=notice,
            absent=("notice.en",) if notice else (),  # posts are Korean: their notice has no English
            intro=intro,
            source=source,
            papers=tuple(self._draft(index, paper) for index, paper in enumerate(papers)),
        )

    def _dates(self, line: Line) -> tuple[date, date] | None:
        m = TITLE.match(line.text)
        assert m is not None
        y1, m1, d1 = int(m["y1"]), int(m["m1"]), int(m["d1"])
        m2 = int(m["m2"]) if m["m2"] else m1
        d2 = int(m["d2"])
        try:
            start = date(y1, m1, d1)
            if m["y2"]:
                end = date(int(m["y2"]), m2, d2)
            elif m["m2"]:  # [2024/12/30 ~ 01/05]: a month before the start's is next year's
                end = date(y1 + (m2 < m1), m2, d2)
            else:  # [2025/07/07 ~ 13]: a day before the start's is next month's
                end = date(y1, m1, d2) if d2 >= d1 else (date(y1, m1, 1) + timedelta(days=32)).replace(day=d2)
        except ValueError as exc:
            self.error(line.number, "week", f"the dates in the title cannot be read: {exc}")
            return None
        if not timedelta(0) <= end - start <= timedelta(days=13):
            self.error(line.number, "week", f"the title's range {start.isoformat()} ~ {end.isoformat()} is not a week")
            return None
        return start, end

    def _paper_starts(self, body: list[Line]) -> list[int]:
        """Index of each paper's heading: the last text line before a '논문 소개' line."""
        starts: list[int] = []
        for i, line in enumerate(body):
            if line.marker != "summary":
                continue
            j = i - 1
            while j >= 0 and body[j].blank:
                j -= 1
            if j < 0 or body[j].marker or (starts and j <= starts[-1]):
                self.error(line.number, "papers", "'논문 소개' without a paper title line before it")
                continue
            starts.append(j)
        return starts

    def _preamble(self, lines: list[Line]) -> tuple[Bilingual, Bilingual, str]:
        """Disclaimer bullets (the first bullets after the title), then the introduction."""
        text = [line for line in lines if not line.blank]
        notice: list[Line] = []
        while text and BULLET.match(text[0].text.strip()) and not text[0].marker:
            notice.append(text.pop(0))
        source = ""
        intro: list[Line] = []
        for line in text:
            if line.marker in ("intro", "source") and not line.url:
                continue  # a heading without content
            if line.marker == "source" and line.url and not source:
                source = line.url
                continue
            if line.marker:
                self.warn(
                    line.number, "intro", f"'{line.text.strip()}' before the first paper; kept in the introduction"
                )
            intro.append(line)
        notice_md = blocks_to_markdown([(True, self._md(line)) for line in notice], single_bullet_as_paragraph=False)
        return Bilingual(ko=notice_md), Bilingual(ko=self._lines_md(intro, "intro")), source

    def _paper(self, lines: list[Line]) -> _Paper:
        paper = _Paper(heading=lines[0])
        current = ""
        for line in lines[1:]:
            if line.blank:
                continue
            if line.marker in ("summary", "abstract", "paper", "tweet", "source"):
                if line.marker in paper.fields and line.marker != "source":
                    self.warn(
                        line.number,
                        line.marker,
                        f"a second '{line.text.strip()}' in the same paper; its text is added to the first",
                    )
                current = line.marker
                paper.fields.setdefault(current, [])
                paper.urls.setdefault(current, [])
                if line.url:
                    paper.urls[current].append(line)
                continue
            if current in ("paper", "tweet", "source") and not _only_url(line.text):
                paper.stray.append(line)
            elif current in ("paper", "tweet", "source"):
                paper.urls[current].append(Line(line.number, line.text, url=line.text.strip()))
            elif current:
                paper.fields[current].append(line)
            else:
                paper.stray.append(line)
        return paper

    def _source(self, papers: list[_Paper], source: str) -> str:
        """원문 is the post's last block; it is read with the last paper's lines."""
        for paper in papers:
            for line in paper.urls.get("source", []):
                if not source:
                    source = line.url
                elif line.url != source:
                    paper.stray.append(line)
        return source

    def _draft(self, index: int, paper: _Paper) -> DraftPaper:
        where = f"papers[{index}]"
        title = self._title(paper.heading, where)
        summary = self._bilingual(
            paper.fields.get("summary", []), f"{where}.summary", required=True, line=paper.heading.number
        )
        abstract = self._bilingual(paper.fields.get("abstract", []), f"{where}.abstract")
        links: list[Link] = []
        for n, line in enumerate(paper.urls.get("paper", [])):
            links.append(Link("paper" if n == 0 else f"paper {n + 1}", line.url))
        tweets = [line.url for line in paper.urls.get("tweet", [])]
        for n, url in enumerate(tweets[1:], start=2):
            links.append(Link(f"more {n}", url))
        for line in paper.stray:
            lang: Lang = "ko" if has_hangul(line.text) else "en"
            kept = self._md(line)
            text = f"{summary.get(lang)}\n\n{kept}".strip()
            summary = replace(summary, ko=text) if lang == "ko" else replace(summary, en=text)
            self.warn(
                line.number,
                f"{where}.summary.{lang}",
                f"this line does not belong to any part of the paper; kept at the end of the summary "
                f"({line.text.strip()[:60]!r})",
            )
        return DraftPaper(
            title=title,
            summary=summary,
            abstract=abstract,
            links=tuple(links),
            tweet=tweets[0] if tweets else "",
            absent=() if "abstract" in paper.fields else ("abstract",),  # the post has none: say so
            line=paper.heading.number,
        )

    def _title(self, heading: Line, where: str) -> Bilingual:
        text = HEADING_PREFIX.sub("", heading.text).strip()
        if text.startswith("**") and text.endswith("**") and len(text) > 4:
            text = text[2:-2].strip()
        for m in re.finditer(r"\s+/\s+", text):
            ko, en = text[: m.start()].strip(), text[m.end() :].strip()
            if has_hangul(ko) and not has_hangul(en):
                return Bilingual(ko=ko, en=en)
        if has_hangul(text):
            self.warn(
                heading.number,
                f"{where}.title.en",
                "the title has no English part; it is kept as the Korean title (add title.en before building)",
            )
            return Bilingual(ko=text)
        return Bilingual(en=text)

    def _bilingual(self, lines: list[Line], where: str, *, required: bool = False, line: int = 0) -> Bilingual:
        """Korean lines first, then English: English is the trailing run of lines without Hangul."""
        split = len(lines)
        while split > 0 and not has_hangul(lines[split - 1].text):
            split -= 1
        ko, en = lines[:split], lines[split:]
        if required and not en and lines:
            self.warn(lines[0].number, f"{where}.en", "no English text found (English lines have no Hangul)")
        elif required and not lines:
            self.warn(line, where, "empty: no text under '논문 소개'")
        return Bilingual(ko=self._lines_md(ko, f"{where}.ko"), en=self._lines_md(en, f"{where}.en"))

    def _lines_md(self, lines: list[Line], where: str) -> str:
        """Lines as Markdown: each line a paragraph, '•'/'-' lines a list, a lone '-' marks the next line."""
        items: list[tuple[bool, str]] = []
        dash: Line | None = None
        for line in lines:
            if LONE_BULLET.match(line.text):
                if dash is not None:
                    self.warn(dash.number, where, "a lone '-' with no text after it; left out")
                dash = line
                continue
            bullet = dash is not None or bool(BULLET.match(line.text.strip()))
            items.append((bullet, self._md(line)))
            dash = None
        if dash is not None:
            self.warn(dash.number, where, "a lone '-' with no text after it; left out")
        return blocks_to_markdown(items)

    @staticmethod
    def _md(line: Line) -> str:
        return escape_text(BULLET.sub("", line.text.strip(), count=1))


def _classify(number: int, text: str) -> Line:
    m = MARKER.match(text)
    if not m:
        return Line(number, text)
    return Line(number, text, marker=MARKERS[re.sub(r"\s", "", m.group(1))], url=m["url"] or "")


def _bare(line: Line) -> str:
    return HEADING_PREFIX.sub("", line.text).strip()


def _only_url(text: str) -> bool:
    return bool(URL.fullmatch(text.strip()))


def read_post(text: str, display: str) -> tuple[DraftIssue | None, list[Problem]]:
    """One post → its draft (None when it cannot be read) and every problem found, warnings included."""
    reader = PostReader(text, display)
    draft = reader.read()
    return draft, reader.problems
