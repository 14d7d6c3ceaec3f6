import pytest

from digestgen.markdown import Markdown, plain


@pytest.fixture(scope="module")
def md() -> Markdown:
    return Markdown()


@pytest.mark.parametrize(("source", "expected"), [
    ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"),
    ("[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>\n"),
    ("[x](data:text/html,hi)", "<p>[x](data:text/html,hi)</p>\n"),
    ("[x](https://a.example/\"onclick=1)", '<p><a href="https://a.example/%22onclick=1">x</a></p>\n'),
    ("see https://craftjarvis-jarvis1.github.io now",
     '<p>see <a href="https://craftjarvis-jarvis1.github.io">https://craftjarvis-jarvis1.github.io</a> now</p>\n'),
    ("README.md and a.b are not links", "<p>README.md and a.b are not links</p>\n"),
    ("![img](https://tracker.example/x.png)", '<p>!<a href="https://tracker.example/x.png">img</a></p>\n'),
    ("| a | b |\n|---|---|\n| 1 | 2 |", "<table>"),
])
def test_block(md: Markdown, source: str, expected: str) -> None:
    html = md.block(source)
    assert html.startswith(expected) if expected == "<table>" else html == expected


def test_inline_has_no_paragraph(md: Markdown) -> None:
    assert md.inline("a *b*") == "a <em>b</em>"


def test_plain_escapes_everything() -> None:
    assert plain('<b>"x"</b> *y*') == "&lt;b&gt;&#34;x&#34;&lt;/b&gt; *y*"


@pytest.mark.parametrize("text", [
    "see https://a.org/x and MAILTO:a@b.c", "HTTPS://A.ORG/Y", "no link: 한국어 $x$", "www.example.com",
    "//x.org/y", "ftp://f.org", "a@b.com", "mailto:a@b.com", "[t](https://a.org) https://b.org",
])
def test_linkify_shortcut_changes_nothing(text: str) -> None:
    from markdown_it import MarkdownIt

    fast = Markdown()
    slow = Markdown()
    reference = MarkdownIt("commonmark").linkify  # the unwrapped pretest
    reference.set({"fuzzy_link": False, "fuzzy_email": False})
    slow._md.linkify = reference
    assert fast.block(text) == slow.block(text)
