"""Issue #15, point 1: a home page that stays small (the newest issue, then recent weeks), a page
per year and an archive index, and the paper index and tag pages in pages of a fixed size, newest
first, linked with rel=prev/next. List pages stay incremental. (That no published URL changes is
tests/test_published.py's.)"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from digestgen.archive import HOME_RECENT_WEEKS, INDEX_WEEKS_PER_PAGE, TAG_PAPERS_PER_PAGE
from digestgen.build import build
from helpers import Project, paper, snapshot
from test_incremental import changed, site_files

BASE = "https://example.org/digest/"
WEEKS = 25  # from 2022-12-05: two years, three pages of the paper index
PER_WEEK = 3


def week(n: int) -> str:
    return (date(2022, 12, 5) + timedelta(weeks=n)).isoformat()


def soup(project: Project, path: str) -> BeautifulSoup:
    return BeautifulSoup(project.read(path), "html5lib")


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = Project(tmp_path_factory.mktemp("archive"))
    for n in range(WEEKS):
        papers = [paper(PER_WEEK * n + i, tags=["llm"] if i < 2 else ["rag"]) for i in range(PER_WEEK)]
        project.add_issue(week(n), papers=papers, body=f"소개 {n}\n\n<!-- en -->\nIntro {n}\n")
    build(project.config())
    return project


def test_home_shows_the_newest_issue_then_recent_weeks_then_the_archive(archive: Project) -> None:
    for lang, intro in (("ko", f"소개 {WEEKS - 1}"), ("en", f"Intro {WEEKS - 1}")):
        page = soup(archive, f"{lang}/")
        latest = page.select_one("section.latest")
        assert latest.h2.a["href"] == f"/digest/{lang}/issues/{week(WEEKS - 1)}/"
        assert latest.select_one(".intro").get_text().strip() == intro
        assert len(latest.select("ol.paper-titles > li")) == PER_WEEK
        recent = [a["href"] for a in page.select("section.recent li > a")]
        assert recent == [
            f"/digest/{lang}/issues/{week(n)}/" for n in range(WEEKS - 2, WEEKS - 2 - HOME_RECENT_WEEKS, -1)
        ]
        more = page.select_one("p.more a")
        assert more["href"] == f"/digest/{lang}/archive/"
        order = [(s.get_attribute_list("class") or [""])[0] for s in page.select("main > section, main > p.more")]
        assert order == ["latest", "recent", "more"]


def test_archive_index_and_a_page_per_year(archive: Project) -> None:
    page = soup(archive, "en/archive/")
    years = [(a["href"], li.select_one(".count").get_text()) for li in page.select("ul.years > li") for a in [li.a]]
    assert years == [("/digest/en/2023/", "21 weeks"), ("/digest/en/2022/", "4 weeks")]
    year = soup(archive, "ko/2023/")
    weeks = [a["href"] for a in year.select("ul.weeks > li > a")]
    assert weeks == [f"/digest/ko/issues/{week(n)}/" for n in range(WEEKS - 1, 3, -1)]
    assert year.h1.get_text() == "2023년"
    assert year.select_one("nav.pager a[rel=next]")["href"] == "/digest/ko/2022/"
    assert year.select_one("nav.pager a[rel=prev]") is None
    older = soup(archive, "ko/2022/")
    assert older.select_one("nav.pager a[rel=prev]")["href"] == "/digest/ko/2023/"
    assert older.find("link", rel="canonical")["href"] == BASE + "ko/2022/"
    assert {a["hreflang"]: a["href"] for a in older.find_all("link", rel="alternate", hreflang=True)}["en"] == (
        BASE + "en/2022/"
    )


def test_paper_index_is_paged_newest_first_with_rel_prev_next(archive: Project) -> None:
    pages = -(-WEEKS // INDEX_WEEKS_PER_PAGE)
    urls = ["en/papers/"] + [f"en/papers/page/{n}/" for n in range(2, pages + 1)]
    seen: list[object] = []
    for number, url in enumerate(urls, 1):
        page = soup(archive, url)
        head_prev, head_next = page.find("link", rel="prev"), page.find("link", rel="next")
        assert (head_prev["href"] if head_prev else None) == (BASE + urls[number - 2] if number > 1 else None)
        assert (head_next["href"] if head_next else None) == (BASE + urls[number] if number < pages else None)
        nav = page.select_one("nav.list-pager")
        assert (nav.select_one("a[rel=prev]") is not None) == (number > 1)
        assert (nav.select_one("a[rel=next]") is not None) == (number < pages)
        assert page.find("link", rel="canonical")["href"] == BASE + url
        seen += [a["href"] for a in page.select("section.week ul.paper-list > li > a")]
        if number > 1:
            assert page.title.get_text().startswith(f"All papers · page {number} of {pages}")
    expected = [
        f"/digest/en/papers/paper-number-{PER_WEEK * n + i}/" for n in range(WEEKS - 1, -1, -1) for i in range(PER_WEEK)
    ]
    assert seen == expected  # every paper once, newest week first
    assert not (archive.output / "en" / "papers" / "page" / "1").exists()  # page 1 is /papers/ itself


def test_tag_pages_are_paged_with_each_papers_title_and_week(archive: Project) -> None:
    count = 2 * WEEKS  # two "llm" papers a week
    pages = -(-count // TAG_PAPERS_PER_PAGE)
    assert pages == 1 or (archive.output / "ko" / "tags" / "llm" / "page" / "2" / "index.html").is_file()
    first = soup(archive, "en/tags/llm/")
    items = first.select("ul.paper-list > li")
    assert len(items) == min(count, TAG_PAPERS_PER_PAGE)
    title, when = items[0].find_all("a")
    assert title.get_text() == f"Paper number {PER_WEEK * (WEEKS - 1)}" and title.span["lang"] == "en"
    assert when["href"] == f"/digest/en/issues/{week(WEEKS - 1)}/" and when.time["datetime"] == week(WEEKS - 1)
    assert week(WEEKS - 1) not in first.select_one("main h1").get_text()  # the issue's title is not repeated
    korean = soup(archive, "ko/tags/llm/").select("ul.paper-list > li")[0]
    assert korean.a.get_text() == f"논문 {PER_WEEK * (WEEKS - 1)}" and korean.a.span["lang"] == "ko"


def test_small_pagination_of_tags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tag pages split like the index: papers newest first across pages, rel=prev/next between them."""
    import digestgen.archive

    monkeypatch.setattr(digestgen.archive, "TAG_PAPERS_PER_PAGE", 2)
    project = Project(tmp_path)
    for n in range(3):
        project.add_issue(week(n), papers=[paper(2 * n + i, tags=["rag"]) for i in range(2)])
    build(project.config())
    pages = ["ko/tags/rag/", "ko/tags/rag/page/2/", "ko/tags/rag/page/3/"]
    listed = []
    for number, url in enumerate(pages):
        page = soup(project, url)
        listed += [li.a["href"] for li in page.select("ul.paper-list > li")]
        nxt = page.find("link", rel="next")
        assert (nxt["href"] if nxt else None) == (BASE + pages[number + 1] if number < 2 else None)
    assert listed == [f"/digest/ko/papers/paper-number-{i}/" for i in (4, 5, 2, 3, 0, 1)]
    sitemap = (project.output / "sitemap.xml").read_text(encoding="utf-8")
    for url in pages + ["en/tags/rag/page/3/", "ko/archive/", "en/2022/"]:
        assert f"<loc>{BASE}{url}</loc>" in sitemap


def test_list_pages_stay_incremental(project: Project) -> None:
    for n in range(3):
        project.add_issue(week(n), papers=[paper(2 * n), paper(2 * n + 1, tags=["rag"])], body=f"소개 {n}\n")
    build(project.config())
    before = snapshot(project.output)
    # a summary of the newest issue: no list page
    project.add_issue(
        week(2), papers=[paper(4), paper(5, tags=["rag"], summary={"ko": "새 요약", "en": "New"})], body="소개 2\n"
    )
    result = build(project.config())
    after = snapshot(project.output)
    pages = {name for name in site_files(changed(before, after)) if name.endswith(".html")}
    assert pages == {
        f"{lang}/{path}/index.html" for lang in ("ko", "en") for path in (f"issues/{week(2)}", "papers/paper-number-5")
    }
    assert result.rendered < result.files
    # its intro: the home pages too, no other list page
    project.add_issue(
        week(2), papers=[paper(4), paper(5, tags=["rag"], summary={"ko": "새 요약", "en": "New"})], body="새 소개\n"
    )
    build(project.config())
    pages = {name for name in site_files(changed(after, snapshot(project.output))) if name.endswith(".html")}
    assert pages == {f"{lang}/{path}index.html" for lang in ("ko", "en") for path in (f"issues/{week(2)}/", "")}
    assert "새 소개" in project.read("ko/")
