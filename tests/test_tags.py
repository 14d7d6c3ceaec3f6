"""Tags: one tag however cased or spaced, stable URL-safe slugs, near-duplicate warnings."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digestgen.load import load_content
from digestgen.model import Catalog
from digestgen.tags import collect_tags, near_duplicate_warnings, tag_key, tag_slug
from digestgen.urls import Urls
from helpers import Project, paper


@pytest.mark.parametrize("variant", ["LLM", "llm", "L L M", "Llm", "l-l-m", "ＬＬＭ", " llm "])
def test_case_and_spacing_variants_are_one_tag(variant: str) -> None:
    assert tag_slug(variant) == "llm"


def test_korean_tags_keep_their_letters_and_ignore_spacing() -> None:
    assert tag_slug("검색 증강") == tag_slug("검색증강") == "검색증강"
    # The URL carries the UTF-8 percent-encoded; the file on disk is named in Hangul (NFC).
    url = Urls("https://example.org/digest/").tag("ko", tag_slug("검색 증강"))
    assert url == "/digest/ko/tags/" + quote("검색증강") + "/"
    assert url.isascii()
    assert str(Urls("https://example.org/digest/").output_path(url)) == "ko/tags/검색증강/index.html"


def test_decomposed_hangul_gives_the_same_slug() -> None:
    import unicodedata

    assert tag_slug(unicodedata.normalize("NFD", "검색 증강")) == "검색증강"


@pytest.mark.parametrize(
    ("tag", "slug"),
    [
        ("C++", "c_2b__2b_"),
        ("C#", "c_23_"),
        ("gpt-4.5", "gpt4.5"),
        ("a/b", "a_2f_b"),
        ("Q&A", "q_26_a"),
        ("100%", "100_25_"),
    ],
)
def test_other_characters_are_spelled_out_so_slugs_stay_safe_and_distinct(tag: str, slug: str) -> None:
    assert tag_slug(tag) == slug
    assert all(c.isalnum() or c in "._" for c in slug)


def test_slug_depends_on_the_tag_alone() -> None:
    """Stable: the slug never depends on which spelling a site saw first."""
    assert tag_key("Chain Of Thought") == tag_key("chain-of-thought") == "chainofthought"


def build_content(project: Project, papers: list[dict[str, object]], week: str = "2023-11-13") -> Catalog:
    project.add_issue(week, papers=papers)
    return load_content(project.root / "content").catalog(tag_slug)


def test_collect_merges_spellings_and_names_a_tag_by_its_most_used_one(project: Project) -> None:
    content = build_content(project, [paper(1, tags=["LLM", "RAG"]), paper(2, tags=["llm"]), paper(3, tags=["LLM"])])
    tags = {tag.slug: tag for tag in collect_tags(content)}
    assert set(tags) == {"llm", "rag"}
    assert tags["llm"].name == "LLM"
    assert [p.title.en for _, p in tags["llm"].papers] == ["Paper number 1", "Paper number 2", "Paper number 3"]


def test_a_paper_with_two_spellings_of_one_tag_is_listed_once(project: Project) -> None:
    content = build_content(project, [paper(1, tags=["LLM", "llm"])])
    (tag,) = collect_tags(content)
    assert len(tag.papers) == 1


def test_near_duplicates_are_warned_about_with_file_and_line(project: Project) -> None:
    content = build_content(project, [paper(1, tags=["transformer"]), paper(2, tags=["Transformers", "rag"])])
    (warning,) = near_duplicate_warnings(content)
    assert warning.warning
    assert str(warning).startswith("content/issues/2023-11-13.md:")
    assert "papers[1].tags" in str(warning)
    assert "'Transformers' is nearly the same as 'transformer'" in warning.message


def test_spelling_variants_are_not_near_duplicates(project: Project) -> None:
    content = build_content(project, [paper(1, tags=["LLM"]), paper(2, tags=["l l m", "ai", "ml"])])
    assert near_duplicate_warnings(content) == []


def test_a_tag_without_letters_is_reported_not_dropped_silently(project: Project) -> None:
    content = build_content(project, [paper(1, tags=["--", "rag"])])
    (warning,) = near_duplicate_warnings(content)
    assert "has no letters or digits" in warning.message


def test_build_prints_tag_warnings(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    from digestgen.cli import main

    project.add_issue(papers=[paper(1, tags=["agent"]), paper(2, tags=["agents"])])
    assert main(["build"]) == 0
    err = capsys.readouterr().err
    assert "content/issues/2023-11-13.md:" in err and "warning: tag 'agents' is nearly the same as 'agent'" in err


@pytest.mark.parametrize(("tag", "slug"), [(".NET", "_2e_net"), ("..", "_2e_."), (".", "_2e_")])
def test_a_slug_never_starts_with_a_dot(tag: str, slug: str) -> None:
    assert tag_slug(tag) == slug


@given(st.text(max_size=12), st.text(max_size=12))
def test_two_tags_share_a_slug_exactly_when_they_are_one_tag(a: str, b: str) -> None:
    assert (tag_slug(a) == tag_slug(b)) == (tag_key(a) == tag_key(b))


def test_escapes_cannot_run_into_the_next_character() -> None:
    assert tag_slug(".5") != tag_slug("\u02e5")  # "_2e5" both, without the closing "_"


@given(st.text(min_size=1, max_size=16))
def test_every_slug_is_one_safe_path_segment(text: str) -> None:
    slug = tag_slug(text)
    if not slug:
        return
    urls = Urls("https://example.org/digest/")
    path = urls.output_path(urls.tag("ko", slug))
    assert path.parts == ("ko", "tags", slug, "index.html")
    assert not slug.startswith(".") and "/" not in slug and "\\\\" not in slug
    assert urls.tag("ko", slug).isascii()
