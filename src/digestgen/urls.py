"""The one owner of URLs and output paths. Every link in the site comes from here."""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from .errors import DigestError, Where
from .model import Lang

CARDS_DIR = "social/"
"""The social cards' folder in the output (cards.py)."""
_SAFE = re.compile(r"[A-Za-z0-9._~-]*")
"""Characters quote() leaves alone; most parts (ids, dates) need no quoting at all."""


@dataclass(frozen=True)
class Urls:
    """URL scheme (stable: published URLs and feed ids must never change)::

    /                          landing page → /ko/ or /en/
    /<lang>/                   home: issues newest first
    /<lang>/issues/<week>/     one issue
    /<lang>/papers/            paper index, newest first (its first page)
    /<lang>/papers/page/<n>/   paper index, page n ≥ 2
    /<lang>/archive/           archive: the years
    /<lang>/<year>/            one year's weeks
    /<lang>/papers/<id>/       one paper
    /feed.xml                  RSS of the whole site (both editions)
    /static/<file>             assets
    /<lang>/tags/              tag overview, with counts
    /<lang>/tags/<slug>/       one tag's papers (slug: see tags.py), newest first
    /<lang>/tags/<slug>/page/<n>/  one tag's papers, page n ≥ 2
    /atom.xml, /feed.json      Atom and JSON Feed 1.1 of the whole site
    /<lang>/feed.xml           RSS of one edition
    /<lang>/atom.xml           Atom of one edition
    /sitemap.xml, /robots.txt  for search engines
    /papers.json               every paper as data
    /pagefind/                 the search index (written by Pagefind)
    /social/<lang>.png         the edition's social card (og:image of pages without their own)
    /social/<lang>/<week>.png  an issue's social card (its pages' og:image, its papers' too)
    """

    base_url: str
    """Absolute, ending with '/'; its path is the subpath the site is served under."""

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path or "/"

    @functools.lru_cache(maxsize=65536)  # noqa: B019 - Urls is a small frozen value; pages ask for the same URLs often
    def _path(self, *parts: str, trailing: bool = True) -> str:
        joined = "/".join(part if _SAFE.fullmatch(part) else quote(part, safe="") for part in parts)
        return self.base_path + joined + ("/" if trailing and joined else "")

    def landing(self) -> str:
        return self._path()

    def home(self, lang: Lang) -> str:
        return self._path(lang)

    def issue(self, lang: Lang, week: str) -> str:
        return self._path(lang, "issues", week)

    def page(self, lang: Lang, slug: str) -> str:
        """A standalone page (pages.py)."""
        return self._path(lang, slug)

    def papers(self, lang: Lang) -> str:
        return self._path(lang, "papers")

    def paper(self, lang: Lang, paper_id: str) -> str:
        return self._path(lang, "papers", paper_id)

    def papers_page(self, lang: Lang, number: int) -> str:
        """Page ``number`` of the paper index; the first is the index itself."""
        return self.papers(lang) if number == 1 else self._path(lang, "papers", "page", str(number))

    def archive(self, lang: Lang) -> str:
        return self._path(lang, "archive")

    def year(self, lang: Lang, year: int) -> str:
        return self._path(lang, str(year))

    def feed(self) -> str:
        return self._path("feed.xml", trailing=False)

    def tags(self, lang: Lang) -> str:
        return self._path(lang, "tags")

    def tag(self, lang: Lang, slug: str) -> str:
        return self._path(lang, "tags", slug)

    def tag_page(self, lang: Lang, slug: str, number: int) -> str:
        """Page ``number`` of a tag's papers; the first is the tag's page itself."""
        return self.tag(lang, slug) if number == 1 else self._path(lang, "tags", slug, "page", str(number))

    def atom(self) -> str:
        return self._path("atom.xml", trailing=False)

    def json_feed(self) -> str:
        return self._path("feed.json", trailing=False)

    def edition_feed(self, lang: Lang) -> str:
        return self._path(lang, "feed.xml", trailing=False)

    def edition_atom(self, lang: Lang) -> str:
        return self._path(lang, "atom.xml", trailing=False)

    def sitemap(self) -> str:
        return self._path("sitemap.xml", trailing=False)

    def robots(self) -> str:
        return self._path("robots.txt", trailing=False)

    def papers_json(self) -> str:
        return self._path("papers.json", trailing=False)

    def search_bundle(self) -> str:
        """Pagefind's folder (pagefind.js and the index), written after the pages."""
        return self._path("pagefind")

    def site_card(self, lang: Lang) -> str:
        """The edition's social card (cards.py)."""
        return self._path(CARDS_DIR.rstrip("/"), f"{lang}.png", trailing=False)

    def issue_card(self, lang: Lang, week: str) -> str:
        """An issue's social card in one edition (cards.py)."""
        return self._path(CARDS_DIR.rstrip("/"), lang, f"{week}.png", trailing=False)

    def static(self, name: str, version: str = "") -> str:
        """An asset; ``version`` (a content hash) makes browsers fetch it again when it changes."""
        return self._path("static", *name.split("/"), trailing=False) + (f"?v={version}" if version else "")

    def absolute(self, path: str) -> str:
        """'/digest/ko/' → 'https://example.org/digest/ko/'"""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}{path}"

    def issue_file(self, lang: Lang, week: str) -> str:
        """``str(output_path(issue(lang, week)))``, without building URLs: a plan asks for every
        issue's and paper's file on every build."""
        return f"{lang}/issues/{week}/index.html"

    def paper_file(self, lang: Lang, paper_id: str) -> str:
        """``str(output_path(paper(lang, paper_id)))``, as ``issue_file``."""
        return f"{lang}/papers/{paper_id}/index.html"

    @functools.lru_cache(maxsize=65536)  # noqa: B019 - as _path: a rebuild asks for every page's file again
    def output_path(self, path: str) -> PurePosixPath:
        """The file a URL path is served from, relative to the output folder."""
        if not path.startswith(self.base_path):
            raise ValueError(f"{path} is outside {self.base_path}")
        rest = unquote(path[len(self.base_path) :].split("?", 1)[0])
        if rest == "" or rest.endswith("/"):
            rest += "index.html"
        return PurePosixPath(rest)


def check_unique_paths(planned: Iterable[tuple[PurePosixPath | str, Where | str]]) -> None:
    """Every output path, once: two outputs on one path, or a file where another output needs a
    folder (a paper id ``index.html`` beside the paper index), is an error naming what decided
    each path. Found before anything is written."""
    entries = [(str(path), owner if isinstance(owner, Where) else Where(owner)) for path, owner in planned]
    if not paths_clash([path for path, _ in entries]):
        return
    owners: dict[str, Where] = {}
    problems = []
    for path, owner in entries:
        if path in owners:
            first = owners[path]
            # Told at the content that decided the path: a fixed page's path cannot be changed.
            blamed, other = (first, owner) if owner.line is None and first.line is not None else (owner, first)
            problems.append(blamed.problem(f"would write {path}, which {other} writes too"))
        owners.setdefault(path, owner)
    for path, owner in entries:
        for folder in _parents(path):
            if folder in owners:
                problems.append(
                    owner.problem(f"would write {path}, but {folder} is already a file of the site ({owners[folder]})")
                )
    raise DigestError(problems)


def paths_clash(paths: Collection[str]) -> bool:
    """Do two of ``paths`` clash (see check_unique_paths)? Cheap: a build asks on every rebuild,
    for tens of thousands of paths, and explains only when they do."""
    files = set(paths)
    return len(files) != len(paths) or not files.isdisjoint(_folders(files))


def _parents(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def _folders(files: Iterable[str]) -> set[str]:
    """Every folder the files are in (their parents, up to the output folder), a level at a time:
    the first level has a folder per page, the next few, so set comprehensions do nearly all of it."""
    folders: set[str] = set()
    level = {path.rpartition("/")[0] for path in files} - {""}
    while level:
        folders |= level
        level = {folder.rpartition("/")[0] for folder in level} - folders - {""}
    return folders
