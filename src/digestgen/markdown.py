"""The one Markdown configuration of the site; the only place where text becomes trusted HTML.

Besides CommonMark (+ tables, strikethrough, bare URLs) it knows three things editors of the digest
write: ``$...$``/``$$...$$`` math (MathML at build time), ``:smile:`` emoji shortcodes, and
``**강조**`` next to Hangul, which plain CommonMark leaves as literal asterisks.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml, isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter
from markdown_it.token import Token
from markupsafe import Markup, escape
from mdit_py_plugins.dollarmath import dollarmath_plugin

from .schema import is_http_url

Warn = Callable[[int, str], None]
"""Called with a line (0-based, within the rendered text) and a message, for things the editor
should fix but that do not stop the build."""


def _safe_link(url: str) -> bool:
    """Links in content may only go to http(s) or stay on the page; everything else stays text."""
    url = url.strip()
    if url.startswith("#"):
        return True
    return is_http_url(url)


class _SafeLinks(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        return _safe_link(url)


_PARSED: dict[str, _Rendered] = {}
"""Each text parsed once per process: one text is shown on several pages and its words are
wanted too, and ``serve``'s rebuilds (and the feeds, which show the newest twenty issues again)
find the texts they parsed before. Shared by every Markdown, which are all configured alike; a
text's result depends on the text alone (its warnings are kept with it)."""


class Markdown:
    """Renders editors' Markdown: raw HTML off, images off (no third-party requests), http(s) links
    only; math, emoji and Hangul-friendly emphasis on."""

    def __init__(self) -> None:
        md = _SafeLinks("commonmark", {"html": False, "linkify": True, "typographer": False})
        md.enable(["table", "strikethrough", "linkify"])
        md.disable("image")  # an image would make readers' browsers fetch from a third-party host
        linkify = md.linkify
        assert linkify is not None  # made by the "linkify" option
        linkify.set({"fuzzy_link": False, "fuzzy_email": False})  # 'README.md' is not a link
        # linkify-it's pretest is one large regex and took most of the Markdown time (profile in
        # README). With fuzzy links off, every link it can find has a schema with '//' (http:,
        # https:, ftp:, protocol-relative) or is a mailto:, so text without those has none.
        pretest = linkify.pretest
        linkify.pretest = lambda text: ("//" in text or "mailto:" in text.lower()) and pretest(text)
        # Money is not math: '$5 and $10' has a digit after the opening and a space before the
        # closing dollar, both of which these settings refuse. Labels would add ids that can clash.
        dollarmath_plugin(md, allow_labels=False, allow_space=False, allow_digits=False, double_inline=False)
        md.add_render_rule("math_inline", _render_math)
        md.add_render_rule("math_block", _render_math)
        md.add_render_rule("table_open", _render_table_open)
        md.add_render_rule("table_close", _render_table_close)
        md.inline.ruler.at("emphasis", _emphasis)
        # Before text_join: an escaped colon (`\:smile:`) is still its own token there, so it stays text.
        md.core.ruler.before("text_join", "emoji", _emoji)
        md.core.ruler.push("source_lines", _source_lines)
        self._md = md

    def _rendered(self, text: str) -> _Rendered:
        """The HTML, warnings and words of ``text``, from one parse: parsing is ~90 % of the cost
        (rendering the tokens is the rest), and the words are read off the same tokens."""
        done = _PARSED.get(text)
        if done is None:
            notes: list[tuple[int, str]] = []
            env = {"warn": lambda line, message: notes.append((line, message))}
            tokens = self._md.parse(text, env)
            words = _words(tokens)
            html = Markup(self._md.renderer.render(tokens, self._md.options, env))
            done = _PARSED[text] = _Rendered(html, tuple(notes), words)
        return done

    def block(self, text: str, warn: Warn | None = None) -> Markup:
        """Paragraphs, lists, tables…; ``warn`` hears about each problem every time (from the cache too)."""
        done = self._rendered(text)
        if warn is not None:
            for line, message in done.notes:
                warn(line, message)
        return done.html

    def inline(self, text: str, warn: Warn | None = None) -> Markup:
        """One line of inline Markdown, without a surrounding paragraph."""
        return Markup(self._md.renderInline(text, {"warn": warn}))

    def text(self, text: str) -> str:
        """The words of some Markdown without markup (descriptions, search words), blocks joined by spaces."""
        return self._rendered(text).words


@dataclass(frozen=True)
class _Rendered:
    html: Markup
    notes: tuple[tuple[int, str], ...]
    """Warnings: line (0-based, within the text) and message."""
    words: str


def _words(tokens: Sequence[Token]) -> str:
    words = []
    for token in tokens:
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                words.append(child.content)
            elif child.type.startswith("math"):  # the words of $\textit{자기 개선}$, not its commands
                words.append(" " + re.sub(r"\\[A-Za-z]+|[{}^_$]", " ", child.content) + " ")
            elif child.type in ("softbreak", "hardbreak"):
                words.append(" ")
        if token.type.endswith("_close") and token.block:
            words.append(" ")
    return " ".join("".join(words).split())


@dataclass(frozen=True)
class Deferred:
    """A Markdown block rendered only when a page shows it (Jinja calls ``__html__``). Views hold
    these, so planning a build and fingerprinting what each page shows need no HTML, and pages the
    build cache finds unchanged never pay for Markdown that only they show. (Texts whose words the
    views need, for descriptions and search words, are parsed while planning anyway; that one
    parse gives their HTML too, see ``Markdown._rendered``.) ``render`` (the one Markdown
    configuration, with where its warnings point) is not part of the value: the build cache
    fingerprints pages by the files their views come from, never by the views."""

    text: str
    render: Callable[[str], Markup] = field(compare=False, repr=False)

    def __html__(self) -> Markup:
        return self.render(self.text)

    def __str__(self) -> str:
        return self.__html__()


def plain(text: str) -> Markup:
    """Text shown as written (titles): escaped, never interpreted."""
    return escape(text)


# --- Emphasis next to Hangul ------------------------------------------------------------------
# CommonMark decides whether '**' may open or close by the characters around it: '**CoN(…)**는'
# closes after ')' and before '는', which the spec's flanking rules refuse, because Korean attaches
# particles to words without a space. As in markdown-it-cjk-friendly, a CJK character next to a
# '*' run counts as punctuation there. Only '*': '_' keeps CommonMark's rules (snake_case).

_CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]")


def _emphasis(state: StateInline, silent: bool) -> bool:
    marker = state.src[state.pos]
    if silent or marker not in "_*":
        return False
    scanned = state.scanDelims(state.pos, marker == "*")
    length, can_open, can_close = scanned.length, scanned.can_open, scanned.can_close
    if marker == "*":
        last = state.src[state.pos - 1] if state.pos > 0 else " "
        after = state.pos + length
        following = state.src[after] if after < state.posMax else " "
        if _CJK.match(last) or _CJK.match(following):
            can_open, can_close = _flanking(last, following)
    for _ in range(length):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(
            Delimiter(
                marker=ord(marker), length=length, token=len(state.tokens) - 1, end=-1, open=can_open, close=can_close
            )
        )
    state.pos += length
    return True


def _flanking(last: str, following: str) -> tuple[bool, bool]:
    """CommonMark's left/right-flanking test for '*' with CJK characters counted as punctuation."""

    def punct(ch: str) -> bool:
        return bool(_CJK.match(ch)) or isMdAsciiPunct(ord(ch)) or isPunctChar(ch)

    last_space, next_space = isWhiteSpace(ord(last)), isWhiteSpace(ord(following))
    left = not (next_space or (punct(following) and not (last_space or punct(last))))
    right = not (last_space or (punct(last) and not (next_space or punct(following))))
    return left, right


# --- Emoji shortcodes -------------------------------------------------------------------------
# Only in text tokens: code, math, URLs and link targets are other token types or attributes.
# A shortcode glued to a letter, digit or another colon is not one ('man:woman::king:queen').

_SHORTCODE = re.compile(r"(?<![A-Za-z0-9:]):[a-z0-9_+\-]+:(?![A-Za-z0-9:])")


def _emojize(text: str) -> str:
    if not _SHORTCODE.search(text):
        return text
    import emoji  # its tables take 20 ms to import: only for a text that has a shortcode

    def one(match: re.Match[str]) -> str:
        return emoji.emojize(match.group(0), language="alias")  # unknown ones come back unchanged

    return _SHORTCODE.sub(one, text)


def _emoji(state: StateCore) -> None:
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        in_autolink = False
        for token in block.children:
            if token.type == "link_open":
                in_autolink = token.markup in ("linkify", "autolink")  # the text is the URL itself
            elif token.type == "link_close":
                in_autolink = False
            elif token.type == "text" and not in_autolink and ":" in token.content:
                token.content = _emojize(token.content)


# --- Tables ----------------------------------------------------------------------------------
# A wide table scrolls sideways instead of widening the page on phones; the scrolling box takes
# keyboard focus so that keyboard users can scroll it too.


def _render_table_open(self: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    return '<div class="table-scroll" tabindex="0">\n' + self.renderToken(tokens, idx, options, env)


def _render_table_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


# --- Math -------------------------------------------------------------------------------------


def _source_lines(state: StateCore) -> None:
    """Give inline tokens the line (0-based) they were written on, for warnings."""
    for block in state.tokens:
        if block.map is None or not block.children:
            continue
        line = block.map[0]
        for token in block.children:
            token.meta["line"] = line
            if token.type in ("softbreak", "hardbreak"):
                line += 1


# latex2mathml's output is checked before it is trusted: '\text{<b>}' comes out as raw markup, and
# '\href', '\style', '\color' add attributes a page must not get from content.
_MATHML_ELEMENTS = frozenset(
    [
        "math",
        "mrow",
        "mi",
        "mn",
        "mo",
        "ms",
        "mtext",
        "mspace",
        "msup",
        "msub",
        "msubsup",
        "mfrac",
        "msqrt",
        "mroot",
        "mover",
        "munder",
        "munderover",
        "mtable",
        "mtr",
        "mtd",
        "mstyle",
        "menclose",
        "mpadded",
        "mphantom",
        "merror",
        "mmultiscripts",
        "mprescripts",
        "none",
    ]
)
_MATHML_ATTRIBUTES = frozenset(
    [
        "xmlns",
        "display",
        "mathvariant",
        "stretchy",
        "fence",
        "separator",
        "lspace",
        "rspace",
        "columnalign",
        "columnspacing",
        "rowspacing",
        "columnlines",
        "rowlines",
        "frame",
        "framespacing",
        "rowalign",
        "accent",
        "accentunder",
        "movablelimits",
        "largeop",
        "minsize",
        "maxsize",
        "symmetric",
        "linethickness",
        "width",
        "height",
        "depth",
        "notation",
        "displaystyle",
        "scriptlevel",
        "form",
        "voffset",
    ]
)
_MATHML_NS = "{http://www.w3.org/1998/Math/MathML}"
_UNKNOWN_COMMAND = re.compile(r">\\([A-Za-z]+)")


def to_mathml(latex: str, display: bool) -> tuple[str | None, str]:
    """MathML for ``latex``, or None and why it cannot be shown as math."""
    shown = f"$${latex}$$" if display else f"${latex}$"
    import latex2mathml.converter  # only when there is math: importing it costs a rebuild ~50 ms

    try:
        mathml = latex2mathml.converter.convert(latex, display="block" if display else "inline")
    except Exception as exc:
        detail = f"{type(exc).__name__}{': ' + str(exc) if str(exc) else ''}"
        return None, f"cannot convert {shown} to MathML ({detail}); shown as code"
    unknown = _UNKNOWN_COMMAND.search(mathml)
    if unknown:
        return None, f"unknown LaTeX command \\{unknown.group(1)} in {shown}; shown as code"
    try:
        root = ET.fromstring(mathml)
    except ET.ParseError:
        return None, f"{shown} does not give well-formed MathML; shown as code"
    for element in root.iter():
        tag = element.tag.removeprefix(_MATHML_NS)
        if tag not in _MATHML_ELEMENTS or "<!" in mathml or "<?" in mathml:
            return None, f"{shown} gives markup that is not MathML (<{tag}>); shown as code"
        bad = sorted(set(element.attrib) - _MATHML_ATTRIBUTES)
        if bad:
            return None, f"{shown} uses an unsupported command (it sets {bad[0]!r}); shown as code"
    return mathml, ""


def _render_math(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    token = tokens[idx]
    display = token.type == "math_block"
    latex = token.content.strip()
    mathml, problem = to_mathml(latex, display)
    if mathml is not None:
        # The TeX source rides along as alttext: screen readers and feed readers without MathML read it.
        mathml = mathml.replace("<math", f'<math alttext="{escapeHtml(latex)}"', 1)
        # A wide formula scrolls inside its own box (focusable, so the keyboard can scroll it too).
        return f'<div class="math-display" tabindex="0">{mathml}</div>\n' if display else mathml
    warn: Warn | None = env.get("warn")
    if warn is not None:
        warn(token.map[0] if token.map else token.meta.get("line", 0), problem)
    fence = "$$" if display else "$"
    code = f'<code class="math-error">{escapeHtml(fence + latex + fence)}</code>'
    return f"<p>{code}</p>\n" if display else code
