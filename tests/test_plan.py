"""The plan: every output path once, checked before anything is written (paper ids and tags that
clash with the site's fixed pages, or with the HTML ids the templates give a page), and one tag key
for `check` and the tag pages."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from digestgen.build import build
from digestgen.check import check
from digestgen.cli import main
from digestgen.errors import DigestError
from digestgen.templates import page_ids
from helpers import REPO, Project, paper, snapshot


def id_line(project: Project, paper_id: str) -> int:
    lines = (project.root / "content" / "issues" / "2023-11-13.md").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.strip() == f"id: {paper_id}")


def test_a_paper_id_on_a_fixed_page_is_refused_before_anything_is_written(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.add_issue(papers=[paper(1, id="first")])
    assert main(["build"]) == 0
    before = snapshot(project.output)
    project.add_issue(papers=[paper(1, id="first"), paper(2, id="index.html")])
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    line = id_line(project, "index.html")
    assert err.splitlines()[0] == (
        f"content/issues/2023-11-13.md:{line}: papers[1].id: would write en/papers/index.html/index.html, "
        "but en/papers/index.html is already a file of the site (site.yaml); choose another id"
    )
    assert "Traceback" not in err and "Errno" not in err
    assert snapshot(project.output) == before  # the previous site, untouched
    assert not project.output.with_name("_site.new").exists()


def test_check_refuses_the_same_paper_id(project: Project) -> None:
    project.add_issue(papers=[paper(1, id="index.html")])
    errors = [str(e) for e in check(project.config()).errors]
    line = id_line(project, "index.html")
    assert errors == [
        f"content/issues/2023-11-13.md:{line}: papers[0].id: would write {lang}/papers/index.html/index.html, "
        f"but {lang}/papers/index.html is already a file of the site (site.yaml); choose another id"
        for lang in ("en", "ko")
    ]


def test_a_tag_on_the_tag_overview_is_refused(project: Project) -> None:
    project.add_issue(papers=[paper(1, tags=["index.html"])])
    with pytest.raises(DigestError) as exc:
        build(project.config())
    messages = [str(p) for p in exc.value.problems]
    assert messages[0].startswith("content/issues/2023-11-13.md:")
    assert messages[0].endswith(
        ": papers[0].tags: would write en/tags/index.html/index.html, but en/tags/index.html is already a file "
        "of the site (site.yaml); spell the tag another way"
    )
    assert not project.output.exists()


@pytest.mark.parametrize("page_id", ["main", "toc-heading", "intro-heading", "cite-heading", "site-search-input"])
def test_a_paper_id_that_is_an_id_of_the_page_is_refused(
    project: Project, capsys: pytest.CaptureFixture[str], page_id: str
) -> None:
    project.add_issue(papers=[paper(1, id=page_id)])
    line = id_line(project, page_id)
    (error,) = check(project.config()).errors
    assert re.fullmatch(
        rf"content/issues/2023-11-13\.md:{line}: papers\[0\]\.id: '{page_id}' is also an HTML id the page has "
        rf"\(templates/[a-z_]+\.html:\d+\); choose another id",
        str(error),
    ), str(error)
    assert main(["build"]) == 1
    assert str(error) in capsys.readouterr().err
    assert not project.output.exists()


def test_a_paper_id_that_is_another_papers_title_anchor_is_refused(project: Project) -> None:
    project.add_issue(papers=[paper(1, id="attention"), paper(2, id="attention-title")])
    (error,) = check(project.config()).errors
    assert "papers[1].id: 'attention-title' is also an HTML id the page has (templates/issue.html:" in str(error)


def test_ids_that_only_look_like_page_ids_are_fine(project: Project) -> None:
    """A paper id is refused only when it is an id the page really has (no false alarms)."""
    project.add_issue(papers=[paper(1, id="main-idea"), paper(2, id="week-long-video"), paper(3, id="x-title")])
    assert check(project.config()).errors == ()
    build(project.config())
    soup = BeautifulSoup(project.read("en/issues/2023-11-13/"), "html.parser")
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))
    assert {"main-idea", "week-long-video", "x-title"} <= set(ids)


def test_every_id_the_templates_write_is_understood() -> None:
    """Page ids are read from the templates; each hole in one must be a value the check fills in,
    or a new template id could clash with paper ids unnoticed."""
    found = page_ids(REPO / "templates")
    assert {"main", "toc-heading", "intro-heading", "cite-heading"} <= {"".join(i.parts) for i in found if not i.holes}
    assert {hole for i in found for hole in i.holes} <= {"paper.id", "issue.key"}
    assert all(len(i.holes) <= 1 for i in found)


def test_every_page_id_of_a_built_issue_page_is_unique(project: Project) -> None:
    project.add_issue(papers=[paper(1, id="a"), paper(2, id="b", tags=["rag"])])
    build(project.config())
    for page in ("en/issues/2023-11-13/", "ko/issues/2023-11-13/", "en/papers/a/", "en/"):
        soup = BeautifulSoup(project.read(page), "html.parser")
        ids = [tag["id"] for tag in soup.find_all(id=True)]
        assert len(ids) == len(set(ids)), page


def test_check_and_tag_pages_agree_on_what_one_tag_is(project: Project) -> None:
    """`C++` and `C` are two tags with two pages, and check does not call them one; `LLM` and `llm`
    are one tag with one page, and check says to write it one way."""
    project.add_issue(
        papers=[
            paper(1, tags=["C++", "LLM"]),
            paper(2, tags=["C", "LLM"]),
            paper(3, tags=["c++", "llm"]),
        ]
    )
    warnings = [str(w) for w in check(project.config()).warnings]
    tag_warnings = [w for w in warnings if "tag " in w]
    assert len(tag_warnings) == 2, tag_warnings  # c++ → C++ and llm → LLM; nothing about C
    assert any("tag 'c++' looks like 'C++'" in w for w in tag_warnings)
    assert any("tag 'llm' looks like 'LLM'" in w for w in tag_warnings)
    build(project.config())
    overview = BeautifulSoup(project.read("en/tags/"), "html.parser").get_text(" ")
    tag_pages = sorted(p.parent.name for p in (project.output / "en" / "tags").glob("*/index.html"))
    assert tag_pages == ["c", "c_2b__2b_", "llm"]
    assert "C++" in overview and "LLM" in overview


def test_every_plan_problem_is_reported_at_once(project: Project) -> None:
    project.add_issue(papers=[paper(1, id="index.html"), paper(2, id="main")])
    errors = [str(e) for e in check(project.config()).errors]
    assert len(errors) == 3, errors  # the id index.html in both editions, and the id main
    assert sum("would write" in e for e in errors) == 2
    assert sum("'main' is also an HTML id the page has (templates/base.html:" in e for e in errors) == 1
