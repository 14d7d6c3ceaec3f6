"""Issue #15, point 3: both languages done right. English text is marked English and drawn with a
Latin font (a Korean font draws the backslash as ₩), Korean headings keep their own leading, the
math font is untouched, text shown in the other language is marked pending, and the notice falls
back language by language."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from browsing import ServedSite

if TYPE_CHECKING:  # playwright is imported when a browser test runs (it may be missing: the tests then skip)
    from playwright.sync_api import Page

ISSUE = "issues/2023-11-13/"
JARVIS = "papers/jarvis-1-open-world-multi-task-agents-with-memory-augmented-multimodal-language/"
PAGES = ["", ISSUE, JARVIS, "papers/", "tags/"]
KOREAN_FONTS = ("Apple SD Gothic Neo", "Malgun Gothic", "Noto Sans KR", "Noto Sans CJK KR", "NanumGothic")

OpenPage = Callable[..., "Page"]  # quoted: Page is imported for type checking only

# Elements whose own text is in one script but whose language (the nearest lang attribute) is the
# other: English words in a Korean element, or Hangul in an English one. Names that read the same
# in both editions (RSS, arXiv, PDF, BibTeX, a tag, a lone acronym) are not prose, so a run of
# three or more Latin words counts as English.
MISMARKED = """(lang) => {
  const hangul = /[\\uac00-\\ud7a3]/;
  const englishRun = /[A-Za-z][a-z]+[\\s,;:-]+[A-Za-z][a-z]+[\\s,;:-]+[A-Za-z][a-z]+/;
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('script, style, [hidden], .search-terms, math, code, pre')) continue;
    const text = node.textContent.trim();
    if (!text) continue;
    const marked = el.closest('[lang]').getAttribute('lang');
    if (marked === 'ko' && englishRun.test(text) && !hangul.test(text)) found.push(['en text marked ko', text.slice(0, 60)]);
    if (marked === 'en' && hangul.test(text)) found.push(['ko text marked en', text.slice(0, 60)]);
  }
  return found;
}"""


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_every_text_is_marked_with_its_language(
    open_page: OpenPage, served_site: ServedSite, lang: str, path: str
) -> None:
    pg = open_page(served_site)
    pg.goto(served_site.url(f"{lang}/{path}"))
    pg.locator("main details").evaluate_all("all => all.forEach(d => d.open = true)")
    assert pg.evaluate(MISMARKED, lang) == []


def test_english_text_in_korean_pages_takes_a_latin_font(open_page: OpenPage, served_site: ServedSite) -> None:
    pg = open_page(served_site)
    pg.goto(served_site.url("ko/" + JARVIS))
    english = pg.locator("details.abstract .original p", has_text="\\textit{self-improve}")
    assert english.count() == 1
    family = english.evaluate("p => getComputedStyle(p).fontFamily")
    first = family.split(",")[0].strip().strip('"')
    assert first not in KOREAN_FONTS and not any(font in family for font in KOREAN_FONTS), family
    korean = pg.locator("details.abstract > .text p").first.evaluate("p => getComputedStyle(p).fontFamily")
    assert korean.split(",")[0].strip().strip('"') in KOREAN_FONTS
    bibtex = pg.locator("pre.bibtex").evaluate("p => getComputedStyle(p).fontFamily")
    assert not any(font in bibtex.split(",")[0] for font in KOREAN_FONTS)


def test_korean_headings_keep_their_line_height_and_math_its_font(open_page: OpenPage, served_site: ServedSite) -> None:
    pg = open_page(served_site, viewport={"width": 390, "height": 844})
    pg.goto(served_site.url("ko/" + JARVIS))

    def ratio(selector: str) -> float:
        height, size = pg.locator(selector).first.evaluate(
            "e => [getComputedStyle(e).lineHeight, getComputedStyle(e).fontSize]"
        )
        return float(height.removesuffix("px")) / float(size.removesuffix("px"))

    assert ratio("h1") == pytest.approx(1.4, abs=0.01)
    assert ratio("h2") == pytest.approx(1.4, abs=0.01)
    assert ratio("details.abstract > .text p") == pytest.approx(1.8, abs=0.01)  # Korean prose: more leading
    math = pg.locator("details.abstract > .text math").first.evaluate("m => getComputedStyle(m).fontFamily")
    assert math.startswith("math"), math


def test_english_edition_marks_korean_text_as_pending(open_page: OpenPage, served_site: ServedSite) -> None:
    """The example issue has no English introduction: the Korean one is shown, folded under its mark."""
    pg = open_page(served_site)
    pg.goto(served_site.url("en/" + ISSUE))
    intro = pg.locator("section.intro details.pending")
    assert intro.get_attribute("lang") == "ko"
    mark = intro.locator("> summary.pending-mark")
    assert mark.is_visible() and mark.inner_text() == "Translation pending (shown in Korean)"
    assert mark.get_attribute("lang") == "en"
    mark.click()
    assert "이번 주에는" in intro.inner_text()


def test_notice_falls_back_language_by_language(open_page: OpenPage, served_site: ServedSite) -> None:
    """The example issue has its own Korean notice only: the English edition shows the site's English one."""
    pg = open_page(served_site)
    pg.goto(served_site.url("en/" + ISSUE))
    notice = pg.locator("aside.notice")
    assert "These summaries were written automatically" in notice.inner_text()
    assert notice.locator(".text").get_attribute("lang") == "en" and notice.locator(".pending-mark").count() == 0
    pg.goto(served_site.url("ko/" + ISSUE))
    notice = pg.locator("aside.notice")
    assert "GPT 모델로 자동 요약한" in notice.inner_text() and "These summaries" not in notice.inner_text()
