"""The basics every page type must get right in a real browser."""

from __future__ import annotations

import pytest

from browsing import ServedSite

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
def test_page_loads_without_errors_or_foreign_requests(page: object, served_site: ServedSite, path: str) -> None:
    page.goto(served_site.url(path), wait_until="networkidle")  # type: ignore[attr-defined]
    assert page.watch.clean(), page.watch  # type: ignore[attr-defined]


def test_language_switch_goes_to_the_same_page(page: object, served_site: ServedSite) -> None:
    page.goto(served_site.url("ko/papers/emu-video-and-emu-edit/"))  # type: ignore[attr-defined]
    page.click("a.lang-switch")  # type: ignore[attr-defined]
    page.wait_for_url(served_site.url("en/papers/emu-video-and-emu-edit/"))  # type: ignore[attr-defined]
    assert page.locator("html").get_attribute("lang") == "en"  # type: ignore[attr-defined]


def test_landing_remembers_the_chosen_edition(page: object, served_site: ServedSite) -> None:
    page.goto(served_site.url("ko/"))  # type: ignore[attr-defined]
    page.click("a.lang-switch")  # type: ignore[attr-defined]
    page.wait_for_url(served_site.url("en/"))  # type: ignore[attr-defined]
    page.goto(served_site.url(""))  # type: ignore[attr-defined]
    page.wait_for_url(served_site.url("en/"))  # type: ignore[attr-defined]
