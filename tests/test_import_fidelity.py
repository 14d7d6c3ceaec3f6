"""Fidelity: import a post, build it, and find every sentence of the post on the built issue page,
inside an element of its own language, and every URL of the post as a link.

The expected text is read from the post itself with the simplest rules (one line, one language),
not with the importer's code. Emoji shortcodes may be rendered (`:smile:` → 😄) and `$…$` may
become MathML, so a shortcode counts in either form and math is compared around its formula.
"""

from __future__ import annotations

import re
from pathlib import Path

import emoji
import pytest
from bs4 import BeautifulSoup
from bs4.element import NavigableString

from digestgen.build import build
from digestgen.cli import main
from helpers import FIXTURES, Project

HANGUL = re.compile(r"[\uac00-\ud7a3]")
MARKERS = {"소개", "논문 소개", "논문 초록", "논문 링크", "더 읽어보기", "원문"}
URL = re.compile(r"https?://[^\s<>\"]+")
MATH = re.compile(r"\$[^$]+\$")


def post_sentences(path: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """(lang, sentence) for every sentence of the post, and every URL in it."""
    sentences: list[tuple[str, str]] = []
    urls: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"^\s*(#+|•|-)?\s*", "", raw).strip()
        urls += [u.rstrip(".,;:!?)") for u in URL.findall(line)]
        if not line or line in MARKERS or URL.fullmatch(line):
            continue
        parts = line.split(" / ", 1) if " / " in line and not HANGUL.search(line.split(" / ", 1)[1]) else [line]
        for part in parts:
            lang = "ko" if HANGUL.search(part) else "en"
            sentences += [(lang, s) for s in re.split(r"(?<=[.!?])\s+", part) if s]
    return sentences, urls


def text_by_language(html: str) -> dict[str, str]:
    """All text of the page, grouped by the language of the nearest element with a lang attribute."""
    soup = BeautifulSoup(html, "html5lib")
    texts: dict[str, list[str]] = {}
    for node in soup.find_all(string=True):
        if not isinstance(node, NavigableString) or node.parent.name in ("script", "style", "title"):
            continue
        holder = node.find_parent(attrs={"lang": True})
        if holder is not None:
            texts.setdefault(str(holder["lang"]), []).append(str(node))
    return {lang: normalise("".join(parts)) for lang, parts in texts.items()}


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def found(sentence: str, text: str) -> bool:
    """The sentence is in the text, with shortcodes as written or as emoji, math by what surrounds it."""
    for form in {sentence, emoji.emojize(sentence, language="alias")}:
        pieces = [normalise(p) for p in MATH.split(form)]
        if all(p in text for p in pieces if p):
            return True
    return False


@pytest.fixture(params=["seed.txt", "import/post-messy.txt"])
def imported_site(request: pytest.FixtureRequest, project: Project) -> tuple[Path, Project]:
    post = FIXTURES / request.param
    assert main(["import", "post", str(post)]) == 0
    build(project.config())
    return post, project


def test_every_sentence_is_on_the_issue_page_in_its_language(imported_site: tuple[Path, Project]) -> None:
    post, project = imported_site
    (issue,) = [p.name for p in (project.output / "ko" / "issues").iterdir()]
    pages = {lang: text_by_language(project.read(f"{lang}/issues/{issue}/")) for lang in ("ko", "en")}
    sentences, _ = post_sentences(post)
    assert len(sentences) > 10
    missing = []
    for lang, sentence in sentences:
        # Korean readers get both languages on the Korean page; English readers the English text.
        editions = ["ko"] if lang == "ko" else ["ko", "en"]
        for edition in editions:
            if not found(sentence, pages[edition].get(lang, "")):
                missing.append(f"{edition} edition, lang={lang}: {sentence}")
    assert missing == []


def test_every_url_of_the_post_is_a_link(imported_site: tuple[Path, Project]) -> None:
    post, project = imported_site
    (issue,) = [p.name for p in (project.output / "ko" / "issues").iterdir()]
    _, urls = post_sentences(post)
    assert urls
    for lang in ("ko", "en"):
        soup = BeautifulSoup(project.read(f"{lang}/issues/{issue}/"), "html5lib")
        hrefs = {a["href"] for a in soup.find_all("a", href=True)}
        assert sorted(set(urls) - hrefs) == []


def test_the_check_can_fail(project: Project) -> None:
    """The checks above are not vacuous: a sentence in the wrong language element is not found."""
    html = '<html lang="ko"><body><p lang="en">이 문장은 영어 요소 안에 있습니다.</p><p>Plain text.</p></body></html>'
    pages = text_by_language(html)
    assert not found("이 문장은 영어 요소 안에 있습니다.", pages.get("ko", ""))
    assert found("Plain text.", pages["ko"]) and not found("Plain text.", pages.get("en", ""))
    assert found("좋아요! :smile:", normalise("좋아요! 😄")) and found("값은 $x^2$ 입니다.", "값은 x2 입니다.")
