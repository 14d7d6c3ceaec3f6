"""Hostile and broken input: refused with a message and the old site untouched, or rendered harmless.
Includes property-based tests (hypothesis) over arbitrary front-matter and arbitrary text."""

from __future__ import annotations

import re
import shutil
import tracemalloc
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digestgen.check import check
from digestgen.cli import main
from digestgen.config import load_config
from digestgen.errors import DigestError
from digestgen.load import ISSUE_KEYS, PAPER_KEYS, load_content
from digestgen.model import Content
from digestgen.plan import render_site
from digestgen.urls import Urls
from helpers import FIXTURES, REPO, Project, issue_text, paper, snapshot

INVALID = sorted(p for p in (FIXTURES / "invalid").iterdir() if p.is_dir())
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data", "ping")
_NEVER = (
    "iframe",
    "object",
    "embed",
    "base",
    "frame",
    "frameset",
    "applet",
    "img",
    "video",
    "audio",
    "style",
    "template",
)  # the templates' own search form and buttons: their URLs are checked below


def own_scripts() -> set[str]:
    """Inline scripts of the templates themselves (the landing page's redirect), from a benign build."""
    outputs = render_site(CONFIG, Content(issues=())).files
    return {
        el.string
        for o in outputs
        if o.path.suffix == ".html"
        for el in BeautifulSoup(o.data, "html5lib").find_all("script")
        if el.string
    }


def active_parts(html: str, base_path: str, *, page: bool = True) -> list[str]:
    """Everything in ``html`` that could run or load something that is not ours."""
    found = []
    for el in BeautifulSoup(html, "html5lib").find_all(True):
        name = el.name.lower()
        ours = (el.get("src", "").startswith(base_path + "static/") and not el.string) or el.string in OWN_SCRIPTS
        if name == "script" and not (page and ours):
            found.append(str(el)[:80])
        if name in _NEVER or (name == "meta" and el.get("http-equiv")) or (name == "link" and not page):
            found.append(str(el)[:80])
        for attr, value in el.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if attr.lower().startswith("on"):
                found.append(f"{name} {attr}={value[:40]!r}")
            if attr.lower() in _URL_ATTRS:
                cleaned = re.sub(r"[\x00-\x20]", "", value)
                scheme = _SCHEME.match(cleaned)
                if scheme and scheme.group(1).lower() not in ("http", "https"):
                    found.append(f"{name} {attr}={value[:40]!r}")
    return found


CONFIG = load_config(REPO / "site.yaml")
OWN_SCRIPTS = own_scripts()


def active_in_feed(data: bytes, base_path: str) -> list[str]:
    found = []
    for item in ET.fromstring(data).iter("item"):
        for child in item:
            if child.tag == "description":
                found += active_parts(child.text or "", base_path, page=False)
            elif child.tag == "title" and child.text and "<" in child.text:  # some readers show titles as HTML
                found += active_parts(child.text, base_path, page=False)
    return found


# --- invalid fixtures: the previous site is kept byte for byte --------------------------------


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_invalid_content_keeps_the_previous_site(
    case: Path, project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.add_issue()
    assert main(["build"]) == 0
    before = snapshot(project.output)
    shutil.rmtree(project.root / "content" / "issues")
    shutil.copytree(case / "issues", project.root / "content" / "issues")
    assert main(["build"]) == 1
    assert snapshot(project.output) == before
    assert "Traceback" not in capsys.readouterr().err


def test_a_huge_file_is_refused_without_reading_it_whole(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = project.root / "content" / "issues" / "2023-11-13.md"
    with path.open("wb") as handle:
        handle.write(b"---\nweek: 2023-11-13\npapers:\n")
        handle.write(b"  - {title: {en: x}, summary: {en: y}}\n" * 1_000_000)  # 37.2 MiB
        handle.write(b"---\n")
    tracemalloc.start()
    assert main(["build"]) == 1
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # Reads at most the 4 MiB limit, not the whole file (which is also what bounds its time; a
    # wall-clock limit would only measure how busy the machine is).
    assert peak < 16 * 1024 * 1024
    assert capsys.readouterr().err.splitlines()[0] == (
        "content/issues/2023-11-13.md: file is 37.2 MiB; the limit is 4 MiB (one week's file is usually under 100 KiB)"
    )


# --- HTML and script in every field: escaped, never active ------------------------------------

EVIL = '<script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a>"\'&'


def test_html_in_every_field_is_harmless_in_pages_and_feed(project: Project) -> None:
    md_evil = (
        EVIL + "\n\n[click](javascript:alert(4)) [data](data:text/html,x) <iframe src=//evil.example>\n"
        '[quote](https://a.example/"onmouseover="alert(5)) ![img](https://evil.example/x.png)\n'
    )
    project.write(
        "2023-11-13.md",
        issue_text(
            title={"ko": EVIL, "en": EVIL},
            notice={"ko": md_evil, "en": md_evil},
            papers=[
                paper(
                    1,
                    id="evil",
                    title={"ko": EVIL, "en": EVIL},
                    summary={"ko": md_evil, "en": md_evil},
                    abstract={"ko": md_evil, "en": md_evil},
                    tags=[EVIL, "<b>bold</b>"],
                    links={"paper": "https://a.example/?q=%3Cscript%3E&x=1", "code": "https://a.example/code"},
                )
            ],
            body=md_evil + "\n<!-- en -->\n" + md_evil,
        ),
    )
    assert main(["build"]) == 0
    base = Urls(project.config().base_url).base_path
    pages = sorted(project.output.rglob("*.html"))
    assert len(pages) >= 9  # issue, papers, index, tag pages… of both editions
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert active_parts(html, base) == [], path
    issue = project.read("en/issues/2023-11-13/")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in issue  # shown, as text
    soup = BeautifulSoup(issue, "html5lib")
    assert not any(a.get("href", "").startswith(("javascript", "data")) for a in soup.find_all("a"))
    assert soup.find("a", string="click") is None  # a non-http(s) Markdown link stays text
    assert soup.find("a", string="quote")["href"] == "https://a.example/%22onmouseover=%22alert(5)"  # quotes encoded
    feed = (project.output / "feed.xml").read_bytes()
    assert active_in_feed(feed, base) == []
    assert b"alert(1)" in feed  # the text is there, escaped


# --- property-based -----------------------------------------------------------------------------

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
)
_keys = st.one_of(st.sampled_from((*ISSUE_KEYS, *PAPER_KEYS, "ko", "en", "paper")), st.text(max_size=10))
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_keys, inner, max_size=5)),
    max_leaves=25,
)
_papers = st.lists(st.dictionaries(st.sampled_from(PAPER_KEYS), _values, max_size=7), max_size=3)
_front = st.fixed_dictionaries(
    {"week": st.one_of(st.just(date(2023, 11, 13)), _values), "papers": _papers},
    optional={key: _values for key in ISSUE_KEYS if key not in ("week", "papers")},
)


def _render(project: Project) -> None:
    config = project.config()
    content = load_content(config.content_dir)
    render_site(config, content)


@PROPERTY
@given(front=st.one_of(_front, st.dictionaries(_keys, _values, max_size=6)), body=st.text(max_size=200))
def test_arbitrary_front_matter_builds_or_fails_cleanly(project: Project, front: dict[str, object], body: str) -> None:
    project.write("2023-11-13.md", "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body)
    result = check(project.config())  # load, render and every warning: DigestError only, caught by check
    assert all(p.path and p.message for p in (*result.errors, *result.warnings))


@PROPERTY
@given(text=st.text(max_size=300))
def test_arbitrary_file_text_builds_or_fails_cleanly(project: Project, text: str) -> None:
    project.write("2023-11-13.md", text)
    try:
        _render(project)
    except DigestError as exc:
        assert exc.problems


_tokens = st.sampled_from(
    [
        "<",
        ">",
        '"',
        "'",
        "&",
        "=",
        "/",
        ":",
        "(",
        ")",
        "[",
        "]",
        "!",
        "`",
        " ",
        "\n",
        "\\",
        "script",
        "img",
        "onerror",
        "onload",
        "javascript:",
        "data:",
        "vbscript:",
        "href",
        "src",
        "http://a.example/",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "{{",
        "}}",
        "{%",
        "$",
        "\\(",
        ":smile:",
        "*",
        "#",
        "|",
        "iframe",
        "svg",
        "math",
        "style",
        "&#x6a;",
        "&lt;",
        "\u2028",
    ]
)
_hostile_text = st.one_of(st.text(max_size=80), st.lists(_tokens, max_size=25).map("".join))
_FIELDS = [
    "issue.title.ko",
    "issue.title.en",
    "issue.notice.ko",
    "issue.notice.en",
    "issue.source",
    "intro.ko",
    "intro.en",
    "paper.title.ko",
    "paper.title.en",
    "paper.summary.ko",
    "paper.summary.en",
    "paper.abstract.ko",
    "paper.abstract.en",
    "paper.tags",
    "paper.links.code",
    "paper.links.label",
    "paper.tweet",
    "paper.id",
]


@settings(PROPERTY, max_examples=25)  # each example parses every page with html5lib (~0.5 s)
@given(field=st.sampled_from(_FIELDS), text=_hostile_text)
def test_arbitrary_text_in_any_field_is_never_active(project: Project, field: str, text: str) -> None:
    issue: dict[str, Any] = {}
    p: dict[str, Any] = paper(1, abstract={"ko": "초록", "en": "Abstract"}, links={"paper": "https://arxiv.org/abs/1"})
    body = {"ko": "소개", "en": "Intro"}
    where, _, rest = field.partition(".")
    if where == "intro":
        body[rest] = text
    elif rest in ("tags",):
        p["tags"] = [text]
    elif rest == "links.label":
        p["links"] = {text: "https://a.example/"}
    elif rest.startswith("links."):
        p["links"] = {"code": text}
    elif "." in rest:
        name, lang = rest.split(".")
        target = issue if where == "issue" else p
        target[name] = {**(target.get(name) or {"ko": "기본", "en": "Default"}), lang: text}
    else:
        (issue if where == "issue" else p)[rest] = text
    project.write("2023-11-13.md", issue_text(papers=[p], body=f"{body['ko']}\n\n<!-- en -->\n{body['en']}\n", **issue))
    config = project.config()
    try:
        content = load_content(config.content_dir)
        outputs = render_site(config, content).files
    except DigestError:
        return  # refused with a message: fine
    base = Urls(config.base_url).base_path
    for output in outputs:
        if output.path.suffix == ".html":
            assert active_parts(output.data.decode("utf-8"), base) == [], (output.path, field, text)
        elif output.path.suffix == ".xml":
            assert active_in_feed(output.data, base) == [], (field, text)
