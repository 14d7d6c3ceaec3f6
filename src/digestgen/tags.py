"""Tags: one tag however it is cased or spaced, with a slug that never changes.

A tag's *key* is its text in NFKC, case-folded, with whitespace, ``-`` and ``_`` removed, so
``LLM``, ``llm`` and ``L L M`` (or ``검색 증강`` and ``검색증강``) are one tag. The *slug* is the key
with every character that is not a letter, a digit or a ``.`` (not first) written as ``_xx_`` (its
code point in hex; the closing ``_`` keeps two different keys from meeting, as ``.5`` and ``˥`` would
as ``_2e5``): it depends on the key alone, never on which spelling came first, so tag URLs are stable.
Hangul stays Hangul in the slug (the URL percent-encodes it as UTF-8; the file on disk is NFC).
"""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter
from dataclasses import dataclass

from .errors import Problem
from .model import Catalog, Content, Issue, IssueHead, Paper, PaperHead

_SEPARATORS = str.maketrans("", "", "-_")


@functools.lru_cache(maxsize=4096)  # a site has few tags, used on thousands of papers
def tag_key(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_SEPARATORS)
    return "".join(folded.split())


@functools.lru_cache(maxsize=4096)
def tag_slug(text: str) -> str:
    # A leading "." would make a hidden folder (".net") that many hosts refuse to serve, or "..".
    return "".join(c if c.isalnum() or (c == "." and i) else f"_{ord(c):x}_" for i, c in enumerate(tag_key(text)))


@dataclass(frozen=True)
class Tag:
    slug: str
    name: str
    """How the tag is shown: its most used spelling (ties: the one used first, oldest issue first)."""
    papers: tuple[tuple[IssueHead, PaperHead], ...]
    """Newest issue first, in the issue's order."""


def collect_tags(content: Catalog) -> tuple[Tag, ...]:
    """Every tag of the site, sorted by slug."""
    spellings: dict[str, Counter[str]] = {}  # Counter keeps first-use order for ties
    papers: dict[str, list[tuple[IssueHead, PaperHead]]] = {}
    for issue in reversed(content.issues):
        for paper in issue.papers:
            for text in paper.tags:
                slug = tag_slug(text)
                if slug:
                    spellings.setdefault(slug, Counter())[text.strip()] += 1
    for issue in content.issues:
        for paper in issue.papers:
            seen = set()
            for text in paper.tags:
                slug = tag_slug(text)
                if slug and slug not in seen:
                    papers.setdefault(slug, []).append((issue, paper))
                    seen.add(slug)
    return tuple(Tag(slug, spellings[slug].most_common(1)[0][0], tuple(papers[slug])) for slug in sorted(papers))


def near_duplicate_warnings(content: Content | Catalog) -> list[Problem]:
    """Tags one letter apart (``transformer``/``transformers``, ``llm``/``llms``) are probably one
    tag spelled two ways; the editor decides, so this warns and never merges."""
    first: dict[str, tuple[Issue | IssueHead, Paper | PaperHead, str]] = {}
    for issue in content.issues:
        for paper in issue.papers:
            for text in paper.tags:
                key = tag_key(text)
                if key not in first:
                    first[key] = (issue, paper, text)
    keys = sorted(k for k in first if k)
    problems = [
        Problem(
            issue.origin.path,
            paper.origin.line_of("tags"),
            None,
            f"{paper.origin.field}.tags",
            f"tag {text!r} has no letters or digits; it is not shown",
            warning=True,
        )
        for key, (issue, paper, text) in sorted(first.items())
        if not key
    ]
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if min(len(a), len(b)) >= 3 and _one_edit_apart(a, b):
                issue, paper, text = first[b]
                problems.append(
                    Problem(
                        issue.origin.path,
                        paper.origin.line_of("tags"),
                        None,
                        f"{paper.origin.field}.tags",
                        f"tag {text!r} is nearly the same as {first[a][2]!r}; is it one tag?",
                        warning=True,
                    )
                )
    return problems


def _one_edit_apart(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + 1 :] == b[i + 1 :] if len(a) == len(b) else a[i:] == b[i + 1 :]
