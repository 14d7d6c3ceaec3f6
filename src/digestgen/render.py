"""Render stage, the pages: a Renderer plans each page of the site as a Job (its path, what it is
made from, how to make it) and renders it from views with the templates. Pure: writes nothing.
Exports (feeds, sitemap, papers.json) are planned in exports.py, with this Renderer."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath
from types import MappingProxyType

import jinja2
import jinja2.runtime
from markupsafe import Markup

from . import archive
from .cards import CardImage, SocialCards
from .config import SiteConfig
from .editorfiles import folder_files
from .errors import DigestError, Problem, Where, display_path
from .jobs import GROUP_TEMPLATES, Group, Job, Output
from .markdown import Markdown
from .model import LANGS, Catalog, Issue, IssueHead, Lang
from .pages import Page, load_pages, nav_pages
from .search import INDEXED_LANG
from .strings import load_strings
from .tags import Tag, collect_tags, near_duplicate_warnings
from .templates import make_environment, render_template, template_closure
from .urls import Urls
from .views import PaperView, ViewMaker

LOCALES: Mapping[str, str] = MappingProxyType({"ko": "ko_KR", "en": "en_US"})
"""OpenGraph locales of the editions."""
INDEXED_KINDS = frozenset({"paper", "issue"})
"""Page kinds in the search index, in its edition (search.INDEXED_LANG): paper pages, and of an
issue's page its introduction only (the rest repeats its papers' text). Every other page only
repeats paper text (lists, tags), which would show each paper several times in the results; the
indexed parts carry ``data-pagefind-body``, so Pagefind leaves all others out."""


@dataclass(frozen=True)
class Alternate:
    hreflang: str
    url: str


@dataclass(frozen=True)
class FeedLink:
    """A feed announced in a page's <head>."""

    title: str
    url: str
    type: str
    hreflang: str


@dataclass(frozen=True)
class PageMeta:
    """What every page's layout needs."""

    lang: Lang
    kind: str
    title: str
    url: str
    canonical: str
    alternates: tuple[Alternate, ...]
    other_lang: Lang
    other_url: str
    """The same page in the other edition (the language switch)."""
    description: str
    """<meta name="description"> and sharing cards."""
    locale: str
    other_locale: str
    feeds: tuple[FeedLink, ...]
    """The edition's feeds, its own language first."""
    indexed: bool
    """In the search index (``data-pagefind-body``)."""
    search_meta: tuple[tuple[str, str], ...] = ()
    """What a search result shows of the page (Pagefind metadata): ``title`` (Korean), ``en``
    (the English title, for readers of the English edition) and ``week``."""
    image: CardImage | None = None
    """The social card link previews show (``og:image``); None when cards are off."""


@dataclass(frozen=True)
class NavLink:
    """A standalone page linked from the navigation, in one edition."""

    title: str
    url: str


@dataclass(frozen=True)
class Assets:
    """Static files and the versioned URLs pages use for them."""

    files: tuple[Output, ...]
    urls: Mapping[str, str]


def load_assets(static_dir: Path, urls: Urls) -> Assets:
    files, versioned = [], {}
    if static_dir.is_dir():
        for path in folder_files(static_dir):
            name = path.relative_to(static_dir).as_posix()
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise DigestError(
                    Problem(display_path(path), None, None, "", f"cannot read file: {exc.strerror}")
                ) from None
            files.append(Output(PurePosixPath("static", name), data, display_path(path)))
            versioned[name] = urls.static(name, hashlib.sha256(data).hexdigest()[:10])
    return Assets(tuple(files), MappingProxyType(versioned))


class Renderer:
    """Renders the whole site for one configuration."""

    def __init__(self, config: SiteConfig, assets: Assets, bytecode: jinja2.BytecodeCache | None = None) -> None:
        self.config = config
        self.urls = Urls(config.base_url)
        self.env = make_environment(config.templates_dir, bytecode)
        self.strings = load_strings(config.templates_dir)
        self.assets = assets
        self.warnings: list[Problem] = []
        """Problems worth telling the editor that do not stop the build (filled while rendering)."""
        self.cards = SocialCards(config, self.urls)
        if self.cards.problem is not None:
            self.warnings.append(self.cards.problem)
        self.views = ViewMaker(
            self.urls,
            Markdown(),
            config.notice,
            self.strings,
            site_origin=config.origin,
            warn=self.warn,
            site_discussion=config.discussion,
        )
        self._fragments: dict[tuple[str, str, int], tuple[object, str]] = {}
        """Output of ``{% call once(name, view) %}`` blocks, by name, edition and view (see ``_once``)."""
        self.pages = load_pages(config.content_dir)
        """Standalone pages (pages.py); they change every page's navigation, so the build counts
        their files among the site-wide inputs."""
        self.nav = {
            lang: tuple(NavLink(p.title.get(lang), self.urls.page(lang, p.slug)) for p in nav_pages(self.pages))
            for lang in LANGS
        }

    def warn(self, problem: Problem) -> None:
        if problem not in self.warnings:  # a text is rendered for several pages; tell the editor once
            self.warnings.append(problem)

    def prepare(self, catalog: Catalog) -> tuple[Tag, ...]:
        """Start a build of ``catalog``: the site's tags, warnings about them, and views that know their names."""
        tags = collect_tags(catalog)
        self.views = ViewMaker(
            self.urls,
            self.views.md,
            self.config.notice,
            self.strings,
            tags,
            site_origin=self.config.origin,
            warn=self.warn,
            site_discussion=self.config.discussion,
        )
        self.warnings.extend(near_duplicate_warnings(catalog))  # not kept: they name lines, which edits move
        return tags

    def site_jobs(self, catalog: Catalog, tags: tuple[Tag, ...]) -> list[Job]:
        """Static files and every page that lists issues, papers or tags (made from heads only)."""
        jobs = [Job(a.path, a.owner, (a.data,), partial(_same, a.data), ()) for a in self.assets.files]
        jobs.append(
            self._page(
                "landing.html",
                self.urls.landing(),
                self.urls.home,
                self.config.default_language,
                "landing",
                self.config.title.get(self.config.default_language),
                "site.yaml",
            )
        )
        # Home, paper index, archive and tag pages (archive.py decides what each shows).
        plan = archive.Archive(self.urls, self.views, self.strings, catalog)
        for lang in LANGS:
            jobs += [
                self._page(
                    p.template,
                    p.url,
                    p.url_in,
                    lang,
                    p.kind,
                    p.title or self.config.title.get(lang),
                    p.owner,
                    p.description,
                    made_from=p.made_from,
                    lazy=p.context,
                    at=p.at,
                )
                for p in plan.pages(lang, tags)
            ]
        jobs += self.tag_pages(tags)
        jobs += self.standalone_pages()
        return jobs

    def standalone_pages(self) -> list[Job]:
        """Each standalone page (pages.py) in each edition."""
        return [self._standalone_page(page, lang) for page in self.pages for lang in LANGS]

    def _standalone_page(self, page: Page, lang: Lang) -> Job:
        def url_in(other: Lang) -> str:
            return self.urls.page(other, page.slug)

        def body() -> dict[str, object]:
            return {"body": self.views.markdown(page.origin, "body")(page.body.get(lang), lang)}

        return self._page(
            "page.html",
            url_in(lang),
            url_in,
            lang,
            "page",
            page.title.get(lang),
            page.origin.path,
            page.description.get(lang),
            made_from=(page,),
            lazy=body,
            at=Where(page.origin.path, None, "", f"page {page.slug!r}", "give the page another file name"),
        )

    def groups(self, catalog: Catalog) -> list[Group]:
        """The issues' own pages, in groups the build renders or skips as a whole."""
        found = []
        for i, head in enumerate(catalog.issues):
            newer = catalog.issues[i - 1] if i > 0 else None
            older = catalog.issues[i + 1] if i + 1 < len(catalog.issues) else None
            used = self.tag_names(head)
            found += [Group(f"{part} {head.key}", head, part, newer, older, used) for part in GROUP_TEMPLATES]
        return found

    def tag_names(self, head: IssueHead) -> tuple[tuple[str, str], ...]:
        """(slug, site-wide name) of every tag the issue's papers carry: its pages and feed items
        show these names, which an edit of another issue can change (a tag's spellings share one name)."""
        return tuple((slug, self.views.tag_names[slug]) for slug in head.slugs)

    def group_jobs(self, group: Group, issue: Issue) -> list[Job]:
        jobs = []
        for lang in LANGS:
            view = self.views.issue(lang, issue, group.newer, group.older)
            card = self.cards.issue_image(lang, issue.key, issue.title.get(lang))  # its papers' pages show it too
            if group.part == "issue":
                jobs.append(
                    self._page(
                        "issue.html",
                        view.url,
                        partial(self.urls.issue, week=issue.key),
                        lang,
                        "issue",
                        view.title,
                        issue.origin.path,
                        description=self.views.issue_description(lang, issue),
                        search_meta=(("title", view.title), ("en", issue.title.get("en")), ("week", issue.key)),
                        image=card,
                        issue=view,
                    )
                )
                continue
            for paper, source in zip(view.papers, issue.papers, strict=True):
                jobs.append(
                    self._page(
                        "paper.html",
                        paper.url,
                        partial(self.urls.paper, paper_id=paper.id),
                        lang,
                        "paper",
                        Markup(paper.title.main.html).unescape(),  # a title is plain text (Markup)
                        issue.origin.path,
                        description=paper.description,
                        search_meta=_paper_meta(paper, issue.key),
                        image=card,
                        paper=paper,
                        issue=view,
                        search_terms=self.views.search_terms(source) if lang == INDEXED_LANG else "",
                    )
                )
        return jobs

    def group_paths(self, group: Group) -> list[str]:
        """The files ``group_jobs`` makes, without making views."""
        head, urls = group.head, self.urls
        if group.part == "issue":
            return [urls.issue_file(lang, head.key) for lang in LANGS]
        return [urls.paper_file(lang, paper.id) for lang in LANGS for paper in head.papers]

    def tag_pages(self, tags: tuple[Tag, ...]) -> list[Job]:
        """The tag overview of each edition (each tag's own pages: archive.py)."""
        outputs = []
        for lang in LANGS:

            def views(lang: Lang = lang) -> dict[str, object]:
                return {"tags": sorted((self.views.tag(lang, tag) for tag in tags), key=lambda v: (-v.count, v.slug))}

            outputs.append(
                self._page(
                    "tags.html",
                    self.urls.tags(lang),
                    self.urls.tags,
                    lang,
                    "tags",
                    self.strings[lang]["tags"],
                    "site.yaml",
                    lazy=views,
                    made_from=tuple((tag.slug, tag.name, len(tag.papers)) for tag in tags),
                )
            )
        return outputs

    def feed_links(self, lang: Lang) -> tuple[FeedLink, ...]:
        other: Lang = "en" if lang == "ko" else "ko"
        links = []
        for code in (lang, other):
            title = self.config.title.get(code)
            links.append(
                FeedLink(
                    f"{title} (RSS)", self.urls.absolute(self.urls.edition_feed(code)), "application/rss+xml", code
                )
            )
            links.append(
                FeedLink(
                    f"{title} (Atom)", self.urls.absolute(self.urls.edition_atom(code)), "application/atom+xml", code
                )
            )
        both = f"{self.config.title.ko} · {self.config.title.en}"
        links += [
            FeedLink(f"{both} (RSS)", self.urls.absolute(self.urls.feed()), "application/rss+xml", ""),
            FeedLink(f"{both} (Atom)", self.urls.absolute(self.urls.atom()), "application/atom+xml", ""),
            FeedLink(f"{both} (JSON Feed)", self.urls.absolute(self.urls.json_feed()), "application/feed+json", ""),
        ]
        return tuple(links)

    def _page(
        self,
        template: str,
        url: str,
        url_in: Callable[[Lang], str],
        lang: Lang,
        kind: str,
        title: str,
        owner: str,
        description: str = "",
        *,
        made_from: tuple[object, ...] | None = None,
        lazy: Callable[[], dict[str, object]] | None = None,
        search_meta: tuple[tuple[str, str], ...] = (),
        at: Where | None = None,
        image: CardImage | None = None,
        **context: object,
    ) -> Job:
        """A page of ``template``. Its fingerprint holds ``context``; or, for list pages whose views
        are costly to make for nothing, ``made_from`` (what ``lazy`` makes the context from)."""
        other: Lang = "en" if lang == "ko" else "ko"
        meta = PageMeta(
            lang=lang,
            kind=kind,
            title=title,
            url=url,
            canonical=self.urls.absolute(url),
            alternates=self.alternates(url_in, kind),
            other_lang=other,
            other_url=url_in(other),
            description=description or self.config.description.get(lang),
            locale=LOCALES[lang],
            other_locale=LOCALES[other],
            feeds=self.feed_links(lang),
            indexed=kind in INDEXED_KINDS and lang == INDEXED_LANG,
            search_meta=search_meta if lang == INDEXED_LANG else (),
            image=image or self.cards.site_image(lang),  # the edition's card, for pages without their own
        )
        # PageMeta holds only strings and tuples of small dataclasses of strings, so its repr is an
        # exact and much cheaper fingerprint than walking it.
        key = made_from if made_from is not None else sorted(context.items())
        return Job(
            self.urls.output_path(url),
            owner,
            (template, repr(meta), lang, key),
            lambda: self.render_template(
                template, page=meta, t=self.strings[lang], **context, **(lazy() if lazy else {})
            ).encode("utf-8"),
            (template,),
            meta.indexed,
            at,
        )

    def alternates(self, url_in: Callable[[Lang], str], kind: str) -> tuple[Alternate, ...]:
        default = self.config.default_language
        alternates = [Alternate(code, self.urls.absolute(url_in(code))) for code in LANGS]
        alternates.append(
            Alternate(
                "x-default", self.urls.absolute(self.urls.landing() if kind in ("landing", "home") else url_in(default))
            )
        )
        return tuple(alternates)

    @jinja2.pass_context
    def _once(self, context: jinja2.runtime.Context, name: str, view: object, caller: Callable[[], str]) -> str:
        """For templates: the block's output, rendered only the first time for this view in this
        edition. A paper's body is the same on its issue's page and its own, and was a fifth of
        their rendering time. The block may read only ``view`` (frozen), ``page.lang`` and ``t``.
        The entry keeps the view alive, so its id cannot be reused by another view."""
        key = (name, context["page"].lang, id(view))
        found = self._fragments.get(key)
        if found is None:
            found = self._fragments[key] = (view, caller())
        return found[1]

    def render_template(self, template: str, **context: object) -> str:
        context.update(
            site=self.config, urls=self.urls, assets=self.assets.urls, tr=self.strings, once=self._once, nav=self.nav
        )
        return render_template(self.env, self.config.templates_dir, template, context)

    def template_closure(self, names: tuple[str, ...] | None) -> tuple[str, ...] | None:
        """``names`` and every template they pull in (see templates.template_closure)."""
        return template_closure(self.env, names)


def _same(data: bytes) -> bytes:
    return data


def _paper_meta(paper: PaperView, week: str) -> tuple[tuple[str, str], ...]:
    """A paper's search metadata: its title in both languages (the Korean edition's view shows
    the English original as the title's second line) and its week."""
    title = paper.title
    english = title.original if title.original is not None and title.original.lang == "en" else title.main
    return (("title", Markup(title.main.html).unescape()), ("en", Markup(english.html).unescape()), ("week", week))
