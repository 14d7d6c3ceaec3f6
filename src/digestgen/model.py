"""The domain: weekly issues of the digest and their papers. Pure data; imports nothing of ours."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Literal, NamedTuple

Lang = Literal["ko", "en"]
LANGS: tuple[Lang, ...] = ("ko", "en")


@dataclass(frozen=True)
class Bilingual:
    """A text in Korean and English; an empty string means that language is missing."""

    ko: str = ""
    en: str = ""
    machine: bool = False
    """The Korean text is a machine translation nobody has reviewed yet (``machine_translated``
    in the front-matter); pages show a mark on it."""

    def get(self, lang: Lang) -> str:
        return self.ko if lang == "ko" else self.en

    def __bool__(self) -> bool:
        return bool(self.ko or self.en)


def absent_langs(absent: frozenset[str], name: str) -> frozenset[Lang]:
    """The languages of field ``name`` listed as absent on purpose (``abstract`` means both)."""
    return frozenset(lang for lang in LANGS if name in absent or f"{name}.{lang}" in absent)


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
    authors: tuple[str, ...] = ()
    """As the paper names them (``Jane Kim``), for citations; empty when unknown."""
    year: int | None = None
    """Publication year, for citations; unknown: the arXiv id's year, else the issue's."""
    absent: frozenset[str] = frozenset()
    """Fields absent on purpose (``abstract``, ``summary``, ``summary.ko``…): the original has none,
    so readers are told so and no warning asks for them."""

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
    draft: bool = False
    """Work in progress: left out of the site unless drafts are asked for (``--drafts``, ``serve``)."""
    discussion: str = ""
    """URL where readers discuss the issue (a forum thread), or empty for the site's."""
    absent: frozenset[str] = frozenset()
    """Fields absent on purpose (``notice.en``): the original has none."""

    @property
    def key(self) -> str:
        return self.week.isoformat()

    @property
    def path(self) -> str:
        return self.origin.path

    def head(self, digest: str = "", slug: Callable[[str], str] = str) -> IssueHead:
        """What listing pages and cross-file checks need of this issue (see IssueHead); ``slug``
        makes a tag's slug (tags.tag_slug: the model imports nothing of ours)."""
        papers = tuple(
            PaperHead(
                p.id,
                p.title.ko,
                p.title.en,
                p.tags,
                p.origin.path,
                p.origin.field,
                p.origin.line,
                p.origin.lines.get("id"),
                p.origin.lines.get("tags"),
            )
            for p in self.papers
        )
        # What lists show of the issue: equal for two heads exactly when every list shows them
        # alike (lines and digest left out: an edit of a summary changes no list).
        listed = repr(
            (self.week, self.title, self.draft, tuple((p.id, p.title_ko, p.title_en, p.tags) for p in papers))
        )
        slugs = tuple(sorted({slug(text) for paper in papers for text in paper.tags} - {""}))
        return IssueHead(
            week=self.week,
            title=self.title,
            draft=self.draft,
            papers=papers,
            path=self.origin.path,
            week_line=self.origin.lines.get("week"),
            week_end=self.week_end,
            digest=digest,
            key=self.key,
            slugs=slugs,
            intro=self.intro,
            listed=hashlib.blake2b(listed.encode("utf-8", "surrogatepass"), digest_size=20).digest(),
        )


class PaperHead(NamedTuple):
    """A paper as pages that list it see it: id, title and tags (and where it was written, for
    messages). A plain tuple: the build cache keeps one for every paper of the site."""

    id: str
    title_ko: str
    title_en: str
    tags: tuple[str, ...]
    path: str
    field: str
    line: int | None
    id_line: int | None
    tags_line: int | None

    @property
    def title(self) -> Bilingual:
        return Bilingual(self.title_ko, self.title_en)

    @property
    def origin(self) -> Origin:
        lines = {name: line for name, line in (("id", self.id_line), ("tags", self.tags_line)) if line is not None}
        return Origin(self.path, self.line, MappingProxyType(lines), self.field)


@dataclass(frozen=True)
class IssueHead:
    """An issue as pages that list it see it (home, paper index, tags, sitemap) and as the checks
    across files see it (unique weeks and ids). Small, so the build cache keeps one per content file
    and a rebuild after one edit never reads the other issues' full text."""

    week: date
    title: Bilingual
    draft: bool
    papers: tuple[PaperHead, ...]
    path: str
    week_line: int | None
    digest: str = ""
    """Of the bytes of the file the issue was parsed from: a fingerprint of the whole issue."""
    key: str = ""
    """``week`` as text: the issue's key in URLs and feed ids."""
    slugs: tuple[str, ...] = ()
    """Of its papers' tags, sorted."""
    intro: Bilingual = field(default=Bilingual(), metadata={"fingerprint": False})
    """The introduction, which the home page shows of the newest issue (its list pages key on it
    directly, so that an edit of the intro re-renders the home page and nothing else)."""
    week_end: date | None = field(default=None, metadata={"fingerprint": False})
    """Last day covered (for the check that weeks do not overlap)."""
    listed: bytes = b""
    """A fingerprint of what lists show of the issue: list pages are fingerprinted by it."""

    @property
    def origin(self) -> Origin:
        return Origin(self.path, 1, MappingProxyType({} if self.week_line is None else {"week": self.week_line}))


@dataclass(frozen=True)
class Catalog:
    """Every issue's head, newest first."""

    issues: tuple[IssueHead, ...]

    def published(self) -> Catalog:
        return Catalog(issues=tuple(issue for issue in self.issues if not issue.draft))


@dataclass(frozen=True)
class Content:
    """Everything the site is made from, newest issue first."""

    issues: tuple[Issue, ...]

    @property
    def papers(self) -> tuple[tuple[Issue, Paper], ...]:
        return tuple((issue, paper) for issue in self.issues for paper in issue.papers)

    def catalog(self, slug: Callable[[str], str]) -> Catalog:
        return Catalog(issues=tuple(issue.head("", slug) for issue in self.issues))
