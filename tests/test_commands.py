"""The commands as an editor meets them (issue #14): the site is found from a subfolder (finding 6),
a build shows its progress on a terminal only (finding 7), and --help explains every option
with examples and lists only the options a command uses (finding 8)."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from digestgen.build import build
from digestgen.cli import main
from helpers import REPO, Project, paper

# --- finding the site -----------------------------------------------------------------------------


def test_build_from_the_content_folder_finds_the_site(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project.add_issue()
    monkeypatch.chdir(project.root / "content")
    assert main(["build"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Building {project.root.resolve()} (site.yaml) …"
    assert out[1].startswith("built 1 issue, 1 paper: ") and out[1].endswith(f"→ {project.output.resolve()}/")
    assert (project.output / "en" / "index.html").is_file()
    assert not (project.root / "content" / "_site").exists()


def test_check_and_new_from_a_subfolder(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project.add_issue()
    monkeypatch.chdir(project.root / "content" / "issues")
    assert main(["check"]) == 0
    assert capsys.readouterr().out.startswith(f"Checking {project.root.resolve()} (site.yaml) …\n")
    assert main(["new"]) == 0
    assert (project.root / "content" / "issues" / "2023-11-20.md").is_file()
    assert "wrote 2023-11-20.md" in capsys.readouterr().out


def test_check_json_keeps_stdout_for_json(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    project.add_issue()
    monkeypatch.chdir(project.root / "content")
    main(["check", "--format", "json"])
    captured = capsys.readouterr()
    assert json.loads(captured.out)["issues"] == 1
    assert captured.err.startswith(f"Checking {project.root.resolve()} (site.yaml) …")


def test_no_site_above_is_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    if any((folder / "site.yaml").exists() for folder in (tmp_path, *tmp_path.parents)):
        pytest.skip("a site.yaml above the temporary folder")
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"site.yaml: not found in {(tmp_path / 'elsewhere').resolve()} or any folder above it;")
    assert "Traceback" not in err


# --- progress -------------------------------------------------------------------------------------


def test_the_build_reports_each_stage(project: Project) -> None:
    project.add_issue()
    project.add_issue("2023-11-20", papers=[paper(2)])
    calls: list[tuple[str, int]] = []
    result = build(project.config(), progress=lambda stage, n: calls.append((stage, n)))
    assert [stage for stage, _ in calls] == ["loaded", "rendering", "rendered", "indexed", "written"]
    counts = dict(calls)
    assert counts["loaded"] == 2
    index_files = [
        p for p in project.output.rglob("*") if p.is_file() and "pagefind" in p.relative_to(project.output).parts
    ]
    assert counts["rendering"] == counts["rendered"] == result.rendered - len(index_files)
    assert counts["indexed"] == result.search_pages
    assert counts["written"] == result.written
    calls.clear()
    build(project.config(), progress=lambda stage, n: calls.append((stage, n)))
    assert calls == []  # nothing changed: nothing to report


def run_in_terminal(args: list[str], cwd: Path) -> str:
    """Run digestgen with its output on a pseudo-terminal; everything it printed."""
    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "COLUMNS": "100"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "digestgen", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the process has ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks).decode()


def test_progress_on_a_terminal(project: Project) -> None:
    project.add_issue()
    shown = run_in_terminal(["build"], project.root)
    lines = [line.rsplit("\r\x1b[K", 1)[-1] for line in shown.replace("\r\n", "\n").split("\n")]
    assert lines[0] == f"Building {project.root.resolve()} (site.yaml) …"
    stages = [re.sub(r"\s+\d+\.\d\d s$", "", line).strip() for line in lines[1:5]]
    # 30 pages, feeds and assets, and 4 social cards (the issue's and the site's, in each edition)
    assert stages == ["loaded 1 issue", "rendered 34 files", "search index: 2 pages", "wrote 43 files"], shown
    assert all(re.search(r"\d+\.\d\d s$", line) for line in lines[1:5])
    assert lines[5].startswith("built 1 issue, 1 paper: ")


def test_quiet_on_a_terminal_and_when_piped(project: Project) -> None:
    project.add_issue()
    assert run_in_terminal(["build", "--quiet"], project.root) == ""
    project.add_issue("2023-11-20", papers=[paper(2)])
    piped = subprocess.run(
        [sys.executable, "-m", "digestgen", "build"],
        cwd=project.root,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        capture_output=True,
        text=True,
        check=True,
    )
    assert piped.stdout.count("\n") == 1 and piped.stdout.startswith("built 2 issues")


# --- help -----------------------------------------------------------------------------------------

COMMANDS = [
    "build",
    "new",
    "check",
    "serve",
    "import",
    "import post",
    "import list",
    "translate",
    "reviewed",
    "export",
    "export post",
]


def help_of(command: str, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exc:
        main([*command.split(), "--help"])
    assert exc.value.code == 0
    return capsys.readouterr().out


def options_of(text: str) -> dict[str, str]:
    """Each option of a --help text and its help, joined over wrapped lines."""
    section = text.split("\noptions:\n", 1)[1].split("\n\n", 1)[0]
    found: dict[str, str] = {}
    name = ""
    for line in section.splitlines():
        entry = re.match(r"  (-[^ ].*?)(?:\s{2,}(.*))?$", line)
        if entry:
            name = entry.group(1)
            found[name] = entry.group(2) or ""
        else:
            found[name] = (found[name] + " " + line.strip()).strip()
    return found


@pytest.mark.parametrize("command", COMMANDS)
def test_help_explains_every_option_and_gives_examples(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = help_of(command, capsys)
    options = options_of(text)
    assert options, text
    for option, explanation in options.items():
        assert len(explanation.split()) >= 3, (option, explanation)  # a sentence, not a word
    examples = text.split("\nexamples:\n", 1)[1].splitlines()
    assert examples and all(line.startswith(f"  digestgen {command}") or "| digestgen" in line for line in examples)


@pytest.mark.parametrize("command", ["new", "check", "serve"])
def test_help_lists_only_the_options_a_command_uses(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = help_of(command, capsys)
    assert "--output" not in text and "--base-url" not in text
    assert "--config" in text and "--content" in text


def test_examples_in_help_are_valid_command_lines(capsys: pytest.CaptureFixture[str]) -> None:
    """Every example parses (a typo in an example would send an editor astray)."""
    from digestgen.cli import _parser

    for command in COMMANDS:
        for line in help_of(command, capsys).split("\nexamples:\n", 1)[1].splitlines():
            words = line.split("| ")[-1].split()[1:]
            words = [w for w in words if w != ">" and not w.endswith(".json")] if ">" in words else words
            _parser(words).parse_args(words)


def test_build_help_still_lists_output_and_base_url(capsys: pytest.CaptureFixture[str]) -> None:
    options = options_of(help_of("build", capsys))
    assert {"--output DIR", "--base-url URL", "--drafts", "--clean", "-q, --quiet"} <= set(options)


def test_import_from_a_subfolder_writes_into_the_sites_issues(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from helpers import FIXTURES

    (project.root / "notes").mkdir()
    monkeypatch.chdir(project.root / "notes")
    assert main(["import", "post", str(FIXTURES / "import" / "post-short.txt")]) == 0
    wrote = [line for line in capsys.readouterr().out.splitlines() if line.startswith("wrote ")]
    written = wrote[0].split()[1]  # "wrote PATH (N papers)"
    assert (Path.cwd() / written).resolve().parent == (project.root / "content" / "issues").resolve()
    assert not (project.root / "notes" / "content").exists()
