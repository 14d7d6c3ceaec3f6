"""Social cards (cards.py): every page announces a picture for link previews, as an OpenGraph
scraper reads it (og:image and its size and alt text, Twitter's large card), and the picture is
there: a valid PNG of the stated size, with the title drawn in Hangul, made the same on every
build, made again only when its text changes, and left out (with a warning) when it cannot be
drawn or site.yaml turns cards off."""

from __future__ import annotations

import io
import shutil
import struct
import zlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from digestgen.build import build
from digestgen.cards import HEIGHT, MARGIN, TITLE_ROWS, WIDTH
from digestgen.check import check
from digestgen.config import BUNDLED_FONT, SocialSettings, load_config
from digestgen.errors import DigestError
from helpers import Project, add_sample_issues, paper, snapshot

BASE = "https://example.org/digest/"
PAGES = {
    # page → the card it shows: its issue's (issue and paper pages), else its edition's
    "": "social/ko.png",  # the landing page, in the default language
    "ko/": "social/ko.png",
    "en/": "social/en.png",
    "ko/archive/": "social/ko.png",
    "en/2023/": "social/en.png",
    "ko/papers/": "social/ko.png",
    "en/tags/": "social/en.png",
    "ko/tags/rag/": "social/ko.png",
    "ko/issues/2023-11-13/": "social/ko/2023-11-13.png",
    "en/issues/2023-11-20/": "social/en/2023-11-20.png",
    "ko/papers/p0-first/": "social/ko/2023-11-06.png",
    "en/papers/p1-last/": "social/en/2023-11-13.png",
}


def meta(html: str) -> dict[str, str]:
    """What an OpenGraph / Twitter scraper reads: ``property`` and ``name`` metas of the <head>."""
    head = BeautifulSoup(html, "html.parser").head
    assert head is not None
    found: dict[str, str] = {}
    for tag in head.find_all("meta"):
        key = tag.get("property") or tag.get("name")
        if key:
            assert str(key) not in found or key == "og:locale:alternate", f"{key} twice"
            found[str(key)] = str(tag["content"])
    return found


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """The chunks of a PNG file, each checked against its CRC; the image data inflated (which
    checks its Adler-32): a strict reader, stricter than browsers."""
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        assert struct.unpack(">I", data[at + 8 + length : at + 12 + length])[0] == zlib.crc32(kind + body), kind
        chunks.append((kind, body))
        at += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1] == (b"IEND", b"")
    width, height, depth = struct.unpack(">IIB", chunks[0][1][:9])
    rows = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    assert len(rows) == height * (1 + (width * depth + 7) // 8)
    return chunks


def title_band(image: Image.Image) -> Image.Image:
    return image.crop((0, TITLE_ROWS[0], WIDTH, TITLE_ROWS[1]))


def inked(image: Image.Image) -> int:
    """Pixels that are not the background (palette index 0, the card's corner)."""
    background = image.getpixel((0, 0))
    return sum(count for count, index in image.getcolors(256) or [] if index != background)


@pytest.fixture
def site(project: Project) -> Project:
    add_sample_issues(project)
    build(project.config(), search=False)
    return project


def test_every_kind_of_page_announces_a_card_that_is_there(site: Project) -> None:
    for page, card in PAGES.items():
        tags = meta(site.read(page))
        assert tags["og:image"] == BASE + card, page  # absolute, like og:url
        assert tags["og:url"] == BASE + page
        assert tags["og:image:type"] == "image/png"
        assert tags["twitter:card"] == "summary_large_image"
        data = (site.output / card).read_bytes()
        png_chunks(data)
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "PNG"
            assert image.size == (int(tags["og:image:width"]), int(tags["og:image:height"])) == (WIDTH, HEIGHT)
    config = site.config()
    assert meta(site.read("ko/issues/2023-11-13/"))["og:image:alt"] == (
        "[2023/11/13 ~ 11/19] 이번 주의 주요 ML 논문 — " + config.title.ko
    )
    assert meta(site.read("en/"))["og:image:alt"] == f"{config.title.en} — {config.description.en}"
    # Every card of the site is one a page shows, and every issue has one per edition.
    cards = {p.relative_to(site.output).as_posix() for p in (site.output / "social").rglob("*.png")}
    assert cards == {"social/ko.png", "social/en.png"} | {
        f"social/{lang}/{week}.png" for lang in ("ko", "en") for week in ("2023-11-06", "2023-11-13", "2023-11-20")
    }


def test_the_english_card_shows_what_the_english_page_shows(site: Project) -> None:
    """An issue without an English title: its English page and card both show the generated one."""
    page = BeautifulSoup(site.read("en/issues/2023-11-13/"), "html.parser")
    h1 = page.find("h1")
    assert h1 is not None
    shown = h1.get_text(strip=True)
    assert meta(str(page))["og:image:alt"].startswith(shown + " — ")
    assert shown == "Top ML Papers of the Week (2023/11/13 ~ 11/19)"


def test_a_korean_title_is_drawn_not_boxes(project: Project) -> None:
    """Glyphs, not the font's 'missing' box: two Korean titles of the same length give different
    pictures (boxes would be the same), and the title's band is inked only inside the margins."""
    project.add_issue("2023-11-06", title={"ko": "가나다라 마바사아", "en": "One"}, papers=[paper(1)])
    project.add_issue("2023-11-13", title={"ko": "자차카타 파하가나", "en": "Two"}, papers=[paper(2)])
    project.add_issue(
        "2023-11-20", title={"ko": "\U0001f600\U0001f680 ⁉︎", "en": "Three"}, papers=[paper(3)]
    )  # no glyphs: nothing drawn
    build(project.config(), search=False)
    first, second, emoji = (
        Image.open(project.output / f"social/ko/{week}.png") for week in ("2023-11-06", "2023-11-13", "2023-11-20")
    )
    assert inked(title_band(first)) > 5000 and inked(title_band(second)) > 5000
    assert title_band(first).tobytes() != title_band(second).tobytes()
    assert inked(title_band(emoji)) == 0  # left out rather than drawn as boxes
    for image in (first, second):
        band = title_band(image)
        assert inked(band.crop((0, 0, MARGIN - 2, band.height))) == 0
        assert inked(band.crop((WIDTH - MARGIN, 0, WIDTH, band.height))) == 0
    # The site's name above the title is drawn too, the same on both.
    top = (0, 0, WIDTH, TITLE_ROWS[0])
    assert inked(first.crop(top)) > 1000
    assert first.crop(top).tobytes() == second.crop(top).tobytes()


def test_long_and_odd_titles_fit_inside_the_card(project: Project) -> None:
    titles = [
        "아주 긴 제목 " * 40,  # cut with an ellipsis
        "가" * 300,  # no space to break at
        "https://example.org/" + "a" * 200,
        "Zero\u200bwidth, com\u0301bining, \u202eright-to-left\u202c, 𝒪(n log n), ☃ and 😀",
        "  ",  # nothing but spaces: the loader's default title is shown
    ]
    for n, title in enumerate(titles):
        week = date(2023, 11, 6) + timedelta(weeks=n)
        project.add_issue(week.isoformat(), title={"ko": title, "en": title}, papers=[paper(n)])
    build(project.config(), search=False)
    for path in sorted((project.output / "social").rglob("*.png")):
        png_chunks(path.read_bytes())
        with Image.open(path) as image:
            band = title_band(image)
            assert inked(band.crop((0, 0, MARGIN - 2, band.height))) == 0, path
            assert inked(band.crop((WIDTH - MARGIN + 2, 0, WIDTH, band.height))) == 0, path


def test_cards_are_the_same_bytes_on_every_build(project: Project, tmp_path: Path) -> None:
    add_sample_issues(project)
    config = project.config()
    build(config.override(output_dir=tmp_path / "one"), cache=False, search=False)
    build(config.override(output_dir=tmp_path / "two"), cache=False, search=False, processes=1)
    one, two = snapshot(tmp_path / "one" / "social"), snapshot(tmp_path / "two" / "social")
    assert len(one) == 8 and one == two


def test_a_rebuild_makes_only_the_cards_whose_text_changed(project: Project) -> None:
    add_sample_issues(project)
    first = build(project.config(), search=False)
    assert first.cards == 8  # 3 issues × 2 editions, and each edition's own
    before = snapshot(project.output / "social")
    path = project.root / "content" / "issues" / "2023-11-13.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("요약 11", "요약 열하나"), encoding="utf-8")
    assert build(project.config(), search=False).cards == 0  # a summary is on no card
    path.write_text(text.replace("papers:\n", "title: {ko: 새 제목}\npapers:\n", 1), encoding="utf-8")
    result = build(project.config(), search=False)
    assert result.cards == 1  # the Korean card of that week; its English title did not change
    after = snapshot(project.output / "social")
    assert {name for name in before if before[name] != after[name]} == {"ko/2023-11-13.png"}
    assert meta(project.read("ko/issues/2023-11-13/"))["og:image:alt"].startswith("새 제목 — ")


@pytest.mark.parametrize("setting", ["social: false", "social:\n  cards: false"])
def test_cards_turned_off(project: Project, setting: str) -> None:
    add_sample_issues(project)
    build(project.config(), search=False)
    site_yaml = project.root / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + setting + "\n", encoding="utf-8")
    result = build(project.config(), search=False)  # a rebuild: cards the last build made go too
    assert result.cards == 0 and not [w for w in result.warnings if "social" in w.field]
    assert not (project.output / "social").exists()
    for page in PAGES:
        tags = meta(project.read(page))
        assert not [key for key in tags if key.startswith("og:image")], page
        assert tags["twitter:card"] == "summary"


@pytest.mark.parametrize("font", [None, b"plain text, not a font"])
def test_a_font_that_cannot_be_used_is_a_warning_and_no_cards(project: Project, font: bytes | None) -> None:
    add_sample_issues(project)
    if font is not None:
        (project.root / "fonts").mkdir()
        (project.root / "fonts" / "card.ttf").write_bytes(font)
    site_yaml = project.root / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "social:\n  font: fonts/card.ttf\n", encoding="utf-8")
    result = build(project.config(), search=False)
    [warning] = [w for w in result.warnings if w.field == "social.font"]
    line = site_yaml.read_text(encoding="utf-8").splitlines().index("  font: fonts/card.ttf") + 1
    assert (warning.path, warning.line, warning.warning) == ("site.yaml", line, True)
    reason = "No such file or directory" if font is None else "not a TrueType or OpenType font"
    assert f"cannot draw social cards with fonts/card.ttf ({reason})" in warning.message
    assert not (project.output / "social").exists()
    for page in PAGES:
        assert "og:image" not in meta(project.read(page)), page
    # The font put right: the next build makes every card, and every page points at its card.
    (project.root / "fonts").mkdir(exist_ok=True)
    shutil.copy(BUNDLED_FONT, project.root / "fonts" / "card.ttf")
    again = build(project.config(), search=False)
    assert again.cards == 8 and not [w for w in again.warnings if w.field == "social.font"]
    for page, card in PAGES.items():
        assert meta(project.read(page))["og:image"] == BASE + card, page


def test_the_bundled_font_missing_is_a_warning(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """A damaged installation (the bundled font deleted) still builds the site, without cards."""
    add_sample_issues(project)
    config = project.config()
    missing = project.root / "gone" / "NanumSquareB.ttf"
    monkeypatch.setattr("digestgen.cards.BUNDLED_FONT", missing)
    result = build(config.override(social=SocialSettings(font=missing)), search=False)
    [warning] = [w for w in result.warnings if "social cards" in w.message]
    assert warning.path == "gone/NanumSquareB.ttf" and warning.line is None
    assert not (project.output / "social").exists()
    assert "og:image" not in meta(project.read("ko/issues/2023-11-13/"))


def test_a_damaged_font_fails_the_build_naming_it(project: Project) -> None:
    """A file that starts like a font but is not one: FreeType's error, named, and the old site kept."""
    add_sample_issues(project)
    build(project.config(), search=False)
    old = snapshot(project.output)
    (project.root / "bad.ttf").write_bytes(b"\x00\x01\x00\x00" + b"\x00" * 64)
    site_yaml = project.root / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "social:\n  font: bad.ttf\n", encoding="utf-8")
    with pytest.raises(DigestError) as caught:
        build(project.config(), search=False)
    [problem] = caught.value.problems
    assert problem.path == "bad.ttf" and "cannot draw social cards with this font" in problem.message
    assert snapshot(project.output) == old


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("social: 3", "social: must be true, false or a mapping with 'cards' and 'font'"),
        ("social:\n  fonts: x.ttf", "social.fonts: unknown key; did you mean 'font'?"),
        ("social:\n  cards: yes please", "social.cards: must be true or false, not 'yes please'"),
    ],
)
def test_social_settings_are_checked(project: Project, setting: str, message: str) -> None:
    site_yaml = project.root / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + setting + "\n", encoding="utf-8")
    with pytest.raises(DigestError) as caught:
        load_config(site_yaml)
    assert any(message in str(p) for p in caught.value.problems), [str(p) for p in caught.value.problems]


def test_check_tells_of_a_font_that_cannot_be_used(project: Project) -> None:
    """``check`` plans the cards (without drawing them), so it warns as ``build`` does."""
    add_sample_issues(project)
    site_yaml = project.root / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "social:\n  font: nowhere.ttf\n", encoding="utf-8")
    result = check(project.config())
    assert not result.errors
    [warning] = [w for w in result.warnings if w.field == "social.font"]
    assert "cannot draw social cards with nowhere.ttf" in warning.message
