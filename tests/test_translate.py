"""`digestgen translate` and `reviewed` against a local chat-completions stub (127.0.0.1, no network)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from chat_stub import ChatStub, Script, korean
from digestgen.build import build
from digestgen.cli import main
from digestgen.imports.draft import DraftIssue, DraftPaper
from digestgen.imports.issue_file import issue_file
from digestgen.load import parse_issue
from digestgen.model import Bilingual, Issue
from digestgen.source import read_source
from helpers import REPO, Project, issue_text, paper

EXAMPLE = REPO / "content" / "issues" / "2023-11-13.md"
ENGLISH_INTRO = "This week: $O(n^2)$ attention, `torch.compile`, and [the list](https://example.org/list)."


@pytest.fixture
def stub() -> Iterator[ChatStub]:
    with ChatStub(Script()) as running:
        yield running


@pytest.fixture
def site(project: Project, stub: ChatStub, monkeypatch: pytest.MonkeyPatch) -> Project:
    """A project with the repository's prompt and glossary, pointed at the stub."""
    shutil.copytree(REPO / "translate", project.root / "translate")
    monkeypatch.setenv("OPENAI_BASE_URL", stub.url)
    monkeypatch.setenv("OPENAI_API_KEY", "local")
    with (project.root / "site.yaml").open("a", encoding="utf-8") as handle:
        handle.write("  backoff: 0.01\n")  # under translate:, the file's last section
    return project


def load(path: Path) -> Issue:
    return parse_issue(read_source(path))


def english_only() -> str:
    """The example issue as `import list` leaves a week: English only, empty Korean slots."""
    issue = load(EXAMPLE)
    papers = tuple(
        DraftPaper(
            title=Bilingual(en=p.title.en),
            summary=Bilingual(en=p.summary.en),
            abstract=Bilingual(en=p.abstract.en),
            links=p.links,
            tweet=p.tweet,
        )
        for p in issue.papers
    )
    draft = DraftIssue(week=issue.week, week_end=issue.week_end, papers=papers, pending_ko=True)
    text = issue_file(draft, "2023-11-13.md")
    return text + "<!-- en -->\n" + ENGLISH_INTRO + "\n"


def translate(*args: str) -> int:
    return main(["translate", *args])


def test_fills_every_korean_field_marks_it_and_a_second_run_changes_nothing(
    site: Project, stub: ChatStub, capsys: pytest.CaptureFixture[str]
) -> None:
    path = site.write("2023-11-13.md", english_only())
    assert translate() == 0
    out = capsys.readouterr().out
    issue = load(path)
    fields = [text for p in issue.papers for text in (p.title, p.summary, p.abstract) if text.en] + [issue.intro]
    assert len(fields) == 30
    for text in fields:
        assert text.ko == korean(text.en)
        assert text.machine
    assert "filled 30 Korean fields in 1 file; 30 requests, tokens: " in out
    assert len(stub.script.requests) == 30
    system = stub.script.requests[0]["messages"][0]["content"]
    assert system.startswith((REPO / "translate" / "prompt.md").read_text(encoding="utf-8").strip()[:60])

    before = path.read_bytes()
    assert translate() == 0
    assert "nothing to translate" in capsys.readouterr().out
    assert path.read_bytes() == before
    assert len(stub.script.requests) == 30  # nothing asked again


def test_the_site_shows_a_mark_on_each_machine_translated_field(site: Project, stub: ChatStub) -> None:
    site.write("2023-11-13.md", english_only())
    assert translate() == 0
    build(site.config())
    ko = BeautifulSoup(site.read("ko/issues/2023-11-13/"), "html.parser")
    for article in ko.select("article.paper"):
        assert [m.get_text() for m in article.select("h2 .machine-mark")] == ["기계 번역"]
        for section in article.select("section.summary, details.abstract"):
            assert [m.get_text() for m in section.select(".text .machine-mark")] == ["기계 번역"]
    assert [m.get_text() for m in ko.select("section.intro .machine-mark")] == ["기계 번역"]
    papers = ko.select("article.paper")
    abstracts = sum(1 for a in papers if a.select_one("details.abstract"))
    assert len(ko.select("article.paper .machine-mark")) == 2 * len(papers) + abstracts
    paper_page = BeautifulSoup(site.read("ko/papers/emu-video-and-emu-edit/"), "html.parser")
    assert len(paper_page.select(".machine-mark")) == 2  # title and summary (no abstract)
    en = site.read("en/issues/2023-11-13/")
    assert "machine-mark" not in en  # the English is the original


def test_edits_only_the_lines_of_the_fields_and_keeps_comments(site: Project) -> None:
    text = issue_text(
        papers=[
            {"title": {"en": "Fine-tuning with $x^2$"}, "summary": {"en": "First."}, "tags": ["LLM"]},
            {"title": {"en": "Second paper"}, "summary": {"en": "Second.\n\n- one\n- two"}},
        ],
        body="",
    )
    text = text.replace("papers:\n", "# the week's papers\npapers:   # ten of them\n")
    path = site.write("2023-11-13.md", text)
    assert translate() == 0
    new = path.read_text(encoding="utf-8").split("\n")
    old = text.split("\n")
    kept = iter(new)
    assert all(line in kept for line in old)  # every original line is still there, in order
    added = len(new) - len(old)
    assert added == 2 + 2 + 1 + 4 + 2  # ko lines: title, title, summary (1 line), summary (4), marks
    issue = load(path)
    assert issue.papers[1].summary.ko == "번역: Second.\n\n- one\n- two"


def test_never_overwrites_text_a_person_wrote(site: Project, stub: ChatStub) -> None:
    human = paper(1, summary={"ko": "사람이 쓴 요약", "en": "A summary."}, abstract={"en": "An abstract."})
    human["title"] = {"en": "A title"}
    path = site.add_issue(papers=[human], body="사람이 쓴 소개\n\n<!-- en -->\nAn introduction.\n")
    assert translate() == 0
    issue = load(path)
    assert issue.papers[0].summary == Bilingual("사람이 쓴 요약", "A summary.")
    assert issue.intro.ko == "사람이 쓴 소개" and not issue.intro.machine
    assert [m["messages"][1]["content"] for m in stub.script.requests] == ["A title", "An abstract."]
    assert issue.papers[0].title.machine and issue.papers[0].abstract.machine


def test_a_file_saved_by_an_editor_during_the_run_is_not_overwritten(
    site: Project, stub: ChatStub, capsys: pytest.CaptureFixture[str]
) -> None:
    path = site.add_issue(papers=[paper(1, title={"en": "One"}), paper(2, title={"en": "Two"})])
    saved = path.read_text(encoding="utf-8").replace("Summary 1", "Summary one, edited")

    def edit_then_answer(text: str) -> str:
        if text == "Two":  # the second paper is being translated: the editor saves meanwhile
            path.write_text(saved, encoding="utf-8")
        return korean(text)

    stub.script.translate = edit_then_answer
    assert translate() == 1
    assert path.read_text(encoding="utf-8") == saved
    err = capsys.readouterr().err
    assert "changed while it was being translated" in err and len(err.strip().splitlines()) == 1


def test_math_code_and_links_must_come_back_unchanged(
    site: Project, stub: ChatStub, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = "Cost $O(n^2)$ with `flash_attn` ([code](https://github.com/x/y)); see https://example.org/a."
    path = site.add_issue(papers=[paper(1, title={"en": "Kept"}, summary={"en": summary})])
    stub.script.translate = lambda text: korean(text.replace("$O(n^2)$", "O(n²)"))
    assert translate() == 0
    issue = load(path)
    assert issue.papers[0].summary.ko == "" and not issue.papers[0].summary.machine  # English stays shown
    assert issue.papers[0].title.ko == "번역: Kept"
    err = capsys.readouterr().err
    assert "2023-11-13.md:" in err and "papers[0].summary.ko: warning: kept in English: the reply lost" in err
    assert "$O(n^2)$" in err

    stub.script.translate = korean
    assert translate() == 0
    assert load(path).papers[0].summary.ko == korean(summary)


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        (lambda t: korean(t.replace("https://github.com/x/y", "https://github.com/x/z")), "lost or changed"),
        (lambda t: korean(t.replace("`flash_attn`", "flash_attn")), "lost or changed"),
        (lambda t: korean(t) + " https://spam.example/", "added"),
        (lambda t: korean(t.replace("- ", "")), "list item"),
        (lambda t: t, "no Korean"),
        (lambda t: "", "empty"),
    ],
)
def test_each_kind_of_damage_is_caught(
    site: Project, stub: ChatStub, capsys: pytest.CaptureFixture[str], broken: Callable[[str], str], reason: str
) -> None:
    summary = "Uses `flash_attn` ([code](https://github.com/x/y)).\n\n- fast\n- small"
    path = site.add_issue(papers=[paper(1, summary={"en": summary})])
    stub.script.translate = broken
    assert translate() == 0
    assert load(path).papers[0].summary == Bilingual(en=summary)
    assert "papers[0].summary.ko: warning: kept in English: " in (err := capsys.readouterr().err)
    assert reason in err


def test_rate_limits_are_retried(site: Project, stub: ChatStub) -> None:
    path = site.add_issue(papers=[paper(1, title={"en": "One"})])
    stub.script.rate_limited = 3
    assert translate() == 0
    assert load(path).papers[0].title.ko == "번역: One"
    assert len(stub.script.requests) == 4


def test_rate_limits_without_end_give_one_line(
    site: Project, stub: ChatStub, capsys: pytest.CaptureFixture[str]
) -> None:
    site.add_issue(papers=[paper(1, title={"en": "One"})])
    stub.script.rate_limited = 100
    assert translate() == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith("digestgen translate: the endpoint http://127.0.0.1:")
    assert "kept answering 429 (rate limit); gave up after 6 tries" in err[0]
    assert len(stub.script.requests) == 6


def test_a_malformed_reply_stops_the_run_and_keeps_what_was_done(
    site: Project, stub: ChatStub, capsys: pytest.CaptureFixture[str]
) -> None:
    papers = [paper(n, title={"en": f"Title {n}"}, summary={"en": f"Summary {n}"}) for n in range(1, 4)]
    path = site.add_issue(papers=papers)
    stub.script.malformed_at = {3}  # the first field of the second paper
    assert translate() == 1
    err = capsys.readouterr().err
    assert "digestgen translate: malformed reply from http://127.0.0.1:" in err
    issue = load(path)
    assert issue.papers[0].title.ko == "번역: Title 1" and issue.papers[0].summary.machine
    assert issue.papers[1].title.ko == "" and issue.papers[2].summary.ko == ""
    assert translate() == 0
    assert [p.summary.ko for p in load(path).papers] == [f"번역: Summary {n}" for n in range(1, 4)]


def test_a_killed_run_resumes_where_it_stopped(site: Project, stub: ChatStub, tmp_path: Path) -> None:
    papers = [paper(n, title={"en": f"Title {n}"}, summary={"en": f"Summary {n}"}) for n in range(1, 5)]
    path = site.add_issue(papers=papers)
    reference = tmp_path / "reference.md"
    shutil.copy(path, reference)
    stub.script.hold_at = 6  # the second field of the third paper: never answered
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "digestgen", "translate"],
        cwd=site.root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert stub.script.held.wait(timeout=60)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    issue = load(path)  # whole and valid: two papers written and marked, the rest untouched
    assert [p.summary.ko for p in issue.papers] == ["번역: Summary 1", "번역: Summary 2", "", ""]
    assert [p.title.machine for p in issue.papers] == [True, True, False, False]
    asked = len(stub.script.requests)
    stub.script.hold_at = 0
    assert translate() == 0
    assert len(stub.script.requests) - asked == 4  # the third and fourth papers' titles and summaries
    finished = path.read_bytes()

    shutil.copy(reference, path)
    assert translate() == 0
    assert path.read_bytes() == finished  # as if the run had never been interrupted


def test_dry_run_prints_the_diff_and_writes_nothing(
    site: Project, stub: ChatStub, capsys: pytest.CaptureFixture[str]
) -> None:
    path = site.add_issue(papers=[paper(1, title={"en": "One"})])
    before = path.read_bytes()
    assert translate("--dry-run") == 0
    out = capsys.readouterr().out
    assert path.read_bytes() == before
    assert "--- a/content/issues/2023-11-13.md\n+++ b/content/issues/2023-11-13.md\n" in out
    assert '+    ko: "번역: One"\n' in out
    assert "+  machine_translated: [title.ko]\n" in out or "+    machine_translated: [title.ko]\n" in out
    assert "would fill 1 Korean field in 1 file" in out


def test_missing_key_unreachable_endpoint_and_refused_model_are_one_line(
    site: Project, stub: ChatStub, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    site.add_issue(papers=[paper(1, title={"en": "One"})])
    monkeypatch.delenv("OPENAI_API_KEY")
    assert translate() == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no API key: set the environment variable OPENAI_API_KEY" in err[0]

    monkeypatch.setenv("OPENAI_API_KEY", "local")
    stub.script.model = "some-other-model"
    assert translate() == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert "refused model 'gpt-4o-mini' (HTTP 404)" in err[0] and "does not exist" in err[0]

    with ChatStub() as closed:
        url = closed.url
    monkeypatch.setenv("OPENAI_BASE_URL", url)
    assert translate() == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith(f"digestgen translate: cannot reach the endpoint {url} (")


def test_without_the_openai_package_it_says_how_to_install(
    site: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    site.add_issue(papers=[paper(1, title={"en": "One"})])
    monkeypatch.setitem(sys.modules, "openai", None)  # import openai raises ImportError
    assert translate() == 1
    assert "pip install 'digestgen[translate]'" in capsys.readouterr().err


def test_glossary_entries_go_with_the_texts_that_use_them(site: Project, stub: ChatStub) -> None:
    site.add_issue(papers=[paper(1, title={"en": "Fine-tuning for reasoning"}, summary={"en": "No terms here."})])
    assert translate() == 0
    systems = {r["messages"][1]["content"]: r["messages"][0]["content"] for r in stub.script.requests}
    assert "- fine-tuning → 미세 조정" in systems["Fine-tuning for reasoning"]
    assert "- reasoning → 추론" in systems["Fine-tuning for reasoning"]
    assert "Glossary" not in systems["No terms here."]


def test_reviewed_removes_marks_one_field_or_all(site: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = site.write("2023-11-13.md", english_only())
    assert translate() == 0
    assert main(["check"]) == 0
    assert "30 machine-translated fields not yet reviewed" in capsys.readouterr().out
    assert main(["reviewed", str(path), "--field", "papers[1].summary.ko", "--field", "intro.ko"]) == 0
    assert "2 marks removed (intro.ko, papers[1].summary.ko)" in capsys.readouterr().out
    issue = load(path)
    assert not issue.papers[1].summary.machine and issue.papers[1].abstract.machine and not issue.intro.machine
    assert "machine_translated: [intro.ko]" not in path.read_text(encoding="utf-8")
    assert main(["check", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["unreviewed"] == 28
    assert main(["reviewed", "--week", "2023-11-13"]) == 0
    assert "machine_translated" not in path.read_text(encoding="utf-8")
    assert main(["check"]) == 0
    assert "not yet reviewed" not in capsys.readouterr().out


def test_an_unknown_mark_is_an_error_with_a_hint(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.add_issue(papers=[paper(1, machine_translated=["summary.ko", "sumary.ko"])])
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert (
        "papers[0].machine_translated[1]: 'sumary.ko' is not a field that can be marked; did you mean 'summary.ko'?"
        in err
    )


def test_translate_settings_are_checked(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    with (project.root / "site.yaml").open("a", encoding="utf-8") as handle:
        handle.write("  retries: -1\n  modle: x\n")
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "site.yaml:" in err and "translate.modle: unknown key; did you mean 'model'?" in err
    assert "translate.retries: must be a whole number ≥ 0, not -1" in err


def test_a_reply_is_never_split_across_lines_for_titles(site: Project, stub: ChatStub) -> None:
    path = site.add_issue(papers=[paper(1, title={"en": "One"})])
    stub.script.translate = lambda text: f"번역:\n{text}"
    assert translate() == 0
    assert load(path).papers[0].title == Bilingual(en="One")


def test_the_issue_title_and_notice_and_inline_mappings(site: Project, stub: ChatStub) -> None:
    text = issue_text(papers=[paper(1)], body="").replace(
        "papers:\n", 'title: {en: "Top papers"}\nnotice:\n  en: |-\n    - Machine-made.\n    - Tell us.\npapers:\n'
    )
    path = site.write("2023-11-13.md", text)
    stub.script.translate = lambda text: "\n".join(
        f"- 번역 {line[2:]}" if line.startswith("- ") else korean(line) for line in text.split("\n")
    )
    assert translate() == 0
    issue = load(path)
    assert issue.title == Bilingual("번역: Top papers", "Top papers", machine=True)
    assert issue.notice == Bilingual(
        "- 번역 Machine-made.\n- 번역 Tell us.", "- Machine-made.\n- Tell us.", machine=True
    )
    written = path.read_text(encoding="utf-8")
    assert 'title: {ko: "번역: Top papers", en: "Top papers"}\n' in written
    assert "machine_translated: [title.ko, notice.ko]\npapers:\n" in written
