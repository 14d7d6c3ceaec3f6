"""Load stage: read every content file, validate it and build the model. Nothing is written."""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from .cache import hash_file
from .editorfiles import is_editor_file
from .errors import DigestError, Problem, display_path
from .model import Bilingual, Catalog, Content, Issue, IssueHead, Link, Origin, Paper, PaperHead
from .schema import Reader
from .source import FieldPath, SourceFile, format_field, read_source
from .tags import tag_slug

MARK_KEY = "machine_translated"
"""Front-matter key listing the fields whose Korean is an unreviewed machine translation; it sits
in the issue's mapping and in each paper's, so a mark moves with its paper when papers are moved.
An editor who has reviewed a field deletes its name (or the whole line)."""
ISSUE_MARKS = ("title.ko", "notice.ko", "intro.ko")
PAPER_MARKS = ("title.ko", "summary.ko", "abstract.ko")
ISSUE_KEYS = ("week", "week_end", "draft", "title", "source", "notice", "discussion", "absent", "papers", MARK_KEY)
PAPER_KEYS = ("id", "title", "summary", "abstract", "absent", "links", "tweet", "tags", "authors", "year", MARK_KEY)
ISSUE_ABSENT = ("notice.ko", "notice.en")
PAPER_ABSENT = ("summary", "summary.ko", "summary.en", "abstract", "abstract.ko", "abstract.en", "title.ko")
"""What ``absent:`` may list: fields the original has none of, shown to readers as such."""
ID_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?")
MAX_ID_LENGTH = 80
MAX_LABEL_LENGTH = 40
LINK_LABEL = re.compile(rf"(?=.{{1,{MAX_LABEL_LENGTH}}}$)[^\W_][\w .,&+/()'’-]*")
"""A link's label as the lists write them (``Code``, ``Code & Data``, ``Paper (v2)``, ``코드``): no markup."""
_EN_MARKER = re.compile(r"^<!--\s*en\s*-->\s*$", re.MULTILINE)


def load_content(content_dir: Path, memo: dict[tuple[str, str], Issue] | None = None) -> Content:
    """Read ``content_dir/issues/*.md``; raise one DigestError listing every problem of every file.

    ``memo`` maps (shown path, digest of the file's bytes) to the Issue parsed from them; files
    found there are not parsed again, and files parsed now are added to it."""
    paths, problems = _issue_files(content_dir)
    issues: list[Issue] = []
    for path in paths:
        try:
            issues.append(_load_issue(path, memo))
        except DigestError as exc:
            problems.extend(exc.problems)
    problems.extend(_check_unique(issues))
    if problems:
        raise DigestError(problems)
    return Content(issues=tuple(sorted(issues, key=lambda i: i.week, reverse=True)))


def load_catalog(
    content_dir: Path,
    digests: Mapping[str, str],
    heads: Mapping[tuple[str, str], IssueHead],
    parsed: dict[tuple[str, str], Issue],
    set_aside: list[Problem] | None = None,
) -> Catalog:
    """Like load_content, but only files not in ``heads`` are parsed (and added to ``parsed``).

    ``digests`` gives each file's digest by its absolute path (the build has them from its input
    stats); ``heads`` are the heads of files parsed by earlier builds, by (shown path, digest).
    With ``set_aside`` (a build that leaves drafts out), a draft's problems do not stop the rest:
    they are added to it as warnings and a draft that cannot be read is left out of the catalog."""
    paths, problems = _issue_files(content_dir)
    broken_drafts: set[str] = set()
    found: list[IssueHead] = []
    folder = display_path(content_dir / "issues")
    for path in paths:
        shown = f"{folder}/{path.name}"  # display_path for each costs more than the rest of an unchanged file's load
        try:
            digest = digests.get(str(path)) or hash_file(path)
        except OSError as exc:  # gone or unreadable since the folder was listed
            problems.append(Problem(shown, None, None, "", f"cannot read file: {exc.strerror}"))
            continue
        head = heads.get((shown, digest))
        if head is None:
            try:
                issue = parse_issue(read_source(path))
            except DigestError as exc:
                problems.extend(exc.problems)
                if set_aside is not None and says_draft(path):
                    broken_drafts.update(p.path for p in exc.problems)
                continue
            parsed[(shown, digest)] = issue
            head = issue.head(digest, tag_slug)
        found.append(head)
    problems.extend(_check_unique(found))
    if set_aside is not None:
        drafts = broken_drafts | {head.path for head in found if head.draft}
        set_aside.extend(as_draft_warning(p) for p in problems if p.path in drafts)
        problems = [p for p in problems if p.path not in drafts]
    if problems:
        raise DigestError(problems)
    return Catalog(issues=tuple(sorted(found, key=lambda i: i.week, reverse=True)))


_DRAFT_LINE = re.compile(r"^draft:\s*(?:true|True|TRUE)\s*(?:#.*)?$", re.MULTILINE)


def says_draft(path: Path) -> bool:
    """Whether a file that cannot be loaded is marked ``draft: true``: from its YAML when that
    reads, else from a line ``draft: true`` at the top level of its text."""
    try:
        data = read_source(path).meta.data
    except DigestError:
        try:
            with path.open("rb") as handle:  # the front-matter's start: a huge file is not read whole
                text = handle.read(1 << 16).decode("utf-8", errors="replace")
        except OSError:
            return False
        return bool(_DRAFT_LINE.search(text.split("\n---", 1)[0]))
    return isinstance(data, dict) and data.get("draft") is True


DRAFT_NOTE = "(a draft: left out of the site until this is fixed)"


def as_draft_warning(problem: Problem) -> Problem:
    return replace(problem, message=f"{problem.message} {DRAFT_NOTE}", warning=True)


def _issue_files(content_dir: Path) -> tuple[list[Path], list[Problem]]:
    issues_dir = content_dir / "issues"
    if not issues_dir.is_dir():
        raise DigestError(
            Problem(display_path(issues_dir), None, None, "", "no issues folder: put one Markdown file per week here")
        )
    with os.scandir(issues_dir) as found:  # names and kinds at once: a long archive has thousands
        entries = sorted((entry.name, entry.is_file()) for entry in found if not _ignored(entry.name))
    folder = display_path(issues_dir)
    problems = [
        Problem(f"{folder}/{name}", None, None, "", _not_an_issue(issues_dir / name))
        for name, is_file in entries
        if not (name.endswith(".md") and is_file)
    ]
    return [issues_dir / name for name, is_file in entries if name.endswith(".md") and is_file], problems


def _not_an_issue(path: Path) -> str:
    if path.is_symlink() and not path.exists():
        return f"cannot read: it is a link to {os.readlink(path)}, which does not exist; remove the link"
    return "not read: issues are files named YYYY-MM-DD.md directly in this folder; rename it or move it out"


def _ignored(name: str) -> bool:
    """Hidden files and editors' files (lock links, autosaves, backups, swap files) are not content."""
    return name.startswith(".") or is_editor_file(name)


def _load_issue(path: Path, memo: dict[tuple[str, str], Issue] | None) -> Issue:
    if memo is None:
        return parse_issue(read_source(path))
    key = (display_path(path), hash_file(path))
    if key not in memo:
        memo[key] = parse_issue(read_source(path))
    return memo[key]


def parse_issue(source: SourceFile) -> Issue:
    """Validate one file's front-matter and body into an Issue, or raise with all its problems."""
    r = Reader(source.meta, source.display)
    if source.meta.data is None:
        raise DigestError(
            Problem(source.display, 2, None, "", "front-matter is empty; it needs at least week and papers")
        )
    if not r.mapping((), ISSUE_KEYS, required=("week", "papers")):
        raise DigestError(r.problems)
    week, week_end = _weeks(r, source)
    papers = _papers(r, source)
    intro_ko, intro_en, intro_lines = split_intro(source.body, source.body_line)
    marks = read_marks(r, (), ISSUE_MARKS)
    notice = _marked(r.bilingual(("notice",)), "notice.ko" in marks)
    issue = Issue(
        week=week,
        week_end=week_end,
        title=_marked(_issue_title(r.bilingual(("title",)), week, week_end), "title.ko" in marks),
        intro=Bilingual(ko=intro_ko, en=intro_en, machine="intro.ko" in marks),
        notice=notice,
        source=r.url(("source",)),
        papers=tuple(papers),
        draft=r.boolean(("draft",)),
        discussion=r.url(("discussion",)),
        absent=_absent(r, (), ISSUE_ABSENT, {"notice": notice}),
        origin=_issue_origin(r, source, intro_lines),
    )
    if r.problems:
        raise DigestError(r.problems)
    return issue


def _weeks(r: Reader, source: SourceFile) -> tuple[date, date]:
    """``week`` (which names the file) and ``week_end``; problems go to ``r``."""
    week = r.date(("week",))  # required: checked by mapping() above
    week_end = r.date(("week_end",))
    if week and source.path.stem != week.isoformat():
        twin = source.path.with_name(f"{week.isoformat()}.md")
        if twin.exists():  # a copy of a week: say so rather than suggest a name that is taken
            r.error(
                ("week",),
                f"week {week.isoformat()} is also in {display_path(twin)}; "
                f"each week has one file (this one is named {source.path.name})",
            )
        else:
            r.error(
                ("week",),
                f"is {week.isoformat()} but the file is named {source.path.name}; name it {week.isoformat()}.md",
            )
    if week and week_end and week_end < week:
        r.error(("week_end",), f"{week_end.isoformat()} is before week {week.isoformat()}")
    week = week or date.min
    return week, week_end or week + timedelta(days=6)


def _papers(r: Reader, source: SourceFile) -> list[Paper]:
    """The issue's papers, each with unique id within it; problems go to ``r``."""
    papers: list[Paper] = []
    raw_papers = r.get(("papers",))
    if isinstance(raw_papers, list):
        if not raw_papers:
            r.error(("papers",), "needs at least one paper")
        positions, text_lines = _per_paper(r.doc.positions), _per_paper(r.doc.text_lines)
        for index in range(len(raw_papers)):
            paper = _parse_paper(r, source, ("papers", index), positions.get(index, {}), text_lines.get(index, {}))
            if paper is not None:
                papers.append(paper)
    elif raw_papers is not None:
        r.error(("papers",), "must be a list of papers (each item starting with '- ')")
    seen: dict[str, int] = {}
    for index, paper in enumerate(papers):
        if paper.id in seen:
            r.error(("papers", index, "id"), f"duplicate paper id {paper.id!r} (also papers[{seen[paper.id]}])")
        seen.setdefault(paper.id, index)
    return papers


def _issue_origin(r: Reader, source: SourceFile, intro_lines: dict[str, int]) -> Origin:
    """Where each of the issue's own fields (not its papers') was written."""
    lines = {format_field(p): line for p, (line, _) in r.doc.positions.items() if p and p[0] != "papers"}
    text_lines = {format_field(p): line for p, line in r.doc.text_lines.items() if p and p[0] != "papers"}
    return Origin(
        source.display,
        1,
        MappingProxyType({**lines, "intro": source.body_line}),
        text_lines=MappingProxyType({**text_lines, **intro_lines}),
    )


def split_intro(body: str, body_line: int) -> tuple[str, str, dict[str, int]]:
    """The Korean and English introductions and the line each one's text begins on."""

    def start_line(offset: int, part: str) -> int:
        leading = part[: len(part) - len(part.lstrip())]
        return body_line + body[:offset].count("\n") + leading.count("\n")

    marker = _EN_MARKER.search(body)
    ko = body[: marker.start()] if marker else body
    en = body[marker.end() :] if marker else ""
    lines = {"intro.ko": start_line(0, ko)}
    if marker:
        lines["intro.en"] = start_line(marker.end(), en)
    return ko.strip(), en.strip(), lines


V = TypeVar("V")


def _per_paper(entries: Mapping[FieldPath, V]) -> dict[int, dict[str, V]]:
    """Entries under ``papers[i]`` by ``i``, keyed by field within the paper, in document order.
    Grouped in one pass: each paper filtering the whole document was quadratic in the papers of a
    week (~15 % of loading)."""
    found: dict[int, dict[str, V]] = {}
    for sub, value in entries.items():
        if len(sub) > 2 and sub[0] == "papers" and isinstance(sub[1], int):
            found.setdefault(sub[1], {})[format_field(sub[2:])] = value
    return found


def _parse_paper(
    r: Reader, source: SourceFile, path: FieldPath, positions: dict[str, tuple[int, int]], text_lines: dict[str, int]
) -> Paper | None:
    if not r.mapping(path, PAPER_KEYS):  # title.en and summary.en are checked below
        return None
    title = r.bilingual(path + ("title",), required=("en",))
    listed = _listed(r, path)
    summary_absent = "summary" in listed or "summary.en" in listed
    summary = r.bilingual(path + ("summary",), required=() if summary_absent else ("en",))
    abstract = r.bilingual(path + ("abstract",))
    absent = _absent(r, path, PAPER_ABSENT, {"title": title, "summary": summary, "abstract": abstract})
    links: list[Link] = []
    raw_links = r.get(path + ("links",))
    labels = tuple(raw_links) if isinstance(raw_links, dict) else ()  # any label; mapping() reports a non-mapping
    if r.has(path + ("links",)) and r.mapping(path + ("links",), labels):
        for label in labels:
            url = r.url(path + ("links", label), required=True)
            if not LINK_LABEL.fullmatch(label):
                r.error(
                    path + ("links", label),
                    "link labels are words: letters and digits, then also spaces and - _ . , & + / ( ) ' "
                    f"(at most {MAX_LABEL_LENGTH} characters)",
                    key=True,
                )
            elif url:
                links.append(Link(label=label, url=url))
    links.sort(key=lambda link: link.label != "paper")  # the paper itself first; others as written

    if r.has(path + ("id",)):
        paper_id = r.text(path + ("id",), required=True).strip()
        if paper_id and not _valid_id(paper_id):
            r.error(
                path + ("id",),
                f"{paper_id!r} is not a valid id: use lowercase letters, digits, '-', '.' "
                f"and '_' (at most {MAX_ID_LENGTH}, no '..', no '/')",
            )
    else:
        paper_id = slugify(title.en)
        if title.en and not paper_id:
            r.error(path + ("title", "en"), "cannot make an id from this title; give the paper an 'id'")
    marks = read_marks(r, path, PAPER_MARKS)
    return Paper(
        id=paper_id,
        title=_marked(title, "title.ko" in marks),
        summary=_marked(summary, "summary.ko" in marks),
        abstract=_marked(abstract, "abstract.ko" in marks),
        links=tuple(links),
        tweet=r.url(path + ("tweet",)),
        tags=r.string_list(path + ("tags",)),
        authors=r.string_list(path + ("authors",)),
        year=r.year(path + ("year",)),
        absent=absent,
        origin=Origin(
            source.display,
            r.line(path),
            MappingProxyType({k: line for k, (line, _) in positions.items()}),
            field=format_field(path),
            text_lines=MappingProxyType(text_lines),
        ),
    )


def _listed(r: Reader, path: FieldPath) -> tuple[str, ...]:
    """The names under ``absent:``, as written (checked by _absent)."""
    value = r.get(path + ("absent",))
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _absent(r: Reader, path: FieldPath, allowed: tuple[str, ...], texts: Mapping[str, Bilingual]) -> frozenset[str]:
    """``absent: [abstract, notice.en]``: each name one of ``allowed``, and the field really empty."""
    names = r.string_list(path + ("absent",))
    for index, name in enumerate(names):
        where = path + ("absent", index)
        field_name, _, lang = name.partition(".")
        if name not in allowed:
            close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"it may list {', '.join(allowed)}"
            r.error(where, f"{name!r} cannot be marked absent; {hint}")
        elif _has_text(texts[field_name], lang):
            r.error(where, f"{name} has text, but is listed as absent; remove one or the other")
    return frozenset(names)


def _has_text(text: Bilingual, lang: str) -> bool:
    return bool(text.ko if lang == "ko" else text.en if lang == "en" else text)


def read_marks(r: Reader, path: FieldPath, known: tuple[str, ...]) -> frozenset[str]:
    """The field names listed under ``machine_translated`` at ``path`` (unknown names are errors)."""
    names = r.string_list(path + (MARK_KEY,))
    for index, name in enumerate(names):
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"known here: {', '.join(known)}"
            r.error(path + (MARK_KEY, index), f"{name!r} is not a field that can be marked; {hint}")
    return frozenset(names)


def _marked(text: Bilingual, machine: bool) -> Bilingual:
    return replace(text, machine=True) if machine and text.ko else text


def _valid_id(value: str) -> bool:
    return len(value) <= MAX_ID_LENGTH and bool(ID_PATTERN.fullmatch(value)) and ".." not in value


def slugify(text: str) -> str:
    """'Chain-of-Note: Enhancing …' → 'chain-of-note-enhancing-…' (ASCII, ≤ 80 chars, cut at a word)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_ID_LENGTH:
        slug = slug[: MAX_ID_LENGTH + 1].rsplit("-", 1)[0]
    return slug


def _issue_title(given: Bilingual, week: date, week_end: date) -> Bilingual:
    end = week_end.strftime("%m/%d") if week_end.year == week.year else week_end.strftime("%Y/%m/%d")
    span = f"{week:%Y/%m/%d} ~ {end}"
    return Bilingual(
        ko=given.ko or f"[{span}] 이번 주의 주요 ML 논문",
        en=given.en or f"Top ML Papers of the Week ({span})",
    )


def _check_unique(issues: Sequence[Issue | IssueHead]) -> list[Problem]:
    problems: list[Problem] = []
    weeks: dict[date, Issue | IssueHead] = {}
    ids: dict[str, tuple[Issue | IssueHead, Paper | PaperHead]] = {}
    # Drafts come last, so that a clash between a draft and a published issue is the draft's problem.
    for issue in sorted(issues, key=lambda i: (i.draft, i.path)):
        if issue.week in weeks:
            problems.append(
                Problem(
                    issue.origin.path,
                    issue.origin.line_of("week"),
                    None,
                    "week",
                    f"week {issue.key} is also in {weeks[issue.week].origin.path}",
                )
            )
        weeks.setdefault(issue.week, issue)
        for paper in issue.papers:
            if paper.id in ids and ids[paper.id][0] is not issue:
                other = ids[paper.id][1].origin
                problems.append(
                    Problem(
                        paper.origin.path,
                        paper.origin.line_of("id"),
                        None,
                        f"{paper.origin.field}.id",
                        f"paper id {paper.id!r} is also used in {other.path}:{other.line}; "
                        f"ids are unique across the site (give one an explicit 'id')",
                    )
                )
            ids.setdefault(paper.id, (issue, paper))
    return problems + _check_overlaps(issues)


def _check_overlaps(issues: Sequence[Issue | IssueHead]) -> list[Problem]:
    """Two weeks whose days overlap: an error on the later one (or on the draft, when one is),
    naming both files. The same week twice is reported by _check_unique."""
    problems: list[Problem] = []
    reach: Issue | IssueHead | None = None  # of the weeks so far, the one that ends last
    for issue in sorted(issues, key=lambda i: (i.week, i.draft, i.path)):
        if reach is not None and issue.week != reach.week and issue.week <= _end(reach):
            blamed, other = (reach, issue) if reach.draft and not issue.draft else (issue, reach)
            problems.append(
                Problem(
                    blamed.origin.path,
                    blamed.origin.line_of("week"),
                    None,
                    "week",
                    f"{_span(blamed)} overlaps {_span(other)} of {other.origin.path}:{other.origin.line_of('week')}; "
                    f"a day belongs to one week (fix week or week_end in one of them)",
                )
            )
        if reach is None or _end(issue) > _end(reach):
            reach = issue
    return problems


def _end(issue: Issue | IssueHead) -> date:
    return issue.week_end or issue.week + timedelta(days=6)


def _span(issue: Issue | IssueHead) -> str:
    return f"week {issue.week.isoformat()} ~ {_end(issue).isoformat()}"
