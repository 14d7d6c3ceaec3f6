"""``digestgen check``: load and render everything (drafts included) without writing, and report
errors and warnings: things that build but that an editor most likely wants to fix."""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from markupsafe import Markup

from .config import SiteConfig
from .errors import DigestError, Problem
from .load import load_content
from .markdown import Markdown, plain
from .model import LANGS, Bilingual, Content, Issue, Lang, Origin, Paper, absent_langs
from .options import add_site_arguments, add_verbose_argument, announce, command_parser, config_from_args, count
from .plan import render_site
from .report import warning_lines
from .source import format_field, read_source
from .tags import tag_key

JSON_VERSION = 1
_TAG = re.compile(r"<[^>]*>")
_SHORTCODE = re.compile(r"(?<![\w:/]):[a-z0-9_+-]*[a-z][a-z0-9_+-]*:(?![\w/])")
_LATEX = re.compile(r"\$[^$\n]*\\[A-Za-z]+[^$\n]*\$|\\\(|\\\[|\\begin\{")
_HTTP = re.compile(r"http://[^\s<>\"')\]]+")


@dataclass(frozen=True)
class CheckResult:
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    issues: int = 0
    papers: int = 0
    unreviewed: int = 0
    """Korean fields still marked machine-translated (``machine_translated``)."""

    def exit_code(self, strict: bool) -> int:
        return 1 if self.errors or (strict and self.warnings) else 0


def check(config: SiteConfig) -> CheckResult:
    """Everything ``build`` would report, plus content warnings; nothing is written."""
    try:
        content = load_content(config.content_dir)
        rendered = list(
            render_site(config, content, cards=False).warnings
        )  # drafts too: they will be published one day
    except DigestError as exc:
        return CheckResult(errors=tuple(exc.problems), warnings=())
    warnings = [
        *rendered,
        *content_warnings(content),
        *unquoted_scalars(content),
        *_rendered_leftovers(content, Markdown(), rendered),
    ]
    unique = sorted(set(warnings), key=Problem.sort_key)
    return CheckResult((), tuple(unique), len(content.issues), len(content.papers), unreviewed(content))


def unreviewed(content: Content) -> int:
    """How many Korean fields are machine translations nobody has reviewed yet."""
    texts = [text for issue in content.issues for _, _, text, _ in _texts(issue)]
    texts += [issue.title for issue in content.issues]
    return sum(1 for text in texts if text.machine and text.ko)


def _warn(origin: Origin, name: str, message: str) -> Problem:
    field = f"{origin.field}.{name}" if origin.field and name else (origin.field or name)
    line, parts = None, name.split(".")
    while parts and line is None:  # 'notice.en' may be absent: point at 'notice', then at the object
        line = origin.lines.get(".".join(parts))
        parts.pop()
    return Problem(origin.path, line or origin.line, None, field, message, warning=True)


def _texts(issue: Issue) -> Iterator[tuple[Origin, str, Bilingual, bool]]:
    """Every bilingual field of an issue: (origin, field name, text, is Markdown)."""
    yield issue.origin, "notice", issue.notice, True
    yield issue.origin, "intro", issue.intro, True
    for paper in issue.papers:
        yield paper.origin, "title", paper.title, False
        yield paper.origin, "summary", paper.summary, True
        yield paper.origin, "abstract", paper.abstract, True


def content_warnings(content: Content) -> list[Problem]:
    problems: list[Problem] = []
    for issue in content.issues:
        if _untranslated(issue.notice, absent_langs(issue.absent, "notice")):
            problems.append(_missing_translation(issue.origin, "notice", issue.notice))
        if issue.source.startswith("http://"):
            problems.append(_warn(issue.origin, "source", "http:// link; use https:// if the site has it"))
        for paper in issue.papers:
            problems.extend(_paper_warnings(paper))
    problems.extend(_repeated_papers(content))
    problems.extend(_near_duplicate_tags(content))
    for issue in content.issues:
        for origin, name, text, _ in _texts(issue):
            for lang in LANGS:
                for url in _HTTP.findall(text.get(lang)):
                    problems.append(
                        _warn(origin, f"{name}.{lang}", f"http:// link {url}; use https:// if the site has it")
                    )
    return problems


def _missing_translation(origin: Origin, name: str, text: Bilingual) -> Problem:
    lang = "ko" if not text.ko else "en"
    return _warn(origin, f"{name}.{lang}", "missing translation (the other language has text)")


def _untranslated(text: Bilingual, absent: frozenset[Lang]) -> bool:
    """Text in one language only, the other not marked absent on purpose."""
    return bool(text) and any(not text.get(lang) and lang not in absent for lang in LANGS)


def _paper_warnings(paper: Paper) -> Iterator[Problem]:
    for name in ("title", "summary", "abstract"):
        text: Bilingual = getattr(paper, name)
        if _untranslated(text, absent_langs(paper.absent, name)):
            yield _missing_translation(paper.origin, name, text)
    if not paper.abstract and absent_langs(paper.absent, "abstract") != frozenset(LANGS):
        yield _warn(paper.origin, "abstract", "no abstract (논문 초록)")
    for link in paper.links:
        if link.url.startswith("http://"):
            yield _warn(paper.origin, f"links.{link.label}", "http:// link; use https:// if the site has it")
    if paper.tweet.startswith("http://"):
        yield _warn(paper.origin, "tweet", "http:// link; use https:// if the site has it")


def _normalized_title(title: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", unicodedata.normalize("NFKC", title).casefold()).split())


def _repeated_papers(content: Content) -> Iterator[Problem]:
    """The same paper in two weeks: same paper URL or same English title (oldest week wins)."""
    seen: dict[tuple[str, str], tuple[Issue, Paper]] = {}
    for issue, paper in sorted(content.papers, key=lambda ip: (ip[0].week, ip[1].origin.line or 0)):
        keys = [("title", _normalized_title(paper.title.en))]
        if paper.paper_url:
            keys.insert(0, ("paper link", paper.paper_url.rstrip("/")))
        for key in keys:
            if key in seen and seen[key][0] is not issue:
                first_issue, first = seen[key]
                yield _warn(
                    paper.origin,
                    "title.en" if key[0] == "title" else "links.paper",
                    f"same {key[0]} as a paper of week {first_issue.key} "
                    f"({first.origin.path}:{first.origin.line}); is it the same paper?",
                )
                break
        for key in keys:
            seen.setdefault(key, (issue, paper))


def _near_duplicate_tags(content: Content) -> Iterator[Problem]:
    """Spellings of one tag (one key: tags.tag_key, as the tag pages) that differ: the site shows
    one of them everywhere, so the others are worth writing the same way."""
    spellings: dict[str, dict[str, list[Paper]]] = {}
    for _, paper in content.papers:
        for tag in paper.tags:
            spellings.setdefault(tag_key(tag), {}).setdefault(tag, []).append(paper)
    for variants in spellings.values():
        if len(variants) < 2:
            continue
        # The spelling used most (then alphabetically first) is the one to keep.
        keep = min(variants, key=lambda tag: (-len(variants[tag]), tag))
        for tag, papers in sorted(variants.items()):
            if tag != keep:
                for paper in papers:
                    yield _warn(
                        paper.origin, "tags", f"tag {tag!r} looks like {keep!r} used elsewhere; write it one way"
                    )


def unquoted_scalars(content: Content) -> Iterator[Problem]:
    """Values YAML read as numbers or booleans from a spelling that doesn't look like one
    (``draft: no``, ``0x1F``, ``1_000``); text fields given such values are already errors."""
    for issue in content.issues:
        source = read_source(Path(issue.origin.path), issue.origin.path)  # the display path is cwd-relative
        for path, written in source.meta.plain_scalars.items():
            value = _value_at(source.meta.data, path)
            if isinstance(value, bool) and written not in ("true", "false"):
                canonical = str(value).lower()
            elif isinstance(value, (int, float)) and not isinstance(value, bool) and written != str(value):
                canonical = str(value)
            else:
                continue
            line, column = source.meta.where(path)
            yield Problem(
                issue.origin.path,
                line,
                column,
                format_field(path),
                f'YAML read {written!r} as {canonical}; write {canonical}, or "{written}" if you meant text',
                warning=True,
            )


def _value_at(data: object, path: tuple[str | int, ...]) -> object:
    for part in path:
        if isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
            continue
        if not (isinstance(data, dict) and part in data):
            return None
        data = data[part]
    return data


def _rendered_leftovers(content: Content, md: Markdown, rendered: list[Problem]) -> Iterator[Problem]:
    """Shortcodes and LaTeX still visible after rendering (the reader would see ``:smile:``)."""
    already = {(p.path, p.field) for p in rendered}
    for issue in content.issues:
        for origin, name, text, markdown in _texts(issue):
            for lang in LANGS:
                if not text.get(lang):
                    continue
                html = md.block(text.get(lang)) if markdown else plain(text.get(lang))  # as views do
                visible = Markup(_TAG.sub(" ", str(html))).unescape()
                field = f"{name}.{lang}"
                for code in sorted(set(_SHORTCODE.findall(visible))):
                    yield _warn(origin, field, f"{code} is shown as written (unknown shortcode?)")
                latex = _LATEX.search(visible)
                warned = (origin.path, f"{origin.field}.{field}" if origin.field else field) in already
                if latex and not warned:
                    yield _warn(origin, field, f"LaTeX shown as written: {latex.group(0)[:40]}")


def problem_json(problem: Problem) -> dict[str, object]:
    data = asdict(problem)
    data["severity"] = "warning" if data.pop("warning") else "error"
    data["text"] = str(problem).split("\n", 1)[0]  # the excerpt (lines of its own) is a field of its own
    if not data["excerpt"]:
        del data["excerpt"]
    return data


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = command_parser(
        commands,
        "check",
        help="validate all content (drafts too) without writing anything",
        description="Read, check and render every issue, drafts included, and report errors and "
        "warnings (things that build but most likely want fixing) with file and line. Nothing is "
        "written. Exit status: 0 clean, 1 on errors (or on warnings with --strict).",
        examples="  digestgen check\n  digestgen check --strict --format json > report.json",
    )
    add_site_arguments(cmd)
    cmd.add_argument("--strict", action="store_true", help="count warnings as errors: exit 1 if there is any")
    cmd.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text for people (default), or json for other programs (the problems on stdout)",
    )
    add_verbose_argument(cmd)
    cmd.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        config = config_from_args(args)
        announce(config, "Checking", sys.stderr if args.format == "json" else None)
        result = check(config)
    except DigestError as exc:  # site.yaml itself is broken: still the promised output format
        result = CheckResult(errors=tuple(exc.problems), warnings=())
    code = result.exit_code(args.strict)
    if args.format == "json":
        json.dump(
            {
                "version": JSON_VERSION,
                "ok": code == 0,
                "strict": args.strict,
                "errors": [problem_json(p) for p in result.errors],
                "warnings": [problem_json(p) for p in result.warnings],
                "issues": result.issues,
                "papers": result.papers,
                "unreviewed": result.unreviewed,
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        print()
        return code
    for problem in result.errors:
        print(problem, file=sys.stderr)
    for line in warning_lines(result.warnings, verbose=args.verbose):
        print(line, file=sys.stderr)
    print(
        f"checked {count(result.issues, 'issue')}, {count(result.papers, 'paper')}: "
        f"{count(len(result.errors), 'error')}, {count(len(result.warnings), 'warning')}"
        + (" (--strict: warnings fail)" if args.strict and result.warnings else "")
        + (f"; {count(result.unreviewed, 'machine-translated field')} not yet reviewed" if result.unreviewed else "")
    )
    return code
