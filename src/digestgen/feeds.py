"""Feeds: RSS 2.0 and Atom (made with feedgen) and JSON Feed 1.1 (plain json). Dates come from
content only, never from the clock; ids are built from the site id, never from URLs."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
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


_ENTRIES: dict[FeedInfo, dict[FeedItem, bytes]] = {}
"""Each feed's entries as this process last wrote them. Writing entries is most of a feed's time,
and ``serve``'s rebuilds show the same items again: those already written are spliced in, and
feedgen writes only the others. An entry depends on its feed and item alone, so it is never stale."""


def _spliced(
    info: FeedInfo, items: list[FeedItem], write: Callable[[list[FeedItem]], bytes], start: bytes, end: bytes
) -> bytes:
    """The feed of ``items``, newest first, written by ``write`` but for the entries kept in
    _ENTRIES. An entry is the part of the pretty-printed feed from its start tag (``start``,
    indented: it cannot occur in escaped text) to the next entry's, or to the closing tags (``end``)."""
    known = _ENTRIES.get(info, {})
    ordered = _newest_first(items)
    new = [item for item in ordered if item not in known]
    data = write(new)
    stop = data.rindex(end)
    head, *made = data[:stop].split(start)
    written = dict(zip(new, (start + entry for entry in made), strict=True))
    entries = _ENTRIES[info] = {item: known[item] if item in known else written[item] for item in ordered}
    return b"".join([head, *entries.values(), data[stop:]])


def _generator(info: FeedInfo, items: list[FeedItem], entries: list[FeedItem], self_type: str) -> FeedGenerator:
    """The feed of ``items``, with an entry for each of ``entries`` (in their order)."""
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
    for item in entries:
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

    def write(entries: list[FeedItem]) -> bytes:
        data: bytes = _generator(info, items, entries, "application/rss+xml").rss_str(pretty=True)  # feedgen is untyped
        return data

    return _spliced(info, items, write, b"    <item>", b"  </channel>")


def atom(info: FeedInfo, items: list[FeedItem]) -> bytes:
    """Atom 1.0, newest first; content type="html" (escaped). Each entry of a feed of both editions
    says its language (xml:lang), which feedgen cannot write."""

    def write(entries: list[FeedItem]) -> bytes:
        data: bytes = _generator(info, items, entries, "application/atom+xml").atom_str(pretty=True)
        if info.lang:
            return data
        # "<entry>" cannot occur in the entries' (escaped) text.
        parts = data.split(b"<entry>")
        return parts[0] + b"".join(
            f'<entry xml:lang="{item.lang}">'.encode() + part for item, part in zip(entries, parts[1:], strict=True)
        )

    return _spliced(info, items, write, b"  <entry", b"</feed>")


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
