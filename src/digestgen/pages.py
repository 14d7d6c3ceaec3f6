"""Standalone pages (About / 소개, how to subscribe …): ``content/pages/<slug>.md``, both languages in
one file, built to ``/ko/<slug>/`` and ``/en/<slug>/``. The format is an issue's, without papers:

    ---
    title:
      ko: 소개
      en: About
    nav: 1            # optional: linked from every page's navigation, in this order
    ---
    한국어 본문 (Markdown).

    <!-- en -->
    The English text (Markdown).

The Korean text comes first, the English after a line ``<!-- en -->`` (as an issue's introduction),
so that each stays plain Markdown an editor can read and a diff shows. Both are required: a page
in one language only would leave the other edition with an empty page. The slug (the file's
name) must not be one of the site's own folders (``papers``, ``tags`` …)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from .editorfiles import is_editor_file
from .errors import DigestError, Problem, display_path
from .load import split_intro as split_languages
from .model import Bilingual, Origin
from .schema import Reader
from .source import SourceFile, format_field, read_source

PAGE_KEYS = ("title", "description", "nav")
SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
MAX_SLUG = 60
RESERVED = frozenset({"issues", "papers", "tags", "archive", "static", "pagefind", "feed.xml", "atom.xml", "feed.json"})
"""What the site itself puts in an edition's folder (``/ko/papers/`` …), so no page may be called so."""
YEAR = re.compile(r"\d{4}")
"""Year pages (``/ko/2023/``) are the site's too, for any year the archive may reach."""


@dataclass(frozen=True)
class Page:
    """One standalone page in both languages."""

    slug: str
    """Its folder in each edition (``about`` → ``/ko/about/``): the file's name without ``.md``."""
    title: Bilingual
    description: Bilingual
    """For ``<meta name="description">``; the site's description when empty."""
    body: Bilingual
    """Markdown, per language."""
    nav: int | None
    """Its place in the navigation (1 first), or None: not linked from there."""
    origin: Origin


def load_pages(content_dir: Path) -> tuple[Page, ...]:
    """Every page of ``content_dir/pages`` (none when the folder does not exist), by slug; raise
    one DigestError listing every problem of every file."""
    folder = content_dir / "pages"
    if not folder.is_dir():
        return ()
    shown = display_path(folder)
    pages: list[Page] = []
    problems: list[Problem] = []
    for name in sorted(os.listdir(folder)):
        if name.startswith(".") or is_editor_file(name):
            continue
        path = folder / name
        if not (name.endswith(".md") and path.is_file()):
            problems.append(
                Problem(f"{shown}/{name}", None, None, "", "not read: pages are files named <slug>.md in this folder")
            )
            continue
        try:
            pages.append(parse_page(read_source(path, f"{shown}/{name}")))
        except DigestError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DigestError(problems)
    return tuple(pages)


def parse_page(source: SourceFile) -> Page:
    """Validate one page file, or raise with all its problems."""
    r = Reader(source.meta, source.display)
    if source.meta.data is None:
        raise DigestError(Problem(source.display, 2, None, "", "front-matter is empty; it needs a title"))
    if not r.mapping((), PAGE_KEYS, required=("title",)):
        raise DigestError(r.problems)
    slug = source.path.stem
    if not (SLUG.fullmatch(slug) and len(slug) <= MAX_SLUG):
        r.problems.append(
            Problem(
                source.display,
                None,
                None,
                "",
                f"{slug!r} cannot be a page's address: name the file with lowercase letters, digits "
                f"and '-' (at most {MAX_SLUG}), e.g. about.md",
            )
        )
    elif slug in RESERVED or YEAR.fullmatch(slug):
        r.problems.append(
            Problem(source.display, None, None, "", f"/ko/{slug}/ is the site's own; give the page another file name")
        )
    ko, en, lines = split_languages(source.body, source.body_line)
    if not ko:
        r.problems.append(Problem(source.display, source.body_line, None, "body.ko", "the Korean text is missing"))
    if not en:
        line = lines.get("intro.en", source.body_line + source.body.rstrip().count("\n"))  # the last line
        r.problems.append(
            Problem(
                source.display, line, None, "body.en", "the English text is missing: write it after a line <!-- en -->"
            )
        )
    page = Page(
        slug=slug,
        title=r.bilingual(("title",), required=("ko", "en")),
        description=r.bilingual(("description",)),
        body=Bilingual(ko=ko, en=en),
        nav=_nav(r),
        origin=Origin(
            source.display,
            1,
            MappingProxyType({format_field(p): line for p, (line, _) in r.doc.positions.items() if p}),
            text_lines=MappingProxyType({k.replace("intro", "body"): v for k, v in lines.items()}),
        ),
    )
    if r.problems:
        raise DigestError(r.problems)
    return page


def _nav(r: Reader) -> int | None:
    value = r.get(("nav",))
    if not r.has(("nav",)) or value is False:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        r.error(("nav",), f"must be the page's place in the navigation (1, 2, …), not {value!r}")
        return None
    return value


def nav_pages(pages: tuple[Page, ...]) -> tuple[Page, ...]:
    """The pages linked from the navigation, in their order (then by slug)."""
    return tuple(sorted((p for p in pages if p.nav is not None), key=lambda p: (p.nav, p.slug)))
