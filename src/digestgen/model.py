"""The domain: weekly issues of the digest and their papers. Pure data; imports nothing of ours."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Literal

Lang = Literal["ko", "en"]
LANGS: tuple[Lang, ...] = ("ko", "en")


@dataclass(frozen=True)
class Bilingual:
    """A text in Korean and English; an empty string means that language is missing."""

    ko: str = ""
    en: str = ""

    def get(self, lang: Lang) -> str:
        return self.ko if lang == "ko" else self.en

    def __bool__(self) -> bool:
        return bool(self.ko or self.en)


@dataclass(frozen=True)
class Origin:
    """Where something was written, for messages: a file and the line of each field in it."""

    path: str
    line: int | None = None
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    """Line of each field by its dotted name relative to the object (e.g. ``summary.ko``)."""
    field: str = ""
    """Where the object sits in its file's front-matter (``papers[2]``); empty for a whole issue."""
    text_lines: Mapping[str, int] = dataclasses.field(default_factory=lambda: MappingProxyType({}))
    """Line where each text field's text begins (the line after ``|-`` for block scalars)."""

    def line_of(self, name: str) -> int | None:
        return self.lines.get(name, self.line)

    def text_line(self, name: str) -> int | None:
        """Where the text of field ``name`` begins, for messages about a line inside it."""
        return self.text_lines.get(name, self.line_of(name))


@dataclass(frozen=True)
class Link:
    """A labelled link out of the site; ``paper`` is the paper itself (논문 링크)."""

    label: str
    url: str


@dataclass(frozen=True)
class Paper:
    """One paper of a week."""

    id: str
    """Slug, unique across the whole site; the paper page lives at ``/<lang>/papers/<id>/``."""
    title: Bilingual
    """The English title is always present; the Korean one may be pending."""
    summary: Bilingual
    """논문 소개, Markdown."""
    abstract: Bilingual
    """논문 초록, Markdown; empty in both languages when the post has none."""
    links: tuple[Link, ...]
    tweet: str
    """URL of a post that discusses the paper (더 읽어보기), or empty."""
    tags: tuple[str, ...]
    origin: Origin

    @property
    def paper_url(self) -> str:
        return next((link.url for link in self.links if link.label == "paper"), "")


@dataclass(frozen=True)
class Issue:
    """One weekly post: an introduction and about ten papers."""

    week: date
    """First day covered; also the issue's key in URLs and feed ids."""
    week_end: date
    title: Bilingual
    intro: Bilingual
    """소개, Markdown: the body before ``<!-- en -->`` is Korean, the rest English."""
    notice: Bilingual
    """The machine-summary disclaimer; empty to use the site's."""
    source: str
    """URL of the original post (원문), or empty."""
    papers: tuple[Paper, ...]
    origin: Origin

    @property
    def key(self) -> str:
        return self.week.isoformat()


@dataclass(frozen=True)
class Content:
    """Everything the site is made from, newest issue first."""

    issues: tuple[Issue, ...]

    @property
    def papers(self) -> tuple[tuple[Issue, Paper], ...]:
        return tuple((issue, paper) for issue in self.issues for paper in issue.papers)
