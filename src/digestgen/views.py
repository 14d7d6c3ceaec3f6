"""Views: what templates receive. Small frozen objects holding rendered HTML and URLs, made by
pure functions of the model, so that templates only present."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from markupsafe import Markup

from .errors import Problem
from .markdown import Deferred, Markdown, plain
from .model import Bilingual, Content, Issue, Lang, Origin, Paper
from .urls import Urls


@dataclass(frozen=True)
class TextView:
    """A block of text in one language."""

    html: Markup | Deferred
    lang: Lang
    pending: bool = False
    """Shown in English in the Korean edition because the Korean text is still missing."""


@dataclass(frozen=True)
class Pair:
    """What a reader sees for one bilingual field: the edition's text, then (Korean edition) the
    English original under it, as the community's posts do."""

    main: TextView
    original: TextView | None = None
    """The other language's text: English under Korean; for titles also Korean under English."""


@dataclass(frozen=True)
class LinkView:
    kind: str
    """``paper``, ``tweet`` or the editor's own label (``code``, ``project``…)."""
    label: str
    """What the reader sees, in the edition's language."""
    url: str


@dataclass(frozen=True)
class PaperRef:
    """A link to another paper: its page and its title in the edition's language."""

    url: str
    title: TextView


@dataclass(frozen=True)
class PaperView:
    id: str
    url: str
    title: Pair
    summary: Pair
    abstract: Pair | None
    links: tuple[LinkView, ...]
    tags: tuple[str, ...]
    issue_url: str
    issue_title: str
    previous: PaperRef | None = None
    """The paper before this one in its issue."""
    next: PaperRef | None = None
    """The paper after this one in its issue."""


@dataclass(frozen=True)
class IssueView:
    key: str
    url: str
    title: str
    title_lang: Lang
    intro: Pair | None
    notice: Pair | None
    source: str
    papers: tuple[PaperView, ...]
    newer: IssueRef | None
    older: IssueRef | None


@dataclass(frozen=True)
class IssueRef:
    url: str
    title: str


Render = Callable[[str, Lang], Markup | Deferred]
"""Turns one language's text of a field into HTML (the language names the field in warnings)."""


def _plain(text: str, lang: Lang) -> Markup:
    return plain(text)


def pair(text: Bilingual, lang: Lang, render: Render, *, both_ways: bool = False) -> Pair | None:
    """The edition's text (falling back to English, marked pending) and, in Korean, the original.
    ``both_ways`` also gives the English edition the Korean text as its second line (titles)."""
    if not text:
        return None
    if lang == "en":
        if text.en:
            second = TextView(render(text.ko, "ko"), "ko") if both_ways and text.ko else None
            return Pair(TextView(render(text.en, "en"), "en"), second)
        return Pair(TextView(render(text.ko, "ko"), "ko"))  # English missing: show what there is
    if text.ko:
        original = TextView(render(text.en, "en"), "en") if text.en else None
        return Pair(TextView(render(text.ko, "ko"), "ko"), original)
    return Pair(TextView(render(text.en, "en"), "en", pending=True))


class ViewMaker:
    """Turns model objects into views for one edition."""

    def __init__(self, urls: Urls, markdown: Markdown, site_notice: Bilingual,
                 strings: Mapping[str, Mapping[str, str]], *, site_origin: Origin | None = None,
                 warn: Callable[[Problem], None] | None = None) -> None:
        self.urls = urls
        self.md = markdown
        self.site_notice = site_notice
        self.site_origin = site_origin or Origin("site.yaml")
        self.strings = strings
        self.warn = warn
        self._issues: dict[tuple[Lang, int, int], tuple[Content, IssueView]] = {}
        """Issue views already made: home, index, issue page, paper pages and feed share them."""
        self._positions: tuple[Content | None, dict[int, int]] = (None, {})
        self.provenance: dict[int, tuple[object, ...]] = {}
        """What each view was made from, by id(view): views are pure functions of these (and of the
        site-wide inputs), so the build cache fingerprints a view by them instead of walking it."""

    def _markdown(self, origin: Origin, name: str) -> Render:
        """Block Markdown of field ``name`` of ``origin``; its warnings point at file and line."""
        def render(text: str, lang: Lang) -> Markup:
            field = f"{name}.{lang}"
            start = origin.text_line(field)

            def warn(offset: int, message: str) -> None:
                if self.warn is not None:
                    self.warn(Problem(origin.path, None if start is None else start + offset, None,
                                      f"{origin.field}.{field}" if origin.field else field, message, warning=True))

            return Deferred(text, lambda source: self.md.block(source, warn))  # rendered when shown
        return render

    def _ref(self, lang: Lang, paper: Paper | None) -> PaperRef | None:
        if paper is None:
            return None
        title = pair(paper.title, lang, _plain)
        return PaperRef(self.urls.paper(lang, paper.id), title.main) if title else None

    def _link(self, lang: Lang, kind: str, url: str) -> LinkView:
        known = {"paper": "link_paper", "tweet": "link_tweet"}
        return LinkView(kind, self.strings[lang][known[kind]] if kind in known else kind, url)

    def paper(self, lang: Lang, issue: Issue, paper: Paper) -> PaperView:
        links = [self._link(lang, link.label, link.url) for link in paper.links]
        if paper.tweet:
            links.append(self._link(lang, "tweet", paper.tweet))
        index = issue.papers.index(paper)
        return PaperView(
            id=paper.id,
            url=self.urls.paper(lang, paper.id),
            title=pair(paper.title, lang, _plain, both_ways=True),  # type: ignore[arg-type]  # en title is required
            summary=pair(paper.summary, lang, self._markdown(paper.origin, "summary")),  # type: ignore[arg-type]
            abstract=pair(paper.abstract, lang, self._markdown(paper.origin, "abstract")),
            links=tuple(links),
            tags=paper.tags,
            issue_url=self.urls.issue(lang, issue.key),
            issue_title=issue.title.get(lang),
            previous=self._ref(lang, issue.papers[index - 1] if index > 0 else None),
            next=self._ref(lang, issue.papers[index + 1] if index + 1 < len(issue.papers) else None),
        )

    def ref(self, lang: Lang, issue: Issue | None) -> IssueRef | None:
        return IssueRef(self.urls.issue(lang, issue.key), issue.title.get(lang)) if issue else None

    def issue(self, lang: Lang, content: Content, issue: Issue) -> IssueView:
        key = (lang, id(content), id(issue))
        if key not in self._issues:  # the content is kept in the value, so its id stays unique
            index = self._position(content, issue)  # newest first
            newer = content.issues[index - 1] if index > 0 else None
            older = content.issues[index + 1] if index + 1 < len(content.issues) else None
            view = self._make_issue(lang, issue, newer, older)
            self._issues[key] = (content, view)
            self.provenance[id(view)] = ("IssueView", lang, issue, view.newer, view.older)
            for number, paper in enumerate(view.papers):
                self.provenance[id(paper)] = ("PaperView", lang, issue, number)
        return self._issues[key][1]

    def _position(self, content: Content, issue: Issue) -> int:
        if self._positions[0] is not content:
            self._positions = (content, {id(other): i for i, other in enumerate(content.issues)})
        return self._positions[1][id(issue)]

    def _make_issue(self, lang: Lang, issue: Issue, newer: Issue | None, older: Issue | None) -> IssueView:
        return IssueView(
            key=issue.key,
            url=self.urls.issue(lang, issue.key),
            title=issue.title.get(lang),
            title_lang=lang,
            intro=pair(issue.intro, lang, self._markdown(issue.origin, "intro")),
            notice=(pair(issue.notice, lang, self._markdown(issue.origin, "notice")) if issue.notice
                    else pair(self.site_notice, lang, self._markdown(self.site_origin, "notice"))),
            source=issue.source,
            papers=tuple(self.paper(lang, issue, paper) for paper in issue.papers),
            newer=self.ref(lang, newer),
            older=self.ref(lang, older),
        )
