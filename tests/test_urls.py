from pathlib import PurePosixPath

import pytest

from digestgen.errors import DigestError
from digestgen.urls import Urls, check_unique_paths


def test_urls_under_a_subpath() -> None:
    urls = Urls("https://example.org/digest/")
    assert urls.home("ko") == "/digest/ko/"
    assert urls.issue("en", "2023-11-13") == "/digest/en/issues/2023-11-13/"
    assert urls.paper("ko", "chain-of-note") == "/digest/ko/papers/chain-of-note/"
    assert urls.papers("en") == "/digest/en/papers/"
    assert urls.feed() == "/digest/feed.xml"
    assert urls.landing() == "/digest/"
    assert urls.static("style.css", "abc") == "/digest/static/style.css?v=abc"
    assert urls.absolute(urls.home("ko")) == "https://example.org/digest/ko/"


def test_urls_at_the_root() -> None:
    urls = Urls("http://localhost:8000/")
    assert urls.issue("ko", "2023-11-13") == "/ko/issues/2023-11-13/"
    assert urls.absolute("/feed.xml") == "http://localhost:8000/feed.xml"


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("/digest/", "index.html"),
        ("/digest/ko/", "ko/index.html"),
        ("/digest/ko/papers/x/", "ko/papers/x/index.html"),
        ("/digest/feed.xml", "feed.xml"),
        ("/digest/static/style.css?v=1", "static/style.css"),
    ],
)
def test_output_paths(url: str, path: str) -> None:
    assert Urls("https://example.org/digest/").output_path(url) == PurePosixPath(path)


def test_two_outputs_on_one_path_are_an_error() -> None:
    with pytest.raises(DigestError) as exc:
        check_unique_paths([(PurePosixPath("ko/index.html"), "a.md"), (PurePosixPath("ko/index.html"), "b.md")])
    assert str(exc.value.problems[0]) == "b.md: would write ko/index.html, which a.md writes too"


@pytest.mark.parametrize("base", ["https://example.org/", "https://example.org/digest/"])
@pytest.mark.parametrize("key", ["2023-11-13", "chain-of-note", "v1.5_x", "a"])
def test_page_files_are_the_output_paths_of_their_urls(base: str, key: str) -> None:
    """The plan names issue and paper files without building their URLs; they must be the same files."""
    urls = Urls(base)
    for lang in ("ko", "en"):
        assert urls.issue_file(lang, key) == str(urls.output_path(urls.issue(lang, key)))
        assert urls.paper_file(lang, key) == str(urls.output_path(urls.paper(lang, key)))


def test_a_file_where_another_output_needs_a_folder_is_an_error() -> None:
    with pytest.raises(DigestError) as exc:
        check_unique_paths([("en/papers/index.html", "site.yaml"), ("en/papers/index.html/index.html", "x.md")])
    assert [str(p) for p in exc.value.problems] == [
        "x.md: would write en/papers/index.html/index.html, but en/papers/index.html is already a file of the site "
        "(site.yaml)"
    ]
