"""Search in the real browser: the search box on each edition, Korean and English queries,
highlighted results, and the recall of tests/fixtures/search/queries.yaml."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pytest

from browsing import SUBPATH, ServedSite, save_screenshot, served_project, watch_of
from helpers import Project, paper

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


def search(page: Page, site: ServedSite, lang: str, query: str, path: str = "") -> list[str]:
    page.goto(site.url(path or f"{lang}/"))
    box = page.get_by_role("searchbox")
    box.fill(query)  # types into the box: input events, as a reader
    page.wait_for_selector("#search-panel[aria-busy=false]:not([hidden])")
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
    assert page.locator(".search-count").inner_text().strip() == "No papers found."
    assert page.locator(".search-results li").count() == 0


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


# The results panel


def test_panel_lies_under_the_header_with_a_count_titles_weeks_and_excerpts(
    page: Page, served_site: ServedSite
) -> None:
    links = search(page, served_site, "en", "retrieval")
    panel = page.locator("#search-panel")
    assert page.locator("header #search-panel").count() == 0
    header, below = page.locator("header.site-header").bounding_box(), panel.bounding_box()
    assert header and below and below["y"] >= header["y"] + header["height"] - 1
    count = page.locator(".search-count").inner_text()
    total = int(count.split()[0])
    assert 1 < len(links) == min(total, 10) and count == f"{total} papers found"
    items = page.locator(".search-results li")
    for i in range(items.count()):
        item = items.nth(i)
        title = item.locator(".search-result-title").inner_text()
        week = item.locator("time").get_attribute("datetime")
        excerpt = item.locator(".search-result-excerpt").inner_text()
        assert week == "2023-11-13"
        assert not re.search(r"[\uac00-\ud7a3]", title), title  # the English title on the English edition
        href = item.locator("a").get_attribute("href") or ""
        assert "/en/" in href and "/ko/" not in href
        assert not excerpt.startswith(title) and excerpt
        for label in ("논문 소개", "논문 초록", "영어 원문", "Summary", "Abstract"):
            assert label not in excerpt, excerpt
    assert watch_of(page).clean(), watch_of(page)


def test_korean_edition_shows_korean_titles(page: Page, served_site: ServedSite) -> None:
    search(page, served_site, "ko", "retrieval")
    titles = page.locator(".search-result-title").all_inner_texts()
    assert titles and all(re.search(r"[\uac00-\ud7a3]", t) for t in titles), titles
    count = page.locator(".search-count").inner_text()
    assert count == f"검색 결과 {len(titles)}건", count


def test_an_introduction_is_found_and_leads_to_its_issue(page: Page, served_site: ServedSite) -> None:
    """ "RAG" is written only in the week's introduction."""
    links = search(page, served_site, "ko", "RAG")
    assert served_site.url("ko/issues/2023-11-13/") in [link.split("?")[0] for link in links]
    item = page.locator(".search-results li", has=page.locator('a[href*="/ko/issues/2023-11-13/"]'))
    assert "RAG" in item.locator("mark").all_inner_texts()
    assert "소개" in item.locator(".search-result-meta").inner_text()


def test_keyboard_moves_through_results_and_escape_closes(page: Page, served_site: ServedSite) -> None:
    links = search(page, served_site, "en", "language")
    assert len(links) >= 2
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.href") == links[0]
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.href") == links[1]
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "site-search-input"
    page.keyboard.press("Escape")
    assert page.locator("#search-panel").is_hidden()
    page.get_by_role("searchbox").press("Enter")  # searching again opens it
    page.wait_for_selector("#search-panel[aria-busy=false]:not([hidden])")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(links[0])


def test_close_button_closes_the_panel(page: Page, served_site: ServedSite) -> None:
    search(page, served_site, "ko", "모델")
    page.get_by_role("button", name="검색 결과 닫기").click()
    assert page.locator("#search-panel").is_hidden()
    assert page.evaluate("document.activeElement.id") == "site-search-input"


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_panel_fits_a_phone_and_is_styled_in_both_themes(
    browser: Browser, served_site: ServedSite, theme: Literal["light", "dark"]
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 320, "height": 640}, color_scheme=theme)
    page = context.new_page()
    search(page, served_site, "ko", "언어 모델")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    panel = page.locator("#search-panel")
    box = panel.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320
    field = page.get_by_role("searchbox").bounding_box()
    shown = page.evaluate(  # the placeholder's width in the box's font: it is not cut
        """() => { const i = document.getElementById('site-search-input'), c = document.createElement('canvas').getContext('2d');
                   c.font = getComputedStyle(i).font; return c.measureText(i.placeholder).width; }"""
    )
    assert field and field["width"] >= shown + 20
    colors = page.evaluate(
        "() => [getComputedStyle(document.getElementById('search-panel')).backgroundColor,"
        " getComputedStyle(document.body).color]"
    )
    assert colors[0] != "rgba(0, 0, 0, 0)"
    assert (colors[1] == "rgb(228, 230, 234)") == (theme == "dark")
    assert page.locator(".search-results li").count() <= 10
    violations = Axe().run(page, context={"include": [["#search-panel"], ["form.site-search"]]}).response["violations"]
    serious = [
        f"{v['id']}: {[n['target'] for n in v['nodes']][:3]} {[n.get('failureSummary') for n in v['nodes']][:1]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    save_screenshot(page, f"search-panel-320-{theme}")
    context.close()


def test_without_javascript_the_box_is_hidden_and_the_paper_index_is_linked(
    browser: Browser, served_site: ServedSite
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served_site.url("en/"))
    assert page.get_by_role("searchbox").count() == 0 or not page.get_by_role("searchbox").is_visible()
    assert page.locator("#search-panel").is_hidden()
    assert page.locator(f'nav a[href="{SUBPATH}en/papers/"]').is_visible()
    context.close()


@pytest.fixture(scope="module")
def many_papers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """Two weeks of twelve papers that all say "transformer"."""
    project = Project(tmp_path_factory.mktemp("many"))
    for w, week in enumerate(["2023-11-06", "2023-11-13"]):
        papers = [
            paper(100 * w + i, summary={"ko": f"트랜스포머 요약 {i}", "en": f"A transformer summary {i}"})
            for i in range(12)
        ]
        project.add_issue(week, papers=papers)
    with served_project(project) as site:
        yield site


def test_ten_results_then_more(page: Page, many_papers: ServedSite) -> None:
    search(page, many_papers, "en", "transformer")
    assert page.locator(".search-count").inner_text() == "24 papers found"
    assert page.locator(".search-results li").count() == 10
    weeks = set(page.locator(".search-results time").all_inner_texts())
    assert weeks <= {"2023-11-06", "2023-11-13"}
    more = page.get_by_role("button", name="More results")
    more.click()
    page.wait_for_function("() => document.querySelectorAll('.search-results li').length === 20")
    assert (
        page.evaluate("document.activeElement.textContent") == page.locator(".search-results li a").nth(10).inner_text()
    )
    more.click()
    page.wait_for_function("() => document.querySelectorAll('.search-results li').length === 24")
    assert more.is_hidden()
    assert len(set(page.locator(".search-results li a").evaluate_all("as => as.map(a => a.href)"))) == 24


# Older weeks: searched when a query finds less than a page in the newest, or when the reader asks

TIERED_WEEKS = {"2019-03-04": 3, "2023-05-01": 3, "2024-03-04": 3, "2024-12-16": 6, "2024-12-23": 6}
"""Papers that say "transformer", by week: the newest month's two shards (its newest week, and the
rest of December 2024) hold 12 of them; the others are in the shards of 2024, 2023 and before 2022
(search.shard_of)."""


@pytest.fixture(scope="module")
def tiered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServedSite, list[str]]]:
    """Weeks over six years, so that the index has five shards; and a log of the paths served."""
    project = Project(tmp_path_factory.mktemp("tiered"))
    for w, (week, count) in enumerate(TIERED_WEEKS.items()):
        papers = [
            paper(100 * w + i, summary={"ko": f"트랜스포머 요약 {i}", "en": f"A transformer summary {i}"})
            for i in range(count)
        ]
        if week == "2019-03-04":
            papers.append(paper(999, summary={"ko": "오리너구리 이야기", "en": "About the platypus"}))
        project.add_issue(week, papers=papers)
    log = list[str]()
    with served_project(project, log) as site:
        yield site, log


def searched_shards(site: ServedSite, log: list[str]) -> list[str]:
    """The shards (the oldest week of each) that were searched, newest first: those whose metadata
    Pagefind fetched (it searches every shard merged into it)."""
    merged = {path.split("/")[3] for path in log if path.endswith(".pf_meta")}
    shards = json.loads((site.root / "pagefind" / "shards.json").read_bytes())
    return [shard["from"] for shard in shards if shard["folder"] in merged]


def test_a_common_word_searches_the_newest_weeks_and_says_so_then_older_ones_on_request(
    open_page: Callable[..., Page], tiered: tuple[ServedSite, list[str]]
) -> None:
    site, log = tiered
    page = open_page(site)
    log.clear()
    search(page, site, "en", "transformer")
    assert searched_shards(site, log) == ["2024-12-23", "2024-12-16"]
    assert page.locator(".search-count").inner_text() == "12 papers found since 2024-12-16"
    assert page.locator(".search-results li").count() == 10
    assert set(page.locator(".search-results time").all_inner_texts()) <= {"2024-12-16", "2024-12-23"}
    older = page.get_by_role("button", name="Search older weeks too")
    assert older.is_visible()
    older.click()
    page.wait_for_function("() => document.querySelector('.search-count').textContent === '21 papers found'")
    page.wait_for_selector("#search-panel[aria-busy=false]")
    assert searched_shards(site, log) == ["2024-12-23", "2024-12-16", "2024-03-04", "2023-05-01", "2019-03-04"]
    assert older.is_hidden()
    assert page.evaluate("document.activeElement.className") == "search-result-title"
    # The panel's results, all of them, are those of the whole index.
    found = page.evaluate("window.digestgenSearch.run('transformer', 100)")
    assert found["count"] == 21 and found["since"] == ""
    assert watch_of(page).clean(), watch_of(page)


@pytest.mark.parametrize(("lang", "query"), [("en", "platypus"), ("ko", "오리너구리"), ("en", "zzqqxx")])
def test_a_rare_word_searches_older_weeks_until_it_is_found(
    open_page: Callable[..., Page], tiered: tuple[ServedSite, list[str]], lang: str, query: str
) -> None:
    """Less than a page of results in the newest weeks: the next older shard is searched, and so
    on to the oldest; the count is then of the whole index and says no week."""
    site, log = tiered
    page = open_page(site)
    log.clear()
    links = search(page, site, lang, query)
    assert searched_shards(site, log) == ["2024-12-23", "2024-12-16", "2024-03-04", "2023-05-01", "2019-03-04"]
    count = page.locator(".search-count").inner_text()
    if query == "zzqqxx":
        assert count == "No papers found." and not links
    else:
        assert count in ("1 paper found", "검색 결과 1건")
        assert [link.split("?")[0] for link in links] == [site.url(f"{lang}/papers/paper-number-999/")]
    assert page.get_by_role("button", name=re.compile("older|이전")).is_hidden()
    assert watch_of(page).clean(), watch_of(page)


def test_a_syllable_being_composed_does_not_send_the_search_to_older_weeks(
    open_page: Callable[..., Page], tiered: tuple[ServedSite, list[str]]
) -> None:
    """A Korean input method reports each keystroke of a syllable as it is composed (`오리너ㄱ`):
    such a query, which finds nothing yet, is searched in the weeks already loaded and says so,
    instead of downloading every older year; when the composition ends, the search widens as usual."""
    site, log = tiered
    page = open_page(site)
    page.goto(site.url("ko/"))
    page.wait_for_function("() => window.digestgenSearch")
    log.clear()
    page.evaluate(
        """() => { const box = document.getElementById('site-search-input'); box.value = '오리너ㄱ';
                   box.dispatchEvent(new InputEvent('input', { bubbles: true, isComposing: true })); }"""
    )
    page.wait_for_selector("#search-panel[aria-busy=false]:not([hidden])")
    assert page.locator(".search-count").inner_text() == "2024-12-16 이후에는 찾는 논문이 없습니다."
    assert searched_shards(site, log) == ["2024-12-23", "2024-12-16"]
    assert page.get_by_role("button", name="이전 주도 검색").is_visible()
    page.evaluate(
        """() => { const box = document.getElementById('site-search-input'); box.value = '오리너구리';
                   box.dispatchEvent(new CompositionEvent('compositionend', { bubbles: true, data: '리' })); }"""
    )
    page.wait_for_function("() => document.querySelector('.search-count').textContent === '검색 결과 1건'")
    assert searched_shards(site, log) == ["2024-12-23", "2024-12-16", "2024-03-04", "2023-05-01", "2019-03-04"]
    assert watch_of(page).clean(), watch_of(page)
