"""The reading experience in the built HTML: bilingual blocks, labels in the page's language,
anchors, table of contents, neighbours, seed math and emoji, and the controls' no-script state.
(The same things driven in a browser: tests/browser/test_reading_browser.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from digestgen.build import build
from digestgen.config import load_config
from helpers import REPO, Project, add_sample_issues

JARVIS = "jarvis-1-open-world-multi-task-agents-with-memory-augmented-multimodal-language"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = Project(tmp_path_factory.mktemp("reading"))
    add_sample_issues(project)
    result = build(project.config())
    assert len(result.warnings) == 3  # one broken formula per week, reported once though shown on many pages
    return project.output


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed") / "_site"
    result = build(load_config(REPO / "site.yaml").override(output_dir=out))
    assert result.warnings == ()
    return out


def soup_of(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html5lib")


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        ("ko", ["논문", "PDF", "code", "더 읽어보기", "원문"]),
        ("en", ["Paper", "PDF", "code", "Read more", "Original post"]),
    ],
)
def test_links_out_are_labelled_in_the_page_language(sample: Path, lang: str, labels: list[str]) -> None:
    soup = soup_of(sample, f"{lang}/issues/2023-11-13")
    first = soup.find("article", id="p1-first")
    found = [a.get_text() for a in first.select(".paper-links a")] + [soup.find("a", class_="link-source").get_text()]
    assert found == labels
    assert [a["href"] for a in first.select(".paper-links a")] == [
        "https://arxiv.org/abs/2311.00001",
        "https://arxiv.org/pdf/2311.00001",
        "https://github.com/example/code",
        "https://x.com/example/status/1",
    ]
    assert soup.find("iframe") is None and not soup.find_all("script", src=lambda s: s and "//" in s)


def test_issue_has_a_table_of_contents_and_visible_permalinks(sample: Path) -> None:
    soup = soup_of(sample, "ko/issues/2023-11-13")
    toc = [a["href"] for a in soup.select("nav.toc a")]
    assert toc == ["#p1-first", "#p1-pending", "#p1-last"]
    for anchor in toc:
        article = soup.find("article", id=anchor[1:])
        permalink = article.find("a", class_="permalink")
        assert permalink["href"] == anchor and permalink.get_text() == "#" and permalink["aria-label"]


def test_issue_links_to_older_and_newer_issues(sample: Path) -> None:
    middle = soup_of(sample, "en/issues/2023-11-13")
    assert middle.find("a", rel="prev")["href"] == "/digest/en/issues/2023-11-06/"
    assert middle.find("a", rel="next")["href"] == "/digest/en/issues/2023-11-20/"
    assert soup_of(sample, "en/issues/2023-11-20").find("a", rel="next") is None
    assert soup_of(sample, "en/issues/2023-11-06").find("a", rel="prev") is None


def test_paper_page_links_to_its_issue_and_neighbours(sample: Path) -> None:
    middle = soup_of(sample, "ko/papers/p1-pending")
    assert middle.select_one(".in-issue a")["href"] == "/digest/ko/issues/2023-11-13/"
    pager = middle.find("nav", class_="paper-pager")
    assert pager.find("a", rel="prev")["href"] == "/digest/ko/papers/p1-first/"
    assert pager.find("a", rel="next")["href"] == "/digest/ko/papers/p1-last/"
    assert "논문 11" in pager.find("a", rel="prev").get_text()
    first = soup_of(sample, "ko/papers/p1-first").find("nav", class_="paper-pager")
    assert (
        first.find("a", rel="prev") is None and first.find("a", rel="next")["href"] == "/digest/ko/papers/p1-pending/"
    )
    last = soup_of(sample, "en/papers/p1-last").find("nav", class_="paper-pager")
    assert last.find("a", rel="next") is None and last.find("a", rel="prev")["href"] == "/digest/en/papers/p1-pending/"
    # the pending paper's title is English, and says so, in the Korean neighbour link
    assert (
        soup_of(sample, "ko/papers/p1-last").find("a", rel="prev").find(lang="en").get_text() == "Only English so far"
    )


def test_pending_korean_is_marked_not_empty(sample: Path) -> None:
    article = soup_of(sample, "ko/issues/2023-11-13").find("article", id="p1-pending")
    assert [m.get_text() for m in article.find_all(class_="pending-mark")] == ["번역 준비 중 (영어로 표시)"] * 2
    summary = article.find("section", class_="summary").find("div", class_="text")
    assert summary["lang"] == "en" and "An English summary" in summary.get_text()


def test_korean_emphasis_in_the_intro(sample: Path) -> None:
    intro = soup_of(sample, "ko/issues/2023-11-13").find("section", class_="intro")
    assert intro.find("strong").get_text() == "소개(intro)" and "**" not in intro.get_text()
    assert "😄" in intro.get_text()


def test_controls_are_named_buttons_in_both_editions(seed: Path) -> None:
    for lang, names in (("ko", ["영어 원문 표시", "어두운 테마"]), ("en", ["Show Korean titles", "Dark theme"])):
        soup = soup_of(seed, f"{lang}/papers")
        buttons = soup.select("header .controls button")
        assert [b.get_text() for b in buttons] == names
        assert all(b["type"] == "button" and b["aria-pressed"] in ("true", "false") for b in buttons)
        # the page is complete before any script: no element starts hidden, originals are there
        assert soup.select_one("[hidden]") is None and soup.find("html").get("data-originals") is None


def test_seed_math_and_emoji(seed: Path) -> None:
    soup = soup_of(seed, f"ko/papers/{JARVIS}")
    abstract = soup.find("details", class_="abstract")
    korean, english = abstract.find("div", class_="text"), abstract.find("details", class_="original")
    assert english.has_attr("open")  # a paper's page shows everything
    assert korean.find("math").get_text() == "자기\xa0개선"
    assert english.find("math") is None and "\\textit{self-improve}" in english.get_text()
    notice = soup_of(seed, "ko/issues/2023-11-13").find("aside", class_="notice")
    assert "😄" in notice.get_text() and "🙇\u200d♂️" in notice.get_text() and ":smile:" not in notice.get_text()


def test_stylesheet_has_korean_typography_themes_and_print(seed: Path) -> None:
    css = (seed / "static" / "style.css").read_text(encoding="utf-8")
    assert "word-break: keep-all" in css and "@media print" in css
    assert "(prefers-color-scheme: dark)" in css and ':root[data-theme="dark"]' in css
    assert "@import" not in css and "url(" not in css  # no web fonts, nothing fetched
