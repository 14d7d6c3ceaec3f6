"""Site settings from ``site.yaml``: one frozen object passed explicitly to every stage."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import DigestError, display_path
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
)


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
    origin: Origin | None = None
    """Where the settings were written (lines of ``notice.ko`` etc.), for warnings about them."""

    def override(self, **changes: object) -> SiteConfig:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


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
        default_language=lang if lang in LANGS else "ko",  # type: ignore[arg-type]
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
