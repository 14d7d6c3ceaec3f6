"""Feeds, made with feedgen. Dates come from content only, never from the clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from zoneinfo import ZoneInfo

from feedgen.feed import FeedGenerator
from markupsafe import escape

from .config import SiteConfig
from .model import Content, Issue, Lang
from .urls import Urls


def issue_datetime(issue: Issue, timezone: str) -> datetime:
    """An issue is dated at midnight, site time, of the last day it covers (when its list is complete)."""
    return datetime.combine(issue.week_end, time(0, 0), tzinfo=ZoneInfo(timezone))


def issue_guid(config: SiteConfig, issue: Issue, lang: Lang) -> str:
    """Never changes: built from the site id and the week, not from URLs that may move."""
    return f"{config.id}:{lang}:issues:{issue.key}"


def rss(config: SiteConfig, urls: Urls, content: Content, lang: Lang,
        describe: Callable[[Issue], str]) -> bytes:
    """RSS 2.0, one item per issue, newest first."""
    fg = FeedGenerator()
    fg.title(config.title.get(lang))
    fg.description(config.description.get(lang) or config.title.get(lang))
    fg.language(lang)
    # feedgen makes the *last* link() the channel <link>: self first, the site last.
    fg.link(href=urls.absolute(urls.feed()), rel="self", type="application/rss+xml")
    fg.link(href=urls.absolute(urls.home(lang)), rel="alternate")
    fg.generator("digestgen")
    if content.issues:
        newest = max(issue_datetime(issue, config.timezone) for issue in content.issues)
        fg.lastBuildDate(newest)  # feedgen would stamp "now"
        fg.pubDate(newest)
    for issue in content.issues:  # newest first; order="append" keeps it (feedgen prepends by default)
        entry = fg.add_entry(order="append")
        # Feed readers differ on whether an RSS title is text or HTML; escaped as HTML (the RSS Best
        # Practices Profile) it reads right in both and can never become markup.
        entry.title(str(escape(issue.title.get(lang))))
        entry.link(href=urls.absolute(urls.issue(lang, issue.key)))
        entry.guid(issue_guid(config, issue, lang), permalink=False)
        entry.pubDate(issue_datetime(issue, config.timezone))
        entry.description(describe(issue))
    return fg.rss_str(pretty=True)
