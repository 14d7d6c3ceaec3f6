"""The example site's About page in a real browser (finding 9 of issue #14): reached from the
navigation of an issue, marked as the current page, and switching language keeps the page."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from browsing import ServedSite

if TYPE_CHECKING:
    from playwright.sync_api import Page

OpenPage = Callable[..., "Page"]  # quoted: Page is imported for type checking only


def test_about_from_the_navigation_and_across_languages(open_page: OpenPage, served_site: ServedSite) -> None:
    pg = open_page(served_site)
    pg.goto(served_site.url("ko/issues/2023-11-13/"))
    pg.get_by_role("navigation", name="주요 메뉴").get_by_role("link", name="소개").click()
    pg.wait_for_url(served_site.url("ko/about/"))
    assert pg.locator("main h1").inner_text() == "소개"
    current = pg.locator("nav a[aria-current=page]")
    assert current.count() == 1 and current.inner_text() == "소개"
    assert "GPT" in pg.locator("main").inner_text()
    pg.locator("a.lang-switch").click()
    pg.wait_for_url(served_site.url("en/about/"))
    assert pg.locator("main h1").inner_text() == "About"
