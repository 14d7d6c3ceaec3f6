"""`digestgen import list`: the English weekly list (Markdown sections with a table) → issue files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from digestgen.build import build
from digestgen.cli import main
from digestgen.errors import display_path
from digestgen.imports.issue_file import issue_file
from digestgen.imports.weekly_list import read_list
from digestgen.load import load_content
from helpers import FIXTURES, Project

LIST = FIXTURES / "import" / "weekly-list.md"
NO_YEAR = FIXTURES / "import" / "weekly-list-no-year.md"


def week_text(heading: str, toc: str = "") -> str:
    return (
        f"{toc}\n## {heading}\n| **Paper**  | **Links** |\n| --- | --- |\n"
        f"| 1) **A Paper** - does things. | [Paper](https://arxiv.org/abs/1), [Tweet](https://x.com/a/status/1) |\n"
    )


@pytest.mark.parametrize(
    ("heading", "year", "start", "end"),
    [
        ("Top ML Papers of the Week (Jan 1-8)", 2023, date(2023, 1, 1), date(2023, 1, 8)),
        ("Top ML Papers of the Week (Feb 13 - 19)", 2023, date(2023, 2, 13), date(2023, 2, 19)),
        ("Top ML Papers of the Week (Mar 20-Mar 26)", 2023, date(2023, 3, 20), date(2023, 3, 26)),
        ("Top ML Papers of the Week (May 29-June 4)", 2023, date(2023, 5, 29), date(2023, 6, 4)),
        ("Top ML Papers of the Week (November 13 - November 19)", 2023, date(2023, 11, 13), date(2023, 11, 19)),
        ("Top ML Papers of the Week (December 30 - January 5) - 2025", None, date(2024, 12, 30), date(2025, 1, 5)),
        ("Top ML Papers of the Week (Sept 4 - Sept 10)", 2023, date(2023, 9, 4), date(2023, 9, 10)),
    ],
)
def test_heading_variants(heading: str, year: int | None, start: date, end: date) -> None:
    drafts, problems = read_list(week_text(heading), "list.md", year=year)
    assert problems == []
    assert [(d.week, d.week_end, d.line) for d in drafts] == [(start, end, 2)]


def test_year_comes_from_the_table_of_contents_group() -> None:
    toc = (
        "## 2024\n\n- [Top ML Papers of the Week (Jan 1 - Jan 7)](./#x)\n\n"
        "**2023**\n- [Top ML Papers of the Week (Feb 13 - 19)](./#top-ml-papers-of-the-week-feb-13---19)\n"
    )
    drafts, problems = read_list(week_text("Top ML Papers of the Week (Feb 13 - 19)", toc), "list.md", year=2030)
    assert problems == [] and drafts[0].week == date(2023, 2, 13)  # the TOC wins over --year


def test_the_whole_list(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "list", str(LIST)]) == 0
    assert capsys.readouterr().err == ""
    issues = {issue.key: issue for issue in load_content(project.root / "content").issues}
    assert sorted(issues) == ["2023-02-13", "2023-03-20", "2023-05-29", "2023-11-13", "2024-12-30"]

    deepseek, traces = issues["2024-12-30"].papers  # newer rows: plain title, two spaces, description
    assert deepseek.title.en == "DeepSeek-V3" and deepseek.title.ko == ""  # translation pending
    assert deepseek.summary.en.startswith("A 671B-parameter MoE model; trained for ~\\$5.6M")
    assert [(link.label, link.url) for link in deepseek.links] == [
        ("Technical Report", "https://github.com/deepseek-ai/DeepSeek-V3/blob/main/DeepSeek_V3.pdf")
    ]
    assert deepseek.tweet == "https://x.com/deepseek_ai/status/1872242657348710721"
    assert traces.title.en == "Reasoning traces"
    assert [(link.label, link.url) for link in traces.links] == [
        ("paper", "https://arxiv.org/abs/2501.00002"),
        ("Code", "https://github.com/example/traces"),
        ("Models", "https://huggingface.co/example/traces"),
    ]
    assert traces.tweet == "https://x.com/example/status/5"  # the '[Tweet)](…)' typo is still the tweet
    assert traces.summary.en.endswith("\n\n- First finding\n- Second finding with `code`")  # <br> and ● bullets

    emu, con = issues["2023-11-13"].papers  # older rows: bold title, ' - ', description
    assert emu.title.en == "Emu Video and Emu Edit"
    assert emu.summary.en == (
        "present new models for controlled image editing and text-to-video generation based on diffusion models."
    )
    assert con.title.en == '"Chain-of-Note": Robust RAG'
    assert [link.label for link in con.links] == ["paper", "Project", "Blog"]
    assert issues["2023-02-13"].papers[0].summary.en.endswith("more memory-efficient than Adam.")  # padding gone
    text = (project.root / "content" / "issues" / "2024-12-30.md").read_text(encoding="utf-8")
    assert '  - title:\n      ko: ""\n      en: "DeepSeek-V3"\n' in text  # an empty slot to translate into


def test_week_option_imports_one_week(project: Project) -> None:
    assert main(["import", "list", str(LIST), "--week", "2023-05-31"]) == 0
    assert [p.name for p in (project.root / "content" / "issues").iterdir()] == ["2023-05-29.md"]


def test_missing_year_and_unreadable_dates_are_reported_with_their_lines(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "list", str(NO_YEAR)]) == 1
    shown = display_path(NO_YEAR)
    assert capsys.readouterr().err.splitlines() == [
        f"{shown}:3: week: the heading 'Top ML Papers of the Week (Jan 1-8)' has no year, the table of "
        f"contents does not list it under one and no week near it has one; give it with --year",
        f"{shown}:8: week: cannot read the dates of this week from 'Top ML Papers of the Week (Sometime in "
        f"spring)' (expected e.g. '(November 13 - November 19)')",
        "2 errors; no file was written.",
    ]
    assert list((project.root / "content" / "issues").iterdir()) == []
    # Asked for one readable week, the unreadable one is only a warning; --year supplies the year.
    assert main(["import", "list", str(NO_YEAR), "--year", "2023", "--week", "2023-01-01"]) == 0
    assert f"{shown}:8: week: warning: cannot read the dates" in capsys.readouterr().err
    assert [p.name for p in (project.root / "content" / "issues").iterdir()] == ["2023-01-01.md"]
    assert main(["import", "list", str(NO_YEAR), "--year", "2023", "--force"]) == 1  # all weeks: still an error


def test_a_file_without_weeks_is_an_error(tmp_path: Path) -> None:
    drafts, problems = read_list("# Just a README\n\nNothing here.\n", "x.md")
    assert drafts == [] and [str(p) for p in problems] == [
        "x.md:1: no week found: expected '## Top ML Papers of the Week (…)' headings, each followed by a "
        "'| Paper | Links |' table"
    ]


def test_row_without_a_title_separator_is_kept_with_a_warning() -> None:
    text = "## Top ML Papers of the Week (Jan 1-8) - 2023\n| Paper | Links |\n| --- | --- |\n| 1) Justonephrase | |\n"
    drafts, problems = read_list(text, "x.md")
    assert drafts[0].papers[0].title.en == "Justonephrase" and drafts[0].papers[0].summary.en == "Justonephrase"
    assert [str(p) for p in problems] == [
        "x.md:4: papers[0].title.en: warning: cannot tell where the title ends (expected '**Title** - description' "
        "or two spaces after the title); the whole text is used as title and summary"
    ]


def test_literal_text_stays_literal_on_the_built_site(project: Project) -> None:
    """<think>, ~$9 and man:woman::king:queen are text: not HTML, not math, not emoji."""
    assert main(["import", "list", str(LIST), "--week", "2025-01-01"]) == 0
    build(project.config())
    for lang in ("ko", "en"):
        soup = BeautifulSoup(
            (project.output / lang / "issues" / "2024-12-30" / "index.html").read_text("utf-8"), "html5lib"
        )
        summaries = soup.select(".summary")
        text = " ".join(s.get_text(" ", strip=True) for s in summaries)
        assert "trained for ~$5.6M, i.e. ~$9 per ... hour at $2 per GPU hour." in text
        assert "literal <think> ... </think> tags" in text
        assert "analogies like man:woman::king:queen still hold." in text
        assert soup.find("think") is None and soup.find("math") is None
        assert not any(ord(ch) >= 0x1F000 for ch in text)  # no emoji was made
        assert [li.get_text() for li in soup.select(".summary li")] == ["First finding", "Second finding with code"]


def test_crlf_list_gives_the_same_files(tmp_path: Path) -> None:
    crlf = tmp_path / "crlf.md"
    crlf.write_bytes(LIST.read_bytes().replace(b"\n", b"\r\n"))
    outputs = []
    for source in (LIST, crlf):
        target = tmp_path / source.stem
        assert main(["import", "list", str(source), "--to", str(target)]) == 0
        outputs.append({p.name: p.read_bytes() for p in sorted(target.iterdir())})
    assert outputs[0] == outputs[1] and len(outputs[0]) == 5


_CELL = st.lists(
    st.sampled_from(
        [
            "**",
            "Title",
            " - ",
            "  ",
            "<br>",
            "●",
            "$",
            "~$9",
            ":",
            "man:woman::king:queen",
            "<think>",
            "\\|",
            "[Tweet)](https://x.com/a/status/1)",
            "[Code](https://c.example)",
            "[Paper](not-a-url)",
            "1)",
            "한국어",
            "`",
            " ",
        ]
    ),
    max_size=12,
).map("".join)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(_CELL, _CELL), min_size=1, max_size=4))
def test_any_row_is_read_and_written_without_a_traceback(rows: list[tuple[str, str]]) -> None:
    table = "".join(f"| {a} | {b} |\n" for a, b in rows)
    text = f"## Top ML Papers of the Week (Jan 1-8) - 2023\n| Paper | Links |\n| --- | --- |\n{table}"
    drafts, problems = read_list(text, "x.md")
    assert all(p.line for p in problems)  # every message points at a line
    for draft in drafts:
        assert len(draft.papers) == len(rows)
        issue_file(draft, "2023-01-01.md")  # reads back as written, or raises


REAL = FIXTURES / "import" / "weekly-list-real.md"
"""The real list's shape (#14 finding 2): no years in the headings, a table of contents whose link
text differs from the heading (its anchor matches), newest first across New Year, a row without a
summary, a 'Code & Data' label, double spaces inside titles, a paper in two weeks."""


def test_real_format_list_imports_and_builds(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "list", str(REAL)]) == 0  # no --year: the list itself says enough
    out = capsys.readouterr().out
    shown = display_path(REAL)
    assert out.splitlines()[:7] == [
        "wrote content/issues/2024-01-08.md (3 papers)",
        "wrote content/issues/2024-01-01.md (2 papers)",
        "wrote content/issues/2023-12-25.md (3 papers)",  # TOC text 'December 24', anchor december-25
        "wrote content/issues/2023-12-18.md (3 papers)",
        "wrote content/issues/2023-12-11.md (1 paper)",
        "imported 5 weeks, 12 papers into content/issues/",
        "6 places where the import guessed (check them):",
    ]
    guesses = out.splitlines()[7:]
    assert guesses == [
        f"  {shown}:18: week: year 2024 from the order of the list (the week below, line 26, starts on "
        f"2024-01-01): 2024-01-08 ~ 2024-01-14",
        f"  {shown}:21: papers[0].id: 'musicgen' is already used by {shown}:46; written as id 'musicgen-2' "
        f"(if it is the same paper, keep one of them)",
        f"  {shown}:22: papers[1].title.en: the title ends at the double space before 'Mistral AI releases ' "
        f"(the earlier one is inside the title: 'Mixtral of Experts')",
        f"  {shown}:26: week: year 2024 from the order of the list (the week below, line 33, starts on "
        f"2023-12-25): 2024-01-01 ~ 2024-01-07",
        f"  {shown}:38: papers[2].summary: no summary in the table: written with 'absent: [summary]' "
        f"(readers see 'No summary in the original')",
        f"  {shown}:49: week: year 2023 from the order of the list (the week above, line 41, starts on "
        f"2023-12-18): 2023-12-11 ~ 2023-12-17",
    ]
    issues = {issue.key: issue for issue in load_content(project.root / "content").issues}
    musicgen, mixtral, self_rewarding = issues["2024-01-08"].papers
    assert (musicgen.id, issues["2023-12-18"].papers[2].id) == ("musicgen-2", "musicgen")  # oldest keeps it
    assert mixtral.title.en == "Mixtral of Experts"
    assert mixtral.summary.en.startswith("Mistral AI releases Mixtral 8x7B")
    assert [(link.label, link.url) for link in mixtral.links][1] == (
        "Code & Data",
        "https://github.com/mistralai/mistral-src",
    )
    assert self_rewarding.title.en == "Self-Rewarding Language Models"
    assert issues["2024-01-01"].papers[1].title.en == "Fast Inference of Mixture-of-Experts"
    gemini = issues["2023-12-25"].papers[2]
    assert gemini.title.en == "Gemini vs GPT-4V" and gemini.absent == {"summary"}

    assert main(["build"]) == 0
    assert "error" not in capsys.readouterr().err
    assert main(["check"]) == 0
    assert " 0 errors" in capsys.readouterr().out
    page = BeautifulSoup(project.read("en/papers/gemini-vs-gpt-4v/"), "html5lib")
    assert [m.get_text() for m in page.select(".summary .absent-mark")] == ["No summary in the original"]
    page = BeautifulSoup(project.read("en/papers/mixtral-of-experts/"), "html5lib")
    assert [(a.get_text(), a["href"]) for a in page.select(".paper-links a.link-code-data")] == [
        ("Code & Data", "https://github.com/mistralai/mistral-src")
    ]
    assert (project.output / "en" / "papers" / "musicgen-2" / "index.html").exists()


@pytest.mark.parametrize("year", ["23", "0023", "1999", "2101", "twenty"])
def test_year_must_be_four_digits_in_range(year: str, project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["import", "list", str(NO_YEAR), "--year", year])
    assert exit_info.value.code == 2
    assert f"--year: must be a year written with four digits, 2000–2100 (e.g. 2023), not '{year}'" in (
        capsys.readouterr().err
    )
    assert list((project.root / "content" / "issues").iterdir()) == []


def test_year_option_anchors_the_newest_week_and_the_order_gives_the_rest() -> None:
    text = week_text("Top ML Papers of the Week (January 1 - January 7)") + week_text(
        "Top ML Papers of the Week (December 25 - December 31)"
    )
    drafts, problems = read_list(text, "list.md", year=2024)
    assert problems == []
    assert [d.week for d in drafts] == [date(2024, 1, 1), date(2023, 12, 25)]
    assert [str(g) for d in drafts for g in d.guesses] == [
        "list.md:7: week: year 2023 from the order of the list (the week above, line 2, starts on 2024-01-01): "
        "2023-12-25 ~ 2023-12-31"
    ]


def test_a_week_with_a_year_below_gives_the_year_to_those_above() -> None:
    text = week_text("Top ML Papers of the Week (January 6 - January 12)") + week_text(
        "Top ML Papers of the Week (December 30 - January 5) - 2025"
    )
    drafts, problems = read_list(text, "list.md")
    assert problems == [] and [d.week for d in drafts] == [date(2025, 1, 6), date(2024, 12, 30)]


def test_ids_are_unique_against_existing_content(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.add_issue("2023-11-13", papers=[{"title": {"en": "CogAgent"}, "summary": {"en": "Earlier."}}])
    assert main(["import", "list", str(REAL), "--week", "2023-12-25"]) == 0
    assert "'cogagent' is already used by content/issues/2023-11-13.md:4; written as id 'cogagent-2'" in (
        capsys.readouterr().out
    )
    assert main(["build"]) == 0
