"""YAML syntax errors: the offending line with a caret under the column and a hint for the common
traps (finding 4 of issue #14). The traps in content files are fixtures in tests/fixtures/invalid/
(yaml-tab, yaml-indented-key, yaml-unquoted-colon, yaml-unquoted-hash, yaml-list-mixed-with-mapping),
asserted exactly by test_load.py; these cover the caret itself and site.yaml."""

from __future__ import annotations

import pytest

from digestgen.cli import main
from digestgen.errors import DigestError
from digestgen.source import parse_yaml
from digestgen.yaml_errors import excerpt
from helpers import Project


def test_the_caret_counts_wide_characters_twice() -> None:
    assert excerpt("  ko: 한국어: 제목", 3, 9) == "  3 |   ko: 한국어: 제목\n    |             ^"


def test_a_tab_is_shown_and_counts_one_column() -> None:
    assert excerpt("\tx: [", 12, 1) == "  12 | →x: [\n     |  ^"


def test_an_unquoted_colon_in_korean_text() -> None:
    with pytest.raises(DigestError) as caught:
        parse_yaml("title:\n  ko: 노트 체인: 검색\n", "a.md", first_line=2)
    assert str(caught.value) == (
        "a.md:3:12: YAML syntax error: mapping values are not allowed here\n"
        "  3 |   ko: 노트 체인: 검색\n"
        "    |                ^\n"
        "  hint: a ': ' inside a value makes YAML read a new key; put the value in quotes: ko: \"노트 체인: 검색\""
    )


def test_site_yaml_errors_point_too(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    settings = project.root / "site.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("\ntimezone:", "\n\ttimezone:"), encoding="utf-8")
    assert main(["build"]) == 1
    err = capsys.readouterr().err.splitlines()
    line = next(
        n for n, text in enumerate(settings.read_text(encoding="utf-8").splitlines(), 1) if "\ttimezone" in text
    )
    assert err[:4] == [
        f"site.yaml:{line}:1: YAML syntax error: found character '\\t' that cannot start any token",
        f"  {line} | →timezone: Asia/Seoul",
        "     | ^",
        "  hint: this line is indented with a tab (shown as →); YAML indents with spaces only: replace the tab with spaces",
    ]


def test_check_json_gives_the_excerpt_as_a_field(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    project.write("2023-11-13.md", "---\nweek: 2023-11-13\npapers:\n\t- title: x\n---\n")
    assert main(["check", "--format", "json"]) == 1
    (error,) = json.loads(capsys.readouterr().out)["errors"]
    assert error["text"] == (
        "content/issues/2023-11-13.md:4:1: YAML syntax error: found character '\\t' that cannot start any token"
    )
    assert error["excerpt"].splitlines()[:2] == ["  4 | →- title: x", "    | ^"]
