"""Rendering: hostile text stays inert, missing translations are marked, strings are strict."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from digestgen.build import build
from digestgen.errors import DigestError
from helpers import Project, paper

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(1)>\"'&"


def active_elements(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html5lib")
    found = [
        f"<{t.name}>"
        for t in soup.find_all(["script", "img", "iframe", "object", "embed"])
        if t.name != "script" or not t.get("src", "").startswith("/")
    ]
    found += [f"{t.name}[{a}]" for t in soup.find_all(True) for a in t.attrs if a.startswith("on")]
    found += [
        str(a["href"])
        for a in soup.find_all("a", href=True)
        if str(a["href"]).lower().startswith(("javascript:", "data:"))
    ]
    return found


def test_hostile_text_in_every_field_is_inert(project: Project) -> None:
    hostile_paper = paper(
        1,
        id="p1",
        title={"ko": HOSTILE, "en": HOSTILE},
        summary={"ko": HOSTILE, "en": HOSTILE},
        abstract={"ko": HOSTILE, "en": f"[x](javascript:alert(1)) {HOSTILE}"},
        tags=[HOSTILE],
        links={"code": "https://example.org/a?b=1&c=2"},
    )
    project.add_issue(
        papers=[hostile_paper], title={"ko": HOSTILE, "en": HOSTILE}, body=f"{HOSTILE}\n<!-- en -->\n{HOSTILE}"
    )
    build(project.config())
    landing_scripts = 1  # the landing page's own inline redirect
    for path in ["ko/issues/2023-11-13/", "en/issues/2023-11-13/", "ko/papers/p1/", "en/papers/", "ko/"]:
        assert active_elements(project.read(path)) == [], path
    assert len(BeautifulSoup(project.read(""), "html5lib").find_all("script", src=False)) == landing_scripts
    assert "<script>alert" not in (project.output / "feed.xml").read_text(encoding="utf-8")
    assert 'href="https://example.org/a?b=1&amp;c=2"' in project.read("ko/papers/p1/")


def test_missing_korean_shows_english_marked_pending(project: Project) -> None:
    project.add_issue(papers=[paper(1, id="p1", title={"en": "Only English"}, summary={"en": "English summary"})])
    build(project.config())
    soup = BeautifulSoup(project.read("ko/papers/p1/"), "html5lib")
    summary = soup.find("section", class_="summary").find("div", class_="text")
    assert summary["lang"] == "en" and "pending" in summary["class"]
    assert summary.find(class_="pending-mark").get_text() == "번역 준비 중 (영어로 표시)"
    assert "English summary" in summary.get_text()
    assert soup.h1.find(class_="pending-mark") is not None


def test_missing_ui_string_stops_the_build(project: Project) -> None:
    project.add_issue()
    strings = project.root / "templates" / "strings.yaml"
    strings.write_text(strings.read_text(encoding="utf-8").replace("  link_tweet: Read more\n", ""), encoding="utf-8")
    with pytest.raises(DigestError) as exc:
        build(project.config())
    assert str(exc.value.problems[0]).startswith("templates/strings.yaml:")
    assert "en.link_tweet: missing (the ko strings have it)" in str(exc.value.problems[0])


def test_undefined_variable_in_a_template_names_the_template_line(project: Project) -> None:
    project.add_issue()
    home = project.root / "templates" / "home.html"
    home.write_text(
        home.read_text(encoding="utf-8").replace("{% block main %}", "{% block main %}{{ nope }}"), encoding="utf-8"
    )
    with pytest.raises(DigestError) as exc:
        build(project.config())
    assert str(exc.value.problems[0]) == "templates/home.html:3: template error: 'nope' is undefined"


def test_hostile_latex_stays_inert_and_is_reported(project: Project) -> None:
    hostile = "$\\text{<img src=x onerror=alert(1)>}$ $\\href{javascript:alert(1)}{x}$ $\\style{color:red}{x}$"
    project.add_issue(papers=[paper(1, id="p1", summary={"ko": hostile, "en": "ok $x$"})])
    result = build(project.config())
    html = project.read("ko/papers/p1/")
    assert active_elements(html) == []
    soup = BeautifulSoup(html, "html5lib")
    assert [c.get_text() for c in soup.select(".summary .text code.math-error")] == [
        "$\\text{<img src=x onerror=alert(1)>}$",
        "$\\href{javascript:alert(1)}{x}$",
        "$\\style{color:red}{x}$",
    ]
    assert soup.select_one('[href^="javascript"]') is None
    assert soup.select_one("[style]") is None
    assert len(result.warnings) == 3 and all(w.warning and w.field == "papers[0].summary.ko" for w in result.warnings)
