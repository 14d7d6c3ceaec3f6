"""Plain text from posts and lists → Markdown that renders back to exactly that text."""

from __future__ import annotations

import re

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
URL = re.compile(r"https?://\S+")
BULLET = re.compile(r"^(?:[•●▪◦·]|[-*+](?=\s))\s*")
"""A list marker as copied from a rendered page: '•' (with or without a space) or '- '."""

_MATH = re.compile(r"(?<![\\$])\$[^$\s](?:[^$\n]*[^$\s\\])?\$(?!\$)")
_KEEP = re.compile(f"{URL.pattern}|{_MATH.pattern}")
# What CommonMark would read as markup inside a line: a backslash before punctuation, code,
# emphasis, links, autolinks, strikethrough, table pipes, entities.
_INLINE = re.compile(r"\\(?=[!-/:-@\[-`{-~])|[`*\[\]<>~|]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|&(?=#?\w+;)")
# ... and at the start of a line: headings, quotes, list items, setext underlines.
_BLOCK_START = re.compile(r"^(#{1,6}(?=\s|$)|>|[-+*](?=\s|$)|\d{1,9}[.)](?=\s|$)|=+\s*$|-+\s*$)")
_EMOJI_LIKE = re.compile(r":(?=[A-Za-z0-9_+-]+:)")
_DOLLAR = re.compile(r"(?<!\\)\$")


def has_hangul(text: str) -> bool:
    return bool(HANGUL.search(text))


def escape_text(line: str) -> str:
    """One line of a post as Markdown that shows it as written. Bare URLs (linkify makes them
    links), ``$…$`` math and ``:shortcodes:`` stay live: the post means them."""
    kept = _KEEP.findall(line)
    pieces = _KEEP.split(line)
    out = "".join(_INLINE.sub(r"\\\g<0>", piece) + (kept[i] if i < len(kept) else "") for i, piece in enumerate(pieces))
    return _BLOCK_START.sub(r"\\\g<0>", out, count=1)


def escape_list_markdown(text: str) -> str:
    """Markdown of the weekly list, kept as Markdown except ``$`` and ``:word:``: there they are
    money (``~$9``) and ratios (``man:woman::king:queen``), never math or emoji."""
    return _EMOJI_LIKE.sub(r"\\:", _DOLLAR.sub(r"\\$", text))


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
