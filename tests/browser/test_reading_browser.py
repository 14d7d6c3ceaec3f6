"""The reading experience in a real browser: toggles that are remembered, themes, phones, math,
accessibility (axe-core) and screenshots for people to look at."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from browsing import ARTIFACTS, ServedSite, save_screenshot, watch_of

if TYPE_CHECKING:  # playwright is imported when a browser test runs (it may be missing: the tests then skip)
    from playwright.sync_api import Page

ISSUE = "issues/2023-11-13/"
JARVIS = "papers/jarvis-1-open-world-multi-task-agents-with-memory-augmented-multimodal-language/"
PAGE_TYPES = {"home": "", "issue": ISSUE, "paper": JARVIS, "index": "papers/"}
ALL_PAGES = ["", *(f"{lang}/{path}" for lang in ("ko", "en") for path in PAGE_TYPES.values())]

OpenPage = Callable[..., "Page"]  # quoted: Page is imported for type checking only


def background(pg: Page) -> str:
    return str(pg.evaluate("getComputedStyle(document.documentElement).backgroundColor"))


def is_dark(pg: Page) -> bool:
    red, green, blue = (int(x) for x in background(pg).removeprefix("rgb(").rstrip(")").split(", ")[:3])
    return red + green + blue < 3 * 128


def test_language_switch_on_an_issue_keeps_the_paper_anchor_page(open_page: OpenPage, served_site: ServedSite) -> None:
    pg = open_page(served_site)
    pg.goto(served_site.url("en/" + ISSUE))
    switch = pg.locator("a.lang-switch")
    assert switch.get_attribute("lang") == "ko" and switch.inner_text() == "한국어"
    switch.click()
    pg.wait_for_url(served_site.url("ko/" + ISSUE))
    assert pg.locator("html").get_attribute("lang") == "ko"


def test_english_originals_toggle_hides_shows_and_is_remembered(open_page: OpenPage, served_site: ServedSite) -> None:
    pg = open_page(served_site)
    pg.goto(served_site.url("ko/" + ISSUE))
    originals = pg.locator(".original")
    assert originals.count() > 10 and originals.first.is_visible()
    toggle = pg.get_by_role("button", name="영어 원문 표시")
    assert toggle.get_attribute("aria-pressed") == "true"
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "false"
    assert not originals.first.is_visible() and not pg.locator(".original-title").first.is_visible()
    assert pg.locator(".paper .summary .text").first.is_visible()  # the Korean stays

    pg.click(f"a[href$='{JARVIS}']")  # next page: still hidden
    pg.wait_for_url(served_site.url("ko/" + JARVIS))
    assert not pg.locator(".original").first.is_visible()
    toggle = pg.get_by_role("button", name="영어 원문 표시")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.press("Enter")  # keyboard works too
    assert pg.locator(".original").first.is_visible()
    pg.reload()
    assert pg.locator(".original").first.is_visible()
    assert watch_of(pg).clean(), watch_of(pg)


def test_without_script_everything_is_visible_and_no_dead_controls(
    open_page: OpenPage, served_site: ServedSite
) -> None:
    pg = open_page(served_site, java_script_enabled=False)
    pg.goto(served_site.url("ko/" + ISSUE))
    assert pg.locator(".original").first.is_visible()
    assert pg.locator(".original-title").first.is_visible()
    assert not pg.locator(".controls").is_visible()  # buttons that could do nothing are not shown


def test_dark_mode_follows_the_system(open_page: OpenPage, served_site: ServedSite) -> None:
    from playwright.sync_api import expect  # imported here: without playwright the fixtures skip with the reason

    pg = open_page(served_site, color_scheme="dark")
    pg.goto(served_site.url("ko/"))
    assert is_dark(pg)
    assert pg.get_by_role("button", name="어두운 테마").get_attribute("aria-pressed") == "true"
    pg.emulate_media(color_scheme="light")  # the system changes: so does the page, and the button's state
    assert not is_dark(pg)
    expect(pg.get_by_role("button", name="어두운 테마")).to_have_attribute("aria-pressed", "false")  # event is async
    pg.emulate_media(color_scheme="dark")
    expect(pg.get_by_role("button", name="어두운 테마")).to_have_attribute("aria-pressed", "true")
    pg.get_by_role("button", name="어두운 테마").click()  # the reader prefers light on a dark system
    pg.goto(served_site.url("en/papers/"))
    assert not is_dark(pg)
    assert pg.get_by_role("button", name="Dark theme").get_attribute("aria-pressed") == "false"
    light = open_page(served_site, color_scheme="light")
    light.goto(served_site.url("ko/"))
    assert not is_dark(light)


def test_dark_mode_toggle_is_remembered(open_page: OpenPage, served_site: ServedSite) -> None:
    pg = open_page(served_site, color_scheme="light")
    pg.goto(served_site.url("en/" + ISSUE))
    toggle = pg.get_by_role("button", name="Dark theme")
    assert toggle.get_attribute("aria-pressed") == "false" and not is_dark(pg)
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true" and is_dark(pg)
    pg.goto(served_site.url("ko/papers/"))  # another page, the other edition: still dark
    assert is_dark(pg)
    pg.get_by_role("button", name="어두운 테마").click()
    pg.goto(served_site.url("ko/"))
    assert not is_dark(pg)
    assert watch_of(pg).clean(), watch_of(pg)


@pytest.mark.parametrize("path", ALL_PAGES)
def test_no_horizontal_scrolling_at_320px(open_page: OpenPage, served_site: ServedSite, path: str) -> None:
    pg = open_page(served_site, viewport={"width": 320, "height": 640})
    pg.goto(served_site.url(path))
    width = pg.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{path}: page is {width}px wide"
    assert watch_of(pg).clean(), watch_of(pg)


@pytest.mark.parametrize(
    "path", ["en/", "ko/issues/2023-11-13/", "en/papers/p1-pending/", "ko/papers/p1-pending/", "ko/papers/"]
)
def test_sample_pages_load_cleanly(open_page: OpenPage, served_sample: ServedSite, path: str) -> None:
    pg = open_page(served_sample, viewport={"width": 320, "height": 640})
    pg.goto(served_sample.url(path), wait_until="networkidle")
    assert watch_of(pg).clean(), watch_of(pg)
    assert pg.evaluate("document.documentElement.scrollWidth") <= 320


def test_pending_translation_is_marked_visibly(open_page: OpenPage, served_sample: ServedSite) -> None:
    pg = open_page(served_sample)
    pg.goto(served_sample.url("ko/issues/2023-11-13/"))
    article = pg.locator("#p1-pending")
    marks = article.locator(".pending-mark")
    assert marks.count() == 2  # title and summary
    for i in range(2):
        assert marks.nth(i).is_visible() and marks.nth(i).inner_text() == "번역 준비 중 (영어로 표시)"
    assert "An English summary" in article.locator(".summary").inner_text()


def test_issue_and_paper_navigation(open_page: OpenPage, served_sample: ServedSite) -> None:
    pg = open_page(served_sample)
    pg.goto(served_sample.url("en/issues/2023-11-13/"))
    pg.get_by_role("link", name="Newer issue").click()
    pg.wait_for_url(served_sample.url("en/issues/2023-11-20/"))
    pg.locator("a[rel=prev]").click()
    pg.wait_for_url(served_sample.url("en/issues/2023-11-13/"))
    pg.locator(".toc a").nth(1).click()  # table of contents → the paper's anchor
    pg.wait_for_url(served_sample.url("en/issues/2023-11-13/#p1-pending"))
    assert pg.locator("#p1-pending .permalink").is_visible()
    pg.locator("#p1-pending .paper-page a").click()
    pg.wait_for_url(served_sample.url("en/papers/p1-pending/"))
    pg.locator("a[rel=next]").click()  # neighbour in the issue
    pg.wait_for_url(served_sample.url("en/papers/p1-last/"))
    assert (pg.locator("a[rel=prev]").get_attribute("href") or "").endswith("/en/papers/p1-pending/")
    assert pg.locator("a[rel=next]").count() == 0
    pg.get_by_role("link", name="All papers of this week").click()
    pg.wait_for_url(served_sample.url("en/issues/2023-11-13/#p1-last"))


def test_seed_math_renders_as_mathml_with_a_size(open_page: OpenPage, served_site: ServedSite) -> None:
    pg = open_page(served_site)
    pg.goto(served_site.url("ko/" + JARVIS))
    math = pg.locator(".abstract math")
    assert math.count() == 1 and "자기" in (math.text_content() or "")
    box = math.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0
    assert "\\textit{self-improve}" in pg.locator(".abstract .original").inner_text()


def test_keyboard_reaches_skip_link_and_controls(open_page: OpenPage, served_site: ServedSite) -> None:
    pg = open_page(served_site)
    pg.goto(served_site.url("ko/" + ISSUE))
    pg.keyboard.press("Tab")
    focused = pg.evaluate("document.activeElement.className")
    assert focused == "skip-link" and pg.locator(".skip-link").is_visible()
    outline = pg.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # visible focus
    names = []
    for _ in range(
        10
    ):  # title, six menu links (the example's About page is one), the search box, then the two controls
        pg.keyboard.press("Tab")
        names.append(
            pg.evaluate(
                "(e => e.tagName === 'INPUT' ? 'input:' + e.type : e.textContent.trim())(document.activeElement)"
            )
        )
    assert names[-3:] == ["input:search", "영어 원문 표시", "어두운 테마"], names
    pg.keyboard.press("Space")  # the theme button works from the keyboard
    assert pg.locator("html").get_attribute("data-theme") == "dark"
    for _ in range(10):
        pg.keyboard.press("Shift+Tab")
    assert pg.evaluate("document.activeElement.className") == "skip-link"
    pg.keyboard.press("Enter")
    assert pg.evaluate("location.hash") == "#main"


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_axe_finds_no_serious_violations(
    open_page: OpenPage, served_site: ServedSite, kind: str, lang: str, theme: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    pg = open_page(served_site, color_scheme=theme)
    pg.goto(served_site.url(f"{lang}/{PAGE_TYPES[kind]}"))
    assert is_dark(pg) == (theme == "dark")
    violations = Axe().run(pg).response["violations"]
    serious = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


@pytest.mark.parametrize(("theme", "width"), [("light", 1280), ("dark", 320)])
def test_axe_on_the_sample_with_pending_and_math_errors(
    open_page: OpenPage, served_sample: ServedSite, theme: str, width: int
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    pg = open_page(served_sample, color_scheme=theme, viewport={"width": width, "height": 800})
    pg.goto(served_sample.url("ko/issues/2023-11-13/"))
    violations = Axe().run(pg).response["violations"]
    assert [
        (v["id"], [n["target"] for n in v["nodes"]]) for v in violations if v["impact"] in ("serious", "critical")
    ] == []


@pytest.mark.parametrize(
    ("device", "viewport"), [("phone", {"width": 375, "height": 812}), ("desktop", {"width": 1280, "height": 900})]
)
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_issue_page_screenshots(
    open_page: OpenPage, served_site: ServedSite, device: str, viewport: dict[str, int], theme: str
) -> None:
    pg = open_page(served_site, viewport=viewport, color_scheme=theme)
    pg.goto(served_site.url("ko/" + ISSUE), wait_until="networkidle")
    path = save_screenshot(pg, f"issue-ko-{device}-{theme}")
    assert path.stat().st_size > 10_000
    # The whole page is too tall to look at on one screen: also the first screen, and a paper with math.
    pg.screenshot(path=str(ARTIFACTS / f"issue-ko-{device}-{theme}-top.png"))
    pg.locator("article.paper").nth(6).locator(".abstract").scroll_into_view_if_needed()
    pg.screenshot(path=str(ARTIFACTS / f"issue-ko-{device}-{theme}-math.png"))
    assert watch_of(pg).clean(), watch_of(pg)


def test_print_shows_the_issue_without_site_chrome(open_page: OpenPage, served_site: ServedSite) -> None:
    pg = open_page(served_site, color_scheme="dark")
    pg.goto(served_site.url("ko/" + ISSUE))
    pg.emulate_media(media="print")
    assert not is_dark(pg)  # ink on paper, whatever the screen theme
    for chrome in (".site-header", ".site-footer", ".controls", "nav.toc", ".permalink"):
        assert not pg.locator(chrome).first.is_visible(), chrome
    assert pg.locator("article.paper:visible").count() == 10
    assert pg.locator(".original").first.is_visible()
    after = pg.evaluate("getComputedStyle(document.querySelector('.paper-links a.link-tweet'), '::after').content")
    assert "https://x.com/" in after  # printed links say where they go
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "issue-ko-print.pdf"
    pg.pdf(path=str(pdf))
    assert pdf.stat().st_size > 10_000


def test_english_edition_toggle_hides_korean_titles(open_page: OpenPage, served_site: ServedSite) -> None:
    pg = open_page(served_site)
    pg.goto(served_site.url("en/papers/"))
    korean = pg.locator("span.original-title[lang=ko]")
    assert korean.count() == 10 and korean.first.is_visible()
    pg.get_by_role("button", name="Show Korean titles").click()
    assert not korean.first.is_visible()
    assert pg.locator(".paper-list a").first.is_visible()


def test_korean_typography_with_system_fonts(open_page: OpenPage, served_site: ServedSite) -> None:
    pg = open_page(served_site, viewport={"width": 1280, "height": 900})
    pg.goto(served_site.url("ko/" + ISSUE))
    korean = pg.locator(".summary .text[lang=ko] p").first
    style = korean.evaluate(
        "p => { const s = getComputedStyle(p); return [s.wordBreak, s.lineHeight, s.fontSize,"
        " s.fontFamily, p.getBoundingClientRect().width]; }"
    )
    word_break, line_height, font_size, family, width = style
    assert word_break == "keep-all"
    assert 1.7 <= float(line_height.removesuffix("px")) / float(font_size.removesuffix("px")) <= 1.9
    assert "Noto Sans KR" in family and "NanumGothic" in family
    assert width <= 45 * 17  # a comfortable measure on a wide screen
    assert pg.evaluate("document.fonts.size") == 0  # no web fonts declared, none downloaded
