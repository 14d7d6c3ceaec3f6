"""The command line: summary line, exit codes, and a previous site that survives failed builds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from digestgen.cli import main
from helpers import REPO, Project, snapshot


def test_build_prints_one_summary_line(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.add_issue()
    assert main(["build"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    assert out[0].startswith("built 1 issue, 1 paper: 15 pages, ")
    assert out[0].endswith("→ _site/")


def test_failed_build_leaves_the_previous_site_untouched(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.add_issue()
    assert main(["build"]) == 0
    before = snapshot(project.output)
    project.add_issue("2023-11-20", papers=[{"title": {"en": "no summary"}}])
    assert main(["build"]) == 1
    assert snapshot(project.output) == before
    err = capsys.readouterr().err
    assert "content/issues/2023-11-20.md:4:3: papers[0].summary.en: required" in err


def test_flags_override_settings(project: Project, tmp_path: Path) -> None:
    project.add_issue()
    out = tmp_path / "elsewhere"
    assert main(["build", "--output", str(out), "--base-url", "https://a.example/x"]) == 0
    assert 'href="https://a.example/x/ko/"' in (out / "ko" / "index.html").read_text(encoding="utf-8")


def test_bad_base_url_flag(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.add_issue()
    assert main(["build", "--base-url", "javascript:alert(1)"]) == 1
    assert "--base-url: must be an absolute http(s) URL" in capsys.readouterr().err


@pytest.mark.parametrize("where", ["content", ".", "templates/out"])
def test_refuses_output_over_the_project(project: Project, where: str, capsys: pytest.CaptureFixture[str]) -> None:
    project.add_issue()
    assert main(["build", "--output", where]) == 1
    assert "output folder overlaps" in capsys.readouterr().err
    assert (project.root / "content" / "issues" / "2023-11-13.md").exists()


def test_refuses_a_foreign_non_empty_folder(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.add_issue()
    (project.root / "mine").mkdir()
    (project.root / "mine" / "notes.txt").write_text("keep me")
    assert main(["build", "--output", "mine"]) == 1
    assert "was not made by digestgen" in capsys.readouterr().err
    assert (project.root / "mine" / "notes.txt").read_text() == "keep me"


def test_build_py_runs_without_traceback_on_errors(project: Project) -> None:
    project.write("2023-11-13.md", "---\nweek: [\n---\n")
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py")], cwd=project.root, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("content/issues/2023-11-13.md:3:1: YAML syntax error")


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for command in ("build", "new", "check", "serve"):
        assert f"    {command} " in out, command
    for command, flag in (
        ("build", "--drafts"),
        ("new", "--week"),
        ("check", "--strict"),
        ("check", "--format"),
        ("serve", "--port"),
        ("serve", "--host"),
        ("serve", "--no-drafts"),
    ):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert flag in capsys.readouterr().out, (command, flag)


BAD_MATH_ISSUE = """\
---
week: 2023-11-13
notice:
  ko: "알림 $\\\\nope$"
papers:
  - id: p1
    title: {ko: 논문, en: Paper}
    summary:
      en: "Fine $x^2$ and money: $5 and $10."
    abstract:
      ko: |-
        첫 줄은 괜찮습니다.
        둘째 줄에 $\\unknown x$ 가 있습니다.
      en: |-
        Line one.

        $$
        x^
        $$
---
소개 첫 줄.

$\\bogus$ 입니다.
<!-- en -->

Intro with $a & b$.
"""


def test_bad_latex_warns_with_file_and_line_and_the_build_succeeds(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write("2023-11-13.md", BAD_MATH_ISSUE)
    assert main(["build"]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "content/issues/2023-11-13.md:4: notice.ko: warning: unknown LaTeX command \\nope in $\\nope$; shown as code",
        "content/issues/2023-11-13.md:13: papers[0].abstract.ko: warning: unknown LaTeX command \\unknown in "
        "$\\unknown x$; shown as code",
        "content/issues/2023-11-13.md:17: papers[0].abstract.en: warning: cannot convert $$x^$$ to MathML "
        "(MissingSuperScriptOrSubscriptError); shown as code",
        "content/issues/2023-11-13.md:23: intro.ko: warning: unknown LaTeX command \\bogus in $\\bogus$; shown as code",
        "content/issues/2023-11-13.md:26: intro.en: warning: $a & b$ does not give well-formed MathML; shown as code",
    ]
    assert captured.out.startswith("built 1 issue, 1 paper")
    page = (project.output / "ko" / "papers" / "p1" / "index.html").read_text(encoding="utf-8")
    assert '<code class="math-error">$\\unknown x$</code>' in page
    assert "<math" in (project.output / "en" / "papers" / "p1" / "index.html").read_text(encoding="utf-8")


# Imported only once something must be rendered, parsed or served (docs/performance.md).
HEAVY = ("jinja2", "markdown_it", "latex2mathml", "feedgen", "digestgen.render", "digestgen.check", "digestgen.serve")

WHAT_IS_IMPORTED = """
import sys
from digestgen.cli import main
code = main(sys.argv[1:])
print(" ".join(sorted(name for name in sys.modules if name in {heavy!r})))
sys.exit(code)
"""


def _imported(project: Project, *args: str) -> tuple[str, str]:
    script = WHAT_IS_IMPORTED.format(heavy=set(HEAVY))
    result = subprocess.run(
        [sys.executable, "-c", script, *args], cwd=project.root, capture_output=True, text=True, check=True
    )
    return result.stdout.splitlines()[-1], result.stdout


def test_a_build_that_finds_nothing_changed_imports_no_renderer(project: Project) -> None:
    project.add_issue()
    first, _ = _imported(project, "build")
    assert {"jinja2", "markdown_it", "digestgen.render"} <= set(first.split())  # the first build renders
    again, out = _imported(project, "build")
    assert "built 1 issue, 1 paper" in out and "(0 rendered, 0 written)" in out
    assert again == ""


def test_a_command_imports_only_its_own_module(project: Project) -> None:
    project.add_issue()
    imported, _ = _imported(project, "new", "--week", "2023-11-20")
    assert "digestgen.check" not in imported.split() and "digestgen.serve" not in imported.split()
    assert (project.root / "content" / "issues" / "2023-11-20.md").exists()
