"""Render stage: model → every output file as bytes. Pure: reads templates, writes nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import MappingProxyType

import jinja2
import jinja2.bccache
import jinja2.meta

from . import archive
from .config import SiteConfig
from .editorfiles import folder_files
from .errors import DigestError, Problem, display_path
from .feeds import FeedInfo, FeedItem, atom, entry_datetime, issue_guid, json_feed, math_fallback, rss
from .markdown import Markdown
from .model import LANGS, Catalog, Content, Issue, IssueHead, Lang
from .pages import Page, load_pages, nav_pages
from .source import parse_yaml, read_text
from .tags import Tag, collect_tags, near_duplicate_warnings, tag_slug
from .urls import Urls, check_unique_paths
from .views import ViewMaker, arxiv_ref

LOCALES: Mapping[str, str] = MappingProxyType({"ko": "ko_KR", "en": "en_US"})
"""OpenGraph locales of the editions."""
INDEXED_KINDS = frozenset({"paper"})
"""Page kinds in the search index. Every other page only repeats paper text (issues, lists,
tags), which would show each paper several times in the results; pages of these kinds carry
``data-pagefind-body``, so Pagefind leaves all others out."""
PAPERS_JSON_VERSION = 1
FEED_ISSUES = 20
"""Issues in each feed, newest first: more than any reader who checks in monthly needs, and a feed
stays about a megabyte however long the archive grows (every issue in full: 60 MB at 20 years)."""
GROUP_TEMPLATES: Mapping[str, str] = MappingProxyType({"issue": "issue.html", "papers": "paper.html"})

STRINGS_FILE = "strings.yaml"


@dataclass(frozen=True)
class Output:
    """One file of the built site."""

    path: PurePosixPath
    """Relative to the output folder."""
    data: bytes
    owner: str
    """What produced it, for messages about clashes."""


@dataclass(frozen=True)
class Job:
    """One file of the site, planned but not yet made: what it is made from, and how to make it.
    ``key`` holds every value ``make`` reads besides the site-wide inputs (templates, strings,
    static files, config), so the build cache can tell whether the file would come out the same."""

    path: PurePosixPath
    owner: str
    key: tuple[object, ...]
    make: Callable[[], bytes]
    templates: tuple[str, ...] | None = None
    """The templates ``make`` renders (with what they extend, import or include, added by the
    build); ``None``: any of them, so a change to any template makes this file again."""
    indexed: bool = False
    """A page for the search index (see INDEXED_KINDS)."""


@dataclass(frozen=True)
class Group:
    """The pages one issue makes with one template (its issue pages, or its paper pages), in both
    editions: what the build renders or skips as a whole. Besides the issue and the site-wide
    inputs they show its neighbours' titles and the site-wide names of its tags."""

    name: str
    head: IssueHead
    part: str
    """A key of GROUP_TEMPLATES."""
    newer: IssueHead | None
    older: IssueHead | None
    names: tuple[tuple[str, str], ...]
    """(slug, name) of every tag its papers carry."""

    @property
    def template(self) -> str:
        return GROUP_TEMPLATES[self.part]

    @property
    def key(self) -> tuple[object, ...]:
        neighbours = tuple((h.key, h.title) if h else None for h in (self.newer, self.older))
        return (self.part, self.head.key, self.head.digest, neighbours, self.names)


@dataclass(frozen=True)
class SitemapEntry:
    canonical: str
    alternates: tuple[Alternate, ...]


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


def load_strings(templates_dir: Path) -> dict[str, dict[str, str]]:
    """UI strings of both languages; a key present in one language only is an error."""
    path = templates_dir / STRINGS_FILE
    shown = display_path(path)
    doc = parse_yaml(read_text(path, shown), shown)
    data = doc.data
    if not isinstance(data, dict) or set(data) != set(LANGS):
        raise DigestError(Problem(shown, 1, None, "", f"must map each of {', '.join(LANGS)} to its strings"))
    problems = []
    for lang in LANGS:
        other = "en" if lang == "ko" else "ko"
        if not isinstance(data[lang], dict):
            problems.append(Problem(shown, doc.where((lang,))[0], None, lang, "must be a mapping of strings"))
            continue
        for key, value in data[lang].items():
            if not isinstance(value, str):
                problems.append(Problem(shown, doc.where((lang, key))[0], None, f"{lang}.{key}", "must be text"))
            if isinstance(data[other], dict) and key not in data[other]:
                problems.append(
                    Problem(
                        shown,
                        doc.where((lang, key))[0],
                        None,
                        f"{other}.{key}",
                        f"missing (the {lang} strings have it)",
                    )
                )
    if problems:
        raise DigestError(problems)
    return data  # type: ignore[return-value]


class Strings(dict[str, str]):
    """A language's strings; a missing key stops the build instead of leaving a blank."""

    def __init__(self, lang: str, values: dict[str, str], source: str) -> None:
        super().__init__(values)
        self.lang, self.source = lang, source

    def __getattr__(self, key: str) -> str:
        try:
            return self[key]
        except KeyError:
            raise DigestError(
                Problem(self.source, None, None, f"{self.lang}.{key}", "missing UI string (a template uses it)")
            ) from None


def make_environment(templates_dir: Path, bytecode: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """``bytecode`` keeps compiled templates between builds (Jinja checks them against the
    template's source), which spares a rebuild compiling every template again."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        bytecode_cache=bytecode,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # One build reads each template once; checking its mtime at every include cost ~5 % of rendering.
        auto_reload=False,
    )


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory, for a process that builds many times (``serve``)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def file_bytecode_cache(folder: Path) -> jinja2.BytecodeCache | None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a cache that cannot be written only costs time
    return jinja2.FileSystemBytecodeCache(str(folder))


class Renderer:
    """Renders the whole site for one configuration."""

    def __init__(self, config: SiteConfig, assets: Assets, bytecode: jinja2.BytecodeCache | None = None) -> None:
        self.config = config
        self.urls = Urls(config.base_url)
        self.env = make_environment(config.templates_dir, bytecode)
        strings_source = display_path(config.templates_dir / STRINGS_FILE)
        raw = load_strings(config.templates_dir)
        self.strings = {lang: Strings(lang, raw[lang], strings_source) for lang in LANGS}
        self.assets = assets
        self.warnings: list[Problem] = []
        """Problems worth telling the editor that do not stop the build (filled while rendering)."""
        self.views = ViewMaker(
            self.urls,
            Markdown(),
            config.notice,
            self.strings,
            site_origin=config.origin,
            warn=self._warn,
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

    def _warn(self, problem: Problem) -> None:
        if problem not in self.warnings:  # a text is rendered for several pages; tell the editor once
            self.warnings.append(problem)

    def render(self, content: Content) -> list[Output]:
        """Every file of the site, checked for clashes before anyone writes them."""
        return [Output(job.path, job.make(), job.owner) for job in self.plan(content)]

    def plan(self, content: Content) -> list[Job]:
        """Every file of the site, planned (nothing rendered yet) and checked for clashes. (The
        build plans the same files piecemeal, so that a rebuild skips unchanged issues.)"""
        catalog = content.catalog(tag_slug)
        full = {head.key: issue for head, issue in zip(catalog.issues, content.issues, strict=False)}
        tags = self.prepare(catalog)
        jobs = self.site_jobs(catalog, tags)
        for group in self.groups(catalog):
            jobs += self.group_jobs(group, full[group.head.key])
        jobs += self.feeds(catalog, lambda head: full[head.key])
        jobs.append(self.papers_json(catalog, lambda head: self.papers_json_fragment(full[head.key])))
        check_unique_paths([(job.path, job.owner) for job in jobs])
        return jobs

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
            warn=self._warn,
            site_discussion=self.config.discussion,
        )
        self.warnings.extend(near_duplicate_warnings(catalog))  # not kept: they name lines, which edits move
        return tags

    def site_jobs(self, catalog: Catalog, tags: tuple[Tag, ...]) -> list[Job]:
        """Static files and every page that lists issues, papers or tags (made from heads only)."""
        jobs = [Job(a.path, a.owner, (a.data,), lambda data=a.data: data, ()) for a in self.assets.files]
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
                )
                for p in plan.pages(lang, tags)
            ]
        jobs += self.tag_pages(tags)
        jobs += self.standalone_pages()
        jobs += [self.sitemap(catalog, tags), self.robots()]
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
        )

    def groups(self, catalog: Catalog) -> list[Group]:
        """The issues' own pages, in groups the build renders or skips as a whole."""
        names = self.views.tag_names
        found = []
        for i, head in enumerate(catalog.issues):
            newer = catalog.issues[i - 1] if i > 0 else None
            older = catalog.issues[i + 1] if i + 1 < len(catalog.issues) else None
            used = tuple((slug, names[slug]) for slug in head.slugs)
            found += [Group(f"{part} {head.key}", head, part, newer, older, used) for part in GROUP_TEMPLATES]
        return found

    def group_jobs(self, group: Group, issue: Issue) -> list[Job]:
        jobs = []
        for lang in LANGS:
            view = self.views.issue(lang, issue, group.newer, group.older)
            if group.part == "issue":
                jobs.append(
                    self._page(
                        "issue.html",
                        view.url,
                        lambda other, key=issue.key: self.urls.issue(other, key),
                        lang,
                        "issue",
                        view.title,
                        issue.origin.path,
                        description=self.views.issue_description(lang, issue),
                        issue=view,
                    )
                )
                continue
            for paper in view.papers:
                jobs.append(
                    self._page(
                        "paper.html",
                        paper.url,
                        lambda other, pid=paper.id: self.urls.paper(other, pid),
                        lang,
                        "paper",
                        paper.title.main.html.unescape(),
                        issue.origin.path,
                        description=paper.description,
                        paper=paper,
                        issue=view,
                    )
                )
        return jobs

    def group_paths(self, group: Group) -> list[PurePosixPath]:
        """The files ``group_jobs`` makes, without making views."""
        head = group.head
        if group.part == "issue":
            return [self.urls.output_path(self.urls.issue(lang, head.key)) for lang in LANGS]
        return [self.urls.output_path(self.urls.paper(lang, paper.id)) for lang in LANGS for paper in head.papers]

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

    def feed_items(self, catalog: Catalog, full: Callable[[IssueHead], Issue], lang: Lang) -> list[FeedItem]:
        items = []
        for i, head in enumerate(catalog.issues[:FEED_ISSUES]):
            issue = full(head)
            view = self.views.issue(
                lang,
                issue,
                catalog.issues[i - 1] if i > 0 else None,
                catalog.issues[i + 1] if i + 1 < len(catalog.issues) else None,
            )
            html = self._render("feed_item.html", lang=lang, issue=view, t=self.strings[lang])
            # Markdown may link within the page (#…); feed readers need the full address.
            html = math_fallback(html.replace('href="#', f'href="{self.urls.absolute(view.url)}#'))
            items.append(
                FeedItem(
                    guid=issue_guid(self.config, issue, lang),
                    title=view.title,
                    url=self.urls.absolute(view.url),
                    date=entry_datetime(issue, self.config.timezone, lang, self.config.default_language),
                    html=html,
                    lang=lang,
                    tags=tuple(dict.fromkeys(tag.name for paper in view.papers for tag in paper.tags)),
                    author=self.config.author.get(lang),
                )
            )
        return items

    def feed_info(self, lang: Lang | None, self_url: str, kind: str) -> FeedInfo:
        """``kind`` keeps the Atom ids of the formats apart; ids never change."""
        title_lang = lang or self.config.default_language
        title = self.config.title.get(title_lang)
        if lang is None:
            title = f"{self.config.title.ko} · {self.config.title.en}"
        return FeedInfo(
            id=f"{self.config.id}:{lang + ':' if lang else ''}{kind}",
            title=title,
            description=self.config.description.get(title_lang),
            lang=lang,
            site_url=self.urls.absolute(self.urls.home(lang) if lang else self.urls.landing()),
            self_url=self.urls.absolute(self_url),
            author=self.config.author.get(lang)
            if lang
            else " · ".join(dict.fromkeys(self.config.author.get(c) for c in LANGS)),
        )

    def feeds(self, catalog: Catalog, full: Callable[[IssueHead], Issue]) -> list[Job]:
        """RSS and Atom of the whole site and of each edition, and JSON Feed 1.1 of the whole site,
        each with the newest FEED_ISSUES issues in full. The whole site's items are both editions'
        (guids unchanged: ``{site id}:{lang}:issues:{week}``). ``full`` gives an issue from its head."""
        items: dict[Lang, list[FeedItem]] = {}

        def per_lang(lang: Lang) -> list[FeedItem]:  # made on first use: a cached build may need no feed
            if lang not in items:
                items[lang] = self.feed_items(catalog, full, lang)
            return items[lang]

        def everything() -> list[FeedItem]:
            default = self.config.default_language
            return [item for lang in sorted(LANGS, key=lambda code: code != default) for item in per_lang(lang)]

        made: list[tuple[str, tuple[object, ...], Callable[[], bytes]]] = [
            (self.urls.feed(), ("rss", None), lambda: rss(self.feed_info(None, self.urls.feed(), "rss"), everything())),
            (
                self.urls.atom(),
                ("atom", None),
                lambda: atom(self.feed_info(None, self.urls.atom(), "atom"), everything()),
            ),
            (
                self.urls.json_feed(),
                ("json", None),
                lambda: json_feed(self.feed_info(None, self.urls.json_feed(), "json"), everything()),
            ),
        ]
        for lang in LANGS:
            rss_url, atom_url = self.urls.edition_feed(lang), self.urls.edition_atom(lang)
            made.append(
                (
                    rss_url,
                    ("rss", lang),
                    lambda lang=lang, url=rss_url: rss(self.feed_info(lang, url, "rss"), per_lang(lang)),
                )
            )
            made.append(
                (
                    atom_url,
                    ("atom", lang),
                    lambda lang=lang, url=atom_url: atom(self.feed_info(lang, url, "atom"), per_lang(lang)),
                )
            )
        # An issue is a function of its file's bytes (digest) and the site-wide tag names it shows.
        shown = catalog.issues[: FEED_ISSUES + 1]
        names = self.views.tag_names
        key = (
            tuple((head.key, head.title, head.digest) for head in shown),
            tuple(
                sorted(
                    {
                        (tag_slug(t), names.get(tag_slug(t), ""))
                        for head in shown
                        for paper in head.papers
                        for t in paper.tags
                    }
                )
            ),
        )
        return [
            Job(self.urls.output_path(url), "feeds", (*kind, key), make, ("feed_item.html",))
            for url, kind, make in made
        ]

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

    def papers_json(self, catalog: Catalog, fragment: Callable[[IssueHead], bytes | memoryview]) -> Job:
        """Every paper as data, oldest issue first so that new papers append (see README). Made of
        one fragment per issue (``fragment``, which the build may take from the last build's file)."""
        names = self.views.tag_names
        key = ("papers.json", repr((tuple((head.key, head.digest) for head in catalog.issues), sorted(names.items()))))

        def make() -> bytes:
            parts = [fragment(head) for head in reversed(catalog.issues)]
            return papers_json_file(self.urls.absolute(self.urls.landing()), [p for p in parts if p])

        return Job(self.urls.output_path(self.urls.papers_json()), "papers.json", key, make, ())

    def papers_json_fragment(self, issue: Issue) -> bytes:
        """An issue's papers as they appear in papers.json (see papers_json_file)."""
        names = self.views.tag_names
        papers = []
        for position, paper in enumerate(issue.papers, 1):
            arxiv = arxiv_ref(paper.paper_url)
            slugs = dict.fromkeys(tag_slug(tag) for tag in paper.tags)
            papers.append(
                {
                    "id": paper.id,
                    "issue": {
                        "week": issue.key,
                        "week_end": issue.week_end.isoformat(),
                        "position": position,
                        "urls": {lang: self.urls.absolute(self.urls.issue(lang, issue.key)) for lang in LANGS},
                    },
                    "urls": {lang: self.urls.absolute(self.urls.paper(lang, paper.id)) for lang in LANGS},
                    "title": {"ko": paper.title.ko, "en": paper.title.en},
                    "summary": {"ko": paper.summary.ko, "en": paper.summary.en},
                    "abstract": {"ko": paper.abstract.ko, "en": paper.abstract.en},
                    "links": {link.label: link.url for link in paper.links},
                    "tweet": paper.tweet,
                    "arxiv": {"id": arxiv.id, "url": arxiv.url, "pdf": arxiv.pdf} if arxiv else None,
                    "tags": [
                        {
                            "slug": slug,
                            "name": names[slug],
                            "urls": {lang: self.urls.absolute(self.urls.tag(lang, slug)) for lang in LANGS},
                        }
                        for slug in slugs
                        if slug
                    ],
                }
            )
        return ",\n".join(
            _indent(json.dumps(item, ensure_ascii=False, indent=2, sort_keys=True)) for item in papers
        ).encode("utf-8")

    def sitemap(self, catalog: Catalog, tags: tuple[Tag, ...]) -> Job:
        """Every page of the site, from the catalog alone (no page needs to be planned for it)."""
        structure = repr(
            (
                tuple((head.key, tuple(paper.id for paper in head.papers)) for head in catalog.issues),
                tuple(tag.slug for tag in tags),
                tuple(url for url, _ in archive.page_urls(self.urls, catalog, tags, "ko")),
            )
        )

        def make() -> bytes:
            pages = sorted(self.sitemap_entries(catalog, tags), key=lambda entry: entry.canonical)
            return self._render("sitemap.xml", pages=pages).encode("utf-8")

        return Job(
            self.urls.output_path(self.urls.sitemap()), "sitemap", ("sitemap", structure), make, ("sitemap.xml",)
        )

    def sitemap_entries(self, catalog: Catalog, tags: tuple[Tag, ...]) -> list[SitemapEntry]:
        u = self.urls
        pages: list[tuple[str, Callable[[Lang], str], str]] = [(u.landing(), u.home, "landing")]
        for lang in LANGS:
            pages += [
                (u.home(lang), u.home, "home"),
                (u.papers(lang), u.papers, "papers"),
                (u.tags(lang), u.tags, "tags"),
            ]
            pages += [(u.tag(lang, tag.slug), lambda other, slug=tag.slug: u.tag(other, slug), "tag") for tag in tags]
            pages += [(url, url_in, "list") for url, url_in in archive.page_urls(u, catalog, tags, lang)]
            pages += [
                (u.page(lang, p.slug), lambda other, slug=p.slug: u.page(other, slug), "page") for p in self.pages
            ]
            for head in catalog.issues:
                pages.append((u.issue(lang, head.key), lambda other, key=head.key: u.issue(other, key), "issue"))
                pages += [
                    (u.paper(lang, paper.id), lambda other, pid=paper.id: u.paper(other, pid), "paper")
                    for paper in head.papers
                ]
        return [SitemapEntry(u.absolute(url), self._alternates(url_in, kind)) for url, url_in, kind in pages]

    def robots(self) -> Job:
        text = f"User-agent: *\nAllow: /\n\nSitemap: {self.urls.absolute(self.urls.sitemap())}\n"
        return Job(
            self.urls.output_path(self.urls.robots()), "robots.txt", ("robots", text), lambda: text.encode("utf-8"), ()
        )

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
            alternates=self._alternates(url_in, kind),
            other_lang=other,
            other_url=url_in(other),
            description=description or self.config.description.get(lang),
            locale=LOCALES[lang],
            other_locale=LOCALES[other],
            feeds=self.feed_links(lang),
            indexed=kind in INDEXED_KINDS,
        )
        # PageMeta holds only strings and tuples of small dataclasses of strings, so its repr is an
        # exact and much cheaper fingerprint than walking it.
        key = made_from if made_from is not None else sorted(context.items())
        return Job(
            self.urls.output_path(url),
            owner,
            (template, repr(meta), lang, key),
            lambda: self._render(
                template, page=meta, t=self.strings[lang], **context, **(lazy() if lazy else {})
            ).encode("utf-8"),
            (template,),
            meta.indexed,
        )

    def _alternates(self, url_in: Callable[[Lang], str], kind: str) -> tuple[Alternate, ...]:
        default = self.config.default_language
        alternates = [Alternate(code, self.urls.absolute(url_in(code))) for code in LANGS]
        alternates.append(
            Alternate(
                "x-default", self.urls.absolute(self.urls.landing() if kind in ("landing", "home") else url_in(default))
            )
        )
        return tuple(alternates)

    def template_closure(self, names: tuple[str, ...] | None) -> tuple[str, ...] | None:
        """``names`` and every template they extend, import or include, sorted; ``None`` (all
        templates) when one names another through a variable, which cannot be followed."""
        if names is None:
            return None
        found: set[str] = set()
        todo = list(names)
        while todo:
            name = todo.pop()
            if name in found:
                continue
            found.add(name)
            try:
                source = self.env.loader.get_source(self.env, name)[0]  # type: ignore[union-attr]
                referenced = list(jinja2.meta.find_referenced_templates(self.env.parse(source)))
            except (jinja2.TemplateNotFound, jinja2.TemplateSyntaxError):
                continue  # rendering reports it
            if None in referenced:
                return None
            todo.extend(r for r in referenced if r is not None)
        return tuple(sorted(found))

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

    def _render(self, template: str, **context: object) -> str:
        context.update(
            site=self.config, urls=self.urls, assets=self.assets.urls, tr=self.strings, once=self._once, nav=self.nav
        )
        try:
            return self.env.get_template(template).render(**context)
        except jinja2.TemplateSyntaxError as exc:
            path = display_path(Path(exc.filename)) if exc.filename else template
            raise DigestError(Problem(path, exc.lineno, None, "", f"template syntax error: {exc.message}")) from None
        except jinja2.TemplateNotFound as exc:
            raise DigestError(
                Problem(display_path(self.config.templates_dir), None, None, "", f"template not found: {exc.name}")
            ) from None
        except jinja2.UndefinedError as exc:
            path, line = _template_position(exc, self.config.templates_dir)
            raise DigestError(Problem(path, line, None, "", f"template error: {exc.message}")) from None


def papers_json_header() -> bytes:
    return b'{\n  "papers": [\n'


def papers_json_file(site: str, fragments: list[bytes | memoryview]) -> bytes:
    """papers.json from its issues' fragments: byte for byte what ``json.dumps(data, indent=2,
    sort_keys=True, ensure_ascii=False)`` writes, so a rebuild can splice in one issue's fragment."""
    tail = f'  ],\n  "site": {json.dumps(site, ensure_ascii=False)},\n  "version": {PAPERS_JSON_VERSION}\n}}\n'
    if not fragments:
        return f'{{\n  "papers": [],\n  "site": {json.dumps(site, ensure_ascii=False)},\n  "version": {PAPERS_JSON_VERSION}\n}}\n'.encode()
    parts: list[bytes | memoryview] = [papers_json_header()]
    for fragment in fragments:  # one join: the file is tens of megabytes in a long archive
        parts += [fragment, b",\n"]
    parts[-1] = b"\n"
    return b"".join([*parts, tail.encode("utf-8")])


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.split("\n"))


def _template_position(exc: BaseException, templates_dir: Path) -> tuple[str, int | None]:
    """The innermost template frame of an error raised while rendering (Jinja maps lines back)."""
    import traceback

    found: tuple[str, int | None] = (display_path(templates_dir), None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename and Path(frame.filename).suffix in (".html", ".xml", ".txt"):
            found = (display_path(Path(frame.filename)), frame.lineno)
    return found
