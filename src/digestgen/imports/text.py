"""Plain text from posts and lists → Markdown that renders back to exactly that text."""

from __future__ import annotations

import re

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
URL = re.compile(r"https?://\S+")
BULLET = re.compile(r"^(?:[•●▪◦·]|[-*+](?=\s))\s*")
"""A list marker as copied from a rendered page: '•' (with or without a space) or '- '."""

# Characters that start inline Markdown; '$' (math) and ':' (emoji) are handled separately
# because a post means them and a list does not.
_MATH = re.compile(r"(?<![\\$])\$[^$\s](?:[^$\n]*[^$\s\\])?\$(?!\$)")
_INLINE = re.compile(r"\\(?=[!-/:-@\[-`{-~])|[`*\[\]<>~|]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|&(?=#?\w+;)")
_BLOCK_START = re.compile(r"^(#{1,6}(?=\s|$)|>|[-+*](?=\s|$)|\d{1,9}[.)](?=\s|$)|=+\s*$|-+\s*$)")
_EMOJI_LIKE = re.compile(r":(?=[A-Za-z0-9_+-]+:)")
_DOLLAR = re.compile(r"(?<!\\)\$")


def has_hangul(text: str) -> bool:
    return bool(HANGUL.search(text))


def escape_text(line: str, *, math: bool, emoji: bool) -> str:
    """One line of plain text as Markdown that shows it literally.

    ``math``/``emoji`` keep ``$…$`` and ``:shortcode:`` live (a post means them); otherwise they
    are escaped so that ``~$9`` or ``man:woman::king:queen`` stay text."""
    # Bare URLs stay as written (linkify makes them links), and so does math when it is meant.
    keep = re.compile(f"{URL.pattern}|{_MATH.pattern}") if math else URL
    kept = keep.findall(line)
    pieces = keep.split(line)
    out = "".join(_escape_inline(piece) + (kept[i] if i < len(kept) else "") for i, piece in enumerate(pieces))
    out = _BLOCK_START.sub(lambda m: "\\" + m.group(0), out, count=1)
    if not math:
        out = _DOLLAR.sub(r"\\$", out)
    if not emoji:
        out = _EMOJI_LIKE.sub(r"\\:", out)
    return out


def _escape_inline(text: str) -> str:
    return _INLINE.sub(lambda m: "\\" + m.group(0), text)


def escape_markdown(text: str, *, math: bool, emoji: bool) -> str:
    """Markdown written by someone else (the weekly list): kept as Markdown, except ``$`` and
    ``:word:``, which in that text are money and ratios, never math or emoji."""
    if not math:
        text = _DOLLAR.sub(r"\\$", text)
    if not emoji:
        text = _EMOJI_LIKE.sub(r"\\:", text)
    return text


def blocks_to_markdown(items: list[tuple[bool, str]], *, single_bullet_as_paragraph: bool = True) -> str:
    """(is_bullet, markdown) items → paragraphs separated by blank lines, bullets as '- ' lists."""
    if single_bullet_as_paragraph and len(items) == 1:
        return items[0][1]
    out = ""
    previous_bullet = False
    for bullet, text in items:
        if out:
            out += "\n" if bullet and previous_bullet else "\n\n"
        out += f"- {text}" if bullet else text
        previous_bullet = bullet
    return out
