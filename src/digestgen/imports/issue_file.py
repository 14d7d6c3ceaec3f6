"""Write a DraftIssue as an issue file an editor would have written by hand.

PyYAML's emitter cannot be told "titles double-quoted, long text as ``|-`` blocks, URLs plain",
so the few shapes used here are emitted directly, and every file is read back with the project's
own YAML reader before it is returned: a value that would not read back as written is a bug
caught here, not a surprise at build time.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import yaml

from ..errors import DigestError, Problem
from ..model import Bilingual
from ..source import parse_yaml
from .draft import DraftIssue, DraftPaper

_BLOCK_FIELDS = ("notice", "summary", "abstract")
_QUOTED_FIELDS = ("title",)
# What PyYAML's reader accepts unescaped in a file, less what YAML would read as a line break
# (U+0085, U+2028, U+2029) or a byte-order mark: those are always written escaped.
_PRINTABLE = re.compile("[\x09\x0a\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_PLAIN_START = re.compile(r"[-?:,\[\]{}#&*!|>'\"%@`\s]")


def front_matter_data(issue: DraftIssue) -> dict[str, object]:
    """The front-matter as plain values, keys in the order editors read them."""
    data: dict[str, object] = {"week": issue.week}
    if issue.week_end != issue.week + timedelta(days=6):
        data["week_end"] = issue.week_end
    if issue.title:
        data["title"] = _bilingual(issue.title, pending=False)
    if issue.source:
        data["source"] = issue.source
    if issue.notice:
        data["notice"] = _bilingual(issue.notice, pending=False)
    if issue.absent:
        data["absent"] = list(issue.absent)
    data["papers"] = [_paper(paper, issue.pending_ko) for paper in issue.papers]
    return data


def _paper(paper: DraftPaper, pending: bool) -> dict[str, object]:
    data: dict[str, object] = {"id": paper.id} if paper.id else {}
    data["title"] = _bilingual(paper.title, pending)
    if paper.summary or "summary" not in paper.absent:
        data["summary"] = _bilingual(paper.summary, pending)
    if paper.abstract:
        data["abstract"] = _bilingual(paper.abstract, pending)
    if paper.absent:
        data["absent"] = list(paper.absent)
    if paper.links:
        data["links"] = {link.label: link.url for link in paper.links}
    if paper.tweet:
        data["tweet"] = paper.tweet
    return data


def _bilingual(text: Bilingual, pending: bool) -> dict[str, str]:
    return {lang: value for lang, value in (("ko", text.ko), ("en", text.en)) if value or (pending and lang == "ko")}


def issue_file(issue: DraftIssue, display: str) -> str:
    """The issue file's text; raises DigestError if it would not read back as ``front_matter_data``."""
    data = front_matter_data(issue)
    front = "\n".join(_mapping(data, 0, "")) + "\n"
    read_back = parse_yaml(front, display, first_line=2).data
    if read_back != data:
        raise DigestError(
            Problem(
                display,
                None,
                None,
                "",
                "internal error: the written YAML does not read back as written; please report this with the input",
            )
        )
    body = issue.intro.ko
    if issue.intro.en:
        body += "\n\n<!-- en -->\n" + issue.intro.en
    return f"---\n{front}---\n{body}\n" if body else f"---\n{front}---\n"


def _mapping(data: dict[str, object], indent: int, parent: str) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for key, value in data.items():
        head = f"{pad}{_key(key)}:"
        if value in ({}, []):
            lines.append(f"{head} {value}")
        elif isinstance(value, dict):
            lines.append(head)
            lines += _mapping(value, indent + 2, key)
        elif isinstance(value, list) and all(isinstance(item, str) and _plain_ok(item) for item in value):
            lines.append(f"{head} [{', '.join(value)}]")  # field names: absent: [abstract]
        elif isinstance(value, list):
            lines.append(head)
            for item in value:
                assert isinstance(item, dict)
                sub = _mapping(item, indent + 4, key)
                sub[0] = f"{pad}  - {sub[0].lstrip()}"
                lines += sub
        elif isinstance(value, date):
            lines.append(f"{head} {value.isoformat()}")
        else:
            lines += _scalar(head, str(value), indent, parent)
    return lines


def _key(key: str) -> str:
    return key if _plain_ok(key) else _quoted(key)


def _scalar(head: str, value: str, indent: int, parent: str) -> list[str]:
    if parent in _BLOCK_FIELDS and value and _block_ok(value):
        return [f"{head} |-"] + [f"{' ' * (indent + 2)}{line}" if line else "" for line in value.split("\n")]
    if parent in _QUOTED_FIELDS or not _plain_ok(value):
        return [f"{head} {_quoted(value)}"]
    return [f"{head} {value}"]


def _block_ok(value: str) -> bool:
    lines = value.split("\n")
    return (
        all(_PRINTABLE.fullmatch(ch) for ch in value)
        and "\t" not in value
        and not lines[0].startswith(" ")
        and lines[0] != ""
        and lines[-1] != ""
        and all(line == line.rstrip() for line in lines)
    )


def _plain_ok(value: str) -> bool:
    if not value or "\n" in value or value != value.strip() or _PLAIN_START.match(value):
        return False
    if ": " in value or " #" in value or value.endswith(":") or not all(_PRINTABLE.fullmatch(ch) for ch in value):
        return False
    try:
        return bool(yaml.safe_load(value) == value)
    except yaml.YAMLError:
        return False


def _quoted(value: str) -> str:
    out = []
    for ch in value:
        if ch in '\\"':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif not _PRINTABLE.fullmatch(ch):
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def field_lines(key: str, value: str, indent: int, parent: str) -> list[str]:
    """``key: value`` written the way this module writes a field of ``parent`` (``title``,
    ``summary``…), at ``indent`` spaces: for editing a file without re-writing all of it."""
    return _scalar(f"{' ' * indent}{_key(key)}:", value, indent, parent)


def quoted_scalar(value: str) -> str:
    """``value`` as a double-quoted YAML scalar (fits anywhere, flow mappings included)."""
    return _quoted(value)
