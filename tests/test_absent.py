"""`absent:` marks fields the original has none of (#14 finding 3): readers are told so, check stops asking."""

from __future__ import annotations

import json

import pytest
import yaml
from bs4 import BeautifulSoup

from digestgen.cli import main
from helpers import REPO, Project, paper


def marks(project: Project, url: str) -> list[str]:
    return [m.get_text() for m in BeautifulSoup(project.read(url), "html5lib").select(".absent-mark")]


def test_the_shipped_example_passes_check_strict(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REPO)
    assert main(["check", "--strict", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["warnings"] == [] and report["papers"] == 10


def test_absent_abstract_is_shown_as_such_and_not_warned(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.add_issue(
        "2023-11-13",
        papers=[paper(1, absent=["abstract"])],
        body="소개 글입니다.\n<!-- en -->\nAn introduction.\n",  # a Korean-only one would be marked pending
        notice={"ko": "알림"},
        absent=["notice.en"],
    )
    assert main(["check", "--strict"]) == 0
    assert "0 warnings" in capsys.readouterr().out
    assert main(["build"]) == 0
    assert marks(project, "ko/papers/paper-number-1/") == ["원문에 초록 없음"]
    assert marks(project, "en/papers/paper-number-1/") == ["No abstract in the original"]
    page = BeautifulSoup(project.read("en/issues/2023-11-13/"), "html5lib")
    notice = page.select_one(".notice")  # the notice falls back per language (#15): the site's English one
    assert notice is not None and "알림" not in notice.get_text()
    assert [text["lang"] for text in notice.select(".text")] == ["en"]
    assert page.select(".pending-mark") == [] and notice.select(".absent-mark") == []


def test_absent_notice_without_a_site_english_one_shows_the_korean_marked(project: Project) -> None:
    site = yaml.safe_load((project.root / "site.yaml").read_text(encoding="utf-8"))
    site["notice"] = {"ko": site["notice"]["ko"]}
    (project.root / "site.yaml").write_text(yaml.safe_dump(site, allow_unicode=True), encoding="utf-8")
    project.add_issue(
        "2023-11-13",
        papers=[paper(1)],
        body="소개 글입니다.\n<!-- en -->\nAn introduction.\n",
        notice={"ko": "알림"},
        absent=["notice.en"],
    )
    assert main(["build"]) == 0
    page = BeautifulSoup(project.read("en/issues/2023-11-13/"), "html5lib")
    notice = page.select_one(".notice")
    assert notice is not None and "알림" in notice.get_text()
    assert [m.get_text() for m in notice.select(".absent-mark")] == ["No English in the original"]
    assert page.select(".pending-mark") == []


def test_without_absent_the_same_content_is_warned(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.add_issue("2023-11-13", papers=[paper(1)], notice={"ko": "알림"})
    assert main(["check", "--strict"]) == 1
    err = capsys.readouterr().err
    assert "papers[0].abstract: warning: no abstract" in err and "notice.en: warning: missing translation" in err


def test_absent_summary_needs_no_english(project: Project) -> None:
    project.add_issue("2023-11-13", papers=[{"title": {"en": "Only a title"}, "absent": ["summary"]}])
    assert main(["build"]) == 0
    assert marks(project, "en/papers/only-a-title/") == ["No summary in the original"]
    assert marks(project, "ko/papers/only-a-title/") == ["원문에 소개 없음"]


def test_korean_absent_on_purpose_is_not_pending(project: Project) -> None:
    project.add_issue(
        "2023-11-13",
        papers=[paper(1, summary={"en": "English only"}, title={"en": "A title"}, absent=["summary.ko", "abstract"])],
    )
    assert main(["build"]) == 0
    page = BeautifulSoup(project.read("ko/papers/a-title/"), "html5lib")
    summary = page.select_one(".summary")
    assert summary is not None and summary.select(".pending-mark") == []
    assert [m.get_text() for m in summary.select(".absent-mark")] == ["원문에 한국어 없음"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"abstract": {"en": "An abstract"}, "absent": ["abstract"]},
            "papers[0].absent[0]: abstract has text, but is listed as absent; remove one or the other",
        ),
        ({"absent": ["abstarct"]}, "papers[0].absent[0]: 'abstarct' cannot be marked absent; did you mean 'abstract'?"),
        ({"absent": "abstract"}, "papers[0].absent: must be a list, not text"),
    ],
)
def test_absent_mistakes_are_errors_with_their_line(
    project: Project, capsys: pytest.CaptureFixture[str], fields: dict[str, object], message: str
) -> None:
    project.add_issue("2023-11-13", papers=[paper(1, **fields)])
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert message in err and "content/issues/2023-11-13.md:" in err


def test_translate_leaves_fields_absent_on_purpose(project: Project) -> None:
    from digestgen.source import read_source
    from digestgen.translate.fields import missing_fields

    english_only = {"en": "English only"}
    path = project.add_issue(
        "2023-11-13",
        papers=[paper(1, summary=english_only, absent=["summary.ko"]), paper(2, summary=english_only)],
    )
    names = [f.name for group in missing_fields(read_source(path)) for f in group]
    assert names == ["papers[1].summary.ko"]
