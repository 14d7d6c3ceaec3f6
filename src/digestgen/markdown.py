"""The one Markdown configuration of the site; the only place where text becomes trusted HTML."""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from .schema import is_http_url


def _safe_link(url: str) -> bool:
    """Links in content may only go to http(s) or stay on the page; everything else stays text."""
    url = url.strip()
    if url.startswith("#"):
        return True
    return is_http_url(url)


class Markdown:
    """Renders editors' Markdown: raw HTML off, images off (no third-party requests), http(s) links only."""

    def __init__(self) -> None:
        md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
        md.enable(["table", "strikethrough", "linkify"])
        md.disable("image")  # an image would make readers' browsers fetch from a third-party host
        md.linkify.set({"fuzzy_link": False, "fuzzy_email": False})  # 'README.md' is not a link
        md.validateLink = _safe_link
        # linkify-it's pretest is one large regex and took most of the Markdown time (profile in
        # README). With fuzzy links off, every link it can find has a schema with '//' (http:,
        # https:, ftp:, protocol-relative) or is a mailto:, so text without those has none.
        pretest = md.linkify.pretest
        md.linkify.pretest = lambda text: ("//" in text or "mailto:" in text.lower()) and pretest(text)
        self._md = md
        self._blocks: dict[str, Markup] = {}
        """Rendered text by source: the same text is shown in several pages and both editions."""

    def block(self, text: str) -> Markup:
        """Paragraphs, lists, tables…"""
        html = self._blocks.get(text)
        if html is None:
            html = self._blocks[text] = Markup(self._md.render(text))  # noqa: S704 - markdown-it escapes text; html is off
        return html

    def inline(self, text: str) -> Markup:
        """One line of inline Markdown, without a surrounding paragraph."""
        return Markup(self._md.renderInline(text))  # noqa: S704


def plain(text: str) -> Markup:
    """Text shown as written (titles): escaped, never interpreted."""
    return escape(text)


@dataclass(frozen=True)
class Deferred:
    """A Markdown block rendered only when a page shows it (Jinja calls ``__html__``). Views hold
    these, so planning a build and fingerprinting what each page shows renders nothing; pages the
    build cache finds unchanged never pay for their Markdown."""

    text: str

    def __html__(self) -> Markup:
        return _shared().block(self.text)

    def __str__(self) -> str:
        return self.__html__()


_SHARED: list[Markdown] = []


def _shared() -> Markdown:
    if not _SHARED:
        _SHARED.append(Markdown())
    return _SHARED[0]


def deferred_block(text: str) -> Deferred:
    return Deferred(text)
