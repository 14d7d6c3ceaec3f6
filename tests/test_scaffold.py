"""`digestgen new`: a skeleton for next week, every field, never overwriting."""

from __future__ import annotations

import re
from datetime import date

import pytest

from digestgen.cli import main
from digestgen.errors import DigestError
from digestgen.load import load_content
from digestgen.scaffold import new_issue
from helpers import Project


def test_new_writes_the_week_after_the_latest(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.add_issue("2023-11-13")
    project.add_issue("2023-11-27")
    assert main(["new"]) == 0
    assert capsys.readouterr().out.strip() == "wrote content/issues/2023-12-04.md"
    text = (project.root / "content/issues/2023-12-04.md").read_text(encoding="utf-8")
    assert "week: 2023-12-04" in text and "week_end: 2023-12-10" in text and "draft: true" in text


def test_new_with_week_and_refusal_to_overwrite(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "--week", "2024-01-01"]) == 0
    path = project.root / "content/issues/2024-01-01.md"
    path.write_text(path.read_text(encoding="utf-8") + "my work\n", encoding="utf-8")
    before = path.read_bytes()
    assert main(["new", "--week", "2024-01-01"]) == 1
    err = capsys.readouterr().err
    assert "content/issues/2024-01-01.md: already exists; not overwriting it (give another --week)" in err
    assert "Traceback" not in err
    assert path.read_bytes() == before


def test_new_rejects_a_bad_week(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["new", "--week", "2023-02-30"])
    assert exc.value.code == 2
    assert "not a date written YYYY-MM-DD: '2023-02-30'" in capsys.readouterr().err


def test_first_issue_is_this_weeks_monday(project: Project) -> None:
    path = new_issue(project.root / "content", today=date(2023, 11, 16))
    assert path.name == "2023-11-13.md"
    assert new_issue(project.root / "content", today=date(2023, 11, 16)).name == "2023-11-20.md"
    with pytest.raises(DigestError):
        new_issue(project.root / "content", date(2023, 11, 20))


def test_skeleton_has_every_field_and_its_example_loads(project: Project) -> None:
    path = new_issue(project.root / "content", date(2023, 11, 13))
    text = path.read_text(encoding="utf-8")
    for key in ("week", "week_end", "draft", "title", "source", "notice", "papers"):
        assert re.search(rf"^{key}:", text, re.MULTILINE), key
    for key in ("id", "title", "summary", "abstract", "links", "tweet", "tags"):
        assert re.search(rf"^#\s+-? ?{key}:", text, re.MULTILINE), key
    # As written it is an honest draft with no papers yet: check says what is missing.
    with pytest.raises(DigestError) as exc:
        load_content(project.root / "content")
    assert [str(p) for p in exc.value.problems] == ["content/issues/2023-11-13.md:13:8: papers: required"]
    # Uncommenting the example paper gives a complete, valid draft issue.
    path.write_text(re.sub(r"^#(?=  )", "", text, flags=re.MULTILINE), encoding="utf-8")
    (issue,) = load_content(project.root / "content").issues
    assert issue.draft and issue.key == "2023-11-13"
    (paper,) = issue.papers
    assert paper.id == "chain-of-note" and paper.abstract.en and paper.tags == ("rag", "robustness")
    assert [link.label for link in paper.links] == ["paper", "code"] and paper.tweet
