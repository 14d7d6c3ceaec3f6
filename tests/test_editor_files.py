"""Editors' temporary files beside the content are passed over; a file that cannot be read is named
in a message, never a traceback — in build, check and serve (finding 11 of issue #14)."""

from __future__ import annotations

from pathlib import Path

import pytest
import watchfiles

from digestgen.cli import main
from digestgen.editorfiles import is_editor_file
from digestgen.serve import LiveSite, content_change
from helpers import Project

ISSUES = "content/issues"


def leave_editor_files(project: Project) -> None:
    """What Emacs, Vim and macOS leave beside a file being edited."""
    issues = project.root / ISSUES
    (issues / ".#2023-11-13.md").symlink_to("editor@host.4242:1700000000")  # Emacs lock: a link to nowhere
    (issues / "#2023-11-13.md#").write_text("---\nweek: [\n")  # autosave, half-written
    (issues / "2023-11-13.md~").write_text("old")
    (issues / ".2023-11-13.md.swp").write_bytes(b"\x00b0VIM")
    (issues / "4913").write_text("")
    (issues / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (project.root / "static" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (project.root / "static" / ".#style.css").symlink_to("editor@host.4242:1700000000")
    (project.root / "static" / "style.css~").write_text("old")


@pytest.mark.parametrize(
    "name",
    [".#2023-11-13.md", "#2023-11-13.md#", "2023-11-13.md~", ".2023-11-13.md.swp", ".x.md.swo", "4913", ".DS_Store"],
)
def test_editor_files_are_recognised(name: str) -> None:
    assert is_editor_file(name)


@pytest.mark.parametrize("name", ["2023-11-13.md", "style.css", "about.md", "x#y.md", ".well-known"])
def test_content_files_are_not_editor_files(name: str) -> None:
    assert not is_editor_file(name)


def test_build_passes_over_editor_files(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.add_issue()
    leave_editor_files(project)
    assert main(["build"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "2023-11-13.md" not in captured.out
    published = {p.name for p in project.output.rglob("*")}
    assert not {".DS_Store", "style.css~"} & published and not any(n.startswith(".#") for n in published)


def test_check_passes_over_editor_files(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.add_issue()
    leave_editor_files(project)
    assert main(["check"]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and ".#" not in captured.err and "~" not in captured.err
    assert "0 errors" in captured.out


def test_serve_builds_beside_editor_files(project: Project) -> None:
    project.add_issue()
    leave_editor_files(project)
    site = LiveSite(project.config, "http://127.0.0.1:1/digest/", drafts=True)
    try:
        state = site.rebuild()
        assert state.error == "" and state.root is not None
    finally:
        site.close()


def test_the_watcher_ignores_editor_files(project: Project) -> None:
    issues = str(project.root / ISSUES)
    for name in (".#2023-11-13.md", "#2023-11-13.md#", "2023-11-13.md~", ".2023-11-13.md.swp", "4913"):
        assert not content_change(watchfiles.Change.added, f"{issues}/{name}"), name
    assert content_change(watchfiles.Change.modified, f"{issues}/2023-11-13.md")


def dangle(project: Project) -> None:
    (project.root / ISSUES / "2023-11-20.md").symlink_to("../drafts/2023-11-20.md")


UNREADABLE = f"{ISSUES}/2023-11-20.md: cannot read: it is a link to ../drafts/2023-11-20.md, which does not exist; remove the link"


@pytest.mark.parametrize("command", ["build", "check"])
def test_an_unreadable_issue_is_named_not_a_traceback(
    project: Project, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    project.add_issue()
    assert main(["build"]) == 0  # a cached build first: the broken link must still be seen
    capsys.readouterr()
    dangle(project)
    assert main([command]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == UNREADABLE
    assert "Traceback" not in err


def test_serve_names_an_unreadable_issue(project: Project) -> None:
    project.add_issue()
    dangle(project)
    site = LiveSite(project.config, "http://127.0.0.1:1/digest/", drafts=True)
    try:
        assert site.rebuild().error == UNREADABLE
    finally:
        site.close()


def test_an_unreadable_static_file_is_named(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.add_issue()
    (project.root / "static" / "logo.svg").symlink_to(Path("nowhere.svg"))
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == "static/logo.svg: cannot read file: No such file or directory"
