"""Nothing an editor wrote is silently dropped: every text, link and tag of the repo's content
reaches the issue page of the edition it belongs to."""

from __future__ import annotations

import re
import shutil

from bs4 import BeautifulSoup

from digestgen.build import build
from digestgen.load import load_content
from digestgen.markdown import Markdown
from digestgen.model import LANGS, Lang
from helpers import REPO, Project


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", BeautifulSoup(html, "html5lib").get_text(" ")).strip()


def test_every_field_reaches_its_issue_page(project: Project) -> None:
    shutil.rmtree(project.root / "content")
    shutil.copytree(REPO / "content", project.root / "content")
    config = project.config()
    build(config)
    md = Markdown()
    content = load_content(config.content_dir)
    assert content.issues
    for issue in content.issues:
        pages = {lang: project.read(f"{lang}/issues/{issue.key}/") for lang in ("ko", "en")}
        texts = {lang: text_of(page) for lang, page in pages.items()}
        soups = {lang: BeautifulSoup(page, "html5lib") for lang, page in pages.items()}
        expected: list[tuple[str, str]] = [("ko", text_of(md.block(issue.intro.ko)))]
        if issue.intro.en:
            expected.append(("en", text_of(md.block(issue.intro.en))))
        for paper in issue.papers:
            for lang in LANGS:
                # Korean edition: Korean text with the English original; English edition: English.
                langs: tuple[Lang, ...] = ("ko", "en") if lang == "ko" else ("en",)
                for field in (paper.summary, paper.abstract):
                    expected += [(lang, text_of(md.block(field.get(x)))) for x in langs if field.get(x)]
                expected += [(lang, paper.title.get(x)) for x in LANGS if paper.title.get(x)]
                expected += [(lang, tag) for tag in paper.tags]
                hrefs = {a.get("href") for a in soups[lang].find_all("a")}
                for url in [link.url for link in paper.links] + ([paper.tweet] if paper.tweet else []):
                    assert url in hrefs, (issue.key, paper.id, url)
        for edition, text in expected:
            assert text in texts[edition], (issue.key, edition, text[:60])
