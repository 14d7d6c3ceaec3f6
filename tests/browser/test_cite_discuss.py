"""Issue #15, points 4 to 6 in a browser: the citation beside the BibTeX, the discussion link beside
the notice, and reading controls only on pages where they act."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from browsing import ServedSite, watch_of

if TYPE_CHECKING:  # playwright is imported when a browser test runs (it may be missing: the tests then skip)
    from playwright.sync_api import Page

OpenPage = Callable[..., "Page"]  # quoted: Page is imported for type checking only


def test_plain_citation_is_shown_beside_the_bibtex(open_page: OpenPage, served_sample: ServedSite) -> None:
    pg = open_page(served_sample, viewport={"width": 320, "height": 700})
    pg.goto(served_sample.url("en/papers/p1-first/"))
    cite = pg.locator("section.cite")
    assert cite.locator("pre.bibtex").is_visible() and cite.locator("p.citation").is_visible()
    assert cite.locator("p.citation").inner_text().endswith("arXiv:2311.00001. https://arxiv.org/abs/2311.00001")
    assert pg.evaluate("document.documentElement.scrollWidth") <= 320
    pg.goto(served_sample.url("en/papers/p1-pending/"))  # no paper link: the entry says so
    assert "Paper link unknown; summarized at" in pg.locator("p.citation").inner_text()
    assert "url = {" not in pg.locator("pre.bibtex").inner_text()
    assert watch_of(pg).clean(), watch_of(pg)


@pytest.mark.parametrize(("lang", "label"), [("ko", "댓글로 의견 나누기"), ("en", "Discuss this issue")])
def test_discussion_link_beside_the_notice(
    open_page: OpenPage, served_sample: ServedSite, lang: str, label: str
) -> None:
    pg = open_page(served_sample)
    pg.goto(served_sample.url(f"{lang}/issues/2023-11-13/"))
    link = pg.locator("aside.notice").get_by_role("link", name=label)
    assert link.is_visible() and link.get_attribute("href") == "https://forum.example.org/t/ml-papers/2"
    pg.goto(served_sample.url(f"{lang}/issues/2023-11-20/"))
    assert pg.get_by_role("link", name=label).count() == 0  # no thread, no site default


@pytest.mark.parametrize("path", ["ko/", "en/", "ko/tags/", "en/tags/rag/"])
def test_no_originals_toggle_where_there_is_nothing_to_toggle(
    open_page: OpenPage, served_sample: ServedSite, path: str
) -> None:
    pg = open_page(served_sample)
    pg.goto(served_sample.url(path))
    assert pg.locator(".originals-toggle").count() == 0
    assert pg.locator(".original, .original-title").count() == 0
    assert pg.locator(".theme-toggle").is_visible()


@pytest.mark.parametrize("path", ["ko/issues/2023-11-13/", "en/papers/p1-first/", "ko/papers/"])
def test_originals_toggle_acts_where_it_is_shown(open_page: OpenPage, served_sample: ServedSite, path: str) -> None:
    pg = open_page(served_sample)
    pg.goto(served_sample.url(path))
    originals = pg.locator(".original, .original-title")
    assert originals.count() > 0 and originals.first.is_visible()
    pg.locator(".originals-toggle").click()
    assert not originals.first.is_visible()
