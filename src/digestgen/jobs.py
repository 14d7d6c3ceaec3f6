"""What the build plans before it renders anything: a Job per file (and a Group per issue's pages),
each knowing its path, what it is made from and how to make it. Plain data; rendering fills in
``make``, the plan collects them, the cache fingerprints them, the workers run them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from types import MappingProxyType

from .errors import Where
from .model import IssueHead

GROUP_TEMPLATES: Mapping[str, str] = MappingProxyType({"issue": "issue.html", "papers": "paper.html"})
"""The parts of an issue the build renders or skips as a whole, and the template of each."""


@dataclass(frozen=True)
class Output:
    """One file of the built site, made."""

    path: PurePosixPath
    """Relative to the output folder."""
    data: bytes
    owner: str
    """What produced it, for messages."""


@dataclass(frozen=True)
class Job:
    """One file of the site, planned but not yet made: what it is made from, and how to make it.
    ``key`` holds every value ``make`` reads besides the site-wide inputs (templates, strings,
    static files, config), so the build cache can tell whether the file would come out the same."""

    path: PurePosixPath
    owner: str
    """What the file is (``site.yaml``, ``tag 'rag'``, ``feeds``), for messages about clashes."""
    key: tuple[object, ...]
    make: Callable[[], bytes]
    templates: tuple[str, ...] | None = None
    """The templates ``make`` renders (with what they extend, import or include, added by the
    build); ``None``: any of them, so a change to any template makes this file again."""
    indexed: bool = False
    """A page for the search index."""
    at: Where | None = None
    """The content that decided ``path`` (a tag), for messages about clashes; else ``owner``."""
    later: bool = False
    """A file for programs, not readers (feeds, sitemap, papers.json): a pages-first build
    (``serve``) leaves it, as it leaves the search index, to the build that follows."""


@dataclass(frozen=True)
class Group:
    """The pages one issue makes with one template (its issue pages, or its paper pages), in both
    editions: what the build renders or skips as a whole. Besides the issue and the site-wide
    inputs they show its neighbours' titles and the site-wide names of its tags."""

    name: str
    head: IssueHead
    part: str
    """A key of GROUP_TEMPLATES."""
    newer: IssueHead | None
    older: IssueHead | None
    names: tuple[tuple[str, str], ...]
    """(slug, name) of every tag its papers carry."""

    @property
    def template(self) -> str:
        return GROUP_TEMPLATES[self.part]

    @property
    def key(self) -> tuple[object, ...]:
        neighbours = tuple((h.key, h.title) if h else None for h in (self.newer, self.older))
        return (self.part, self.head.key, self.head.digest, neighbours, self.names)
