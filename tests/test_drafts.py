"""Drafts: left out of every output unless --drafts; marked when shown; dates never hide an issue."""

from __future__ import annotations

import feedparser
import pytest
from bs4 import BeautifulSoup

from digestgen.cli import main
from helpers import Project, paper


def built_text(project: Project) -> str:
    """Every file the build made from content (pages, feeds and any index or export), as text."""
    static = project.output / "static"
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(project.output.rglob("*"))
        if p.is_file() and static not in p.parents
    )


def test_drafts_are_left_out_and_reported(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.add_issue("2023-11-13", papers=[paper(1)])
    project.add_issue("2023-11-20", papers=[paper(2, title={"en": "Secret draft paper"})], draft=True)
    assert main(["build"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("built 1 issue, 1 paper:")
    assert out[1] == "left out 1 draft (build with --drafts to include): content/issues/2023-11-20.md"
    assert "Secret draft paper" not in built_text(project)
    assert "2023-11-20" not in built_text(project)
    assert not (project.output / "ko" / "issues" / "2023-11-20").exists()
    feed = feedparser.parse((project.output / "feed.xml").read_bytes())
    assert {e.link.rstrip("/").rsplit("/", 1)[1] for e in feed.entries} == {"2023-11-13"}  # one item per edition
    issue_page = BeautifulSoup(project.read("ko/issues/2023-11-13/"), "html5lib")
    assert issue_page.select(".pager a") == []  # no link to the unpublished week
    assert issue_page.select(".draft-mark") == []


def test_drafts_flag_includes_and_marks_them(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.add_issue("2023-11-13", papers=[paper(1)])
    project.add_issue("2023-11-20", papers=[paper(2, title={"en": "Draft paper"})], draft=True)
    assert main(["build", "--drafts"]) == 0
    assert capsys.readouterr().out.startswith("built 2 issues, 2 papers:")
    for url, lang in (
        ("ko/issues/2023-11-20/", "초안"),
        ("en/issues/2023-11-20/", "Draft"),
        ("en/papers/draft-paper/", "Draft"),
        ("en/", "Draft"),
        ("ko/papers/", "초안"),
    ):
        marks = BeautifulSoup(project.read(url), "html5lib").select(".draft-mark")
        assert [m.get_text() for m in marks] == [lang], url
    assert BeautifulSoup(project.read("en/issues/2023-11-13/"), "html5lib").select(".draft-mark") == []


def test_the_week_date_never_hides_an_issue(project: Project) -> None:
    project.add_issue("2099-12-28", papers=[paper(1)])  # far in the future
    assert main(["build"]) == 0
    assert (project.output / "ko" / "issues" / "2099-12-28" / "index.html").exists()


def test_a_build_without_drafts_after_one_with_them_drops_them(project: Project) -> None:
    project.add_issue("2023-11-13", papers=[paper(1)])
    project.add_issue("2023-11-20", papers=[paper(2, title={"en": "Draft paper"})], draft=True)
    assert main(["build", "--drafts"]) == 0
    assert "Draft paper" in built_text(project)
    assert main(["build"]) == 0  # same inputs, other setting: nothing may be reused from the draft build
    assert "Draft paper" not in built_text(project)
    assert not (project.output / "en" / "issues" / "2023-11-20").exists()


def test_new_then_build_publishes_the_rest(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """The skeleton `new` writes has no paper yet: the build still publishes the other weeks."""
    project.add_issue("2023-11-13", papers=[paper(1)])
    assert main(["new"]) == 0
    capsys.readouterr()
    assert main(["build"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0].startswith("built 1 issue, 1 paper:")
    assert "left out 1 draft (build with --drafts to include): content/issues/2023-11-20.md" in captured.out
    assert "content/issues/2023-11-20.md:" in captured.err and "papers" in captured.err
    assert (project.output / "ko" / "issues" / "2023-11-13" / "index.html").exists()
    assert not (project.output / "ko" / "issues" / "2023-11-20").exists()


def test_half_written_draft_is_a_warning_with_its_line(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.add_issue("2023-11-13", papers=[paper(1)])
    project.write(
        "2023-11-20.md",
        "---\nweek: 2023-11-20\ndraft: true\npapers:\n  - title:\n      en: Half written\n    links:\n"
        "      paper: not a url\n---\n",
    )
    assert main(["build"]) == 0
    err = capsys.readouterr().err
    assert "content/issues/2023-11-20.md:5:" in err and "papers[0].summary.en" in err  # file:line of the paper
    assert "content/issues/2023-11-20.md:8:" in err and "papers[0].links.paper" in err
    assert "warning:" in err and "draft" in err
    # check reports the same problems (as errors: the draft cannot be published as it is)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "content/issues/2023-11-20.md:5:" in err and "papers[0].summary.en: required" in err
    # build --drafts still refuses what cannot be rendered, naming file and line
    assert main(["build", "--drafts"]) == 1
    assert "content/issues/2023-11-20.md:8:" in capsys.readouterr().err


def test_draft_with_broken_yaml_is_left_out(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.add_issue("2023-11-13", papers=[paper(1)])
    project.write("2023-11-20.md", "---\nweek: 2023-11-20\ndraft: true\npapers: [\n---\n")
    assert main(["build"]) == 0
    assert "content/issues/2023-11-20.md:" in capsys.readouterr().err


def test_draft_clashing_with_a_published_id_does_not_block(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.add_issue("2023-11-20", papers=[paper(1)])
    project.add_issue("2023-11-13", papers=[paper(1)], draft=True)  # same id, earlier file name
    assert main(["build"]) == 0
    err = capsys.readouterr().err
    assert "content/issues/2023-11-13.md:" in err and "paper-number-1" in err
    assert main(["build", "--drafts"]) == 1


def test_broken_published_issue_still_stops_the_build(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.add_issue("2023-11-13", papers=[paper(1)])
    project.write("2023-11-20.md", "---\nweek: 2023-11-20\npapers: []\n---\n")
    assert main(["build"]) == 1
    assert "content/issues/2023-11-20.md:3:" in capsys.readouterr().err
