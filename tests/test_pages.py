"""Standalone pages (finding 9 of issue #14): content/pages/<slug>.md, both languages in one file,
built to /ko/<slug>/ and /en/<slug>/, linked from the navigation when asked, in the sitemap,
checked like issues (file:line messages), and the example site's About page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from digestgen.build import build
from digestgen.cli import main
from helpers import REPO, Project

PAGE = """\
---
title:
  ko: {ko}
  en: {en}
{extra}---
한국어 본문입니다. **굵게**.

<!-- en -->
The English text. **Bold**.
"""


def write_page(
    project: Project, slug: str, ko: str = "소개", en: str = "About", extra: str = "", text: str = ""
) -> Path:
    folder = project.root / "content" / "pages"
    folder.mkdir(exist_ok=True)
    path = folder / f"{slug}.md"
    path.write_text(text or PAGE.format(ko=ko, en=en, extra=extra), encoding="utf-8")
    return path


def soup(project: Project, url_path: str) -> BeautifulSoup:
    return BeautifulSoup(project.read(url_path), "html.parser")


def nav_links(page: BeautifulSoup) -> list[tuple[str, str]]:
    nav = page.find("nav", attrs={"aria-label": True})
    assert nav is not None
    return [(a.get_text(), str(a["href"])) for a in nav.find_all("a") if "lang-switch" not in (a.get("class") or [])]


def test_a_page_in_both_editions_linked_from_the_navigation(project: Project) -> None:
    project.add_issue()
    write_page(project, "about", extra="nav: 1\n")
    build(project.config())
    for lang, title, text in (("ko", "소개", "한국어 본문입니다."), ("en", "About", "The English text.")):
        page = soup(project, f"{lang}/about/")
        assert page.html is not None and page.html["lang"] == lang
        main_part = page.find("main")
        assert main_part is not None and main_part.h1 is not None and main_part.h1.get_text() == title
        assert text in main_part.get_text() and main_part.find("strong") is not None
        assert page.title is not None and page.title.get_text().startswith(f"{title} · ")
        hreflangs = {link["hreflang"]: link["href"] for link in page.find_all("link", rel="alternate", hreflang=True)}
        assert hreflangs["ko"] == "https://example.org/digest/ko/about/"
        assert hreflangs["en"] == "https://example.org/digest/en/about/"
        switch = page.find("a", class_="lang-switch")
        assert switch is not None and switch["href"] == f"/digest/{'en' if lang == 'ko' else 'ko'}/about/"
        current = page.find("a", attrs={"aria-current": "page"})
        assert current is not None and current["href"] == f"/digest/{lang}/about/"
        # on every kind of page of the edition
        for other in (f"{lang}/", f"{lang}/papers/", f"{lang}/issues/2023-11-13/", f"{lang}/papers/paper-number-1/"):
            assert (title, f"/digest/{lang}/about/") in nav_links(soup(project, other)), other


def test_pages_are_in_the_sitemap(project: Project) -> None:
    project.add_issue()
    write_page(project, "about", extra="nav: 1\n")
    write_page(project, "subscribe", "구독", "Subscribe")  # not in the navigation, still published
    build(project.config())
    sitemap = BeautifulSoup((project.output / "sitemap.xml").read_text(encoding="utf-8"), "xml")
    locs = {loc.get_text() for loc in sitemap.find_all("loc")}
    for slug in ("about", "subscribe"):
        for lang in ("ko", "en"):
            assert f"https://example.org/digest/{lang}/{slug}/" in locs
    assert ("Subscribe", "/digest/en/subscribe/") not in nav_links(soup(project, "en/"))
    assert soup(project, "en/subscribe/").h1 is not None


def test_navigation_order(project: Project) -> None:
    project.add_issue()
    write_page(project, "about", extra="nav: 2\n")
    write_page(project, "contributors", "기여자", "Contributors", extra="nav: 1\n")
    build(project.config())
    links = nav_links(soup(project, "en/"))
    assert links.index(("Contributors", "/digest/en/contributors/")) + 1 == links.index(("About", "/digest/en/about/"))


def test_titles_and_bodies_are_escaped(project: Project) -> None:
    project.add_issue()
    write_page(project, "about", ko='"<script>alert(1)</script>"', en="'<b>x</b>'", extra="nav: 1\n")
    build(project.config())
    page = soup(project, "ko/about/")
    assert page.find("script", string="alert(1)") is None
    assert page.h1 is not None and page.h1.get_text() == "<script>alert(1)</script>"
    assert ("<b>x</b>", "/digest/en/about/") in nav_links(soup(project, "en/"))


def test_editing_a_page_updates_every_navigation(project: Project) -> None:
    project.add_issue()
    path = write_page(project, "about", extra="nav: 1\n")
    build(project.config())
    path.write_text(path.read_text(encoding="utf-8").replace("en: About", "en: About us"), encoding="utf-8")
    build(project.config())  # incremental: the issue did not change, its pages' navigation did
    assert ("About us", "/digest/en/about/") in nav_links(soup(project, "en/issues/2023-11-13/"))
    path.unlink()
    build(project.config())
    assert not (project.output / "en" / "about").exists()
    assert all(href != "/digest/en/about/" for _, href in nav_links(soup(project, "en/")))


@pytest.mark.parametrize(
    ("slug", "extra", "text", "expected"),
    [
        (
            "about",
            "",
            "---\ntitle:\n  ko: 소개\n  en: About\n---\n한국어만 있습니다.\n",
            "content/pages/about.md:6: body.en: the English text is missing: write it after a line <!-- en -->",
        ),
        (
            "about",
            "",
            "---\ntitle:\n  ko: 소개\n---\n한국어\n\n<!-- en -->\nEnglish\n",
            "content/pages/about.md:3:3: title.en: required",
        ),
        ("papers", "", "", "content/pages/papers.md: /ko/papers/ is the site's own; give the page another file name"),
        (
            "archive",
            "",
            "",
            "content/pages/archive.md: /ko/archive/ is the site's own; give the page another file name",
        ),
        ("2031", "", "", "content/pages/2031.md: /ko/2031/ is the site's own; give the page another file name"),
        (
            "About_Us",
            "",
            "",
            "content/pages/About_Us.md: 'About_Us' cannot be a page's address: name the file with lowercase "
            "letters, digits and '-' (at most 60), e.g. about.md",
        ),
        (
            "about",
            "nav: first\n",
            "",
            "content/pages/about.md:5:6: nav: must be the page's place in the navigation (1, 2, …), not 'first'",
        ),
        (
            "about",
            "order: 1\n",
            "",
            "content/pages/about.md:5:1: order: unknown key; known keys: title, description, nav",
        ),
    ],
)
@pytest.mark.parametrize("command", ["build", "check"])
def test_invalid_pages_are_named_with_file_and_line(
    project: Project, capsys: pytest.CaptureFixture[str], command: str, slug: str, extra: str, text: str, expected: str
) -> None:
    project.add_issue()
    write_page(project, slug, extra=extra, text=text)
    assert main([command]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == expected
    assert "Traceback" not in err


def test_the_example_site_has_an_about_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    for name in ("content", "templates", "static"):
        shutil.copytree(REPO / name, site / name)
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    monkeypatch.chdir(site)
    assert main(["build"]) == 0
    ko = BeautifulSoup((site / "_site" / "ko" / "about" / "index.html").read_text(encoding="utf-8"), "html.parser")
    en = BeautifulSoup((site / "_site" / "en" / "about" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert ko.h1 is not None and ko.h1.get_text() == "소개"
    assert en.h1 is not None and en.h1.get_text() == "About"
    assert "GPT" in ko.get_text() and "GPT" in en.get_text()  # says how the summaries are made
    home = BeautifulSoup((site / "_site" / "ko" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert any(a.get("href") == "/digest/ko/about/" for a in home.find_all("a"))
