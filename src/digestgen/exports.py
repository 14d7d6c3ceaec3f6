"""Files made for programs rather than readers: the feeds (RSS, Atom, JSON Feed), the sitemap,
robots.txt and papers.json. Each is planned as a Job from the catalog; ``make`` renders it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from . import archive
from .feeds import FeedInfo, FeedItem, atom, entry_datetime, issue_guid, json_feed, math_fallback, rss
from .jobs import Job
from .model import LANGS, Catalog, Issue, IssueHead, Lang
from .render import Alternate, Renderer
from .tags import Tag, tag_slug
from .views import arxiv_ref

PAPERS_JSON_VERSION = 1
FEED_ISSUES = 20
"""Issues in each feed, newest first: more than any reader who checks in monthly needs, and a feed
stays about a megabyte however long the archive grows (every issue in full: 60 MB at 20 years)."""
FEED_TEMPLATES = ("feed_item.html",)
"""What the feeds render (feedgen writes the rest)."""

Full = Callable[[IssueHead], Issue]
"""The whole issue of a head (parsed now, or kept from an earlier build)."""
ItemOf = Callable[[Lang, int], FeedItem]
"""The feed item of the catalog's i-th issue (newest first) in one edition (the build may take it
from the last build)."""


def exports(r: Renderer, catalog: Catalog, tags: tuple[Tag, ...], item: ItemOf, fragment: Fragment) -> list[Job]:
    """Every export of the site, planned."""
    return [*feeds(r, catalog, item), sitemap(r, catalog, tags), robots(r), papers_json(r, catalog, fragment)]


# --- feeds ---------------------------------------------------------------------------------------


def feeds(r: Renderer, catalog: Catalog, item: ItemOf) -> list[Job]:
    """RSS and Atom of the whole site and of each edition, and JSON Feed 1.1 of the whole site,
    each with the newest FEED_ISSUES issues in full. The whole site's items are both editions'
    (guids unchanged: ``{site id}:{lang}:issues:{week}``)."""
    items: dict[Lang, list[FeedItem]] = {}

    def per_lang(lang: Lang) -> list[FeedItem]:  # made on first use: a cached build may need no feed
        if lang not in items:
            items[lang] = [item(lang, i) for i in range(min(FEED_ISSUES, len(catalog.issues)))]
        return items[lang]

    def everything() -> list[FeedItem]:
        default = r.config.default_language
        return [item for lang in sorted(LANGS, key=lambda code: code != default) for item in per_lang(lang)]

    u = r.urls
    made: list[tuple[str, tuple[object, ...], Callable[[], bytes]]] = [
        (u.feed(), ("rss", None), lambda: rss(feed_info(r, None, u.feed(), "rss"), everything())),
        (u.atom(), ("atom", None), lambda: atom(feed_info(r, None, u.atom(), "atom"), everything())),
        (u.json_feed(), ("json", None), lambda: json_feed(feed_info(r, None, u.json_feed(), "json"), everything())),
    ]
    for lang in LANGS:
        rss_url, atom_url = u.edition_feed(lang), u.edition_atom(lang)
        made.append((rss_url, ("rss", lang), partial(_edition_feed, rss, r, lang, rss_url, "rss", per_lang)))
        made.append((atom_url, ("atom", lang), partial(_edition_feed, atom, r, lang, atom_url, "atom", per_lang)))
    key = _feeds_key(r, catalog)
    return [
        Job(u.output_path(url), "feeds", (*kind, key), make, FEED_TEMPLATES, later=True) for url, kind, make in made
    ]


def _edition_feed(
    write: Callable[[FeedInfo, list[FeedItem]], bytes],
    r: Renderer,
    lang: Lang,
    url: str,
    kind: str,
    items: Callable[[Lang], list[FeedItem]],
) -> bytes:
    return write(feed_info(r, lang, url, kind), items(lang))


def _feeds_key(r: Renderer, catalog: Catalog) -> tuple[object, ...]:
    """An issue is a function of its file's bytes (digest) and the site-wide tag names it shows."""
    return tuple((head.key, head.title, head.digest, r.tag_names(head)) for head in catalog.issues[: FEED_ISSUES + 1])


def feed_item(r: Renderer, catalog: Catalog, full: Full, lang: Lang, i: int) -> FeedItem:
    """The catalog's i-th issue in one edition, for feeds: made from the issue, its tags' site-wide
    names (``Renderer.tag_names``), the edition, ``feed_item.html``, the UI strings and the settings."""
    issue = full(catalog.issues[i])
    view = r.views.issue(
        lang,
        issue,
        catalog.issues[i - 1] if i > 0 else None,
        catalog.issues[i + 1] if i + 1 < len(catalog.issues) else None,
    )
    html = r.render_template("feed_item.html", lang=lang, issue=view, t=r.strings[lang])
    # Markdown may link within the page (#…); feed readers need the full address.
    html = math_fallback(html.replace('href="#', f'href="{r.urls.absolute(view.url)}#'))
    return FeedItem(
        guid=issue_guid(r.config, issue, lang),
        title=view.title,
        url=r.urls.absolute(view.url),
        date=entry_datetime(issue, r.config.timezone, lang, r.config.default_language),
        html=html,
        lang=lang,
        tags=tuple(dict.fromkeys(tag.name for paper in view.papers for tag in paper.tags)),
        author=r.config.author.get(lang),
    )


def feed_info(r: Renderer, lang: Lang | None, self_url: str, kind: str) -> FeedInfo:
    """``kind`` keeps the Atom ids of the formats apart; ids never change."""
    config = r.config
    title_lang = lang or config.default_language
    title = config.title.get(title_lang) if lang else f"{config.title.ko} · {config.title.en}"
    return FeedInfo(
        id=f"{config.id}:{lang + ':' if lang else ''}{kind}",
        title=title,
        description=config.description.get(title_lang),
        lang=lang,
        site_url=r.urls.absolute(r.urls.home(lang) if lang else r.urls.landing()),
        self_url=r.urls.absolute(self_url),
        author=config.author.get(lang) if lang else " · ".join(dict.fromkeys(config.author.get(c) for c in LANGS)),
    )


# --- sitemap and robots.txt ----------------------------------------------------------------------


@dataclass(frozen=True)
class SitemapEntry:
    canonical: str
    alternates: tuple[Alternate, ...]


def sitemap(r: Renderer, catalog: Catalog, tags: tuple[Tag, ...]) -> Job:
    """Every page of the site, from the catalog alone (no page needs to be planned for it)."""
    structure = repr(
        (
            tuple((head.key, tuple(paper.id for paper in head.papers)) for head in catalog.issues),
            tuple(tag.slug for tag in tags),
            tuple(url for url, _ in archive.page_urls(r.urls, catalog, tags, "ko")),
        )
    )

    def make() -> bytes:
        pages = sorted(sitemap_entries(r, catalog, tags), key=lambda entry: entry.canonical)
        return r.render_template("sitemap.xml", pages=pages).encode("utf-8")

    return Job(
        r.urls.output_path(r.urls.sitemap()), "sitemap", ("sitemap", structure), make, ("sitemap.xml",), later=True
    )


def sitemap_entries(r: Renderer, catalog: Catalog, tags: tuple[Tag, ...]) -> list[SitemapEntry]:
    u = r.urls
    pages: list[tuple[str, Callable[[Lang], str], str]] = [(u.landing(), u.home, "landing")]
    for lang in LANGS:
        pages += [(u.home(lang), u.home, "home"), (u.papers(lang), u.papers, "papers"), (u.tags(lang), u.tags, "tags")]
        pages += [(u.tag(lang, tag.slug), partial(u.tag, slug=tag.slug), "tag") for tag in tags]
        pages += [(u.page(lang, page.slug), partial(u.page, slug=page.slug), "page") for page in r.pages]
        pages += [(url, url_in, "list") for url, url_in in archive.page_urls(u, catalog, tags, lang)]
        for head in catalog.issues:
            pages.append((u.issue(lang, head.key), partial(u.issue, week=head.key), "issue"))
            pages += [(u.paper(lang, paper.id), partial(u.paper, paper_id=paper.id), "paper") for paper in head.papers]
    return [SitemapEntry(u.absolute(url), r.alternates(url_in, kind)) for url, url_in, kind in pages]


def robots(r: Renderer) -> Job:
    text = f"User-agent: *\nAllow: /\n\nSitemap: {r.urls.absolute(r.urls.sitemap())}\n"
    return Job(r.urls.output_path(r.urls.robots()), "robots.txt", ("robots", text), lambda: text.encode("utf-8"), ())


# --- papers.json ---------------------------------------------------------------------------------

Fragment = Callable[[IssueHead], bytes | memoryview]
"""An issue's part of papers.json (the build may take it from the last build's file)."""


def papers_json(r: Renderer, catalog: Catalog, fragment: Fragment) -> Job:
    """Every paper as data, oldest issue first so that new papers append (see README). Made of
    one fragment per issue."""
    names = r.views.tag_names
    key = ("papers.json", repr((tuple((head.key, head.digest) for head in catalog.issues), sorted(names.items()))))

    def make() -> bytes:
        parts = [fragment(head) for head in reversed(catalog.issues)]
        return papers_json_file(r.urls.absolute(r.urls.landing()), [p for p in parts if p])

    return Job(r.urls.output_path(r.urls.papers_json()), "papers.json", key, make, (), later=True)


def papers_json_fragment(r: Renderer, issue: Issue) -> bytes:
    """An issue's papers as they appear in papers.json (see papers_json_file)."""
    names, u = r.views.tag_names, r.urls
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
                    "urls": {lang: u.absolute(u.issue(lang, issue.key)) for lang in LANGS},
                },
                "urls": {lang: u.absolute(u.paper(lang, paper.id)) for lang in LANGS},
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
                        "urls": {lang: u.absolute(u.tag(lang, slug)) for lang in LANGS},
                    }
                    for slug in slugs
                    if slug
                ],
            }
        )
    return ",\n".join(
        _indent(json.dumps(item, ensure_ascii=False, indent=2, sort_keys=True)) for item in papers
    ).encode("utf-8")


PAPERS_JSON_HEADER = b'{\n  "papers": [\n'
"""What comes before the first fragment (the build finds each fragment's offset from it)."""
PAPERS_JSON_SEPARATOR = b",\n"
"""What comes between two fragments."""


def papers_json_file(site: str, fragments: list[bytes | memoryview]) -> bytes:
    """papers.json from its issues' fragments: byte for byte what ``json.dumps(data, indent=2,
    sort_keys=True, ensure_ascii=False)`` writes, so a rebuild can splice in one issue's fragment."""
    tail = f'  ],\n  "site": {json.dumps(site, ensure_ascii=False)},\n  "version": {PAPERS_JSON_VERSION}\n}}\n'
    if not fragments:
        return f'{{\n  "papers": [],\n  "site": {json.dumps(site, ensure_ascii=False)},\n  "version": {PAPERS_JSON_VERSION}\n}}\n'.encode()
    parts: list[bytes | memoryview] = [PAPERS_JSON_HEADER]
    for fragment in fragments:  # one join: the file is tens of megabytes in a long archive
        parts += [fragment, PAPERS_JSON_SEPARATOR]
    parts[-1] = b"\n"
    return b"".join([*parts, tail.encode("utf-8")])


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.split("\n"))
