"""Finding papers, end to end on a real build of the seed week plus the made-up week of
tests/fixtures/search (tags in both languages, arXiv links): tag pages, feeds, sitemap, sharing
metadata, papers.json, arXiv and BibTeX, and what goes into the search index."""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit
from xml.etree import ElementTree

import feedparser
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from digestgen.build import build
from digestgen.config import load_config
from helpers import FIXTURES, REPO, Project, snapshot

BASE = "https://example.org/digest/"
SITE_ID = "tag:example.org,2023:ml-papers-digest"
FEEDS = {
    "feed.xml": "rss20",
    "atom.xml": "atom10",
    "ko/feed.xml": "rss20",
    "ko/atom.xml": "atom10",
    "en/feed.xml": "rss20",
    "en/atom.xml": "atom10",
}
RAG = "rag-pipeline-survey"
AUTHORS = {"ko": "이번 주의 주요 ML 논문 편집부", "en": "Top ML Papers of the Week editors"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("finding")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(FIXTURES / "search" / "issues", root / "content" / "issues", dirs_exist_ok=True)
    out = root / "_site"
    build(load_config(REPO / "site.yaml").override(content_dir=root / "content", output_dir=out))
    return out


def soup_of(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / unquote(path) / "index.html").read_text(encoding="utf-8"), "html5lib")


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


def local(url: str) -> str:
    """Absolute URL of the site → its path below the output folder."""
    assert url.startswith(BASE), url
    return unquote(url[len(BASE) :])


# Tags


def test_tag_links_on_papers_lead_to_tag_pages_in_the_same_edition(site: Path) -> None:
    for lang in ("ko", "en"):
        soup = soup_of(site, f"{lang}/papers/{RAG}")
        links = soup.select("ul.tags a[rel=tag]")
        # Each tag under its site-wide name: the most used spelling, ties to the first used.
        assert [a.get_text() for a in links] == ["RAG", "검색 증강", "LLM"]
        for href in (str(a["href"]) for a in links):
            assert href.startswith(f"/digest/{lang}/tags/")
            assert href.isascii()  # Hangul is percent-encoded
            assert (site / unquote(href[len("/digest/") :]) / "index.html").is_file()


def test_case_and_spacing_variants_share_one_tag_page(site: Path) -> None:
    soup = soup_of(site, "en/tags/llm")
    listed = [a["href"] for a in soup.select("main ul.paper-list > li > a:first-child")]
    # LLM, llm and "L L M" are one tag; newest issue first, then the issue's order.
    assert listed == [
        f"/digest/en/papers/{pid}/" for pid in (RAG, "reward-hacking-in-rlhf", "multimodal-llm-benchmark")
    ]
    assert soup.h1.get_text() == "Tag: LLM"


def test_korean_tag_page_exists_under_a_stable_encoded_url(site: Path) -> None:
    assert (site / "ko" / "tags" / "검색증강" / "index.html").is_file()
    soup = soup_of(site, "ko/tags/검색증강")
    assert soup.find("link", rel="canonical")["href"] == BASE + "ko/tags/" + quote("검색증강") + "/"
    assert len(soup.select("main ul.paper-list > li")) == 2  # "검색 증강" and "검색증강"


def test_tag_overview_lists_every_tag_with_its_count(site: Path) -> None:
    soup = soup_of(site, "ko/tags")
    items = {li.a.get_text(): li.select_one(".count").get_text() for li in soup.select("ul.tag-cloud > li")}
    assert items["LLM"] == "(3)"
    assert items["RAG"] == "(1)"
    assert len(items) == len(list((site / "ko" / "tags").iterdir())) - 1  # minus index.html
    counts = [int(c.strip("()")) for c in items.values()]
    assert counts == sorted(counts, reverse=True)


def test_tag_pages_switch_language_to_the_same_tag(site: Path) -> None:
    soup = soup_of(site, "ko/tags/llm")
    assert soup.select_one("a.lang-switch")["href"] == "/digest/en/tags/llm/"


# Feeds


@pytest.mark.parametrize(("path", "version"), FEEDS.items())
def test_every_feed_parses_newest_first_with_unique_ids_and_absolute_links(site: Path, path: str, version: str) -> None:
    feed = feedparser.parse((site / path).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == version
    entries = feed.entries
    per_lang = 1 if path.startswith(("ko/", "en/")) else 2
    assert len(entries) == 2 * per_lang
    dates = [e.published_parsed for e in entries]
    assert dates == sorted(dates, reverse=True)  # feedgen prepends unless told to append
    assert entries[0].link.endswith("/issues/2023-11-20/")
    assert len({e.id for e in entries}) == len(entries)
    for entry in entries:
        found = re.fullmatch(re.escape(SITE_ID) + r":(ko|en):issues:\d{4}-\d{2}-\d{2}", entry.id)
        assert found
        assert entry.author == AUTHORS[found[1]]  # the editors' name in the entry's language
        html = entry.content[0].value if "content" in entry else entry.summary
        refs = re.findall(r'(?:href|src)="([^"]*)"', html)
        assert refs and all(urlsplit(r).scheme in ("http", "https") for r in refs), refs
        assert "논문 소개" in html or "Summary" in html  # the full issue, not a list of titles


@pytest.mark.parametrize("path", FEEDS)
def test_feed_channel_link_is_the_site_not_the_feed(site: Path, path: str) -> None:
    feed = feedparser.parse((site / path).read_bytes())
    expected = BASE + (path.split("/")[0] + "/" if "/" in path else "")
    assert feed.feed.link == expected  # feedgen makes the last link() the channel link
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [BASE + path]


def test_feed_dates_carry_the_site_time_zone_and_come_from_content(site: Path) -> None:
    raw = (site / "ko" / "feed.xml").read_text(encoding="utf-8")
    assert "<lastBuildDate>Sun, 26 Nov 2023 00:00:00 +0900</lastBuildDate>" in raw
    assert re.findall(r"<pubDate>([^<]+)</pubDate>", raw)[1:] == [
        "Sun, 26 Nov 2023 00:00:00 +0900",
        "Sun, 19 Nov 2023 00:00:00 +0900",
    ]
    atom_raw = (site / "atom.xml").read_text(encoding="utf-8")
    assert "<updated>2023-11-26T00:00:00+09:00</updated>" in atom_raw


def test_atom_content_is_escaped_html_not_cdata(site: Path) -> None:
    raw = (site / "atom.xml").read_text(encoding="utf-8")
    assert "CDATA" not in raw
    root = ElementTree.fromstring(raw.encode("utf-8"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    contents = root.findall("a:entry/a:content", ns)
    assert contents and all(c.get("type") == "html" and "<h2" in (c.text or "") for c in contents)


def test_guids_are_the_same_in_every_feed_that_carries_an_issue(site: Path) -> None:
    ids = {path: {e.id for e in feedparser.parse((site / path).read_bytes()).entries} for path in FEEDS}
    assert ids["ko/feed.xml"] == ids["ko/atom.xml"] < ids["feed.xml"] == ids["atom.xml"]
    assert ids["feed.xml"] == ids["ko/feed.xml"] | ids["en/feed.xml"]


def test_json_feed_1_1(site: Path) -> None:
    data = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["home_page_url"] == BASE and data["feed_url"] == BASE + "feed.json"
    assert data["authors"] == [{"name": f"{AUTHORS['ko']} · {AUTHORS['en']}"}]
    assert [i["authors"][0]["name"] for i in data["items"]] == [AUTHORS[i["language"]] for i in data["items"]]
    items = data["items"]
    assert [i["id"] for i in items] == [
        f"{SITE_ID}:{lang}:issues:{week}" for week in ("2023-11-20", "2023-11-13") for lang in ("ko", "en")
    ]
    assert all(i["date_published"].endswith("+09:00") for i in items)
    for item in items:
        refs = re.findall(r'href="([^"]*)"', item["content_html"])
        assert refs and all(r.startswith(("https://", "http://")) for r in refs)


def test_naive_datetimes_are_refused_rather_than_guessed() -> None:
    """feedgen refuses naive datetimes; our dates always carry the site's zone."""
    from datetime import date, datetime

    from digestgen.feeds import FeedInfo, FeedItem, issue_datetime, rss
    from digestgen.model import Bilingual, Issue, Origin

    issue = Issue(date(2023, 11, 13), date(2023, 11, 19), Bilingual(), Bilingual(), Bilingual(), "", (), Origin("x"))
    assert issue_datetime(issue, "Asia/Seoul").utcoffset().total_seconds() == 9 * 3600
    info = FeedInfo("tag:x,2023:y", "T", "D", "ko", "https://x.org/", "https://x.org/feed.xml", "A")
    naive = FeedItem("id", "t", "https://x.org/a/", datetime(2023, 11, 19), "<p>x</p>", "ko", ())
    with pytest.raises(ValueError):
        rss(info, [naive])


def test_every_page_links_its_editions_feeds_own_language_first(site: Path) -> None:
    for path in ("ko", "en", f"ko/papers/{RAG}", "en/tags/llm"):
        lang = path[:2]
        other = "en" if lang == "ko" else "ko"
        links = [str(link["href"]) for link in soup_of(site, path).select("head link[rel=alternate][type]")]
        assert links[:4] == [
            BASE + f"{lang}/feed.xml",
            BASE + f"{lang}/atom.xml",
            BASE + f"{other}/feed.xml",
            BASE + f"{other}/atom.xml",
        ]
        assert set(links[4:]) == {BASE + "feed.xml", BASE + "atom.xml", BASE + "feed.json"}
        for href in links:
            assert (site / local(href)).is_file()


# Sitemap, robots, canonical, sharing


def test_sitemap_lists_every_page_with_its_language_alternates(site: Path) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ElementTree.parse(site / "sitemap.xml").getroot()
    urls = root.findall("s:url", ns)
    locs = [u.find("s:loc", ns).text for u in urls]
    assert len(locs) == len(set(locs)) == len(html_pages(site))
    for url in urls:
        loc = url.find("s:loc", ns).text
        alternates = {a.get("hreflang"): a.get("href", "") for a in url.findall("x:link", ns)}
        assert set(alternates) == {"ko", "en", "x-default"}
        assert loc in alternates.values()  # itself included
        for href in alternates.values():
            assert (site / local(href) / "index.html").is_file() or (site / local(href)).is_file()


def test_sitemap_covers_each_built_page(site: Path) -> None:
    root = ElementTree.parse(site / "sitemap.xml").getroot()
    locs = {e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    for page in html_pages(site):
        path = page.parent.relative_to(site).as_posix()
        assert BASE + (quote(path) + "/" if path != "." else "") in locs


def test_robots_points_to_the_sitemap(site: Path) -> None:
    assert (site / "robots.txt").read_text() == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"


def test_every_page_has_one_canonical_and_sharing_metadata(site: Path) -> None:
    for page in html_pages(site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html5lib")
        (canonical,) = soup.find_all("link", rel="canonical")
        lang = soup.html["lang"]
        meta = {m.get("property") or m.get("name"): m["content"] for m in soup.find_all("meta", content=True)}
        assert meta["description"], page
        assert meta["og:url"] == canonical["href"]
        assert meta["og:title"] and meta["og:description"] == meta["description"]
        assert meta["og:locale"] == {"ko": "ko_KR", "en": "en_US"}[lang]
        assert meta["og:locale:alternate"] == {"ko": "en_US", "en": "ko_KR"}[lang]
        assert meta["twitter:card"] == "summary_large_image" and meta["twitter:title"] and meta["twitter:description"]
        assert meta["og:image"].startswith(BASE + "social/") and meta["og:image:alt"]  # tests/test_cards.py


def test_paper_description_is_the_start_of_its_summary(site: Path) -> None:
    soup = soup_of(site, "ko/papers/chain-of-note-enhancing-robustness-in-retrieval-augmented-language-models")
    description = soup.find("meta", attrs={"name": "description"})["content"]
    assert description.startswith("노이즈가 많고 관련성이 없는 문서와")
    assert len(description) <= 160 and description.endswith("…")
    en = soup_of(site, f"en/papers/{RAG}").find("meta", attrs={"name": "description"})["content"]
    assert en == "Reviews the design of retrievers and generators in RAG systems and compares how they are evaluated."


# papers.json


def test_papers_json_has_every_paper_sorted_and_complete(site: Path) -> None:
    data = json.loads((site / "papers.json").read_text(encoding="utf-8"))
    assert data["version"] == 1 and data["site"] == BASE
    papers = data["papers"]
    assert len(papers) == 14
    keys = [(p["issue"]["week"], p["issue"]["position"]) for p in papers]
    assert keys == sorted(keys)  # oldest issue first: new papers are appended
    assert len({p["id"] for p in papers}) == 14
    rag = next(p for p in papers if p["id"] == RAG)
    assert rag["title"]["en"] == "A Survey of Retrieval-Augmented Generation Pipelines"
    assert rag["arxiv"] == {
        "id": "2312.10997",
        "url": "https://arxiv.org/abs/2312.10997",
        "pdf": "https://arxiv.org/pdf/2312.10997",
    }
    assert [t["slug"] for t in rag["tags"]] == ["rag", "검색증강", "llm"]
    assert rag["urls"]["ko"] == BASE + f"ko/papers/{RAG}/"
    assert rag["links"]["paper"] == "https://arxiv.org/abs/2312.10997v5"
    emu = next(p for p in papers if p["id"] == "emu-video-and-emu-edit")
    assert emu["arxiv"] is None and emu["tags"] == [] and emu["abstract"] == {"ko": "", "en": ""}
    for paper in papers:
        assert (site / local(paper["urls"]["en"]) / "index.html").is_file()


# arXiv and BibTeX


def test_arxiv_papers_show_their_id_and_pdf(site: Path) -> None:
    soup = soup_of(site, "en/papers/reward-hacking-in-rlhf")
    arxiv = soup.select_one(".cite .arxiv")
    assert arxiv.a.get_text() == "2401.01234" and arxiv.a["href"] == "https://arxiv.org/abs/2401.01234"
    assert arxiv.select_one("a.link-pdf")["href"] == "https://arxiv.org/pdf/2401.01234"
    assert soup_of(site, "en/papers/morpheme-aware-tokenization").select_one(".cite .arxiv") is None


def test_bibtex_entry_per_paper(site: Path) -> None:
    bib = soup_of(site, f"ko/papers/{RAG}").select_one("pre.bibtex code").get_text()
    assert bib == (
        "@misc{rag-pipeline-survey,\n"
        "  title = {{A Survey of Retrieval-Augmented Generation Pipelines}},\n"
        "  year = {2023},\n"
        "  eprint = {2312.10997},\n"
        "  archivePrefix = {arXiv},\n"
        "  url = {https://arxiv.org/abs/2312.10997},\n"
        "}\n"
    )
    other = soup_of(site, "en/papers/morpheme-aware-tokenization").select_one("pre.bibtex code").get_text()
    assert "eprint" not in other and "url = {https://example.org/papers/morpheme-tokenization}" in other
    no_link = soup_of(site, "en/papers/emu-video-and-emu-edit").select_one("pre.bibtex code").get_text()
    # no paper link: the digest's page is where it was summarized, never the paper's url
    assert "url = {" not in no_link and "note = {No link to the paper itself is known}" in no_link
    assert f"howpublished = {{Summarized at \\url{{{BASE}en/papers/emu-video-and-emu-edit/}}}}" in no_link


def test_bibtex_escapes_special_characters() -> None:
    from digestgen.views import bibtex_escape

    assert bibtex_escape("Q&A {x} 50% $y$ #1 a_b \\") == r"Q\&A \{x\} 50\% \$y\$ \#1 a\_b \textbackslash{}"


# Search index


def test_every_paper_page_and_nothing_else_is_in_the_search_index(site: Path) -> None:
    """One index, from the Korean edition (whose pages carry the English originals): its paper
    pages and, of its issue pages, the introductions; in shards listed by shards.json."""
    shards = json.loads((site / "pagefind" / "shards.json").read_text())
    counts: dict[str, int] = {}
    for shard in shards:
        entry = json.loads((site / "pagefind" / shard["folder"] / "pagefind-entry.json").read_text())
        for lang, info in entry["languages"].items():
            counts[lang] = counts.get(lang, 0) + info["page_count"]
    intros = [p for p in html_pages(site) if p.parent.parent.name == "issues" and p.parts[-4] == "ko"]
    with_intro = sum(
        1 for p in intros if BeautifulSoup(p.read_text(encoding="utf-8"), "html5lib").select("section.intro")
    )
    assert with_intro and counts == {"ko": 14 + with_intro}
    for page in html_pages(site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html5lib")
        lang = page.relative_to(site).parts[0]
        kind = page.parent.parent.name
        body = soup.select("[data-pagefind-body]")
        if lang == "ko" and kind == "papers":
            assert [tag.name for tag in body] == ["main"], page
            assert soup.select_one("main[data-pagefind-body] [data-search-terms][hidden]") is not None
        elif lang == "ko" and kind == "issues" and soup.select("section.intro"):
            assert [tag.get("class") for tag in body] == [["intro"]], page
        else:
            assert not body and not soup.select("[data-search-terms]"), page


def test_results_show_titles_in_both_languages_and_the_week(site: Path) -> None:
    soup = soup_of(site, f"ko/papers/{RAG}")
    main = soup.select_one("main")
    keys = [part.strip().split("[")[0] for part in main["data-pagefind-meta"].split(",")]
    assert keys == ["title", "en", "week"]
    assert main["data-search-title"] == soup.select_one("h1").get_text().strip()
    assert main["data-search-en"] == soup_of(site, f"en/papers/{RAG}").select_one("h1").get_text().strip()
    assert main["data-search-week"] == "2023-11-20"  # the week of the issue it is in
    assert not soup_of(site, f"en/papers/{RAG}").select_one("main").has_attr("data-pagefind-meta")


def test_hidden_search_words_hold_korean_parts(site: Path) -> None:
    found = soup_of(site, f"ko/papers/{RAG}").select_one("[data-search-terms]").get_text()
    assert found == unicodedata.normalize("NFD", found)  # decomposed: the form Pagefind counts (search.py)
    terms = set(unicodedata.normalize("NFC", found).split())
    # Korean pages leave out the pieces that start a shown word (검색증강생성, 생성기의): Pagefind has those.
    assert {"색증", "강생", "성기", "기의", "인서"} <= terms and not {"검색", "생성"} & terms


def test_search_box_on_every_edition_page(site: Path) -> None:
    for page in html_pages(site):
        if page == site / "index.html":
            continue  # the landing page only sends readers to an edition
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html5lib")
        form = soup.select_one("header form.site-search[role=search]")
        assert form is not None and form["data-bundle"] == "/digest/pagefind/", page
        assert form.find("label")["for"] == form.find("input", type="search")["id"]


# Failure and safety


def test_pagefind_failure_stops_the_build_and_keeps_the_old_site(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from digestgen import search
    from digestgen.cli import main
    from helpers import paper

    project.add_issue()
    assert main(["build"]) == 0
    before = snapshot(project.output)
    project.add_issue("2023-11-20", papers=[paper(2)])
    monkeypatch.setattr(search, "pagefind_command", lambda: ["/bin/false"])  # `false …` exits 1
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("_site: Pagefind failed (is `pagefind[bin]` installed?): exit status 1\n")
    assert "Traceback" not in err
    assert snapshot(project.output) == before
    assert not (project.root / "_site.new").exists()


def test_tags_from_content_are_escaped_everywhere(project: Project) -> None:
    from helpers import paper

    project.add_issue(papers=[paper(1, tags=["<script>alert(1)</script>", 'a"b'])])
    build(project.config())
    for path in ("ko/papers/paper-number-1/", "en/tags/"):
        html = project.read(path)
        assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    slugs = sorted(p.name for p in (project.output / "ko" / "tags").iterdir() if p.is_dir())
    assert slugs == ["_3c_script_3e_alert_28_1_29__3c__2f_script_3e_", "a_22_b"]


def test_hangul_terms_are_bigrams_within_and_across_words() -> None:
    from digestgen.search import hangul_terms

    text = "CoN: 검색 증강 생성 모델을, 검색증강생성 뇌"
    assert unicodedata.normalize("NFC", hangul_terms([text])).split() == [
        "검색",
        "색증",
        "증강",
        "강생",
        "생성",
        "성뇌",
        "모델",
        "델을",
        "뇌",
    ]  # nothing across "CoN:" or "모델을,"
    # Korean pages show the words: pieces that start a shown word, and one-syllable words, are left out.
    assert unicodedata.normalize("NFC", hangul_terms([text], words=False)).split() == ["색증", "강생", "성뇌", "델을"]


def test_a_site_without_issues_has_valid_feeds_and_no_clock_time(project: Project) -> None:
    first = build(project.config())
    assert first.search_pages == 0 and not (project.output / "pagefind").exists()
    files = snapshot(project.output)
    for path, version in FEEDS.items():
        feed = feedparser.parse((project.output / path).read_bytes())
        assert not feed.bozo and feed.version == version and feed.entries == []
    assert "<updated>1970-01-01T00:00:00+00:00</updated>" in (project.output / "atom.xml").read_text()
    build(project.config())
    assert snapshot(project.output) == files


@settings(max_examples=60)
@given(
    st.lists(st.text(alphabet="검색증강생성모델을의 ", min_size=1, max_size=12), min_size=1, max_size=3), st.booleans()
)
def test_any_part_of_korean_text_is_found_as_its_bigrams(texts: list[str], korean_page: bool) -> None:
    """What Pagefind's prefix matching needs to find `생성` in `검색증강생성` and `검색증강` in
    `검색 증강`, with the browser asking for the query's two-syllable pieces (search.js `pieces`):
    each piece of every part of two syllables or more of the text, spaces left out, starts some
    indexed word, and so does the first syllable of every word. On Korean pages the visible words
    are indexed as shown."""
    from digestgen.search import hangul_terms

    indexed = unicodedata.normalize("NFC", hangul_terms(texts, words=not korean_page)).split()
    if korean_page:
        indexed += [word for text in texts for word in text.split()]

    def found(query: str) -> bool:
        pieces = [query] if len(query) <= 2 else [query[i : i + 2] for i in range(len(query) - 1)]
        return all(any(term.startswith(piece) for term in indexed) for piece in pieces)

    for text in texts:
        joined = "".join(text.split())
        for i in range(len(joined)):
            for j in range(i + 2, len(joined) + 1):
                assert found(joined[i:j]), (text, joined[i:j])
        for word in text.split():
            assert found(word[0]), (text, word[0])


def test_tag_overview_is_in_the_main_menu(site: Path) -> None:
    for lang in ("ko", "en"):
        menu = soup_of(site, f"{lang}/tags").select("header nav a")
        current = [a for a in menu if a.get("aria-current") == "page"]
        assert [a["href"] for a in current] == [f"/digest/{lang}/tags/"]
        assert f"/digest/{lang}/tags/" in [a["href"] for a in soup_of(site, f"{lang}/papers").select("header nav a")]
