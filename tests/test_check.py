"""`digestgen check`: errors and warnings without writing, exit codes, the documented JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest

from digestgen.check import check
from digestgen.cli import main
from digestgen.tags import tag_key
from helpers import Project, issue_text, paper


def full_paper(n: int = 1, **fields: object) -> dict[str, object]:
    """A paper that raises no warning."""
    data = paper(
        n, abstract={"ko": f"초록 {n}", "en": f"Abstract {n}"}, links={"paper": f"https://arxiv.org/abs/2311.0000{n}"}
    )
    data.update(fields)
    return data


def clean_issue(
    project: Project, week: str = "2023-11-13", papers: list[dict[str, object]] | None = None, **fields: object
) -> None:
    project.write(
        f"{week}.md", issue_text(week, papers or [full_paper()], body="소개\n\n<!-- en -->\nIntro\n", **fields)
    )


def warnings(project: Project) -> list[str]:
    result = check(project.config())
    assert result.errors == ()
    return [str(w) for w in result.warnings]


def test_clean_content_exits_0_and_writes_nothing(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    clean_issue(project)
    assert main(["check", "--strict"]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == "checked 1 issue, 1 paper: 0 errors, 0 warnings"
    assert captured.err == ""
    assert not project.output.exists()


def test_errors_exit_1_in_editor_form(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.add_issue(papers=[{"title": {"en": "x"}}])
    assert main(["check"]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == ["content/issues/2023-11-13.md:4:3: papers[0].summary.en: required"]
    assert "1 error, 0 warnings" in captured.out


def test_warnings_exit_0_unless_strict(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    clean_issue(project, papers=[full_paper(abstract=None)])
    assert main(["check"]) == 0
    assert main(["check", "--strict"]) == 1
    out = capsys.readouterr()
    assert "content/issues/2023-11-13.md:" in out.err and "papers[0].abstract: warning: no abstract" in out.err
    assert "(--strict: warnings fail)" in out.out


def test_json_output(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    clean_issue(project, papers=[full_paper(abstract=None)])
    project.write("2023-11-20.md", issue_text("2023-11-20", papers=[{"title": {"en": "x"}}]))
    assert main(["check", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["version"] == 1 and data["ok"] is False and data["strict"] is False
    assert data["errors"] == [
        {
            "path": "content/issues/2023-11-20.md",
            "line": 4,
            "column": 3,
            "field": "papers[0].summary.en",
            "message": "required",
            "severity": "error",
            "text": "content/issues/2023-11-20.md:4:3: papers[0].summary.en: required",
        }
    ]
    assert data["warnings"] == []  # warnings need content that loads


def test_json_warnings(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    clean_issue(project, papers=[full_paper(abstract=None)])
    assert main(["check", "--format", "json", "--strict"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False and data["errors"] == [] and data["issues"] == 1 and data["papers"] == 1
    (w,) = data["warnings"]
    assert (w["field"], w["severity"], w["message"]) == ("papers[0].abstract", "warning", "no abstract (논문 초록)")


def test_missing_translation(project: Project) -> None:
    clean_issue(project, papers=[full_paper(summary={"en": "Only English"}, title={"ko": "제목", "en": "Title"})])
    assert warnings(project) == [
        "content/issues/2023-11-13.md:8: papers[0].summary.ko: warning: missing translation (the other language has text)"
    ]


def test_same_paper_in_two_weeks(project: Project) -> None:
    clean_issue(project, "2023-11-13", [full_paper(1)])
    clean_issue(project, "2023-11-20", [full_paper(2, id="again", title={"ko": "다시", "en": "paper NUMBER 1!"})])
    clean_issue(project, "2023-11-27", [full_paper(3, links={"paper": "https://arxiv.org/abs/2311.00001/"})])
    assert warnings(project) == [
        "content/issues/2023-11-20.md:6: papers[0].title.en: warning: same title as a paper of week 2023-11-13 "
        "(content/issues/2023-11-13.md:4); is it the same paper?",
        "content/issues/2023-11-27.md:14: papers[0].links.paper: warning: same paper link as a paper of week "
        "2023-11-13 (content/issues/2023-11-13.md:4); is it the same paper?",
    ]


@pytest.mark.parametrize(
    ("a", "b"), [("LLM", "llm"), ("llm", "L L M"), ("retrieval augmented", "retrieval-augmented"), ("RAG", "rag_")]
)
def test_near_duplicate_tags(project: Project, a: str, b: str) -> None:
    assert tag_key(a) == tag_key(b)
    clean_issue(project, papers=[full_paper(1, tags=[a]), full_paper(2, tags=[a]), full_paper(3, tags=[b, "other"])])
    (only,) = warnings(project)
    assert only.startswith("content/issues/2023-11-13.md:")
    assert f"papers[2].tags: warning: tag {b!r} looks like {a!r} used elsewhere" in only


def test_http_links(project: Project) -> None:
    clean_issue(
        project,
        source="http://example.org/post",
        papers=[full_paper(tweet="http://x.com/a", summary={"ko": "요약 http://a.example/b", "en": "s"})],
    )
    assert sorted(
        w.split(": warning: ")[0].split(": ")[1] + ": " + w.split(": warning: ")[1] for w in warnings(project)
    ) == [
        "papers[0].summary.ko: http:// link http://a.example/b; use https:// if the site has it",
        "papers[0].tweet: http:// link; use https:// if the site has it",
        "source: http:// link; use https:// if the site has it",
    ]


def test_leftover_shortcode_and_latex(project: Project) -> None:
    summary = {
        "ko": "좋아요 :smile: :not_an_emoji_xyz: 10:30:00 a:b:c",
        "en": "$\\unknown x$ and https://a.example/x:y:",
    }
    abstract = {"ko": "초록 $\\textit{자기 개선}$", "en": "Outside dollars: \\begin{align} x \\end{align}"}
    clean_issue(project, papers=[full_paper(summary=summary, abstract=abstract)])
    assert warnings(project) == [
        "content/issues/2023-11-13.md:8: papers[0].summary.ko: warning: :not_an_emoji_xyz: is shown as written "
        "(unknown shortcode?)",
        # The renderer's own warning, once (check adds no second one for the same text):
        "content/issues/2023-11-13.md:9: papers[0].summary.en: warning: unknown LaTeX command \\unknown in "
        "$\\unknown x$; shown as code",
        "content/issues/2023-11-13.md:12: papers[0].abstract.en: warning: LaTeX shown as written: \\begin{",
    ]  # known shortcodes, formulas that render, times, words with colons and URLs are fine


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("yes", "YAML read 'yes' as true; write true, or \"yes\" if you meant text"),
        ("off", "YAML read 'off' as false; write false, or \"off\" if you meant text"),
    ],
)
def test_unquoted_values_yaml_turned_into_booleans(project: Project, written: str, message: str) -> None:
    text = issue_text(papers=[full_paper()], body="소개\n\n<!-- en -->\nIntro\n")
    project.write("2023-11-13.md", text.replace("---\n", f"---\ndraft: {written}\n", 1))
    assert warnings(project) == [f"content/issues/2023-11-13.md:2:8: draft: warning: {message}"]


def test_unquoted_number_in_text_field_is_an_error(project: Project) -> None:
    project.write(
        "2023-11-13.md", issue_text(papers=[full_paper()]).replace("- title:\n", "- id: 2311.09210\n  title:\n", 1)
    )
    (error,) = check(project.config()).errors
    assert str(error) == (
        "content/issues/2023-11-13.md:4:7: papers[0].id: must be text, but YAML read '2311.09210' "
        'as a number; quote it: "2311.09210"'
    )


def test_render_warnings_are_included(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    from digestgen.errors import Problem
    from digestgen.render import Renderer

    original = Renderer.group_jobs

    def group_jobs(self: Renderer, *args: Any) -> Any:
        self.warnings.append(
            Problem("content/issues/2023-11-13.md", 9, 1, "papers[0].summary.en", "bad math", warning=True)
        )
        return original(self, *args)

    monkeypatch.setattr(Renderer, "group_jobs", group_jobs)
    clean_issue(project)
    assert warnings(project) == ["content/issues/2023-11-13.md:9:1: papers[0].summary.en: warning: bad math"]


def test_drafts_are_checked_too(project: Project) -> None:
    project.add_issue(draft=True, papers=[{"title": {"en": "x"}}])
    assert [str(e) for e in check(project.config()).errors] == [
        "content/issues/2023-11-13.md:4:3: papers[0].summary.en: required"
    ]


def test_broken_settings_still_give_json(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    (project.root / "site.yaml").write_text("title: [\n", encoding="utf-8")
    assert main(["check", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [e["text"] for e in data["errors"]] == [
        "site.yaml:2:1: YAML syntax error: expected the node content, but found '<stream end>'"
    ]
