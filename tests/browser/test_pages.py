"""The basics every page type must get right in a real browser."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from browsing import ServedSite, watch_of

if TYPE_CHECKING:  # playwright is imported when a browser test runs (it may be missing: the tests then skip)
    from playwright.sync_api import Page

PAGES = [
    "",
    "ko/",
    "en/",
    "ko/issues/2023-11-13/",
    "en/issues/2023-11-13/",
    "ko/papers/",
    "en/papers/",
    "ko/papers/emu-video-and-emu-edit/",
    "en/papers/contrastive-chain-of-thought-prompting/",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_without_errors_or_foreign_requests(page: Page, served_site: ServedSite, path: str) -> None:
    page.goto(served_site.url(path), wait_until="networkidle")
    assert watch_of(page).clean(), watch_of(page)


def test_language_switch_goes_to_the_same_page(page: Page, served_site: ServedSite) -> None:
    page.goto(served_site.url("ko/papers/emu-video-and-emu-edit/"))
    page.click("a.lang-switch")
    page.wait_for_url(served_site.url("en/papers/emu-video-and-emu-edit/"))
    assert page.locator("html").get_attribute("lang") == "en"


def test_landing_remembers_the_chosen_edition(page: Page, served_site: ServedSite) -> None:
    page.goto(served_site.url("ko/"))
    page.click("a.lang-switch")
    page.wait_for_url(served_site.url("en/"))
    page.goto(served_site.url(""))
    page.wait_for_url(served_site.url("en/"))
