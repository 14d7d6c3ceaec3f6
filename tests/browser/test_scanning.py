"""Issue #15, point 2: an issue page that scans. Title, summary and links of each paper first, the
abstract folded (open on the paper's own page), "expand all" with script, and a search link for a
paper whose link was lost. Measured in Chromium on a phone."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest

from browsing import ServedSite, watch_of

if TYPE_CHECKING:  # playwright is imported when a browser test runs (it may be missing: the tests then skip)
    from playwright.sync_api import Page

ISSUE = "issues/2023-11-13/"
EMU = "papers/emu-video-and-emu-edit/"
PHONE = {"width": 390, "height": 844}
MAX_PHONE_HEIGHT = 8000

OpenPage = Callable[..., "Page"]  # quoted: Page is imported for type checking only


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_example_issue_fits_the_target_height_on_a_phone(
    open_page: OpenPage, served_site: ServedSite, lang: str
) -> None:
    pg = open_page(served_site, viewport=PHONE)
    pg.goto(served_site.url(f"{lang}/{ISSUE}"))
    abstracts = pg.locator("details.abstract")
    assert abstracts.count() == 9  # every paper but Emu has one
    assert pg.locator("details.abstract[open]").count() == 0
    height = pg.evaluate("document.documentElement.scrollHeight")
    assert height <= MAX_PHONE_HEIGHT, height
    assert pg.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert watch_of(pg).clean(), watch_of(pg)


def test_title_summary_and_links_come_before_the_abstract(open_page: OpenPage, served_site: ServedSite) -> None:
    pg = open_page(served_site, viewport=PHONE)
    pg.goto(served_site.url("ko/" + ISSUE))
    order = pg.evaluate(
        """() => [...document.querySelectorAll('article.paper')].map(a => {
            const top = el => el ? el.getBoundingClientRect().top : null;
            return [top(a.querySelector('h2')), top(a.querySelector('.summary .text')),
                    top(a.querySelector('.paper-links')), top(a.querySelector('details.abstract'))];
        })"""
    )
    assert len(order) == 10
    for title, summary, links, abstract in order:
        assert title < summary < links
        assert abstract is None or links < abstract
    # folded: the abstract's text takes no room until opened
    first = pg.locator("details.abstract").first
    assert not first.locator("> .text").is_visible()
    first.locator("> summary").click()
    assert first.locator("> .text").is_visible()


def test_expand_all_opens_and_folds_every_abstract(open_page: OpenPage, served_site: ServedSite) -> None:
    pg = open_page(served_site, viewport=PHONE)
    pg.goto(served_site.url("ko/" + ISSUE))
    button = pg.get_by_role("button", name="초록 모두 펼치기")
    assert button.is_visible()
    folded = pg.evaluate("document.documentElement.scrollHeight")
    button.click()
    assert pg.locator("details.abstract:not([open])").count() == 0
    assert pg.locator("details.abstract .text").nth(5).is_visible()
    assert pg.evaluate("document.documentElement.scrollHeight") > 2 * folded  # everything is there
    button = pg.get_by_role("button", name="초록 모두 접기")
    button.click()
    assert pg.locator("details.abstract[open]").count() == 0
    assert pg.get_by_role("button", name="초록 모두 펼치기").is_visible()
    assert watch_of(pg).clean(), watch_of(pg)


def test_without_script_the_abstracts_still_open(open_page: OpenPage, served_site: ServedSite) -> None:
    pg = open_page(served_site, viewport=PHONE, java_script_enabled=False)
    pg.goto(served_site.url("en/" + ISSUE))
    assert not pg.locator(".expand-all").is_visible()  # a button that could do nothing is not shown
    abstract = pg.locator("details.abstract").nth(2)
    assert not abstract.locator("> .text").is_visible()
    abstract.locator("> summary").click()
    assert abstract.locator("> .text").is_visible()


def test_abstract_is_open_on_the_papers_own_page(open_page: OpenPage, served_site: ServedSite) -> None:
    pg = open_page(served_site)
    pg.goto(served_site.url("ko/papers/chain-of-note-enhancing-robustness-in-retrieval-augmented-language-models/"))
    assert pg.locator("details.abstract[open] .text").is_visible()
    assert pg.locator("details.abstract .original").is_visible()
    assert "Retrieval-augmented language models (RALMs)" in pg.locator("details.abstract .original").inner_text()
    assert pg.locator(".expand-all").count() == 0


def test_paper_without_a_link_offers_a_search_for_its_title(open_page: OpenPage, served_site: ServedSite) -> None:
    pg = open_page(served_site)
    pg.goto(served_site.url("en/" + EMU))
    search = pg.get_by_role("link", name="Search arXiv")
    href = search.get_attribute("href")
    assert href is not None
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "arxiv.org", "/search/")
    assert parse_qs(parts.query)["query"] == ["Emu Video and Emu Edit"]
    assert search.is_visible()
    assert watch_of(pg).clean(), watch_of(pg)  # a link only: the page asks arXiv for nothing
    pg.goto(served_site.url("ko/" + ISSUE))
    assert pg.locator("#emu-video-and-emu-edit .paper-links a.link-search").inner_text() == "arXiv에서 찾기"


def test_table_of_contents_reaches_every_paper(open_page: OpenPage, served_site: ServedSite) -> None:
    pg = open_page(served_site, viewport=PHONE)
    pg.goto(served_site.url("ko/" + ISSUE))
    toc = pg.locator("nav.toc a")
    assert toc.count() == 10
    toc.nth(7).click()
    pg.wait_for_url("**#learning-to-filter-context-for-retrieval-augmented-generation")
    assert pg.locator("#learning-to-filter-context-for-retrieval-augmented-generation h2").is_visible()
