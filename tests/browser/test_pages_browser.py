"""The example site's About page in a real browser (finding 9 of issue #14): reached from the
navigation of an issue, marked as the current page, and switching language keeps the page."""

from __future__ import annotations

from collections.abc import Callable

from browsing import ServedSite

OpenPage = Callable[..., object]


def test_about_from_the_navigation_and_across_languages(open_page: OpenPage, served_site: ServedSite) -> None:
    pg = open_page(served_site)
    pg.goto(served_site.url("ko/issues/2023-11-13/"))  # type: ignore[attr-defined]
    pg.get_by_role("navigation", name="주요 메뉴").get_by_role("link", name="소개").click()  # type: ignore[attr-defined]
    pg.wait_for_url(served_site.url("ko/about/"))  # type: ignore[attr-defined]
    assert pg.locator("main h1").inner_text() == "소개"  # type: ignore[attr-defined]
    current = pg.locator("nav a[aria-current=page]")  # type: ignore[attr-defined]
    assert current.count() == 1 and current.inner_text() == "소개"
    assert "GPT" in pg.locator("main").inner_text()  # type: ignore[attr-defined]
    pg.locator("a.lang-switch").click()  # type: ignore[attr-defined]
    pg.wait_for_url(served_site.url("en/about/"))  # type: ignore[attr-defined]
    assert pg.locator("main h1").inner_text() == "About"  # type: ignore[attr-defined]
