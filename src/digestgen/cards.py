"""Social cards: the picture a shared link shows (OpenGraph ``og:image``, Twitter's large card), as
MkDocs-Material makes them. One per issue and edition (the week's title in the edition's language,
the site's name) and one per edition (the site's name and tagline) for every other page. They are
planned as Jobs (paths from urls.py), made by the render stage like pages (in its worker
processes), and cached like them: a card's key is what it shows and LAYOUT; the font file is an
input of the build, Pillow's version part of the code's fingerprint.

A build at N weeks makes 2N + 2 cards, so they are made to be cheap: 16 levels of one colour in a
palette PNG (4 bits a pixel), the font loaded once per process, and what every card of an edition
shares (its top and bottom lines) drawn and compressed once: each card draws and compresses only
its title's band, and the PNG is put together from the pieces (docs/performance.md)."""

from __future__ import annotations

import importlib.util
import struct
import zlib
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .config import BUNDLED_FONT, SiteConfig
from .errors import DigestError, Problem, Where, display_path
from .jobs import Job
from .model import LANGS, Catalog, Lang
from .urls import Urls

if TYPE_CHECKING:
    from PIL import Image, ImageFont

LAYOUT = 1
"""Bump when a card's drawing changes: every card is then made again."""
WIDTH, HEIGHT = 1200, 630
"""OpenGraph's recommended size (1.91:1), which Twitter's large card shows uncropped."""
MARGIN = 80
TITLE_ROWS = (150, 470)
"""The title's band: the only rows each card draws and compresses."""
TITLE_SIZES = (76, 66, 56, 48)
"""The title's size: the largest at which it fits; cut with an ellipsis at the smallest."""
LINE_HEIGHT = 1.3
TOP_SIZE, BOTTOM_SIZE = 34, 30
TITLE_INK, TOP_INK, BOTTOM_INK = 15, 12, 10
"""Levels of the palette (0: background, 15: foreground)."""
BACKGROUND, FOREGROUND = (0x0A, 0x58, 0xA6), (0xFF, 0xFF, 0xFF)
"""The site's accent colour (static/style.css) under white: contrast 6.9:1."""
ELLIPSIS = "…"
_FONT_MAGIC = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf")
_ROW = 1 + WIDTH // 2
"""Bytes of a PNG row at 4 bits a pixel: its filter byte (0, none), then the pixels."""


@dataclass(frozen=True)
class Card:
    """What one card shows, top to bottom."""

    top: str
    title: str
    bottom: str


@dataclass(frozen=True)
class CardImage:
    """A page's card, as its <head> announces it."""

    url: str
    """Absolute, as OpenGraph wants it."""
    width: int
    height: int
    alt: str


class SocialCards:
    """The cards of a site: which card each page shows, and the Jobs that make them. Off (no
    card, no ``og:image``) when site.yaml says so or the font cannot be used (``problem``)."""

    def __init__(self, config: SiteConfig, urls: Urls) -> None:
        self.config, self.urls = config, urls
        self.problem = font_problem(config) if config.social.cards else None
        """Why cards are off although site.yaml asks for them: a warning of the build."""
        self.on = config.social.cards and self.problem is None
        self.painter = Painter(config.social.font)
        parts = urlsplit(config.base_url)
        self.address = (parts.netloc + parts.path).rstrip("/")
        """Where the site is (``example.org/digest``), shown on the cards."""

    def site_card(self, lang: Lang) -> Card:
        return Card(self.address, self.config.title.get(lang), self.config.description.get(lang))

    def issue_card(self, lang: Lang, title: str) -> Card:
        return Card(self.config.title.get(lang), title, self.address)

    def site_image(self, lang: Lang) -> CardImage | None:
        """The edition's card: every page that has none of its own shows it."""
        if not self.on:
            return None
        card = self.site_card(lang)
        return self._image(self.urls.site_card(lang), " — ".join(filter(None, (card.title, card.bottom))))

    def issue_image(self, lang: Lang, week: str, title: str) -> CardImage | None:
        """An issue's card in one edition: its pages' and its papers' pages'."""
        if not self.on:
            return None
        return self._image(self.urls.issue_card(lang, week), f"{title} — {self.config.title.get(lang)}")

    def _image(self, url: str, alt: str) -> CardImage:
        return CardImage(self.urls.absolute(url), WIDTH, HEIGHT, alt)

    def jobs(self, catalog: Catalog) -> list[Job]:
        """Every card of the site (none when cards are off)."""
        if not self.on:
            return []
        jobs = []
        for lang in LANGS:
            jobs.append(self._job(self.urls.site_card(lang), self.site_card(lang), "site.yaml"))
            for head in catalog.issues:
                at = Where(head.path, head.week_line, "week", f"issue {head.key!r}")
                card = self.issue_card(lang, head.title.get(lang))
                jobs.append(self._job(self.urls.issue_card(lang, head.key), card, head.path, at))
        return jobs

    def _job(self, url: str, card: Card, owner: str, at: Where | None = None) -> Job:
        return Job(self.urls.output_path(url), owner, (LAYOUT, card), partial(self.painter.paint, card), (), False, at)


def font_problem(config: SiteConfig) -> Problem | None:
    """Why the cards' font cannot be used (missing, unreadable, not a font; Pillow missing), as a
    warning; None if it can. Cheap (reads four bytes): the font itself is loaded only to draw."""
    path = config.social.font
    reason = ""
    if importlib.util.find_spec("PIL") is None:
        reason = "Pillow is not installed (pip install pillow)"
    else:
        try:
            with path.open("rb") as handle:
                if handle.read(4) not in _FONT_MAGIC:
                    reason = "not a TrueType or OpenType font"
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
    if not reason:
        return None
    message = (
        f"cannot draw social cards with {display_path(path)} ({reason}): the pages are built without"
        " them (no og:image); name a font in site.yaml (social: {font: FILE}) or turn them off (social: false)"
    )
    origin = config.origin
    if path != BUNDLED_FONT and origin is not None:
        return Problem(origin.path, origin.line_of("social.font"), None, "social.font", message, warning=True)
    return Problem(display_path(path), None, None, "", message, warning=True)


@dataclass(frozen=True)
class _Frame:
    """What every card with the same top and bottom lines shares: the rows above and below the
    title's band, compressed (each part whole deflate blocks, so that they can be joined)."""

    above: bytes
    below: bytes
    """Ends the deflate stream."""
    above_adler: int
    below_raw: bytes


class Painter:
    """Draws cards; the font is loaded at the first card a process draws (a rebuild that makes
    none never imports Pillow)."""

    def __init__(self, font: Path) -> None:
        self.font = font
        self._faces: dict[int, _Face] = {}
        self._frames: dict[tuple[str, str], _Frame] = {}

    def paint(self, card: Card) -> bytes:
        """The card as a PNG file."""
        from PIL import Image

        frame = self._frame(card.top, card.bottom)
        top, bottom = TITLE_ROWS
        band = Image.new("L", (WIDTH + 2, bottom - top))  # 2 more pixels: the rows' filter byte
        self._title(band, card.title)
        raw = _packed(band)
        # Runs only (Z_RLE): a quarter faster than level 1 on a title's rows, 5 % larger.
        squeezer = zlib.compressobj(1, zlib.DEFLATED, -15, 8, zlib.Z_RLE)
        middle = squeezer.compress(raw) + squeezer.flush(zlib.Z_FULL_FLUSH)
        adler = zlib.adler32(frame.below_raw, zlib.adler32(raw, frame.above_adler))
        return _png(b"".join((b"\x78\x01", frame.above, middle, frame.below, struct.pack(">I", adler))))

    def _title(self, band: Image.Image, title: str) -> None:
        """The title, centred in the band, at the largest size at which it fits, else cut."""
        width, height = WIDTH - 2 * MARGIN, band.height
        for size in TITLE_SIZES:
            face = self._face(size)
            line = round(size * LINE_HEIGHT)
            lines = _wrap(face, face.drawable(title), width)
            if len(lines) * line <= height:
                break
        else:
            lines = _cut(face, lines, height // line, width)
        y = (height - len(lines) * line) // 2 + (line - size) // 2
        for text in lines:
            face.draw(band, MARGIN + 2, y, text, TITLE_INK)
            y += line

    def _frame(self, top: str, bottom: str) -> _Frame:
        """The card without its title, compressed around the title's band (once per edition)."""
        if (top, bottom) in self._frames:
            return self._frames[top, bottom]
        from PIL import Image

        image = Image.new("L", (WIDTH + 2, HEIGHT))
        width = WIDTH - 2 * MARGIN
        face = self._face(TOP_SIZE)
        for text in _cut(face, _wrap(face, face.drawable(top), width), 1, width):
            face.draw(image, MARGIN + 2, 64, text, TOP_INK)
        face = self._face(BOTTOM_SIZE)
        lines = _cut(face, _wrap(face, face.drawable(bottom), width), 2, width)
        for i, text in enumerate(reversed(lines)):  # the last line 64 pixels above the bottom
            face.draw(
                image, MARGIN + 2, HEIGHT - 64 - BOTTOM_SIZE - i * round(BOTTOM_SIZE * LINE_HEIGHT), text, BOTTOM_INK
            )
        raw = _packed(image)
        above_raw, below_raw = raw[: TITLE_ROWS[0] * _ROW], raw[TITLE_ROWS[1] * _ROW :]
        first, last = zlib.compressobj(1, zlib.DEFLATED, -15), zlib.compressobj(1, zlib.DEFLATED, -15)
        frame = _Frame(
            first.compress(above_raw) + first.flush(zlib.Z_FULL_FLUSH),
            last.compress(below_raw) + last.flush(zlib.Z_FINISH),
            zlib.adler32(above_raw),
            below_raw,
        )
        self._frames[top, bottom] = frame
        return frame

    def _face(self, size: int) -> _Face:
        if size not in self._faces:
            from PIL import ImageFont

            try:
                font = ImageFont.truetype(str(self.font), size)
            except OSError as exc:  # it starts like a font, but FreeType cannot read it
                raise DigestError(
                    Problem(display_path(self.font), None, None, "", f"cannot draw social cards with this font: {exc}")
                ) from None
            self._faces[size] = _Face(font)
        return self._faces[size]


class _Face:
    """The font at one size, with each glyph drawn once: a title is laid out from the glyphs'
    advances and pasted from them (drawing each title with FreeType was most of a card's time)."""

    def __init__(self, font: ImageFont.FreeTypeFont) -> None:
        self.font = font
        self._glyphs: dict[str, tuple[Image.Image | None, int, int, float]] = {}
        """Each character's glyph (None: nothing to draw), its offset from the pen, its advance."""
        self._notdef = _mask(font, "\U0010ffff")
        """The box drawn for a character the font does not have."""

    def drawable(self, text: str) -> str:
        """``text`` on one line, without the characters the font has no glyph for (emoji, say),
        which would show as boxes."""
        return "".join(ch for ch in " ".join(text.split()) if ch == " " or self._glyph(ch)[3] >= 0).strip()

    def length(self, text: str) -> float:
        glyph = self._glyph
        return sum(glyph(ch)[3] for ch in text)

    def draw(self, image: Image.Image, x: int, y: int, text: str, ink: int) -> None:
        pen = float(x)
        for ch in text:
            mask, dx, dy, advance = self._glyph(ch)
            if mask is not None:  # Image.paste's checks cost more than the paste, for each glyph
                left, top = round(pen) + dx, y + dy
                image.im.paste(ink, (left, top, left + mask.width, top + mask.height), mask.im)
            pen += advance

    def _glyph(self, ch: str) -> tuple[Image.Image | None, int, int, float]:
        """(its mask, its offset, its advance); the advance is -1 if the font has no glyph for it."""
        found = self._glyphs.get(ch)
        if found is None:
            from PIL import Image, ImageDraw

            font = self.font
            left, top, right, bottom = map(int, font.getbbox(ch, anchor="la"))  # whole pixels (basic layout)
            mask = None
            if right > left and bottom > top:
                mask = Image.new("L", (right - left, bottom - top))
                ImageDraw.Draw(mask).text((-left, -top), ch, font=font, fill=255, anchor="la")
            missing = ch != " " and _mask(font, ch) == self._notdef
            found = self._glyphs[ch] = (mask, left, top, -1.0 if missing else font.getlength(ch))
        return found


def _mask(font: ImageFont.FreeTypeFont, ch: str) -> bytes:
    mask = font.getmask(ch)
    return repr(mask.size).encode() + bytes(mask)


def _wrap(face: _Face, text: str, width: int) -> list[str]:
    """``text`` in lines no wider than ``width``, broken between words; a word wider than a line
    (a long Korean compound, a URL) is broken between characters. (A line's width is the sum of
    its glyphs' advances: _Face draws them so.)"""
    lines: list[str] = []
    line, used, space = "", 0.0, face.length(" ")
    for word in text.split(" "):
        length = face.length(word)
        if used + space + length <= width if line else length <= width:
            line, used = (f"{line} {word}", used + space + length) if line else (word, length)
            continue
        if line:
            lines.append(line)
        while length > width:
            cut = len(word) - 1
            while cut > 1 and face.length(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
            length = face.length(word)
        line, used = word, length
    return [*lines, line] if line else lines


def _cut(face: _Face, lines: list[str], most: int, width: int) -> list[str]:
    """At most ``most`` lines, the last ending in an ellipsis if any text was left out."""
    if len(lines) <= most:
        return lines
    last = lines[most - 1]
    while last and face.length(last.rstrip() + ELLIPSIS) > width:
        last = last[:-1]
    return [*lines[: most - 1], last.rstrip() + ELLIPSIS]


def _packed(image: Image.Image) -> bytes:
    """PNG rows at 4 bits a pixel, each after its filter byte: ``image`` is 2 pixels wider than a
    card, and those two pixels (0) are the byte."""
    return image.tobytes("raw", "L;4")  # levels 0-15, two to a byte


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


_PALETTE = bytes(
    round(b + (f - b) * level / 15) for level in range(16) for b, f in zip(BACKGROUND, FOREGROUND, strict=True)
)
_HEADER = (
    b"\x89PNG\r\n\x1a\n"
    + _chunk(b"IHDR", struct.pack(">IIBBBBB", WIDTH, HEIGHT, 4, 3, 0, 0, 0))
    + _chunk(b"PLTE", _PALETTE)
)


def _png(stream: bytes) -> bytes:
    """A palette PNG of ``stream`` (its zlib-compressed rows)."""
    return _HEADER + _chunk(b"IDAT", stream) + _chunk(b"IEND", b"")
