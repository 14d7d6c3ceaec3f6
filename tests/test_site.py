"""End to end: build the repository's own content and check the real output."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup, Tag

from digestgen.build import build
from digestgen.config import load_config
from helpers import FIXTURES, REPO, snapshot

BASE = "https://example.org/digest/"


def seed_titles() -> list[tuple[str, str]]:
    """(Korean, English) title of every paper of the seed post, read from the post itself."""
    lines = (FIXTURES / "seed.txt").read_text(encoding="utf-8").splitlines()
    titles = []
    for i, line in enumerate(lines):
        if " / " in line and i + 2 < len(lines) and lines[i + 2].strip() == "논문 소개":
            ko, en = re.sub(r"^#+", "", line.strip()).split(" / ", 1)
            titles.append((ko.strip(), en.strip()))
    return titles


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "_site"
    build(load_config(REPO / "site.yaml").override(output_dir=out))
    return out


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html5lib")


def texts_in_lang(soup: BeautifulSoup, lang: str) -> set[str]:
    """Text of every element whose nearest lang attribute is ``lang``."""
    found = set()
    for element in soup.find_all(True):
        nearest = element if element.has_attr("lang") else element.find_parent(attrs={"lang": True})
        if isinstance(nearest, Tag) and nearest["lang"] == lang:
            found.add(" ".join(element.get_text(" ").split()))
    return found


def test_seed_has_ten_papers() -> None:
    assert len(seed_titles()) == 10


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_issue_page_has_every_title_in_its_language(site: Path, lang: str) -> None:
    soup = page(site, f"{lang}/issues/2023-11-13")
    assert soup.html["lang"] == lang
    korean, english = texts_in_lang(soup, "ko"), texts_in_lang(soup, "en")
    for ko, en in seed_titles():
        assert ko in korean, ko
        assert en in english, en


def test_korean_edition_reads_like_the_seed(site: Path) -> None:
    """Each Korean block is followed by its English original (folded on the issue's page)."""
    soup = page(site, "ko/issues/2023-11-13")
    article = soup.find("article", id="chain-of-note-enhancing-robustness-in-retrieval-augmented-language-models")
    summary = article.find("section", class_="summary")
    blocks = list(summary.find_all(["div", "details"], recursive=False))
    assert [(b.name, b["lang"]) for b in blocks] == [("div", "ko"), ("details", "en")]
    assert not blocks[1].has_attr("open")
    assert blocks[0].get_text().strip().startswith("노이즈가 많고")
    assert "An approach to improve the robustness" in blocks[1].get_text()


def test_english_edition_shows_english_text(site: Path) -> None:
    soup = page(site, "en/issues/2023-11-13")
    summaries = soup.find_all("section", class_="summary")
    assert len(summaries) == 10
    for summary in summaries:
        assert [div["lang"] for div in summary.find_all("div")] == ["en"]


def test_paper_without_abstract_says_the_original_has_none(site: Path) -> None:
    soup = page(site, "ko/papers/emu-video-and-emu-edit")  # `absent: [abstract]` in the example
    abstract = soup.find("section", class_="abstract")
    assert abstract is not None and [p.get_text() for p in abstract.select(".absent-mark")] == ["원문에 초록 없음"]
    assert soup.find("section", class_="summary") is not None
    links = [a["href"] for a in soup.select(".paper-links a")]
    assert links == [  # its link was lost: a search for its title takes its place
        "https://arxiv.org/search/?query=Emu+Video+and+Emu+Edit&searchtype=all",
        "https://x.com/AIatMeta/status/1725184026154349007",
    ]


def test_paper_page_links_back_to_its_issue(site: Path) -> None:
    soup = page(site, "en/papers/contrastive-chain-of-thought-prompting")
    hrefs = {a["href"] for a in soup.find_all("a")}
    assert "/digest/en/issues/2023-11-13/#contrastive-chain-of-thought-prompting" in hrefs
    assert soup.h1.get_text(" ", strip=True).startswith("Contrastive Chain-of-Thought Prompting")


@pytest.mark.parametrize(
    "path", ["ko", "en", "ko/issues/2023-11-13", "en/papers", "ko/papers/emu-video-and-emu-edit", ""]
)
def test_every_page_lists_its_alternates_with_absolute_urls(site: Path, path: str) -> None:
    soup = page(site, path)
    alternates = {link["hreflang"]: link["href"] for link in soup.find_all("link", rel="alternate", hreflang=True)}
    assert set(alternates) == {"ko", "en", "x-default"}
    assert all(url.startswith(BASE) for url in alternates.values())
    canonical = soup.find("link", rel="canonical")["href"]
    if path:
        assert alternates[soup.html["lang"]] == canonical == BASE + path + "/"


def test_language_switch_stays_on_the_same_page(site: Path) -> None:
    soup = page(site, "ko/papers/emu-video-and-emu-edit")
    assert soup.find("a", class_="lang-switch")["href"] == "/digest/en/papers/emu-video-and-emu-edit/"


def test_home_shows_the_latest_issue_with_its_paper_titles(site: Path) -> None:
    soup = page(site, "ko")
    section = soup.find("section", class_="latest")
    assert section.h2.a["href"] == "/digest/ko/issues/2023-11-13/"
    assert len(section.find("ol", class_="paper-titles").find_all("li")) == 10
    assert "이번 주에는" in section.find("div", class_="intro").get_text()


def test_paper_index_groups_by_week(site: Path) -> None:
    soup = page(site, "en/papers")
    week = soup.find("section", class_="week")
    assert len(week.find_all("li")) == 10
    assert week.find("a")["href"] == "/digest/en/issues/2023-11-13/"


def test_landing_page_works_without_script(site: Path) -> None:
    soup = page(site, "")
    hrefs = [a["href"] for a in soup.select(".editions a")]
    assert hrefs == ["/digest/ko/", "/digest/en/"]


def test_assets_are_copied_and_versioned(site: Path) -> None:
    soup = page(site, "ko")
    css = soup.find("link", rel="stylesheet")["href"]
    assert re.fullmatch(r"/digest/static/style\.css\?v=[0-9a-f]{10}", str(css))
    assert (site / "static" / "style.css").is_file()


def test_feed_parses_with_absolute_links_newest_first(site: Path) -> None:
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "rss20"
    assert feed.feed.link == BASE  # the whole site: both editions, the default language first
    entry, english = feed.entries
    assert entry.link == BASE + "ko/issues/2023-11-13/"
    assert entry.id == "tag:example.org,2023:ml-papers-digest:ko:issues:2023-11-13"  # never changes
    assert english.id == "tag:example.org,2023:ml-papers-digest:en:issues:2023-11-13"
    assert entry.published == "Sun, 19 Nov 2023 00:00:00 +0900"
    assert feed.feed.updated == "Sun, 19 Nov 2023 00:00:00 +0900"
    hrefs = re.findall(r'href="([^"]+)"', entry.summary)
    assert len(hrefs) >= 10 and all(h.startswith(("https://", "http://")) for h in hrefs)
    assert sum(h.startswith(BASE + "ko/papers/") for h in hrefs) == 10


def test_build_is_byte_identical(tmp_path: Path, site: Path) -> None:
    again = tmp_path / "again"
    build(load_config(REPO / "site.yaml").override(output_dir=again))
    assert snapshot(site) == snapshot(again)


def test_site_at_the_root_of_a_host(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(load_config(REPO / "site.yaml").override(output_dir=out, base_url="http://localhost:8000/"))
    soup = BeautifulSoup((out / "ko" / "index.html").read_text(encoding="utf-8"), "html5lib")
    assert soup.find("a", class_="site-title")["href"] == "/ko/"
    assert soup.find("link", rel="canonical")["href"] == "http://localhost:8000/ko/"
    shutil.rmtree(out)
