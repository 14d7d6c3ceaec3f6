from pathlib import Path

import pytest

from digestgen.errors import DigestError
from digestgen.source import MAX_FILE_BYTES, parse_yaml, read_source, read_text


def messages(exc: pytest.ExceptionInfo[DigestError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\nweek: 2023-11-13\r\n---\r\nbody\r\nline\r\n")
    source = read_source(path, "a.md")
    assert source.meta.data == {"week": __import__("datetime").date(2023, 11, 13)}
    assert source.body == "body\nline\n"
    assert source.body_line == 4


def test_cp949_file_is_named_with_its_probable_encoding(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes("---\nweek: 2023-11-13\n---\n소개\n".encode("cp949"))
    with pytest.raises(DigestError) as exc:
        read_text(path, "a.md")
    assert messages(exc) == ["a.md:4: file is not UTF-8 (it looks like CP949 (EUC-KR)); save it as UTF-8"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "a.md:1: file is empty; it needs a front-matter between '---' lines"),
        ("week: 2023-11-13\n", "a.md:1:1: no front-matter: the file must start with a line '---'"),
        ("---\nweek: 2023-11-13\nbody\n", "a.md:1:1: front-matter is not closed: add a line '---' after it"),
        (
            "---\nweek: [2023\n---\n",
            "a.md:3:1: YAML syntax error: expected ',' or ']', but got '<stream end>'\n  3 | \n    | ^\n"
            "  hint: the '[' on line 2 is not closed, or a ',' is missing between its items",
        ),
    ],
)
def test_broken_files(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "a.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DigestError) as exc:
        read_source(path, "a.md")
    assert messages(exc) == [expected]


def test_positions_are_one_based_file_lines() -> None:
    doc = parse_yaml("week: 2023-11-13\npapers:\n  - title:\n      en: x\n", "a.md", first_line=2)
    assert doc.where(("papers", 0, "title", "en")) == (5, 11)
    assert doc.where(("papers", 0, "title", "en"), key=True) == (5, 7)
    assert doc.where(("papers", 0, "nothing")) == (4, 5)


def test_duplicate_keys_are_errors_not_silently_overwritten() -> None:
    with pytest.raises(DigestError) as exc:
        parse_yaml("a: 1\nb: 2\na: 3\n", "a.md")
    assert messages(exc) == ["a.md:3:1: a: duplicate key (the earlier value would be lost)"]


@pytest.mark.parametrize("text", ["a: !!python/object:os.system {}\n", "a: !!binary aGk=\n", "a: !custom x\n"])
def test_object_tags_are_refused(text: str) -> None:
    with pytest.raises(DigestError) as exc:
        parse_yaml(text, "a.md")
    assert "is not allowed" in messages(exc)[0]
    assert messages(exc)[0].startswith("a.md:1:4: a: YAML tag")


def test_alias_bomb_stops_early() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    with pytest.raises(DigestError) as exc:
        parse_yaml("\n".join(lines) + "\n", "a.md")
    assert "runaway YAML aliases" in messages(exc)[0]


def test_recursive_alias_is_an_error() -> None:
    with pytest.raises(DigestError) as exc:
        parse_yaml("a: &x [*x]\n", "a.md")
    assert messages(exc) == ["a.md:1:4: a[0]: a YAML alias refers to itself"]


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"---\n" + b"x" * (MAX_FILE_BYTES + 1))
    with pytest.raises(DigestError) as exc:
        read_text(path, "a.md")
    assert messages(exc)[0].startswith("a.md: file is 4.0 MiB; the limit is 4 MiB")


def test_unquoted_numbers_keep_their_written_text() -> None:
    doc = parse_yaml("id: 2311.09210\n", "a.md")
    assert doc.data == {"id": 2311.0921}
    assert doc.plain_scalars[("id",)] == "2311.09210"


def test_text_lines_point_at_where_the_text_begins() -> None:
    doc = parse_yaml('a: "quoted"\nb: |-\n  first\n  second\nc: >-\n  folded\nd: plain\n', "x.md", first_line=2)
    assert dict(doc.text_lines) == {("a",): 2, ("b",): 4, ("c",): 7, ("d",): 8}
    assert doc.positions[("b",)] == (3, 4)  # the value itself still starts at the '|'
