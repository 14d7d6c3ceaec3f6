"""feeds.py: a feed written again with some of its items unchanged splices in their entries as
written before, and comes out byte for byte as a process that never wrote it would write it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import feedparser
import pytest

from digestgen import feeds
from digestgen.feeds import FeedInfo, FeedItem, atom, rss
from digestgen.model import Lang

Writer = Callable[[FeedInfo, list[FeedItem]], bytes]


def item(n: int, lang: Lang, html: str = "") -> FeedItem:
    day = datetime(2023, 11, 19, tzinfo=ZoneInfo("Asia/Seoul")) + timedelta(weeks=n, minutes=0 if lang == "ko" else -1)
    return FeedItem(
        guid=f"tag:x.org,2023:site:{lang}:issues:{n}",
        title=f"Issue {n} <&> {lang}",
        url=f"https://x.org/{lang}/issues/{n}/",
        date=day,
        html=html or f"<p>Week {n} &amp; more</p>\n<p>  <item>  <entry> </p>",
        lang=lang,
        tags=("rag", "a<b"),
        author="" if n % 2 else f"editors {lang}",
    )


def info(lang: Lang | None) -> FeedInfo:
    return FeedInfo(f"tag:x.org,2023:site:{lang}", "T", "D", lang, "https://x.org/", "https://x.org/feed.xml", "A")


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many entries feedgen wrote, call by call; no entry written before this test is known."""
    monkeypatch.setattr(feeds, "_ENTRIES", {})
    counts: list[int] = []
    generator = feeds._generator

    def counting(i: FeedInfo, items: list[FeedItem], entries: list[FeedItem], self_type: str) -> object:
        counts.append(len(entries))
        return generator(i, items, entries, self_type)

    monkeypatch.setattr(feeds, "_generator", counting)
    return counts


def fresh(write: Writer, feed: FeedInfo, items: list[FeedItem]) -> bytes:
    """The feed as a process that never wrote it writes it."""
    kept = dict(feeds._ENTRIES)
    feeds._ENTRIES.clear()
    try:
        return write(feed, items)
    finally:
        feeds._ENTRIES.clear()
        feeds._ENTRIES.update(kept)


@pytest.mark.parametrize("write", [rss, atom])
@pytest.mark.parametrize("lang", [None, "ko"])  # the whole site's Atom says each entry's language
def test_unchanged_entries_are_spliced_in(write: Writer, lang: Lang | None, written: list[int]) -> None:
    langs: list[Lang] = ["ko", "en"] if lang is None else [lang]
    items = [item(n, code) for n in range(4) for code in langs]
    first = write(info(lang), items)
    assert first == fresh(write, info(lang), items)
    assert written == [len(items), len(items)]

    steps: list[list[FeedItem]] = [
        items,  # nothing changed
        [item(0, langs[0], "<p>edited</p>"), *items[1:]],  # one item changed
        [*items[len(langs) :], *(item(4, code) for code in langs)],  # a new week; the oldest drops out
        [],
    ]
    for number, step in enumerate(steps):
        written.clear()
        data = write(info(lang), step)
        assert data == fresh(write, info(lang), step), number
        assert written[0] == len([i for i in step if i not in items]), number  # feedgen wrote only the new ones
        parsed = feedparser.parse(data)
        assert not parsed.bozo, number
        assert [entry.id for entry in parsed.entries] == [
            i.guid for i in sorted(step, key=lambda i: -i.date.timestamp())
        ]
        items = step
