"""Archive: the pages that list issues and papers, planned from issue heads alone. The home page
(the newest issue, then recent weeks), a page per year and an index of years, the paper index and
each tag's papers in pages of a fixed size, newest first. Every page is keyed by what it shows
(``IssueHead.listed`` of its weeks, the newest issue's intro on the home page), so that a rebuild
after a summary edit renders none of them and a page of a long archive stays small."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from markupsafe import Markup

from .errors import Where
from .markdown import Deferred
from .model import Catalog, IssueHead, Lang, PaperHead
from .tags import Tag
from .urls import Urls
from .views import ListIssue, ListPaper, Pair, ViewMaker, pair

HOME_RECENT_WEEKS = 8
"""Weeks listed (titles only) on the home page after the newest issue."""
INDEX_WEEKS_PER_PAGE = 10
"""Weeks (about a hundred papers) on each page of the paper index."""
TAG_PAPERS_PER_PAGE = 50
"""Papers on each page of a tag."""

T = TypeVar("T")


def chunks(items: Sequence[T], size: int) -> list[tuple[T, ...]]:
    """``items`` in pages of ``size``; a list with nothing in it still has its first page."""
    return [tuple(items[i : i + size]) for i in range(0, len(items), size)] or [()]


@dataclass(frozen=True)
class PageLink:
    number: int
    url: str


@dataclass(frozen=True)
class Pager:
    """Where a page of a paged list stands: ``newer`` is the page before it (rel=prev), ``older``
    the one after (rel=next)."""

    number: int
    count: int
    newer: PageLink | None
    older: PageLink | None
    first: PageLink
    last: PageLink


def pager(number: int, count: int, url: Callable[[int], str]) -> Pager:
    def link(n: int) -> PageLink:
        return PageLink(n, url(n))

    return Pager(
        number,
        count,
        link(number - 1) if number > 1 else None,
        link(number + 1) if number < count else None,
        link(1),
        link(count),
    )


def in_edition(url: Callable[[Lang, int], str], n: int) -> Callable[[Lang], str]:
    """Page ``n`` of a paged list, in whichever edition is asked for."""
    return lambda lang: url(lang, n)


@dataclass(frozen=True)
class YearRef:
    year: int
    url: str
    weeks: int


@dataclass(frozen=True)
class YearView:
    year: int
    issues: tuple[ListIssue, ...]
    """Newest first."""
    newer: YearRef | None
    older: YearRef | None


@dataclass(frozen=True)
class HomeView:
    latest: ListIssue | None
    intro: Pair | None
    """The newest issue's introduction in the edition's language (or the other, marked pending)."""
    recent: tuple[ListIssue, ...]
    """The weeks before it, newest first."""


@dataclass(frozen=True)
class TagPageView:
    slug: str
    name: str
    count: int
    """Papers with the tag, on all its pages."""
    papers: tuple[ListPaper, ...]
    """This page's, newest issue first."""


@dataclass(frozen=True)
class ListPage:
    """One list page, planned: what render.Renderer needs to make it a Job."""

    template: str
    url: str
    url_in: Callable[[Lang], str]
    """The same page in another edition."""
    kind: str
    title: str
    owner: str
    made_from: tuple[object, ...]
    """Everything the page shows besides the site-wide inputs (its fingerprint)."""
    context: Callable[[], dict[str, object]]
    """The template's variables, made only when the page is rendered."""
    description: str = ""
    at: Where | None = None
    """Where its path comes from, for a message if it clashes (a tag's first spelling)."""


def tag_source(tag: Tag) -> Where:
    """Where the tag was first written (its oldest use), for messages about its page's path."""
    _, paper = tag.papers[-1]
    return Where(paper.path, paper.tags_line, f"{paper.field}.tags", f"tag {tag.name!r}", "spell the tag another way")


def by_year(catalog: Catalog) -> dict[int, tuple[IssueHead, ...]]:
    """Issues by the year their week begins in, newest year first (the catalog is newest first)."""
    years: dict[int, list[IssueHead]] = {}
    for head in catalog.issues:
        years.setdefault(head.week.year, []).append(head)
    return {year: tuple(heads) for year, heads in years.items()}


class Archive:
    """Plans the list pages of one build for one edition at a time."""

    def __init__(
        self, urls: Urls, views: ViewMaker, strings: Mapping[str, Mapping[str, str]], catalog: Catalog
    ) -> None:
        self.urls, self.views, self.strings, self.catalog = urls, views, strings, catalog
        self.years = by_year(catalog)

    def pages(self, lang: Lang, tags: tuple[Tag, ...]) -> list[ListPage]:
        return [
            self.home(lang),
            *self.index(lang),
            self.archive_index(lang),
            *(self.year(lang, year) for year in self.years),
            *(page for tag in tags for page in self.tag(lang, tag)),
        ]

    def _numbered(self, lang: Lang, title: str, number: int, count: int) -> str:
        if number == 1:
            return title
        return f"{title} · {self.strings[lang]['page_of'].format(number=number, count=count)}"

    def home(self, lang: Lang) -> ListPage:
        heads = self.catalog.issues
        latest = heads[0] if heads else None
        recent = heads[1 : 1 + HOME_RECENT_WEEKS]

        def context() -> dict[str, object]:
            intro = None
            if latest is not None:
                shown = pair(latest.intro, lang, self._markdown)
                intro = Pair(shown.main) if shown else None
            return {
                "home": HomeView(
                    self.views.list_issue(lang, latest) if latest else None,
                    intro,
                    tuple(self.views.list_issue(lang, head) for head in recent),
                )
            }

        made_from = (
            latest.listed if latest else None,
            repr(latest.intro) if latest else None,
            tuple(head.listed for head in recent),
        )
        return ListPage("home.html", self.urls.home(lang), self.urls.home, "home", "", "site.yaml", made_from, context)

    def _markdown(self, text: str, lang: Lang) -> Markup | Deferred:
        """The issue's own page tells the editor about problems in its intro; here they are not repeated."""
        return Deferred(text, lambda source: self.views.md.block(source))

    def index(self, lang: Lang) -> list[ListPage]:
        """The paper index: weeks newest first, INDEX_WEEKS_PER_PAGE to a page."""
        pages = chunks(self.catalog.issues, INDEX_WEEKS_PER_PAGE)
        title = self.strings[lang]["paper_index"]
        found = []
        for number, heads in enumerate(pages, 1):
            where = pager(number, len(pages), partial(self.urls.papers_page, lang))

            def context(heads: tuple[IssueHead, ...] = heads, where: Pager = where) -> dict[str, object]:
                return {"issues": [self.views.list_issue(lang, head) for head in heads], "pager": where}

            found.append(
                ListPage(
                    "papers.html",
                    self.urls.papers_page(lang, number),
                    in_edition(self.urls.papers_page, number),
                    "papers",
                    self._numbered(lang, title, number, len(pages)),
                    "site.yaml",
                    (number, len(pages), tuple(head.listed for head in heads)),
                    context,
                )
            )
        return found

    def year_refs(self, lang: Lang) -> list[YearRef]:
        return [YearRef(year, self.urls.year(lang, year), len(heads)) for year, heads in self.years.items()]

    def archive_index(self, lang: Lang) -> ListPage:
        refs = self.year_refs(lang)
        return ListPage(
            "archive.html",
            self.urls.archive(lang),
            self.urls.archive,
            "archive",
            self.strings[lang]["archive"],
            "site.yaml",
            tuple((ref.year, ref.weeks) for ref in refs),
            lambda: {"years": refs},
        )

    def year(self, lang: Lang, year: int) -> ListPage:
        refs = {ref.year: ref for ref in self.year_refs(lang)}
        order = list(refs)  # newest first
        at = order.index(year)
        newer = refs[order[at - 1]] if at > 0 else None
        older = refs[order[at + 1]] if at + 1 < len(order) else None
        heads = self.years[year]

        def context() -> dict[str, object]:
            issues = tuple(self.views.list_issue(lang, head) for head in heads)
            return {"year": YearView(year, issues, newer, older)}

        return ListPage(
            "year.html",
            self.urls.year(lang, year),
            in_edition(self.urls.year, year),
            "year",
            self.strings[lang]["year_title"].format(year=year),
            "site.yaml",
            (year, tuple(head.listed for head in heads), newer, older),
            context,
        )

    def tag(self, lang: Lang, tag: Tag) -> list[ListPage]:
        """A tag's papers, newest issue first, TAG_PAPERS_PER_PAGE to a page."""
        pages = chunks(tag.papers, TAG_PAPERS_PER_PAGE)
        title = f"{self.strings[lang]['tag']}: {tag.name}"
        found = []
        for number, papers in enumerate(pages, 1):
            where = pager(number, len(pages), partial(self.urls.tag_page, lang, tag.slug))

            def context(
                papers: tuple[tuple[IssueHead, PaperHead], ...] = papers, where: Pager = where
            ) -> dict[str, object]:
                shown = tuple(self.views.list_paper(lang, head, paper.id) for head, paper in papers)
                return {"tag": TagPageView(tag.slug, tag.name, len(tag.papers), shown), "pager": where}

            heads = {id(head): head.listed for head, _ in papers}
            found.append(
                ListPage(
                    "tag.html",
                    self.urls.tag_page(lang, tag.slug, number),
                    in_edition(partial(_tag_page, self.urls, tag.slug), number),
                    "tag",
                    self._numbered(lang, title, number, len(pages)),
                    f"tag {tag.name!r}",
                    (tag.slug, tag.name, number, len(pages), tuple(heads.values())),
                    context,
                    description=f"{title} ({len(tag.papers)})",
                    at=tag_source(tag),
                )
            )
        return found


def page_urls(
    urls: Urls, catalog: Catalog, tags: tuple[Tag, ...], lang: Lang
) -> list[tuple[str, Callable[[Lang], str]]]:
    """The archive's pages beyond the home page, the paper index and each tag's first page (which
    the sitemap lists already): pages 2 and on, the archive index and the years."""
    found: list[tuple[str, Callable[[Lang], str]]] = [(urls.archive(lang), urls.archive)]
    found += [(urls.year(lang, year), in_edition(urls.year, year)) for year in by_year(catalog)]
    index_pages = len(chunks(catalog.issues, INDEX_WEEKS_PER_PAGE))
    found += [(urls.papers_page(lang, n), in_edition(urls.papers_page, n)) for n in range(2, index_pages + 1)]
    for tag in tags:
        count = len(chunks(tag.papers, TAG_PAPERS_PER_PAGE))
        found += [
            (urls.tag_page(lang, tag.slug, n), in_edition(partial(_tag_page, urls, tag.slug), n))
            for n in range(2, count + 1)
        ]
    return found


def _tag_page(urls: Urls, slug: str, lang: Lang, number: int) -> str:
    return urls.tag_page(lang, slug, number)
