"""`digestgen import post|list`: read every input, check every output, then write the files.

Like the build, nothing is written unless everything could be read: the problems of all inputs
are reported at once. Each written file is also put through the loader (``parse_issue``), so
what the build would say about it (e.g. a title still missing its English) is said now, as a
warning pointing into the new file.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

from ..config import find_config, load_config
from ..errors import DigestError, Problem, display_path
from ..load import parse_issue
from ..options import command_parser
from ..source import SourceFile, decode_text, parse_yaml, read_text
from .draft import DraftIssue
from .ids import ids_in, unique_ids
from .issue_file import issue_file
from .post import read_post
from .weekly_list import read_list


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = command_parser(
        commands,
        "import",
        help="turn community posts or the English weekly list into issue files",
        description="Read every input, check every issue it makes, then write them (nothing if anything is wrong).",
        examples="  digestgen import post post.txt\n  digestgen import list README.md --year 2023",
    )
    kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
    post = command_parser(
        kinds,
        "post",
        help="community posts (text copied from the forum); '-' reads stdin",
        description="One issue file per post: the week, the notice and each paper's title, summary and links.",
        examples="  digestgen import post post.txt\n  pbpaste | digestgen import post -",
    )
    post.add_argument("files", nargs="+", metavar="FILE", help="text files of posts, or - for stdin")
    weekly = command_parser(
        kinds,
        "list",
        help="the English weekly list (Markdown sections with a table)",
        description="One issue file per week of the list, with the English titles, summaries and links.",
        examples="  digestgen import list README.md\n  digestgen import list README.md --week 2023-12-25",
    )
    weekly.add_argument("files", nargs=1, metavar="FILE", help="the list, as Markdown")
    weekly.add_argument(
        "--year",
        type=_year,
        help="year of the newest week when no heading, table of contents or neighbouring week gives one "
        "(four digits, 2000–2100)",
    )
    weekly.add_argument(
        "--week", type=date.fromisoformat, metavar="YYYY-MM-DD", help="import only the week containing this date"
    )
    for sub in (post, weekly):
        sub.add_argument(
            "--to",
            type=Path,
            metavar="DIR",
            help="where to write YYYY-MM-DD.md files (default: content/issues of the site found from here)",
        )
        sub.add_argument("--force", action="store_true", help="replace files that already exist")
        sub.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.set_defaults(run=run_import)


FIRST_YEAR, LAST_YEAR = 2000, 2100


def _year(text: str) -> int:
    """``--year``: four digits in a sensible range (``23`` would write ``0023-12-25.md``)."""
    if not re.fullmatch(r"\d{4}", text.strip()) or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise argparse.ArgumentTypeError(
            f"must be a year written with four digits, {FIRST_YEAR}–{LAST_YEAR} (e.g. 2023), not {text!r}"
        )
    return int(text)


def run_import(args: argparse.Namespace) -> int:
    drafts, problems = read_inputs(
        args.kind, args.files, year=getattr(args, "year", None), week=getattr(args, "week", None)
    )
    args.to = args.to or _issues_folder()
    replaced = {args.to / f"{draft.week.isoformat()}.md" for draft in drafts} if args.force else set()
    drafts = unique_ids(drafts, ids_in(args.to, replaced))
    outputs, more = plan(drafts, args.to, force=args.force)
    problems += more
    if args.strict:
        problems = [replace(p, warning=False) for p in problems]
    errors = [p for p in problems if not p.warning]
    for warning in sorted((p for p in problems if p.warning), key=Problem.sort_key):
        print(warning, file=sys.stderr)
    for error in sorted(errors, key=Problem.sort_key):
        print(error, file=sys.stderr)
    if errors:
        print(f"{len(errors)} error{'s' if len(errors) != 1 else ''}; no file was written.", file=sys.stderr)
        return 1
    args.to.mkdir(parents=True, exist_ok=True)
    counts = {draft.week: len(draft.papers) for draft in drafts}
    for path, text in outputs:
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(text, encoding="utf-8", newline="\n")
        os.replace(temporary, path)
        print(f"wrote {display_path(path)} ({_count(counts[date.fromisoformat(path.stem)], 'paper')})")
    report(drafts, args.to)
    return 0


def report(drafts: list[DraftIssue], folder: Path) -> None:
    """What was written, and every place where the importer guessed, with its line in the input."""
    guesses = sorted((g for draft in drafts for g in draft.guesses), key=lambda g: (g.path, g.line))
    papers = sum(len(draft.papers) for draft in drafts)
    print(f"imported {_count(len(drafts), 'week')}, {_count(papers, 'paper')} into {display_path(folder)}/")
    if guesses:
        print(f"{_count(len(guesses), 'place')} where the import guessed (check them):")
        for guess in guesses:
            print(f"  {guess}")


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _issues_folder() -> Path:
    """content/issues of the site found from the current folder upwards; without one, of this folder."""
    try:
        return load_config(find_config(Path.cwd())).content_dir / "issues"
    except DigestError:
        return Path("content/issues")


def read_inputs(
    kind: str, files: list[str], *, year: int | None = None, week: date | None = None
) -> tuple[list[DraftIssue], list[Problem]]:
    drafts: list[DraftIssue] = []
    problems: list[Problem] = []
    for name in files:
        try:
            if name == "-":
                display, text = "<stdin>", decode_text(sys.stdin.buffer.read(), "<stdin>")
            else:
                display = display_path(Path(name))
                text = read_text(Path(name), display)
        except DigestError as exc:
            problems += exc.problems
            continue
        if kind == "post":
            draft, found = read_post(text, display)
            drafts += [draft] if draft else []
        else:
            drafts_found, found = read_list(text, display, year=year, week=week)
            drafts += drafts_found
        problems += found
    return drafts, problems


def plan(drafts: list[DraftIssue], folder: Path, *, force: bool) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """The file for each draft, plus what stops it from being written or what the build will say."""
    outputs: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    seen: dict[date, DraftIssue] = {}
    for draft in drafts:
        path = folder / f"{draft.week.isoformat()}.md"
        shown = display_path(path)
        if draft.week in seen:
            other = seen[draft.week]
            problems.append(
                Problem(
                    draft.input,
                    draft.line,
                    None,
                    "week",
                    f"week {draft.week.isoformat()} is also in {other.input}:{other.line}; import them one at a time",
                )
            )
            continue
        seen[draft.week] = draft
        if path.exists() and not force:
            problems.append(
                Problem(draft.input, draft.line, None, "week", f"{shown} already exists; use --force to replace it")
            )
            continue
        try:
            text = issue_file(draft, shown)
            problems += _build_warnings(draft, path, shown, text)
        except DigestError as exc:
            problems += exc.problems
            continue
        outputs.append((path, text))
    return outputs, problems


def _build_warnings(draft: DraftIssue, path: Path, shown: str, text: str) -> list[Problem]:
    """What the loader will say about the written file, as warnings on the input's line that
    also point into the new file."""
    front, _, body = text[4:].partition("\n---\n")
    source = SourceFile(
        path=path,
        display=shown,
        meta=parse_yaml(front + "\n", shown, first_line=2),
        body=body,
        body_line=front.count("\n") + 4,
    )
    try:
        parse_issue(source)
    except DigestError as exc:
        warnings = []
        for p in exc.problems:
            paper = re.match(r"papers\[(\d+)\]", p.field)
            line = draft.papers[int(paper.group(1))].line if paper else draft.line
            written = f"{p.path}:{p.line}:{p.column}" if p.column else f"{p.path}:{p.line}"
            warnings.append(
                Problem(
                    draft.input,
                    line,
                    None,
                    p.field,
                    f"{p.message} in {written}; the build will stop there until this is fixed",
                    warning=True,
                )
            )
        return warnings
    return []
