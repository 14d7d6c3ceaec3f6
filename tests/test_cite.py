"""Issue #15, points 4 to 6: citations that cite the paper (never the digest as if it were the
paper), a place to discuss each issue, and reading controls only where they act."""

from __future__ import annotations

import feedparser
from bs4 import BeautifulSoup

from digestgen.build import build
from helpers import Project, paper

BASE = "https://example.org/digest/"
FORUM = "https://forum.example.org/t/ml-papers-2023-11-13/42"


def soup(project: Project, path: str) -> BeautifulSoup:
    return BeautifulSoup(project.read(path), "html5lib")


def cite(project: Project, lang: str, paper_id: str) -> tuple[str, str]:
    page = soup(project, f"{lang}/papers/{paper_id}/")
    return page.select_one("pre.bibtex code").get_text(), page.select_one(".cite p.citation").get_text()


def test_authors_and_year_feed_bibtex_and_the_plain_citation(project: Project) -> None:
    project.add_issue(
        papers=[
            paper(
                1,
                id="con",
                title={"ko": "노트의 사슬", "en": "Chain-of-Note: Robust RALMs"},
                links={"paper": "https://arxiv.org/abs/2311.09210v2"},
                authors=["Wenhao Yu", "Hongming Zhang", "Dong Yu"],
                year=2024,
            ),
            paper(2, id="two", links={"paper": "https://example.org/paper.pdf"}, authors=["Jane Kim", "Sam Lee"]),
            paper(3, id="one", links={"paper": "https://arxiv.org/abs/2312.00001"}, authors=["Ana Díaz & Co"]),
        ]
    )
    build(project.config())
    bib, text = cite(project, "ko", "con")
    assert bib == (
        "@misc{con,\n"
        "  author = {Wenhao Yu and Hongming Zhang and Dong Yu},\n"
        "  title = {{Chain-of-Note: Robust RALMs}},\n"
        "  year = {2024},\n"  # the editor's year wins over the arXiv id's 2023
        "  eprint = {2311.09210},\n"
        "  archivePrefix = {arXiv},\n"
        "  url = {https://arxiv.org/abs/2311.09210},\n"
        "}\n"
    )
    assert text == (
        "Wenhao Yu, Hongming Zhang, & Dong Yu (2024). Chain-of-Note: Robust RALMs. "
        "arXiv:2311.09210. https://arxiv.org/abs/2311.09210"
    )
    assert cite(project, "en", "con") == (bib, text)  # the same reference in both editions
    bib, text = cite(project, "en", "two")
    assert "author = {Jane Kim and Sam Lee}" in bib and "year = {2023}" in bib  # the issue's year
    assert "url = {https://example.org/paper.pdf}" in bib and "eprint" not in bib
    assert text == "Jane Kim & Sam Lee (2023). Paper number 2. https://example.org/paper.pdf"
    bib, text = cite(project, "en", "one")
    assert "author = {Ana Díaz \\& Co}" in bib
    assert text.startswith("Ana Díaz & Co (2023). Paper number 3. arXiv:2312.00001.")


def test_without_a_paper_link_the_citation_says_so(project: Project) -> None:
    project.add_issue(papers=[paper(1, id="lost", title={"ko": "잃어버린 링크", "en": "A paper whose link was lost."})])
    build(project.config())
    page = f"{BASE}en/papers/lost/"
    bib, text = cite(project, "en", "lost")
    assert bib == (
        "@misc{lost,\n"
        "  title = {{A paper whose link was lost.}},\n"
        "  year = {2023},\n"
        f"  howpublished = {{Summarized at \\url{{{page}}}}},\n"
        "  note = {No link to the paper itself is known},\n"
        "}\n"
    )
    assert text == f"A paper whose link was lost (2023). Paper link unknown; summarized at {page}"
    assert "url = {" not in cite(project, "ko", "lost")[0]


def test_discussion_link_beside_the_notice_and_in_the_feed(project: Project) -> None:
    project.add_issue("2023-11-13", discussion=FORUM)
    project.add_issue("2023-11-20", papers=[paper(2)])
    build(project.config())
    for lang, label in (("ko", "댓글로 의견 나누기"), ("en", "Discuss this issue")):
        link = soup(project, f"{lang}/issues/2023-11-13/").select_one("aside.notice p.discussion a")
        assert (link["href"], link.get_text()) == (FORUM, label)
        assert soup(project, f"{lang}/issues/2023-11-20/").select_one(".discussion") is None  # no site default
    feed = feedparser.parse(project.output / "en" / "atom.xml")
    entry = next(e for e in feed.entries if e.link.endswith("/2023-11-13/"))
    assert f'<a href="{FORUM}">Discuss this issue</a>' in entry.content[0].value


def test_site_default_discussion(project: Project) -> None:
    config = project.root / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "discussion: https://forum.example.org/c/ml\n", "utf-8")
    project.add_issue("2023-11-13", discussion=FORUM)
    project.add_issue("2023-11-20", papers=[paper(2)])
    build(project.config())
    own = soup(project, "ko/issues/2023-11-13/").select_one(".discussion a")["href"]
    default = soup(project, "ko/issues/2023-11-20/").select_one(".discussion a")["href"]
    assert (own, default) == (FORUM, "https://forum.example.org/c/ml")


def test_originals_toggle_only_where_there_are_originals(project: Project) -> None:
    project.add_issue(papers=[paper(1, tags=["rag"])])
    build(project.config())
    for lang in ("ko", "en"):
        for path, has in (("", False), ("tags/", False), ("tags/rag/", False), ("issues/2023-11-13/", True)):
            page = soup(project, f"{lang}/{path}")
            assert (page.select_one(".originals-toggle") is not None) == has, (lang, path)
            assert page.select_one(".theme-toggle") is not None  # the theme acts everywhere
        assert soup(project, f"{lang}/papers/paper-number-1/").select_one(".originals-toggle") is not None
