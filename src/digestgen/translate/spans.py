"""What a translation must carry over unchanged: LaTeX, inline code, URLs and Markdown markup.

The check compares the English with the reply: the same verbatim spans (each ``$…$``, each
code span, each URL, as often), and as many of each piece of Markdown markup (list items,
headings, emphasis, links, paragraphs). A reply that fails it is not written.
"""

from __future__ import annotations

import re
from collections import Counter

from ..imports.text import has_hangul

# Verbatim spans, longest kinds first so that a URL inside a code span counts once (as code).
_VERBATIM = re.compile(
    r"```[\s\S]*?```"  # fenced code
    r"|(?P<ticks>`+)[\s\S]*?(?P=ticks)"  # inline code
    r"|\$\$[\s\S]+?\$\$"  # display math
    r"|(?<![\\$])\$[^$\s](?:[^$\n]*?[^$\s\\])?\$(?!\$)"  # inline math, as the renderer reads it
    r"|\\\([\s\S]+?\\\)|\\\[[\s\S]+?\\\]"  # \( … \) and \[ … \]
    r"|https?://[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]"  # URLs, without trailing punctuation
)
_MARKUP = {
    "list item": re.compile(r"^[ \t]*(?:[-+*]|\d{1,9}[.)])[ \t]", re.MULTILINE),
    "heading": re.compile(r"^[ \t]*#{1,6}[ \t]", re.MULTILINE),
    "quote": re.compile(r"^[ \t]*>", re.MULTILINE),
    "bold": re.compile(r"\*\*|__"),
    "link": re.compile(r"\]\("),
    "paragraph break": re.compile(r"\n[ \t]*\n"),
}


def verbatim_spans(text: str) -> Counter[str]:
    return Counter(m.group() for m in _VERBATIM.finditer(text))


def markup_counts(text: str) -> Counter[str]:
    prose = _VERBATIM.sub(" ", text.strip())
    return Counter({name: len(pattern.findall(prose)) for name, pattern in _MARKUP.items()})


def compare(english: str, korean: str, *, one_line: bool = False) -> str:
    """Why ``korean`` cannot stand for ``english`` (empty when it can)."""
    if not korean.strip():
        return "the reply is empty"
    if not has_hangul(korean):
        return "the reply has no Korean text"
    if one_line and "\n" in korean.strip():
        return "the reply has several lines; a title is one line"
    source, reply = verbatim_spans(english), verbatim_spans(korean)
    lost, added = source - reply, reply - source
    if lost:
        return f"the reply lost or changed {_quote(lost)}"
    if added:
        return f"the reply added {_quote(added)}"
    before, after = markup_counts(english), markup_counts(korean)
    for name in _MARKUP:
        if before[name] != after[name]:
            return f"the reply has {after[name]} × {name}, the English {before[name]}"
    return ""


def _quote(spans: Counter[str]) -> str:
    shown = [span if len(span) <= 40 else span[:37] + "…" for span in sorted(spans)]
    return ", ".join(repr(span) for span in shown[:3]) + (f" and {len(shown) - 3} more" if len(shown) > 3 else "")
