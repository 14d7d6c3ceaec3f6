"""`digestgen export post WEEK`: a week as the community's forum post, in the seed's text form.

The form (what ``import post`` reads): the title line with the dates, the notice as ``•``
bullets, ``소개`` and the introduction, then per paper a ``한국어 제목 / English title`` line,
``논문 소개`` and ``논문 초록`` (Korean, then the English indented under it), ``논문 링크``,
``더 읽어보기`` and at the end ``원문``. Markdown is written as the text a reader sees
(``\\*`` as ``*``), which is what ``import post`` turns back into the same Markdown.

The post carries the Korean side of the week and the English of papers; it has no place for
ids, tags, link labels other than the paper's, or the English title, notice and introduction.
Every post is read back with ``import post`` before it is written, and each field that would
not come back as it is in the issue is named in a warning.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .errors import DigestError, Problem, display_path
from .imports.post import read_post
from .imports.text import BULLET, escape_text
from .load import parse_issue
from .model import Bilingual, Issue
from .options import add_site_arguments, command_parser, config_from_args
from .source import read_source

_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_ITEM = re.compile(r"^- ")


@dataclass(frozen=True)
class Post:
    text: str
    warnings: tuple[Problem, ...]
    """Fields that the post cannot give back as they are (see ``round_trip``)."""


def post_text(issue: Issue, site_notice: Bilingual) -> str:
    """The forum post of ``issue`` (the site's notice when the issue has none of its own)."""
    out = [issue.title.ko, ""]
    notice = (issue.notice or site_notice).ko
    if notice:
        out += [_line(block, bullet=True) for block in _blocks(notice)] + [""]
    if issue.intro.ko:
        out += ["소개", ""]
        for block in _blocks(issue.intro.ko):
            out += [_line(block, bullet=block.startswith("- ")), ""]
    for paper in issue.papers:
        heading = f"{paper.title.ko} / {paper.title.en}" if paper.title.ko else paper.title.en
        out += ["", heading, "", "논문 소개", "", *_pair(paper.summary)]
        if paper.abstract:
            out += ["논문 초록", "", *_pair(paper.abstract)]
        out += ["논문 링크", ""]
        out += [
            line
            for link in paper.links
            if link.label == "paper" or link.label.startswith("paper ")
            for line in (link.url, "")
        ]
        out += ["더 읽어보기", ""]
        more = [link.url for link in paper.links if link.label.startswith("more ")]
        out += [line for url in ([paper.tweet] if paper.tweet else []) + more for line in (url, "")]
    out += ["", "원문"]
    if issue.source:
        out += ["", issue.source]
    return "\n".join(out) + "\n"


def export_post(issue: Issue, site_notice: Bilingual) -> Post:
    """The post, and a warning for every field that reading it back would not give as it is."""
    text = post_text(issue, site_notice)
    return Post(text, tuple(round_trip(issue, site_notice, text)))


def round_trip(issue: Issue, site_notice: Bilingual, text: str) -> list[Problem]:
    draft, _ = read_post(text, "<post>")
    where = issue.origin.path

    def lost(field: str, line: int | None) -> Problem:
        return Problem(
            where,
            line,
            None,
            field,
            "does not come back the same from the post's text form (Markdown the post cannot show?)",
            warning=True,
        )

    if draft is None or len(draft.papers) != len(issue.papers):
        return [lost("papers", issue.origin.line)]
    problems = []
    expected = {
        "week": (issue.week, issue.week_end),
        "title.ko": issue.title.ko,
        "notice.ko": (issue.notice or site_notice).ko,
        "intro.ko": issue.intro.ko,
        "source": issue.source,
    }
    got = {
        "week": (draft.week, draft.week_end),
        "title.ko": draft.title.ko,
        "notice.ko": draft.notice.ko,
        "intro.ko": draft.intro.ko,
        "source": draft.source,
    }
    problems += [lost(name, issue.origin.line_of(name)) for name in expected if expected[name] != got[name]]
    for index, (paper, read) in enumerate(zip(issue.papers, draft.papers, strict=True)):
        carried = [
            link for link in paper.links if link.label == "paper" or re.fullmatch(r"(paper|more) \d+", link.label)
        ]
        pairs = {
            "title": (paper.title.ko, paper.title.en, read.title.ko, read.title.en),
            "summary": (paper.summary.ko, paper.summary.en, read.summary.ko, read.summary.en),
            "abstract": (paper.abstract.ko, paper.abstract.en, read.abstract.ko, read.abstract.en),
        }
        for name, (ko, en, ko_read, en_read) in pairs.items():
            for lang, mine, theirs in (("ko", ko, ko_read), ("en", en, en_read)):
                if mine != theirs:
                    problems.append(lost(f"papers[{index}].{name}.{lang}", paper.origin.line_of(f"{name}.{lang}")))
        if (paper.tweet, sorted(carried, key=str)) != (read.tweet, sorted(read.links, key=str)):
            problems.append(lost(f"papers[{index}].links", paper.origin.line_of("links")))
    return problems


def _pair(text: Bilingual) -> list[str]:
    """Korean then English, as the seed lays them out: a lone Korean paragraph as a '•' item,
    the English indented under it."""
    out: list[str] = []
    ko = _blocks(text.ko)
    for block in ko:
        bullet = block.startswith("- ") or len(ko) == 1
        out += [_line(block, bullet=bullet, indent=not bullet), ""]
    for block in _blocks(text.en):
        out += [_line(block, bullet=block.startswith("- "), indent=True), ""]
    return out


def _blocks(markdown: str) -> list[str]:
    """Paragraphs and list items, one per output line."""
    blocks: list[str] = []
    for part in markdown.split("\n\n"):
        lines = part.split("\n")
        if all(_ITEM.match(line) for line in lines):
            blocks += lines
        elif part.strip():
            blocks += [line for line in lines if line.strip()]
    return blocks


def _line(block: str, *, bullet: bool, indent: bool = False) -> str:
    text = _shown(_ITEM.sub("", block, count=1) if bullet else block)
    if bullet:
        return f"  • {text}"
    return f"    {text}" if indent else text


def _shown(markdown: str) -> str:
    """The text a reader sees for one line of Markdown that ``import post`` escaped; the
    Markdown itself when that text would not be escaped back to it."""
    text = _ESCAPE.sub(r"\1", markdown)
    return text if escape_text(text) == markdown and not BULLET.match(text) else markdown


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = command_parser(
        commands,
        "export",
        help="write a week in another form (the forum post)",
        description="Write one week of the site in another form; the one form so far is the forum post.",
        examples="  digestgen export post 2023-11-13 -o post.txt",
    )
    kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
    post = command_parser(
        kinds,
        "post",
        help="the week's forum post, in the text form import post reads",
        description="The week as the forum post (the seed's text form), checked by reading it back "
        "with import post before it is written.",
        examples="  digestgen export post 2023-11-13\n  digestgen export post 2023-11-13 -o post.txt",
    )
    post.add_argument("week", type=date.fromisoformat, metavar="WEEK", help="the issue's week, YYYY-MM-DD")
    post.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE (default: stdout)")
    add_site_arguments(post)
    parser.set_defaults(run=run_export)


def run_export(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    content_dir = config.content_dir
    path = content_dir / "issues" / f"{args.week.isoformat()}.md"
    if not path.is_file():
        raise DigestError(Problem(display_path(path), None, None, "", f"no issue for week {args.week.isoformat()}"))
    post = export_post(parse_issue(read_source(path)), config.notice)
    for warning in post.warnings:
        print(warning, file=sys.stderr)
    if args.output is None:
        sys.stdout.write(post.text)
    else:
        temporary = args.output.with_name(f".{args.output.name}.tmp")
        temporary.write_text(post.text, encoding="utf-8", newline="\n")
        temporary.replace(args.output)
        print(f"wrote {display_path(args.output)}", file=sys.stderr)
    return 0
