"""Issue #15, point 7: feeds as real clients show them. English items in English, math readable
where MathML is stripped, the site link before the self link, each entry's language in the
combined feeds, distinct dates for the two editions of a week, categories that stay text, and
``\\:smile:`` left as written."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from digestgen.build import build
from helpers import Project, paper

HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = Project(tmp_path_factory.mktemp("feeds"))
    project.add_issue(
        "2023-11-13",
        papers=[
            paper(
                1,
                summary={
                    "ko": "정렬은 $\\mathcal{O}(n \\log n)$ 입니다.",
                    "en": "Sorting takes $\\mathcal{O}(n \\log n)$.",
                },
                abstract={"ko": "한국어 초록만 있습니다. \\:smile: 그대로, :smile: 이모지"},
                tags=["<b>bold</b> & co", "rag"],
            )
        ],
        notice={"ko": "이 호만의 알림입니다."},
        body="한국어 소개만 있습니다.\n",
    )
    project.add_issue("2023-11-20", papers=[paper(2)], body="소개\n\n<!-- en -->\nAn English intro.\n")
    build(project.config())
    return project.output


def entries(site: Path, name: str) -> list[feedparser.FeedParserDict]:
    found: list[feedparser.FeedParserDict] = feedparser.parse(site / name).entries
    return found


def test_english_items_are_in_english(site: Path) -> None:
    item = next(e for e in entries(site, "en/atom.xml") if e.link.endswith("/2023-11-13/"))
    html = BeautifulSoup(item.content[0].value, "html5lib")
    notice = html.blockquote
    assert notice["lang"] == "en" and "These summaries were written automatically" in notice.get_text()
    assert "한국어 소개만" not in html.get_text() and "한국어 초록만" not in html.get_text()
    assert html.find("em", string="Translation pending (shown in Korean)") is not None
    # what Hangul remains is the Korean title under the English one, marked as Korean
    for text in html.find_all(string=HANGUL):
        assert text.find_parent(lang=True)["lang"] == "ko", text
    assert item.author == "Top ML Papers of the Week editors"
    korean = next(e for e in entries(site, "ko/atom.xml") if e.link.endswith("/2023-11-13/"))
    assert "이 호만의 알림입니다." in korean.content[0].value and "한국어 소개만" in korean.content[0].value


def test_og_description_of_an_english_issue_is_english(site: Path) -> None:
    page = BeautifulSoup((site / "en/issues/2023-11-13/index.html").read_text(encoding="utf-8"), "html5lib")
    description = page.find("meta", property="og:description")["content"]
    assert description and not HANGUL.search(str(description))


def test_math_reaches_feeds_as_its_tex_source(site: Path) -> None:
    raw = (site / "en/feed.xml").read_text(encoding="utf-8")
    item = next(e for e in entries(site, "en/feed.xml") if e.link.endswith("/2023-11-13/"))
    assert "<code>$\\mathcal{O}(n \\log n)$</code>" in item.description
    assert "<math" not in item.description and "&lt;math" not in raw
    page = (site / "en/papers/paper-number-1/index.html").read_text(encoding="utf-8")
    assert '<math alttext="\\mathcal{O}(n \\log n)"' in page  # pages keep MathML, with the source for screen readers


def test_atom_feeds_link_the_site_before_themselves(site: Path) -> None:
    for name in ("atom.xml", "ko/atom.xml", "en/atom.xml"):
        raw = (site / name).read_text(encoding="utf-8")
        head = raw[: raw.index("<entry")]
        rels = re.findall(r'<link href="[^"]*" rel="(\w+)"', head)
        assert rels == ["alternate", "self"], name
        feed = feedparser.parse(site / name).feed
        assert feed.link.endswith(("/digest/", "/ko/", "/en/")), (name, feed.link)


def test_combined_feeds_say_each_entrys_language_and_date(site: Path) -> None:
    atom = (site / "atom.xml").read_text(encoding="utf-8")
    langs = re.findall(r'<entry xml:lang="(ko|en)">', atom)
    ids = re.findall(r"<id>[^<]*:(ko|en):issues:[^<]*</id>", atom)
    assert langs == ids == ["ko", "en", "ko", "en"]
    parsed = feedparser.parse(site / "atom.xml").entries
    assert [e.get("language") for e in parsed] == langs
    rss = (site / "feed.xml").read_text(encoding="utf-8")
    assert re.findall(r"<dc:language>(ko|en)</dc:language>", rss) == ["ko", "en", "ko", "en"]
    updated = [e.updated for e in parsed]
    assert len(set(updated)) == 4  # ko and en of one week differ (by a minute)
    data = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    assert [i["language"] for i in data["items"]] == ["ko", "en", "ko", "en"]
    assert len({i["date_published"] for i in data["items"]}) == 4


def test_categories_stay_text(site: Path) -> None:
    rss = (site / "ko/feed.xml").read_text(encoding="utf-8")
    assert "<category>&lt;b&gt;bold&lt;/b&gt; &amp; co</category>" in rss  # escaped: no markup in the XML
    item = next(e for e in entries(site, "ko/feed.xml") if e.link.endswith("/2023-11-13/"))
    assert "<b>bold</b> & co" in [t.term for t in item.tags]  # as written, never bold
    atom = next(e for e in entries(site, "ko/atom.xml") if e.link.endswith("/2023-11-13/"))
    assert "<b>bold</b> & co" in [t.term for t in atom.tags]


def test_escaped_shortcode_stays_text(site: Path) -> None:
    page = BeautifulSoup((site / "ko/papers/paper-number-1/index.html").read_text(encoding="utf-8"), "html5lib")
    text = page.select_one("details.abstract .text").get_text()
    assert ":smile: 그대로" in text and "😄 이모지" in text
    item = next(e for e in entries(site, "ko/atom.xml") if e.link.endswith("/2023-11-13/"))
    assert ":smile: 그대로" in item.content[0].value and "😄 이모지" in item.content[0].value
