"""Search in the real browser: the search box on each edition, Korean and English queries,
highlighted results, and the recall of tests/fixtures/search/queries.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from browsing import ServedSite, save_screenshot, watch_of

if TYPE_CHECKING:  # playwright is imported when a browser test runs (it may be missing: the tests then skip)
    from playwright.sync_api import Browser, Page

FILCO = "learning-to-filter-context-for-retrieval-augmented-generation"
CON = "chain-of-note-enhancing-robustness-in-retrieval-augmented-language-models"
QUERIES = [
    ("ko", "검색증강생성", FILCO, "검색 증강 생성"),  # spaced in the text, joined in the query
    ("ko", "Chain of Note", CON, "Chain"),  # the English title, from the Korean edition
    ("en", "견고성을", CON, "견고성"),  # Korean with a particle, from the English edition
    ("en", "retrieval-augmented generation", FILCO, "Retrieval-Augmented"),
]


def search(page: Page, site: ServedSite, lang: str, query: str) -> list[str]:
    page.goto(site.url(f"{lang}/"))
    box = page.get_by_role("searchbox")
    box.fill(query)  # types into the box: input events, as a reader
    page.wait_for_selector(".search-results li, .search-results p")
    links: list[str] = page.eval_on_selector_all(".search-results li > a", "links => links.map(a => a.href)")
    return links


@pytest.mark.parametrize(("lang", "query", "paper", "marked"), QUERIES)
def test_query_finds_the_paper_in_each_edition(
    page: Page, served_site: ServedSite, lang: str, query: str, paper: str, marked: str
) -> None:
    links = search(page, served_site, lang, query)
    expected = served_site.url(f"{lang}/papers/{paper}/")
    assert any(link.split("?")[0] == expected for link in links), links
    item = page.locator(".search-results li", has=page.locator(f'a[href*="/{lang}/papers/{paper}/"]'))
    marks = item.locator("mark").all_inner_texts()
    assert marked.lower() in {m.lower() for m in marks}, marks
    assert "\u2042" not in item.inner_text()  # the hidden word parts are never shown
    save_screenshot(page, f"search-{lang}-{paper[:20]}")
    assert watch_of(page).clean(), watch_of(page)


def test_result_opens_the_paper_with_the_words_marked(page: Page, served_site: ServedSite) -> None:
    search(page, served_site, "ko", "견고성을")
    page.locator(f'.search-results a[href*="/ko/papers/{CON}/"]').click()
    page.wait_for_url(served_site.url(f"ko/papers/{CON}/") + "?q=*")
    marks = page.locator("main mark").all_inner_texts()
    assert marks and set(marks) == {"견고성"}
    assert page.locator("[data-search-terms] mark").count() == 0


def test_no_results_says_so(page: Page, served_site: ServedSite) -> None:
    search(page, served_site, "en", "zzqqxx")
    assert page.locator(".search-results").inner_text().strip() == "No papers found."


@pytest.mark.parametrize(
    ("lang", "query", "absent"),
    [
        ("en", "language", ["Papers of the Week", "Read more", "Next paper"]),
        ("ko", "언어", ["이번 주의 주요 ML 논문", "더 읽어보기", "다음 논문"]),
    ],
)
def test_issue_title_and_link_labels_are_not_indexed(
    page: Page, served_site: ServedSite, lang: str, query: str, absent: list[str]
) -> None:
    """They are on every paper page (search.NOT_INDEXED): they would match everything and fill excerpts;
    the next paper's title would make a page match another paper's title."""
    page.goto(served_site.url(f"{lang}/"))
    found = page.evaluate("q => window.digestgenSearch.run(q, 100)", query)
    assert len(found["results"]) >= 5
    for result in found["results"]:
        assert not any(text in result["content"] for text in absent), result["content"][:200]


def test_bibtex_copy_button(browser: Browser, served_site: ServedSite) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(served_site.url(f"en/papers/{CON}/"))
    page.get_by_role("button", name="Copy").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(f"@misc{{{CON},") and copied.endswith("}\n")
    context.close()


def test_recall_of_every_query_in_both_editions(tmp_path: Path, browser: Browser) -> None:
    """The recall table of the README, measured: every query finds its papers; plain Pagefind
    does not (the gap is real)."""
    import search_recall

    results = search_recall.measure(tmp_path, browser)
    ours = {key: search_recall.misses(found) for key, found in results.items() if key[0] == "digestgen"}
    assert all(not missed for missed in ours.values()), ours
    assert search_recall.recall(results[("plain", "en", "ko")]) < 1
    assert search_recall.recall(results[("plain", "ko", "ko")]) < 1


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("모델이", "모델"),
        ("모델에서는", "모델"),
        ("에이전트가", "에이전트"),
        ("아이", "아이"),
        ("결과", "결과"),
        ("생성", "생성"),
        ("GPT-4", "gpt-4"),
    ],
)
def test_query_words_lose_their_particles(page: Page, served_site: ServedSite, word: str, stem: str) -> None:
    page.goto(served_site.url("ko/"))
    assert page.evaluate("w => window.digestgenSearch.prepare(w)", word) == [stem]


@pytest.mark.parametrize(
    "path", ["ko/", "en/papers/", "ko/issues/2023-11-13/", f"en/papers/{CON}/", "ko/tags/", "en/tags/"]
)
def test_search_box_shows_on_every_page_type_without_errors(page: Page, served_site: ServedSite, path: str) -> None:
    page.goto(served_site.url(path), wait_until="networkidle")
    assert page.get_by_role("searchbox").is_visible()
    assert watch_of(page).clean(), watch_of(page)
