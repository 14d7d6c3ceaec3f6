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
        f"{shown}:3: week: the heading 'Top ML Papers of the Week (Jan 1-8)' has no year and the table of "
        f"contents does not list it under one; give it with --year",
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
