"""Published URLs and feed item ids never change: the example site (content/ with site.yaml) is built
and everything listed in tests/fixtures/published.txt must still be there — every page and file
URL, every in-page anchor the site links to, and every feed item (its feed, id and link).

New URLs may be added, never removed or changed. After adding content or pages, append what is new
to the list (existing lines are kept as they are) and commit it:

    DIGESTGEN_UPDATE_PUBLISHED=1 .venv/bin/pytest tests/test_published.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup, Tag

from digestgen.build import build
from digestgen.config import load_config
from helpers import FIXTURES, REPO

LIST = FIXTURES / "published.txt"
HEADER = """\
# What the example site (content/, site.yaml) has published: tests/test_published.py fails if any
# line stops being true. Lines: `page URL`, `anchor URL#id` (an element id the site links to),
# `item FEED ID LINK` (a feed item). Add new lines, never edit or remove one:
#     DIGESTGEN_UPDATE_PUBLISHED=1 .venv/bin/pytest tests/test_published.py
"""
FEEDS = ("feed.xml", "atom.xml", "feed.json", "ko/feed.xml", "ko/atom.xml", "en/feed.xml", "en/atom.xml")
NOT_PUBLISHED = ("static", "pagefind")
"""Assets (linked by content hash) and the search index are not addresses anyone keeps."""


def page_lines(site: Path, base: str) -> set[str]:
    lines = set()
    for path in site.rglob("*"):
        name = path.relative_to(site).as_posix()
        if not path.is_file() or name.startswith(".") or name.split("/", 1)[0] in NOT_PUBLISHED:
            continue
        lines.add(f"page {base}{name.removesuffix('index.html')}")
    return lines


def anchor_lines(site: Path, base: str) -> set[str]:
    """Links with a fragment to another page of the site, whose target element exists."""
    lines = set()
    ids: dict[Path, set[str]] = {}
    for path in site.rglob("*.html"):
        url = base + path.relative_to(site).as_posix().removesuffix("index.html")
        for link in BeautifulSoup(path.read_bytes(), "html.parser").find_all("a", href=True):
            target = urljoin(url, str(link["href"]))
            parts = urlsplit(target)
            if not parts.fragment or not target.startswith(base) or target.split("#")[0] == url:
                continue
            page = site / parts.path.removeprefix(urlsplit(base).path) / "index.html"
            if page not in ids:
                soup = BeautifulSoup(page.read_bytes(), "html.parser")
                ids[page] = {str(tag["id"]) for tag in soup.find_all(id=True) if isinstance(tag, Tag)}
            assert parts.fragment in ids[page], f"{path}: links to {target}, which is not on that page"
            lines.add(f"anchor {target}")
    return lines


def item_lines(site: Path) -> set[str]:
    lines: set[str] = set()
    for name in FEEDS:
        data = (site / name).read_bytes()
        if name.endswith(".json"):
            items = [(item["id"], item["url"]) for item in json.loads(data)["items"]]
        else:
            feed = feedparser.parse(data)
            assert not feed.bozo, (name, feed.get("bozo_exception"))
            items = [(entry.id, entry.link) for entry in feed.entries]
        assert items, f"{name} has no items"
        lines.update(f"item {name} {item_id} {link}" for item_id, link in items)
    return lines


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    config = load_config(REPO / "site.yaml")
    site = tmp_path_factory.mktemp("published") / "_site"
    build(config.override(output_dir=site), cache=False)
    return page_lines(site, config.base_url) | anchor_lines(site, config.base_url) | item_lines(site)


def listed() -> list[str]:
    text = LIST.read_text(encoding="utf-8") if LIST.exists() else ""
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def test_nothing_published_disappears_or_changes(published: set[str]) -> None:
    before = listed()
    if os.environ.get("DIGESTGEN_UPDATE_PUBLISHED") == "1":
        new = sorted(published - set(before))
        LIST.write_text(HEADER + "".join(f"{line}\n" for line in [*before, *new]), encoding="utf-8")
    gone = [line for line in before if line not in published]
    assert not gone, "published before, missing or changed now:\n" + "\n".join(gone)


def test_the_list_covers_every_kind_of_address(published: set[str]) -> None:
    """The list is not empty or partial: each kind of published address is in it."""
    before = listed()
    assert len(before) == len(set(before))
    for kind, example in [
        ("page", "page https://example.org/digest/ko/issues/2023-11-13/"),
        (
            "page",
            "page https://example.org/digest/en/papers/chain-of-note-enhancing-robustness-in-retrieval-augmented-language-models/",
        ),
        ("page", "page https://example.org/digest/feed.xml"),
        ("anchor", "anchor https://example.org/digest/ko/issues/2023-11-13/#contrastive-chain-of-thought-prompting"),
        (
            "item",
            "item feed.xml tag:example.org,2023:ml-papers-digest:ko:issues:2023-11-13 https://example.org/digest/ko/issues/2023-11-13/",
        ),
    ]:
        assert example in before, f"no {kind} line such as {example!r}"
    # The week in both editions in each of the three whole-site feeds, and once in each edition's two feeds.
    assert sum(line.startswith("item ") for line in before) == 3 * 2 + 4 * 1
