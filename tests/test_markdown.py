import pytest
from bs4 import BeautifulSoup

from digestgen.markdown import Markdown, plain


@pytest.fixture(scope="module")
def md() -> Markdown:
    return Markdown()


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"),
        ("[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>\n"),
        ("[x](data:text/html,hi)", "<p>[x](data:text/html,hi)</p>\n"),
        ('[x](https://a.example/"onclick=1)', '<p><a href="https://a.example/%22onclick=1">x</a></p>\n'),
        (
            "see https://craftjarvis-jarvis1.github.io now",
            '<p>see <a href="https://craftjarvis-jarvis1.github.io">https://craftjarvis-jarvis1.github.io</a> now</p>\n',
        ),
        ("README.md and a.b are not links", "<p>README.md and a.b are not links</p>\n"),
        ("![img](https://tracker.example/x.png)", '<p>!<a href="https://tracker.example/x.png">img</a></p>\n'),
        ("| a | b |\n|---|---|\n| 1 | 2 |", '<div class="table-scroll" tabindex="0">\n<table>'),
    ],
)
def test_block(md: Markdown, source: str, expected: str) -> None:
    html = md.block(source)
    assert html.startswith(expected) if "<table>" in expected else html == expected


def test_inline_has_no_paragraph(md: Markdown) -> None:
    assert md.inline("a *b*") == "a <em>b</em>"


def test_plain_escapes_everything() -> None:
    assert plain('<b>"x"</b> *y*') == "&lt;b&gt;&#34;x&#34;&lt;/b&gt; *y*"


# --- Math ---------------------------------------------------------------------------------------


def rendered(md: Markdown, source: str) -> tuple[str, list[tuple[int, str]]]:
    warnings: list[tuple[int, str]] = []
    html = md.block(source, lambda line, message: warnings.append((line, message)))
    return str(html), warnings


def test_seed_latex_becomes_mathml(md: Markdown) -> None:
    html, warnings = rendered(md, "향상된 자율성을 촉발하여 $\\textit{자기 개선}$할 수 있음")
    soup = BeautifulSoup(html, "html5lib")
    math = soup.find("math")
    assert math is not None and math["display"] == "inline"
    assert math.find("mtext", attrs={"mathvariant": "italic"}).get_text() == "자기\xa0개선"
    assert soup.p.get_text().endswith("할 수 있음") and warnings == []


def test_latex_without_dollars_stays_text(md: Markdown) -> None:
    html, warnings = rendered(md, "and thus \\textit{self-improve} as well")
    assert html == "<p>and thus \\textit{self-improve} as well</p>\n" and warnings == []


def test_display_math_is_a_block(md: Markdown) -> None:
    html, _ = rendered(md, "before\n\n$$\n\\frac{a}{b}\n$$\n\nafter")
    soup = BeautifulSoup(html, "html5lib")
    assert soup.find("math")["display"] == "block" and soup.find("mfrac") is not None
    assert soup.find("div", class_="math-display")["tabindex"] == "0"
    assert [p.get_text() for p in soup.find_all("p")] == ["before", "after"]


@pytest.mark.parametrize(
    "source",
    [
        "It costs $5 and $10.",
        "About ~$9 a month",
        "$5, $10 and $20",
        "from $1.5M to $2M",
        "a $ b $ c",
        "`$x$` in code",
    ],
)
def test_money_and_code_are_not_math(md: Markdown, source: str) -> None:
    html, warnings = rendered(md, source)
    assert "<math" not in html and "$" in BeautifulSoup(html, "html5lib").get_text() and warnings == []


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("ok\nsee $\\unknown x$", 1, "unknown LaTeX command \\unknown in $\\unknown x$; shown as code"),
        ("$x^$", 0, "cannot convert $x^$ to MathML (MissingSuperScriptOrSubscriptError); shown as code"),
        (
            "a\n\n$$\n\\begin{matrix} a\n$$",
            2,
            "cannot convert $$\\begin{matrix} a$$ to MathML (MissingEndError); shown as code",
        ),
        (
            "$\\text{<script>alert(1)</script>}$",
            0,
            "$\\text{<script>alert(1)</script>}$ gives markup that is not MathML (<script>); shown as code",
        ),
        (
            "$\\href{javascript:alert(1)}{x}$",
            0,
            "$\\href{javascript:alert(1)}{x}$ uses an unsupported command (it sets 'href'); shown as code",
        ),
        (
            "$\\style{color:red}{x}$",
            0,
            "$\\style{color:red}{x}$ uses an unsupported command (it sets 'style'); shown as code",
        ),
        ("$a & b$", 0, "$a & b$ does not give well-formed MathML; shown as code"),
    ],
)
def test_bad_latex_is_code_and_a_warning_with_its_line(md: Markdown, source: str, line: int, message: str) -> None:
    html, warnings = rendered(md, source)
    soup = BeautifulSoup(html, "html5lib")
    assert soup.find("math") is None and soup.find("script") is None
    code = soup.find("code", class_="math-error")
    assert code is not None and code.get_text().startswith("$")
    assert warnings == [(line, message)]


# --- Emoji --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("참고해주세요! :smile:", "<p>참고해주세요! 😄</p>\n"),
        ("부탁드립니다! :bowing_man:", "<p>부탁드립니다! 🙇\u200d♂️</p>\n"),
        (":thumbsup: and :+1:", "<p>👍 and 👍</p>\n"),
        ("감사합니다:smile:", "<p>감사합니다😄</p>\n"),
        (":no_such_emoji_here: stays", "<p>:no_such_emoji_here: stays</p>\n"),
        ("man:woman::king:queen", "<p>man:woman::king:queen</p>\n"),
        ("at 10:30:45 sharp", "<p>at 10:30:45 sharp</p>\n"),
        ("`:smile:` in code", "<p><code>:smile:</code> in code</p>\n"),
        ("```\n:smile:\n```", "<pre><code>:smile:\n</code></pre>\n"),
        (
            "https://example.org/:smile:/x",
            '<p><a href="https://example.org/:smile:/x">https://example.org/:smile:/x</a></p>\n',
        ),
        ("[:smile: hi](https://example.org/:smile:)", '<p><a href="https://example.org/:smile:">😄 hi</a></p>\n'),
    ],
)
def test_emoji_shortcodes_in_text_only(md: Markdown, source: str, expected: str) -> None:
    assert md.block(source) == expected


def test_no_emoji_inside_math(md: Markdown) -> None:
    html, _ = rendered(md, "$a:smile:b$")
    assert "😄" not in html and "<math" in html


# --- Emphasis next to Hangul --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("**CoN(Chain-of-Note)**는 새로운", "<p><strong>CoN(Chain-of-Note)</strong>는 새로운</p>\n"),
        ("**CoN**는", "<p><strong>CoN</strong>는</p>\n"),
        ("이것은**강조**입니다", "<p>이것은<strong>강조</strong>입니다</p>\n"),
        ('모델은 *"기억"*을 쓴다', "<p>모델은 <em>&quot;기억&quot;</em>을 쓴다</p>\n"),
        ("**bold** text", "<p><strong>bold</strong> text</p>\n"),
        ("2 * 3 * 4", "<p>2 * 3 * 4</p>\n"),
        ("snake_case와 변수_이름_값", "<p>snake_case와 변수_이름_값</p>\n"),  # '_' keeps CommonMark's rules
    ],
)
def test_emphasis_next_to_hangul(md: Markdown, source: str, expected: str) -> None:
    assert md.block(source) == expected


def test_a_cached_text_still_reports_its_warnings(md: Markdown) -> None:
    first, second = rendered(md, "a\n$\\nope$"), rendered(md, "a\n$\\nope$")
    assert first == second and first[1] == [(1, "unknown LaTeX command \\nope in $\\nope$; shown as code")]


@pytest.mark.parametrize(
    "text",
    [
        "see https://a.org/x and MAILTO:a@b.c",
        "HTTPS://A.ORG/Y",
        "no link: 한국어 $x$",
        "www.example.com",
        "//x.org/y",
        "ftp://f.org",
        "a@b.com",
        "mailto:a@b.com",
        "[t](https://a.org) https://b.org",
    ],
)
def test_linkify_shortcut_changes_nothing(text: str) -> None:
    from markdown_it import MarkdownIt

    fast = Markdown()
    slow = Markdown()
    reference = MarkdownIt("commonmark").linkify  # the unwrapped pretest
    reference.set({"fuzzy_link": False, "fuzzy_email": False})
    slow._md.linkify = reference
    assert fast.block(text) == slow.block(text)
