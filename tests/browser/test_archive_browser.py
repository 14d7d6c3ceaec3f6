"""Issue #15, point 1 in a browser, and the issue's targets on every kind of page: axe-core finds
no violation at all (of any impact), nothing scrolls sideways at 320 px, and the paged lists are
reachable by their rel=prev/next links."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from browsing import ServedSite, watch_of

if TYPE_CHECKING:  # playwright is imported when a browser test runs (it may be missing: the tests then skip)
    from playwright.sync_api import Page

OpenPage = Callable[..., "Page"]  # quoted: Page is imported for type checking only
PAGES = {
    "home": "",
    "issue": "issues/2023-11-13/",
    "paper": "papers/p1-first/",
    "papers index": "papers/",
    "archive": "archive/",
    "year": "2023/",
    "tag": "tags/rag/",
}


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("kind", sorted(PAGES))
def test_no_axe_violations_and_no_sideways_scroll(
    open_page: OpenPage, served_sample: ServedSite, kind: str, lang: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    pg = open_page(served_sample, viewport={"width": 320, "height": 640})
    pg.goto(served_sample.url(f"{lang}/{PAGES[kind]}"))
    assert pg.evaluate("document.documentElement.scrollWidth") <= 320
    # target-size (WCAG 2.2, 24 px) is off by default in axe; Lighthouse checks it, so do we.
    violations = Axe().run(pg, options={"rules": {"target-size": {"enabled": True}}}).response["violations"]
    assert [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations] == []
    assert watch_of(pg).clean(), watch_of(pg)


def test_reader_goes_from_home_to_archive_to_a_year_to_an_issue(open_page: OpenPage, served_sample: ServedSite) -> None:
    pg = open_page(served_sample, viewport={"width": 390, "height": 844})
    pg.goto(served_sample.url("en/"))
    assert pg.locator("section.latest h2").inner_text().startswith("Top ML Papers of the Week (2023/11/20")
    assert pg.locator("section.recent li").count() == 2
    pg.get_by_role("link", name="All weeks").click()
    pg.wait_for_url(served_sample.url("en/archive/"))
    pg.get_by_role("link", name="2023").click()
    pg.wait_for_url(served_sample.url("en/2023/"))
    assert pg.locator("ul.weeks > li").count() == 3
    pg.locator("ul.weeks > li > a").last.click()
    pg.wait_for_url(served_sample.url("en/issues/2023-11-06/"))
    assert pg.evaluate("document.documentElement.scrollHeight") < 6000
    assert watch_of(pg).clean(), watch_of(pg)


def test_tag_page_shows_titles_in_the_editions_language_and_weeks(
    open_page: OpenPage, served_sample: ServedSite
) -> None:
    pg = open_page(served_sample)
    pg.goto(served_sample.url("en/tags/rag/"))
    items = pg.locator("ul.paper-list > li")
    assert items.count() == 3
    assert items.first.inner_text() == "Paper number 21 2023-11-20"
    assert str(items.first.locator("a.week").get_attribute("href")).endswith("/en/issues/2023-11-20/")
    pg.goto(served_sample.url("ko/tags/rag/"))
    assert pg.locator("ul.paper-list > li").first.inner_text() == "논문 21 2023-11-20"
