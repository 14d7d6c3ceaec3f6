"""`digestgen export post WEEK`: the forum post in the seed's text form, which `import post` reads
back into the same issue."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digestgen.cli import main
from digestgen.config import load_config
from digestgen.forum_post import export_post, post_text
from digestgen.imports.draft import DraftIssue, DraftPaper
from digestgen.imports.issue_file import issue_file
from digestgen.imports.post import read_post
from digestgen.imports.text import blocks_to_markdown, escape_text
from digestgen.load import parse_issue
from digestgen.model import Bilingual, Issue, Link
from digestgen.source import SourceFile, parse_yaml, read_source
from helpers import FIXTURES, REPO, Project
from test_benchmark_corpus import corpus_module

EXAMPLE = REPO / "content" / "issues" / "2023-11-13.md"
SITE_NOTICE = load_config(REPO / "site.yaml").notice


def load(path: Path) -> Issue:
    return parse_issue(read_source(path))


def carried(issue: Issue, site_notice: Bilingual = SITE_NOTICE) -> object:
    """What the post form holds of an issue (it has no ids, tags or English-only extras)."""
    return (
        issue.week,
        issue.week_end,
        issue.title.ko,
        (issue.notice or site_notice).ko,
        issue.intro.ko,
        issue.source,
        [
            (
                p.title.ko,
                p.title.en,
                p.summary.ko,
                p.summary.en,
                p.abstract.ko,
                p.abstract.en,
                [link for link in p.links if link.label == "paper"],
                p.tweet,
            )
            for p in issue.papers
        ],
    )


def test_export_then_import_gives_back_the_example_file(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write("2023-11-13.md", EXAMPLE.read_text(encoding="utf-8"))
    assert main(["export", "post", "2023-11-13", "-o", "post.txt"]) == 0
    assert capsys.readouterr().err == "wrote post.txt\n"  # and no warning: everything comes back
    (project.root / "content" / "issues" / "2023-11-13.md").unlink()
    assert main(["import", "post", "post.txt"]) == 0
    assert (project.root / "content" / "issues" / "2023-11-13.md").read_bytes() == EXAMPLE.read_bytes()


def test_export_is_the_seed_post(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """The seed, as copied from the forum, differs only by copy artefacts: '##' stuck to some
    paper titles and no newline at the end."""
    project.write("2023-11-13.md", EXAMPLE.read_text(encoding="utf-8"))
    assert main(["export", "post", "2023-11-13"]) == 0
    out = capsys.readouterr().out
    seed = (FIXTURES / "seed.txt").read_text(encoding="utf-8")
    assert out == re.sub(r"^##", "", seed, flags=re.MULTILINE) + "\n"
    lines = out.split("\n")
    assert lines[0] == "[2023/11/13 ~ 11/19] 이번 주의 주요 ML 논문 (Top ML Papers of the Week)"
    assert lines.count("논문 소개") == 10 and lines.count("논문 링크") == 10 and lines.count("더 읽어보기") == 10
    assert lines[-2] == "원문"


def test_a_missing_week_is_an_error(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "post", "2023-11-20"]) == 1
    assert "content/issues/2023-11-20.md: no issue for week 2023-11-20" in capsys.readouterr().err


def test_markdown_the_post_cannot_show_is_named(project: Project) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("디퓨젼 모델을 기반으로", "**디퓨젼 모델**을 기반으로", 1)
    path = project.write("2023-11-13.md", text)
    post = export_post(load(path), SITE_NOTICE)
    assert [(w.field, w.warning) for w in post.warnings] == [("papers[0].summary.ko", True)]
    assert "does not come back the same" in post.warnings[0].message
    assert post.warnings[0].line == text.split("\n").index("    summary:") + 2  # 1-based: the line after it, "ko: |-"


def test_benchmark_weeks_round_trip(tmp_path: Path) -> None:
    corpus = corpus_module()
    corpus.write_digestgen(corpus.make_corpus(4), tmp_path)
    for path in sorted((tmp_path / "content" / "issues").glob("*.md")):
        issue = load(path)
        post = export_post(issue, SITE_NOTICE)
        assert post.warnings == ()
        draft, problems = read_post(post.text, "post")
        assert not [p for p in problems if not p.warning]
        assert draft is not None
        assert carried(reimported(draft, tmp_path)) == carried(issue)


def reimported(draft: DraftIssue, folder: Path) -> Issue:
    """The issue `import post` writes for a draft, loaded as the build loads it."""
    name = f"{draft.week.isoformat()}.md"
    text = issue_file(draft, name)
    front, _, body = text[4:].partition("\n---\n")
    source = SourceFile(folder / name, name, parse_yaml(front + "\n", name, first_line=2), body, front.count("\n") + 4)
    return parse_issue(source)


# Lines as a post has them: Korean or English words with the characters that need escaping in
# Markdown, math, URLs and emoji shortcodes.
KO_WORDS = st.sampled_from(
    ["검색", "증강", "모델", "논문", "*강조*", "_밑줄_", "[괄호]", "$x^2$", "`코드`", "#태그", "1."]
)
EN_WORDS = st.sampled_from(
    ["model", "LLM", "a*b", "x_1", "<tag>", "$\\alpha$", "https://arxiv.org/abs/2311.1", ":smile:", "50%", "&amp;"]
)


def sentence(words: st.SearchStrategy[str], lead: str) -> st.SearchStrategy[str]:
    return st.lists(words, min_size=1, max_size=6).map(lambda ws: lead + " " + " ".join(ws))


def markdown(words: st.SearchStrategy[str], lead: str) -> st.SearchStrategy[str]:
    """A field as `import post` writes it: escaped lines, as paragraphs or '- ' items."""
    item = st.tuples(st.booleans(), sentence(words, lead).map(escape_text))
    return st.lists(item, min_size=1, max_size=3).map(blocks_to_markdown)


@st.composite
def weeks(draw: st.DrawFn) -> DraftIssue:
    start = date(2023, 1, 2) + timedelta(weeks=draw(st.integers(0, 100)))
    papers = []
    for n in range(draw(st.integers(1, 4))):
        has_abstract = draw(st.booleans())
        papers.append(
            DraftPaper(
                title=Bilingual(ko=f"논문 {n} 제목", en=f"Paper {n}: A Title"),
                summary=Bilingual(draw(markdown(KO_WORDS, "요약")), draw(markdown(EN_WORDS, "Summary"))),
                abstract=Bilingual(draw(markdown(KO_WORDS, "초록")), draw(markdown(EN_WORDS, "Abstract")))
                if has_abstract
                else Bilingual(),
                links=(Link("paper", f"https://arxiv.org/abs/2301.{n:05d}"),) if draw(st.booleans()) else (),
                tweet=f"https://x.com/a/status/{n + 1}",
            )
        )
    return DraftIssue(
        week=start,
        week_end=start + timedelta(days=6),
        title=Bilingual(ko=f"[{start:%Y/%m/%d} ~ {start + timedelta(days=6):%m/%d}] 이번 주의 주요 ML 논문"),
        notice=Bilingual(ko="- 자동 요약입니다.\n- 덧글로 알려주세요! :smile:"),
        intro=Bilingual(ko=draw(markdown(KO_WORDS, "소개"))),
        source=draw(st.sampled_from(["", "https://discuss.pytorch.kr/t/1"])),
        papers=tuple(papers),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(weeks())
def test_generated_weeks_round_trip(tmp_path: Path, week: DraftIssue) -> None:
    issue = reimported(week, tmp_path)
    text = post_text(issue, SITE_NOTICE)
    draft, problems = read_post(text, "post")
    assert draft is not None, problems
    assert carried(reimported(draft, tmp_path)) == carried(issue)
    assert export_post(issue, SITE_NOTICE).warnings == ()
