"""`digestgen import post`: community posts → issue files that the loader reads back as written."""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digestgen.cli import main
from digestgen.errors import display_path as display
from digestgen.imports.draft import DraftIssue, DraftPaper
from digestgen.imports.issue_file import front_matter_data, issue_file
from digestgen.imports.post import read_post
from digestgen.load import parse_issue
from digestgen.model import Bilingual, Issue, Link
from digestgen.source import parse_yaml, read_source
from helpers import FIXTURES, REPO, Project

IMPORT = FIXTURES / "import"


def imported(project: Project, *files: str | Path, args: tuple[str, ...] = ()) -> int:
    return main(["import", "post", *map(str, files), *args])


def load(path: Path) -> Issue:
    return parse_issue(read_source(path))


def test_seed_import_is_the_repository_content_file(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert imported(project, FIXTURES / "seed.txt") == 0
    written = project.root / "content" / "issues" / "2023-11-13.md"
    assert written.read_bytes() == (REPO / "content" / "issues" / "2023-11-13.md").read_bytes()
    captured = capsys.readouterr()
    assert captured.out == (
        "wrote content/issues/2023-11-13.md (10 papers)\nimported 1 week, 10 papers into content/issues/\n"
    )
    assert captured.err == ""  # the seed has nothing that needs a warning


def test_seed_reads_into_the_model(project: Project) -> None:
    assert imported(project, FIXTURES / "seed.txt") == 0
    issue = load(project.root / "content" / "issues" / "2023-11-13.md")
    assert (issue.week, issue.week_end) == (date(2023, 11, 13), date(2023, 11, 19))
    assert issue.title.ko == "[2023/11/13 ~ 11/19] 이번 주의 주요 ML 논문 (Top ML Papers of the Week)"
    assert issue.notice.ko.splitlines()[0].startswith("- 이 글은 GPT 모델로 자동 요약한 설명으로")
    assert issue.intro.ko.startswith("이번 주에는 LLM(Large Language Models)")
    assert issue.intro.ko.count("\n\n") == 2  # three paragraphs
    assert len(issue.papers) == 10
    con = issue.papers[1]
    assert con.title == Bilingual(
        "CoN(Chain-of-Note): 검색 증강 언어 모델의 견고성 향상",
        "Chain-of-Note: Enhancing Robustness in Retrieval-Augmented Language Models",
    )
    assert con.tweet == "https://x.com/omarsar0/status/1725181141693472959"
    assert con.links == ()  # the post's paper URLs were lost; nothing is invented
    assert not issue.papers[0].abstract  # Emu has no abstract
    assert "$\\textit{자기 개선}$" in issue.papers[6].abstract.ko  # LaTeX kept for the math renderer


def test_crlf_trailing_spaces_and_bom_make_no_difference(project: Project, tmp_path: Path) -> None:
    text = (FIXTURES / "seed.txt").read_text(encoding="utf-8")
    messy = tmp_path / "messy.txt"
    messy.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(line + "  " for line in text.split("\n")).encode())
    assert imported(project, messy) == 0
    written = project.root / "content" / "issues" / "2023-11-13.md"
    assert written.read_bytes() == (REPO / "content" / "issues" / "2023-11-13.md").read_bytes()


def test_messy_post(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert imported(project, IMPORT / "post-messy.txt") == 0
    issue = load(project.root / "content" / "issues" / "2024-12-30.md")
    assert (issue.week, issue.week_end) == (date(2024, 12, 30), date(2025, 1, 5))
    assert issue.title.ko.startswith("[2024/12/30 ~ 2025/01/05]")
    assert issue.source == "https://discuss.example.org/t/top-ml-papers/1234"  # 원문, URL on the next line
    assert issue.notice.ko.splitlines() == [
        "- 이 글은 GPT 모델로 자동 요약한 설명으로, 잘못된 내용이 있을 수 있으니 원문을 참고해주세요! 🤗",
        "- 읽으시면서 어색하거나 잘못된 내용을 발견하시면 덧글로 알려주시기를 부탁드립니다! :bowing_man:",
    ]
    # no 소개 heading; :one: items and a lone '-' line; missing blank lines between blocks
    assert issue.intro.ko.split("\n\n") == [
        ":one: 첫째, 추론 모델이 빠르게 늘고 있습니다.",
        ":two: 둘째, 에이전트 평가가 \\*중요해졌습니다\\*.",  # the post's asterisks are text, not emphasis
        ":three: 셋째, 비용은 $O(n^2)$ 에서 줄어듭니다.",
        "- 새해에도 잘 부탁드립니다! 🎉",
    ]
    thinking, orca = issue.papers
    assert thinking.title == Bilingual('"생각하는" 모델', "\"Thinking\" Models: Why 'Reasoning' Matters")
    assert thinking.summary.en == 'Explains how reasoning models "think". It costs $\\mathcal{O}(n)$ per token.'
    assert thinking.abstract == Bilingual(
        "초록의 한국어 문장입니다.", "Abstract in English, with a URL https://example.org/a_b_c inside."
    )
    assert [(link.label, link.url) for link in thinking.links] == [("paper", "https://arxiv.org/abs/2501.00001")]
    assert thinking.tweet == "https://x.com/example/status/1"
    # the unplaceable line is kept (on the nearest field) and reported with its line
    assert thinking.summary.ko.endswith("\n\n이 줄은 어디에도 속하지 않습니다.")
    err = capsys.readouterr().err
    assert err == (
        f"{display(IMPORT / 'post-messy.txt')}:22: papers[0].summary.ko: warning: this line does not belong "
        f"to any part of the paper; kept at the end of the summary ('이 줄은 어디에도 속하지 않습니다.')\n"
    )
    assert orca.title == Bilingual("", "Orca 2")  # a one-language heading is kept as it is (## stripped)
    assert orca.links == () and orca.tweet == "https://x.com/example/status/2"


def test_short_range_bullet_intro_and_korean_only_title(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert imported(project, IMPORT / "post-short.txt") == 0
    written = project.root / "content" / "issues" / "2025-07-07.md"
    meta = read_source(written).meta.data
    assert isinstance(meta, dict)
    assert meta["week"] == date(2025, 7, 7) and "week_end" not in meta  # [2025/07/07 ~ 13] is a normal week
    assert meta["papers"][0]["title"] == {"ko": "작은 모델의 반격"}
    assert meta["papers"][0]["links"] == {"paper": "https://arxiv.org/abs/2507.00002"}  # URL on the 논문 링크 line
    assert "source" not in meta  # 원문 without a URL
    assert read_source(written).body == (
        '- 이번 주에는 에이전트 논문이 많았습니다.\n- 또한 "작은" 모델의 성능이 크게 좋아졌습니다.\n- 마지막 항목입니다.\n'
    )
    shown = display(IMPORT / "post-short.txt")
    assert sorted(capsys.readouterr().err.splitlines()) == sorted(
        [
            f"{shown}:13: papers[0].title.en: warning: required in content/issues/2025-07-07.md:11:7; "
            f"the build will stop there until this is fixed",
            f"{shown}:9: intro: warning: a lone '-' with no text after it; left out",
            f"{shown}:13: papers[0].title.en: warning: the title has no English part; it is kept as the Korean "
            f"title (add title.en before building)",
        ]
    )


def test_strict_turns_warnings_into_errors_and_writes_nothing(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert imported(project, IMPORT / "post-messy.txt", FIXTURES / "seed.txt", args=("--strict",)) == 1
    assert list((project.root / "content" / "issues").iterdir()) == []
    err = capsys.readouterr().err
    assert f"{display(IMPORT / 'post-messy.txt')}:22: papers[0].summary.ko: this line does not belong" in err
    assert "warning" not in err
    assert err.endswith("1 error; no file was written.\n")


def test_refuses_to_overwrite_without_force(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    target = project.add_issue("2023-11-13")
    before = target.read_bytes()
    assert imported(project, FIXTURES / "seed.txt") == 1
    assert target.read_bytes() == before
    assert (
        f"{display(FIXTURES / 'seed.txt')}:1: week: content/issues/2023-11-13.md already exists; "
        f"use --force to replace it"
    ) in capsys.readouterr().err
    assert imported(project, FIXTURES / "seed.txt", args=("--force",)) == 0
    assert target.read_bytes() == (REPO / "content" / "issues" / "2023-11-13.md").read_bytes()


def test_reads_stdin_and_writes_where_told(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO((FIXTURES / "seed.txt").read_bytes()))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert imported(project, "-", args=("--to", "elsewhere")) == 0
    assert (project.root / "elsewhere" / "2023-11-13.md").read_bytes() == (
        REPO / "content" / "issues" / "2023-11-13.md"
    ).read_bytes()


def test_two_posts_of_one_week_are_refused(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert imported(project, FIXTURES / "seed.txt", FIXTURES / "seed.txt") == 1
    assert "week 2023-11-13 is also in" in capsys.readouterr().err
    assert list((project.root / "content" / "issues").iterdir()) == []


@pytest.mark.parametrize(
    ("range_", "start", "end"),
    [
        ("2023/11/13 ~ 11/19", date(2023, 11, 13), date(2023, 11, 19)),
        ("2024/12/30 ~ 2025/01/05", date(2024, 12, 30), date(2025, 1, 5)),
        ("2024/12/30 ~ 01/05", date(2024, 12, 30), date(2025, 1, 5)),
        ("2025/07/07 ~ 13", date(2025, 7, 7), date(2025, 7, 13)),
        ("2025/06/30 ~ 06", date(2025, 6, 30), date(2025, 7, 6)),
        ("2025/1/6 ~ 1/12", date(2025, 1, 6), date(2025, 1, 12)),
    ],
)
def test_title_date_ranges(range_: str, start: date, end: date) -> None:
    draft, problems = read_post(post_text(f"[{range_}] 이번 주의 주요 ML 논문"), "p.txt")
    assert problems == []
    assert draft is not None and (draft.week, draft.week_end) == (start, end)


@pytest.mark.parametrize(
    ("title", "message"),
    [
        (
            "[2023/02/30 ~ 03/05] 제목",
            "p.txt:1: week: the dates in the title cannot be read: day is out of range for month",
        ),
        ("[2023/11/13 ~ 12/19] 제목", "p.txt:1: week: the title's range 2023-11-13 ~ 2023-12-19 is not a week"),
        (
            "이번 주의 주요 ML 논문",
            "p.txt:1: title: no title line with the week's dates, like '[2023/11/13 ~ 11/19] 이번 주의 주요 ML 논문'",
        ),
    ],
)
def test_unreadable_titles_are_errors_with_their_line(title: str, message: str) -> None:
    draft, problems = read_post(post_text(title), "p.txt")
    assert draft is None
    assert [str(p) for p in problems] == [message]


def test_a_post_without_papers_is_an_error() -> None:
    draft, problems = read_post("[2023/11/13 ~ 11/19] 제목\n\n소개\n\n글만 있습니다.\n", "p.txt")
    assert draft is None
    assert [str(p) for p in problems] == [
        "p.txt:1: papers: no paper found: a paper starts with a title line followed by a '논문 소개' line"
    ]


def post_text(title: str) -> str:
    return (
        f"{title}\n\n  • 안내\n\n소개\n\n소개 글.\n\n논문 / Paper\n\n논문 소개\n\n  • 요약.\n\n"
        f"    Summary.\n\n논문 링크\n\n더 읽어보기\n\nhttps://x.com/a/status/1\n"
    )


def test_unknown_markers_text_and_extra_urls_are_kept_with_warnings() -> None:
    text = (
        post_text("[2023/11/13 ~ 11/19] 제목") + "https://x.com/a/status/2\n원문\nhttps://o.example/1\n그리고 덧붙임\n"
    )
    draft, problems = read_post(text, "p.txt")
    assert draft is not None
    paper = draft.papers[0]
    assert paper.tweet == "https://x.com/a/status/1"
    assert paper.links == (Link("more 2", "https://x.com/a/status/2"),)
    assert draft.source == "https://o.example/1"
    assert paper.summary.ko.endswith("\n\n그리고 덧붙임")
    assert [str(p) for p in problems] == [
        "p.txt:25: papers[0].summary.ko: warning: this line does not belong to any part of the paper; "
        "kept at the end of the summary ('그리고 덧붙임')"
    ]


# Text as hostile to YAML as text gets: the writer must quote or block it so it reads back unchanged.
_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)


@settings(max_examples=100, deadline=None)
@given(title=_text, summary=_text, url_tail=st.text("abc/_-#?:=", max_size=10))
def test_written_yaml_reads_back_as_written(title: str, summary: str, url_tail: str) -> None:
    draft = DraftIssue(
        week=date(2023, 11, 13),
        week_end=date(2023, 11, 20),
        title=Bilingual(ko=title),
        notice=Bilingual(ko=summary),
        source=f"https://example.org/{url_tail}",
        papers=(
            DraftPaper(
                title=Bilingual(title, title),
                summary=Bilingual(summary, summary),
                links=(Link("paper", f"https://e.org/{url_tail}"),),
            ),
        ),
    )
    text = issue_file(draft, "x.md")  # raises if the YAML would not read back as written
    front = text.split("\n---\n", 1)[0].removeprefix("---\n")
    assert parse_yaml(front + "\n", "x.md").data == front_matter_data(draft)


def test_input_that_is_not_utf8_names_file_and_line(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    post = tmp_path / "cp949.txt"
    post.write_bytes("[2023/11/13 ~ 11/19] 제목\n\n소개\n".encode("cp949"))
    assert imported(project, post) == 1
    assert (
        f"{display(post)}:1: file is not UTF-8 (it looks like CP949 (EUC-KR)); save it as UTF-8"
        in capsys.readouterr().err
    )


_LINES = st.sampled_from(
    [
        "",
        "",
        "  ",
        "논문 소개",
        "논문 초록",
        "논문 링크",
        "더 읽어보기",
        "원문",
        "소개",
        "-",
        "  • 불릿 문장 하나",
        "한국어 제목 / English Title",
        "##Stray heading",
        "   Indented English sentence",
        "그냥 한국어 문장",
        "https://x.com/a/status/9",
        "원문: https://o.example/p",
        ":one: 첫째 항목",
        "Plain English line",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_LINES, max_size=40))
def test_any_arrangement_of_post_lines_is_read_or_refused_never_lost(lines: list[str]) -> None:
    """Whatever order the lines come in: no exception; either errors, or a file in which every
    text line of the post is found (unless a warning names that line)."""
    text = "\n".join(["[2023/11/13 ~ 11/19] 제목", *lines])
    draft, problems = read_post(text, "p.txt")
    if draft is None:
        assert any(not p.warning for p in problems)
        return
    written = issue_file(draft, "2023-11-13.md").replace("\\", "")
    warned = {p.line for p in problems}
    for number, line in enumerate(text.split("\n"), start=1):
        words = line.strip().lstrip("•#-").strip()
        if (
            words
            and words not in ("논문 소개", "논문 초록", "논문 링크", "더 읽어보기", "원문", "소개")
            and number not in warned
        ):
            for part in words.replace("원문: ", "").split(" / "):  # a heading's two titles
                assert part in written, (number, line)


def test_title_repeated_with_site_chrome() -> None:
    chrome = "[2023/11/13 ~ 11/19] 이번 주의 주요 ML 논문 - 읽을거리&정보공유 - 파이토치 한국 사용자 모임"
    draft, problems = read_post(f"{chrome}\n" + post_text("[2023/11/13 ~ 11/19] 이번 주의 주요 ML 논문"), "p.txt")
    assert draft is not None and draft.title.ko == "[2023/11/13 ~ 11/19] 이번 주의 주요 ML 논문"
    assert draft.intro.ko == "소개 글."
    assert [str(p) for p in problems] == [
        "p.txt:1: title: warning: another title line (page chrome?) left out; the title is line 2"
    ]
