"""The one Markdown configuration of the site; the only place where text becomes trusted HTML."""

from __future__ import annotations

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
        self._md = md

    def block(self, text: str) -> Markup:
        """Paragraphs, lists, tables…"""
        return Markup(self._md.render(text))  # noqa: S704 - markdown-it escapes text; html is off

    def inline(self, text: str) -> Markup:
        """One line of inline Markdown, without a surrounding paragraph."""
        return Markup(self._md.renderInline(text))  # noqa: S704

    def text(self, text: str) -> str:
        """The words of some Markdown without markup (descriptions, search words), blocks joined by spaces."""
        words = []
        for token in self._md.parse(text):
            for child in token.children or ():
                if child.type in ("text", "code_inline"):
                    words.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    words.append(" ")
            if token.type.endswith("_close") and token.block:
                words.append(" ")
        return " ".join("".join(words).split())


def plain(text: str) -> Markup:
    """Text shown as written (titles): escaped, never interpreted."""
    return escape(text)
