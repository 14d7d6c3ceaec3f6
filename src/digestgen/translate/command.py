"""`digestgen translate`: machine drafts of the missing Korean fields, marked for review;
`digestgen reviewed`: remove the marks of what an editor has checked.

Each issue file is rewritten (atomically) after each paper, so an interrupted run keeps what it
had and a rerun goes on where it stopped: a filled field is never asked for again, and text a
person wrote is never replaced. A reply that does not carry the English's math, code, links and
Markdown over unchanged is not written: the English stays shown and the field is reported.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TextIO

from ..config import SiteConfig
from ..errors import DigestError, Problem, display_path
from ..load import parse_issue
from ..options import add_site_arguments, command_parser, config_from_args
from ..source import FieldPath, SourceFile, format_field, parse_yaml, read_source
from .client import ChatClient, ModelError
from .edit import EditError, IssueText, fill_intro, fill_korean, set_marks
from .fields import Field, marks_of, missing_fields
from .prompt import Instructions, load_instructions
from .spans import compare


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = command_parser(
        commands,
        "translate",
        help="fill missing Korean fields by machine translation, marked for review (see docs/translate.md)",
        description="Ask a chat-completions endpoint for the Korean of every field that has only English, "
        "write it into the issue files marked machine_translated (shown to readers with a badge) until "
        "an editor runs reviewed. Never overwrites text an editor wrote.",
        examples="  digestgen translate --week 2023-12-25 --dry-run\n  digestgen translate",
    )
    cmd.add_argument("files", nargs="*", metavar="FILE", help="issue files (default: every issue missing Korean)")
    _common(cmd)
    cmd.add_argument("--dry-run", action="store_true", help="print the diff it would write; write nothing")
    cmd.set_defaults(run=run_translate)
    done = command_parser(
        commands,
        "reviewed",
        help="remove machine-translation marks once an editor has checked the text",
        description="Remove the machine_translated marks of an issue's fields (or of the fields named "
        "with --field), once an editor has read and corrected the Korean.",
        examples="  digestgen reviewed --week 2023-12-25\n"
        "  digestgen reviewed content/issues/2023-12-25.md --field 'papers[2].summary.ko'",
    )
    done.add_argument("files", nargs="*", metavar="FILE", help="issue files (or --week)")
    _common(done)
    done.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="NAME",
        help="only this field, as check names it (papers[2].summary.ko, intro.ko); repeatable",
    )
    done.set_defaults(run=run_reviewed)


def _common(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--week", type=date.fromisoformat, metavar="YYYY-MM-DD", help="the issue of this week")
    add_site_arguments(cmd)


@dataclass
class Tally:
    """What a run did, for its summary line."""

    filled: int = 0
    kept: list[Problem] = field(default_factory=list)
    """Fields left in English (the reply did not fit), as warnings."""
    files: int = 0
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0


class Progress:
    """A one-line bar on a terminal; nothing when stderr is a file or a pipe."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total, self.done, self.stream = total, 0, stream
        self.live = total > 0 and stream.isatty()

    def show(self, label: str) -> None:
        if self.live:
            width = 24
            filled = width * self.done // self.total
            bar = "█" * filled + "░" * (width - filled)
            self.stream.write(f"\r\x1b[K{bar} {self.done}/{self.total} {label[:60]}")
            self.stream.flush()

    def step(self) -> None:
        self.done += 1

    def close(self) -> None:
        if self.live:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def run_translate(args: argparse.Namespace) -> int:
    config = _config(args)
    paths = _paths(config, args.files, args.week)
    plans: list[tuple[Path, list[list[Field]]]] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            groups = missing_fields(_loaded(path))
        except DigestError as exc:  # a broken file is reported and left alone; the others go on
            problems += exc.problems
            continue
        if groups:
            plans.append((path, groups))
    for problem in problems:
        print(problem, file=sys.stderr)
    total = sum(len(group) for _, groups in plans for group in groups)
    if not total:
        print("nothing to translate: every Korean field is filled" + (" (some files have errors)" if problems else ""))
        return 1 if problems else 0
    try:
        instructions = load_instructions(config.translate)
        client = ChatClient(config.translate)
    except ModelError as exc:
        print(f"digestgen translate: {exc}", file=sys.stderr)
        return 1
    except DigestError as exc:  # the prompt or glossary file
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    tally = Tally()
    progress = Progress(total, sys.stderr)
    try:
        for path, groups in plans:
            _translate_file(path, groups, client, instructions, tally, progress, dry_run=args.dry_run)
    except ModelError as exc:
        progress.close()
        _summary(tally, args.dry_run)
        print(f"digestgen translate: {exc}", file=sys.stderr)
        print("what was translated before this is written; run the command again to go on.", file=sys.stderr)
        return 1
    except EditError as exc:
        progress.close()
        _summary(tally, args.dry_run)
        print(f"digestgen translate: {exc}", file=sys.stderr)
        return 1
    progress.close()
    for warning in tally.kept:
        print(warning, file=sys.stderr)
    _summary(tally, args.dry_run)
    return 1 if problems else 0


def _translate_file(
    path: Path,
    groups: list[list[Field]],
    client: ChatClient,
    instructions: Instructions,
    tally: Tally,
    progress: Progress,
    *,
    dry_run: bool,
) -> None:
    shown = display_path(path)
    original = path.read_text(encoding="utf-8")
    text = IssueText.parse(original)
    written = original
    for group in groups:
        filled: list[tuple[Field, str]] = []
        for item in group:
            progress.show(f"{shown} {item.name}")
            reply = client.ask(instructions.system(item.kind, item.english), item.english)
            progress.step()
            tally.requests += 1
            tally.prompt_tokens += reply.prompt_tokens
            tally.completion_tokens += reply.completion_tokens
            why = "the reply was cut at the model's length limit" if reply.truncated else ""
            korean = reply.text.strip()
            why = why or compare(item.english, korean, one_line=item.kind == "title")
            if why:
                message = f"kept in English: {why}"
                tally.kept.append(Problem(shown, item.line, None, item.name, message, warning=True))
            else:
                filled.append((item, korean))
        if not filled:
            continue
        try:
            text = _apply(text, filled)
        except EditError as exc:
            raise EditError(f"{shown}: {exc}") from None
        tally.filled += len(filled)
        if not dry_run:
            _write(path, written, str(text))
            written = str(text)
    if str(text) != original:
        tally.files += 1
        if dry_run:
            sys.stdout.writelines(
                difflib.unified_diff(
                    original.splitlines(keepends=True),
                    str(text).splitlines(keepends=True),
                    f"a/{shown}",
                    f"b/{shown}",
                )
            )


def _apply(text: IssueText, filled: list[tuple[Field, str]]) -> IssueText:
    """The fields written and marked; marks go to the mapping that holds the fields."""
    for item, korean in filled:
        text = fill_intro(text, korean) if item.path == ("intro",) else fill_korean(text, item.path, korean)
    owner = filled[0][0].owner
    data = read_front(text)
    marks = marks_of(data, owner)
    marks += [item.mark for item, _ in filled if item.mark not in marks]
    return set_marks(text, owner, marks)


def read_front(text: IssueText) -> dict[str, object]:
    data = parse_yaml(text.front, "<front-matter>").data
    assert isinstance(data, dict)
    return data


def _write(path: Path, expected: str, text: str) -> None:
    """Replace the file at once (a temporary file renamed over it), unless someone changed it
    since it was read: their edit wins, and the run stops for this file."""
    try:
        current = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise EditError(f"{display_path(path)}: cannot read it again ({exc.strerror})") from None
    if current != expected:
        raise EditError(
            f"{display_path(path)} changed while it was being translated (saved in an editor?); "
            "nothing more was written to it: run translate again"
        )
    temporary = path.with_name(f".{path.name}.translate.tmp")
    with temporary.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _summary(tally: Tally, dry_run: bool) -> None:
    verb = "would fill" if dry_run else "filled"
    kept = f", {len(tally.kept)} kept in English" if tally.kept else ""
    print(
        f"{verb} {tally.filled} Korean field{'s' if tally.filled != 1 else ''} in {tally.files} "
        f"file{'s' if tally.files != 1 else ''}{kept}; "
        f"{tally.requests} request{'s' if tally.requests != 1 else ''}, tokens: {tally.prompt_tokens} prompt + "
        f"{tally.completion_tokens} completion = {tally.prompt_tokens + tally.completion_tokens}"
    )


def run_reviewed(args: argparse.Namespace) -> int:
    config = _config(args)
    if not args.files and args.week is None:
        print("digestgen reviewed: name the issue files (or --week YYYY-MM-DD)", file=sys.stderr)
        return 2
    wanted = set(args.field)
    status = 0
    for path in _paths(config, args.files, args.week):
        shown = display_path(path)
        try:
            source = _loaded(path)
        except DigestError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            status = 1
            continue
        data = source.meta.data
        assert isinstance(data, dict)
        text = IssueText.parse(path.read_text(encoding="utf-8"))
        original = str(text)
        removed: list[str] = []
        owners: list[FieldPath] = [()] + [("papers", i) for i in range(len(data.get("papers") or []))]
        for owner in owners:
            marks = marks_of(data, owner)
            prefix = f"{format_field(owner)}." if owner else ""
            gone = [name for name in marks if not wanted or prefix + name in wanted]
            if gone:
                text = set_marks(text, owner, [name for name in marks if name not in gone])
                removed += [prefix + name for name in gone]
        unknown = wanted - set(removed)
        for name in sorted(unknown):
            print(f"{shown}: {name}: not marked as machine-translated", file=sys.stderr)
            status = 1
        if str(text) != original:
            _write(path, original, str(text))
        print(
            f"{shown}: {len(removed)} mark{'s' if len(removed) != 1 else ''} removed"
            + (f" ({', '.join(removed)})" if 0 < len(removed) <= 5 else "")
        )
    return status


def _config(args: argparse.Namespace) -> SiteConfig:
    return config_from_args(args)


def _paths(config: SiteConfig, files: list[str], week: date | None) -> list[Path]:
    if files:
        paths = [Path(name) for name in files]
    elif week is not None:
        paths = [config.content_dir / "issues" / f"{week.isoformat()}.md"]
    else:
        paths = sorted(p for p in (config.content_dir / "issues").glob("*.md") if not p.name.startswith((".", "#")))
    missing = [path for path in paths if not path.is_file()]
    if missing:
        raise DigestError([Problem(display_path(path), None, None, "", "no such issue file") for path in missing])
    return paths


def _loaded(path: Path) -> SourceFile:
    """The file's source, once it is known to load without errors (what ``build`` would say)."""
    source = read_source(path)
    parse_issue(source)
    return source
