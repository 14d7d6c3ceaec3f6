"""Site settings from ``site.yaml``: one frozen object passed explicitly to every stage."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import DigestError, Problem, display_path
from .model import LANGS, Bilingual, Lang, Origin
from .schema import Reader, is_http_url
from .source import parse_yaml, read_text

CONFIG_NAME = "site.yaml"
_KEYS = (
    "title",
    "description",
    "base_url",
    "default_language",
    "id",
    "timezone",
    "author",
    "notice",
    "discussion",
    "content_dir",
    "templates_dir",
    "static_dir",
    "output_dir",
    "translate",
    "social",
)
_TRANSLATE_KEYS = (
    "model",
    "base_url",
    "api_key_env",
    "temperature",
    "timeout",
    "retries",
    "backoff",
    "prompt",
    "glossary",
)


@dataclass(frozen=True)
class TranslateSettings:
    """``translate:`` in site.yaml: how ``digestgen translate`` reaches its model. Only read by
    that command; building never needs a model or the network."""

    model: str = "gpt-4o-mini"
    base_url: str = ""
    """Chat-completions endpoint (``…/v1``); empty: OPENAI_BASE_URL, else OpenAI's own."""
    api_key_env: str = "OPENAI_API_KEY"
    """Name of the environment variable holding the key (the key itself never goes in a file)."""
    temperature: float = 0.2
    timeout: float = 120.0
    """Seconds to wait for one reply."""
    retries: int = 5
    """Further tries after a rate limit (429), a timeout or a server error (5xx)."""
    backoff: float = 2.0
    """Seconds before the first retry, doubled each time (a ``Retry-After`` header wins)."""
    prompt: Path | None = None
    """The instructions sent with every text (an editor's file); None: the built-in prompt."""
    glossary: Path | None = None
    """Terms kept in English or translated one fixed way (YAML ``term: translation``)."""


BUNDLED_FONT = Path(__file__).parent / "fonts" / "NanumSquareB.ttf"
"""The social cards' font (OFL; every Hangul syllable and Latin: fonts/README.md)."""


@dataclass(frozen=True)
class SocialSettings:
    """``social:`` in site.yaml: the pictures link previews show (cards.py, docs/output.md)."""

    cards: bool = True
    """Make a card per issue and edition, and one per edition for every other page (``og:image``)."""
    font: Path = BUNDLED_FONT
    """The font cards are drawn with; it needs every character the titles use (others are left out)."""


@dataclass(frozen=True)
class SiteConfig:
    """Everything about the site that isn't a week's content."""

    root: Path
    """The project folder (where site.yaml lives); relative folders are resolved against it."""
    title: Bilingual
    description: Bilingual
    base_url: str
    """Absolute, ends with '/'; may hold a subpath (``https://example.org/digest/``)."""
    default_language: Lang
    id: str
    """Stable identifier of the site (a tag: URI); feed ids derive from it, never from base_url."""
    timezone: str
    """IANA zone that gives issue dates a time zone in feeds."""
    author: Bilingual
    """The editors' name in each language (one text in site.yaml stands for both)."""
    notice: Bilingual
    """The disclaimer shown on every issue (summaries are machine-written)."""
    discussion: str
    """Where readers discuss the issues (a forum), shown beside the notice unless an issue has its own."""
    content_dir: Path
    templates_dir: Path
    static_dir: Path
    output_dir: Path
    config_path: Path | None = None
    drafts: bool = False
    """Build issues marked ``draft: true`` too (``--drafts``, ``serve``); never read from site.yaml.
    Part of the configuration, so anything keyed on the configuration (caches) sees it."""
    translate: TranslateSettings = TranslateSettings()
    social: SocialSettings = SocialSettings()
    origin: Origin | None = None
    """Where the settings were written (lines of ``notice.ko`` etc.), for warnings about them."""

    def override(self, **changes: Any) -> SiteConfig:
        """The same settings with ``changes`` (command-line options); dataclasses.replace checks the names."""
        return dataclasses.replace(self, **changes)


def find_config(start: Path) -> Path:
    """The site.yaml of ``start`` or of the nearest folder above it (as git finds .git)."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder / CONFIG_NAME
    raise DigestError(
        Problem(
            CONFIG_NAME,
            None,
            None,
            "",
            f"not found in {here} or any folder above it; run digestgen inside a site's folder, or give --config PATH",
        )
    )


def load_config(path: Path) -> SiteConfig:
    """Read and validate site.yaml; every problem is reported at once."""
    shown = display_path(path)
    doc = parse_yaml(read_text(path, shown), shown)
    r = Reader(doc, shown)
    if not r.mapping((), _KEYS, required=("title", "base_url", "id")):
        raise DigestError(r.problems)
    base_url = r.text(("base_url",), required=True).strip()
    if base_url and not is_http_url(base_url):
        r.error(("base_url",), f"must be an absolute http(s) URL, not {base_url!r}")
    lang = r.text(("default_language",)) or "ko"
    if lang not in LANGS:
        r.error(("default_language",), f"must be one of {', '.join(LANGS)}, not {lang!r}")
    timezone = r.text(("timezone",)) or "UTC"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        r.error(("timezone",), f"unknown time zone {timezone!r} (use an IANA name such as Asia/Seoul)")
    site_id = r.text(("id",), required=True).strip()
    root = path.parent.resolve()

    def folder(key: str, default: str) -> Path:
        return (root / (r.text((key,)) or default)).resolve()

    config = SiteConfig(
        root=root,
        title=r.bilingual(("title",), required=("ko", "en")),
        description=r.bilingual(("description",)),
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        default_language=lang if lang in LANGS else "ko",
        id=site_id,
        timezone=timezone,
        author=_author(r),
        notice=r.bilingual(("notice",)),
        discussion=r.url(("discussion",)),
        content_dir=folder("content_dir", "content"),
        templates_dir=folder("templates_dir", "templates"),
        static_dir=folder("static_dir", "static"),
        output_dir=folder("output_dir", "_site"),
        config_path=path.resolve(),
        translate=_translate(r, root),
        social=_social(r, root),
        origin=Origin(
            shown,
            1,
            MappingProxyType({".".join(map(str, p)): line for p, (line, _) in doc.positions.items()}),
            text_lines=MappingProxyType({".".join(map(str, p)): line for p, line in doc.text_lines.items()}),
        ),
    )
    if r.problems:
        raise DigestError(r.problems)
    return config


def _author(r: Reader) -> Bilingual:
    """``author: 편집부`` names the editors in both editions; ``author: {ko: …, en: …}`` in each."""
    if isinstance(r.get(("author",)), dict):
        both = r.bilingual(("author",))
        return Bilingual(both.ko or both.en, both.en or both.ko)
    name = r.text(("author",)).strip()
    return Bilingual(name, name)


def _social(r: Reader, root: Path) -> SocialSettings:
    """``social: false`` turns cards off; ``social: {cards: false}`` too; ``social: {font: FILE}``
    draws them with another font (relative to site.yaml's folder)."""
    value = r.get(("social",))
    if isinstance(value, bool):
        return SocialSettings(cards=value)
    if not r.has(("social",)):
        return SocialSettings()
    if not isinstance(value, dict):
        r.error(("social",), "must be true, false or a mapping with 'cards' and 'font'")
        return SocialSettings()
    if not r.mapping(("social",), ("cards", "font")):
        return SocialSettings()
    font = r.text(("social", "font")).strip()
    cards = r.boolean(("social", "cards")) if r.has(("social", "cards")) else True
    return SocialSettings(cards=cards, font=(root / font).resolve() if font else BUNDLED_FONT)


def _translate(r: Reader, root: Path) -> TranslateSettings:
    if not r.has(("translate",)) or not r.mapping(("translate",), _TRANSLATE_KEYS):
        return TranslateSettings()
    default = TranslateSettings()

    def number(key: str, fallback: float, *, whole: bool = False) -> float:
        value = r.get(("translate", key))
        if value is None or not r.has(("translate", key)):
            return fallback
        if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)) or value < 0:
            kind = "a whole number" if whole else "a number"
            r.error(("translate", key), f"must be {kind} ≥ 0, not {value!r}")
            return fallback
        return value

    def file(key: str) -> Path | None:
        name = r.text(("translate", key)).strip()
        return (root / name).resolve() if name else None

    base_url = r.text(("translate", "base_url")).strip()
    if base_url and not is_http_url(base_url):
        r.error(("translate", "base_url"), f"must be an http(s) URL, not {base_url!r}")
    return TranslateSettings(
        model=r.text(("translate", "model")).strip() or default.model,
        base_url=base_url,
        api_key_env=r.text(("translate", "api_key_env")).strip() or default.api_key_env,
        temperature=number("temperature", default.temperature),
        timeout=number("timeout", default.timeout),
        retries=int(number("retries", default.retries, whole=True)),
        backoff=number("backoff", default.backoff),
        prompt=file("prompt"),
        glossary=file("glossary"),
    )
