"""Warnings summarised (#14): one line per kind with a count and the first places; --verbose lists all."""

from __future__ import annotations

import json

import pytest

from digestgen.cli import main
from digestgen.errors import Problem
from digestgen.report import warning_lines
from helpers import FIXTURES, Project, paper


def test_one_line_per_kind_with_a_count_and_the_first_places() -> None:
    missing = [
        Problem(
            "content/issues/2023-12-25.md",
            7 + 10 * i,
            None,
            f"papers[{i}].summary.ko",
            "missing translation (the other language has text)",
            warning=True,
        )
        for i in range(1300)
    ]
    once = Problem("content/issues/2023-12-25.md", 3, None, "source", "http:// link; use https://", warning=True)
    assert warning_lines([*missing, once], verbose=False) == [
        "content/issues/2023-12-25.md:3: source: warning: http:// link; use https://",  # seen once: as it is
        "warning: 1,300 papers without a Korean summary (translation pending) — content/issues/2023-12-25.md:7, "
        "content/issues/2023-12-25.md:17, content/issues/2023-12-25.md:27, …",
    ]
    assert len(warning_lines([*missing, once], verbose=True)) == 1301


def test_check_summarises_an_english_only_import(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "list", str(FIXTURES / "import" / "weekly-list-real.md")]) == 0
    capsys.readouterr()
    assert main(["check"]) == 0
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert "warning: 12 papers without a Korean title (translation pending) — content/issues/2023-12-11.md:5, " in (
        captured.err
    )
    assert any(
        line.startswith("warning: 11 papers without a Korean summary (translation pending) — ") for line in lines
    )
    assert len(lines) == 4 and captured.out.strip() == "checked 5 issues, 12 papers: 0 errors, 36 warnings"
    assert main(["check", "--verbose"]) == 0
    assert len(capsys.readouterr().err.splitlines()) == 36
    assert main(["check", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["warnings"]) == 36  # JSON always lists all


def test_build_summarises_its_warnings(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.add_issue("2023-11-13", papers=[paper(n, summary={"en": r"Uses $\nope$ here."}) for n in range(1, 6)])
    project.write("2023-11-20.md", "---\nweek: 2023-11-20\ndraft: true\npapers:\n---\n")  # as `new` leaves it
    assert main(["build"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (  # seen once: in full
        "content/issues/2023-11-20.md:4:8: papers: warning: required (a draft: left out of the site until this is fixed)"
    )
    assert err[1].startswith(
        "warning: 5 × papers[].summary.en: unknown LaTeX command \\nope in $\\nope$; shown as code — "
        "content/issues/2023-11-13.md:"
    )
    assert err[1].endswith(", …") and len(err) == 2
    assert main(["build", "--verbose"]) == 0
    assert len(capsys.readouterr().err.splitlines()) == 6
