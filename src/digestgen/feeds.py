"""Feeds: RSS 2.0 and Atom (made with feedgen) and JSON Feed 1.1 (plain json). Dates come from
content only, never from the clock; ids are built from the site id, never from URLs."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from feedgen.feed import FeedGenerator
from markupsafe import escape

from .config import SiteConfig
from .model import Issue, Lang

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
NO_DATE = datetime(1970, 1, 1, tzinfo=UTC)
"""The date of a feed with no items (Atom requires one; "now" would break reproducible builds)."""


def issue_datetime(issue: Issue, timezone: str) -> datetime:
    """An issue is dated at midnight, site time, of the last day it covers (when its list is complete)."""
    return datetime.combine(issue.week_end, time(0, 0), tzinfo=ZoneInfo(timezone))


def entry_datetime(issue: Issue, timezone: str, lang: Lang, default: Lang) -> datetime:
    """An edition's entry for an issue: the default language's at ``issue_datetime``, the other's a
    minute before, so that the two entries of a week never share one ``updated`` (readers that
    order or merge by date keep them apart) and, newest first, the default language's comes first."""
    return issue_datetime(issue, timezone) - timedelta(minutes=0 if lang == default else 1)


_MATH = re.compile(r'<math\b[^>]*?\balttext="([^"]*)"[^>]*>.*?</math>', re.DOTALL)


def math_fallback(text: str) -> str:
    """Formulas as their TeX source in code (``$O(n \\log n)$``): many feed readers strip MathML
    and would show its letters run together; the source reads the same everywhere."""
    return _MATH.sub(lambda m: f"<code>${m.group(1)}$</code>", text)


def issue_guid(config: SiteConfig, issue: Issue, lang: Lang) -> str:
    """Never changes: built from the site id and the week, not from URLs that may move."""
    return f"{config.id}:{lang}:issues:{issue.key}"


@dataclass(frozen=True)
class FeedItem:
    """One issue in one language, ready for any feed format."""

    guid: str
    title: str
    url: str
    """Absolute."""
    date: datetime
    """Aware (a naive datetime is a bug: feedgen would refuse it, readers would guess)."""
    html: str
    """The issue's full content; every URL in it absolute."""
    lang: Lang
    tags: tuple[str, ...]
    author: str = ""
    """The editors' name in the item's language."""


@dataclass(frozen=True)
class FeedInfo:
    """What a feed says about itself."""

    id: str
    """Stable, from the site id (Atom's feed id)."""
    title: str
    description: str
    lang: Lang | None
    """None for the whole site (both editions)."""
    site_url: str
    """The channel link: the edition's home, or the site's landing page."""
    self_url: str
    author: str


def _newest_first(items: list[FeedItem]) -> list[FeedItem]:
    # Stable: items of one day keep their order (the default language first).
    return sorted(items, key=lambda item: item.date, reverse=True)


def _generator(info: FeedInfo, items: list[FeedItem], self_type: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("dc")  # RSS <author> must be an e-mail address; dc:creator takes a name
    fg.id(info.id)
    fg.title(info.title)
    fg.subtitle(info.description or info.title)
    if info.lang:
        fg.language(info.lang)
    fg.author({"name": info.author})
    # feedgen makes the *last* link() the RSS channel <link>: there, self first and the site last.
    # Atom lists them as called: the site first, as readers that take the first link expect.
    if self_type == "application/rss+xml":
        fg.link(href=info.self_url, rel="self", type=self_type)
    fg.link(href=info.site_url, rel="alternate")
    if self_type != "application/rss+xml":
        fg.link(href=info.self_url, rel="self", type=self_type)
    fg.generator("digestgen")
    # feedgen would stamp "now" on lastBuildDate/updated; with no items yet, the epoch stands for never.
    newest = max((item.date for item in items), default=NO_DATE)
    fg.updated(newest)
    fg.lastBuildDate(newest)
    if items:
        fg.pubDate(newest)
    for item in _newest_first(items):
        entry = fg.add_entry(order="append")  # feedgen prepends by default, reversing the order
        entry.id(item.guid)
        entry.guid(item.guid, permalink=False)
        # Feed readers differ on whether an RSS title is text or HTML; escaped as HTML (the RSS Best
        # Practices Profile) it reads right in both and can never become markup. Atom and JSON
        # Feed say what their titles are (text), so they get the text as it is.
        entry.title(str(escape(item.title)) if self_type == "application/rss+xml" else item.title)
        entry.link(href=item.url, rel="alternate", hreflang=item.lang)
        entry.published(item.date)
        entry.updated(item.date)
        entry.author({"name": item.author or info.author})
        entry.dc.dc_creator(item.author or info.author)
        entry.dc.dc_language(item.lang)  # RSS has no per-item language of its own
        for tag in item.tags:
            # Text in every format (XML-escaped by the writer, never HTML-escaped twice: feedparser
            # and the RSS spec read a category as text, so "&lt;" would be shown as written).
            entry.category(term=tag)
        # type "html": escaped text. "CDATA" would be invalid Atom.
        entry.content(item.html, type="html")
    return fg


def rss(info: FeedInfo, items: list[FeedItem]) -> bytes:
    """RSS 2.0, newest first; the item's full HTML is its <description>."""
    data: bytes = _generator(info, items, "application/rss+xml").rss_str(pretty=True)  # feedgen is untyped
    return data


def atom(info: FeedInfo, items: list[FeedItem]) -> bytes:
    """Atom 1.0, newest first; content type="html" (escaped). Each entry of a feed of both editions
    says its language (xml:lang), which feedgen cannot write."""
    data: bytes = _generator(info, items, "application/atom+xml").atom_str(pretty=True)
    if info.lang:
        return data
    # Entries come out in _newest_first order; "<entry>" cannot occur in their (escaped) text.
    parts = data.split(b"<entry>")
    langs = [item.lang for item in _newest_first(items)]
    return parts[0] + b"".join(
        f'<entry xml:lang="{lang}">'.encode() + part for lang, part in zip(langs, parts[1:], strict=True)
    )


def json_feed(info: FeedInfo, items: list[FeedItem]) -> bytes:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1), newest first."""
    feed: dict[str, object] = {
        "version": JSON_FEED_VERSION,
        "title": info.title,
        "home_page_url": info.site_url,
        "feed_url": info.self_url,
        "description": info.description,
        "authors": [{"name": info.author}],
        "items": [
            {
                "id": item.guid,
                "url": item.url,
                "title": item.title,
                "content_html": item.html,
                "date_published": item.date.isoformat(),
                "date_modified": item.date.isoformat(),
                "authors": [{"name": item.author or info.author}],
                "language": item.lang,
                **({"tags": list(item.tags)} if item.tags else {}),
            }
            for item in _newest_first(items)
        ],
    }
    if info.lang:
        feed["language"] = info.lang
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
