"""Validation: one invalid fixture per rule, each asserting its exact messages through the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from digestgen.cli import main
from digestgen.errors import DigestError
from digestgen.load import load_content, slugify
from helpers import FIXTURES, Project, issue_text, paper

INVALID = sorted(p for p in (FIXTURES / "invalid").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_invalid_content_reports_exact_messages(
    case: Path, project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.rmtree(project.root / "content" / "issues")
    shutil.copytree(case / "issues", project.root / "content" / "issues")
    assert main(["build"]) == 1
    captured = capsys.readouterr()
    expected = (case / "expected.txt").read_text(encoding="utf-8").strip().splitlines()
    lines = captured.err.strip().splitlines()
    assert lines[:-1] == expected
    assert lines[-1].endswith("nothing was written, the previous site is unchanged.")
    assert "Traceback" not in captured.err
    assert not project.output.exists()


def test_valid_issue_loads_with_defaults(project: Project) -> None:
    project.add_issue(
        papers=[
            paper(
                1, links={"code": "https://github.com/a/b", "paper": "https://arxiv.org/abs/2311.09210"}, tags=["rag"]
            )
        ]
    )
    content = load_content(project.root / "content")
    (issue,) = content.issues
    assert issue.week_end.isoformat() == "2023-11-19"
    assert issue.title.ko == "[2023/11/13 ~ 11/19] 이번 주의 주요 ML 논문"
    assert issue.title.en == "Top ML Papers of the Week (2023/11/13 ~ 11/19)"
    (p,) = issue.papers
    assert p.id == "paper-number-1"
    assert [link.label for link in p.links] == ["paper", "code"]
    assert p.paper_url == "https://arxiv.org/abs/2311.09210"
    assert p.origin.line_of("summary.en") == 9


def test_title_across_a_year(project: Project) -> None:
    project.add_issue("2024-12-30")
    (issue,) = load_content(project.root / "content").issues
    assert issue.title.ko == "[2024/12/30 ~ 2025/01/05] 이번 주의 주요 ML 논문"


def test_english_intro_after_marker(project: Project) -> None:
    project.add_issue(body="한국어 소개\n\n<!-- en -->\nEnglish intro\n")
    (issue,) = load_content(project.root / "content").issues
    assert (issue.intro.ko, issue.intro.en) == ("한국어 소개", "English intro")


def test_issues_are_sorted_newest_first(project: Project) -> None:
    project.add_issue("2023-11-13", papers=[paper(1)])
    project.add_issue("2023-11-27", papers=[paper(2)])
    project.add_issue("2023-11-20", papers=[paper(3)])
    weeks = [i.key for i in load_content(project.root / "content").issues]
    assert weeks == ["2023-11-27", "2023-11-20", "2023-11-13"]


def test_errors_of_all_files_come_together(project: Project) -> None:
    project.write("2023-11-13.md", issue_text(papers=[{"title": {"en": "x"}}]))
    project.write("2023-11-20.md", "no front matter\n")
    with pytest.raises(DigestError) as exc:
        load_content(project.root / "content")
    assert sorted({p.path for p in exc.value.problems}) == [
        "content/issues/2023-11-13.md",
        "content/issues/2023-11-20.md",
    ]


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Chain-of-Note: Enhancing Robustness", "chain-of-note-enhancing-robustness"),
        ("Ému  Vidéo & Edit!", "emu-video-edit"),
        ("x" * 50 + " " + "y" * 50, "x" * 50),
        ("한국어만", ""),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_overlapping_weeks_name_both_files(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """Finding 5 of #14: two files whose weeks share days are an error naming both, with lines."""
    project.add_issue("2023-11-13", papers=[paper(1)], week_end="2023-11-21")
    project.add_issue("2023-11-20", papers=[paper(2)])
    project.add_issue("2023-11-27", papers=[paper(3)])  # touches no other week
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert (
        "content/issues/2023-11-20.md:2: week: week 2023-11-20 ~ 2023-11-26 overlaps week 2023-11-13 ~ 2023-11-21 "
        "of content/issues/2023-11-13.md:2" in err
    )
    assert "2023-11-27.md" not in err
    assert main(["check"]) == 1
    assert "overlaps" in capsys.readouterr().err


def test_adjacent_weeks_do_not_overlap(project: Project) -> None:
    project.add_issue("2024-12-30", papers=[paper(1)], week_end="2025-01-05")
    project.add_issue("2025-01-06", papers=[paper(2)])
    assert main(["build"]) == 0
