"""The golden site: a small fixed content folder (tests/golden/content/) built with fixed settings
(tests/golden/site.yaml) and the repository's templates and static files, compared with the expected
tree committed in tests/golden/expected/: the list of every built file, and the normalised text of a
few pages and of the feeds. Any change to the output shows up as a diff of that tree in review.

After a change that alters the output on purpose, refresh the expected tree and commit it:

    DIGESTGEN_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from digestgen.build import build
from digestgen.config import load_config

GOLDEN = Path(__file__).resolve().parent / "golden"
EXPECTED = GOLDEN / "expected"
FILES = "files.txt"
"""The list of built files, in the expected tree beside the pages."""
UPDATE = os.environ.get("DIGESTGEN_UPDATE_GOLDEN") == "1"

# Home, an issue, a paper, a tag page, the landing page; the three whole-site feeds and the data export.
COMPARED = (
    "index.html",
    "ko/index.html",
    "en/issues/2023-11-13/index.html",
    "ko/papers/chain-of-note/index.html",
    "en/tags/rag/index.html",
    "feed.xml",
    "atom.xml",
    "feed.json",
    "papers.json",
)

# Pagefind names its index files by their content (hashes that move with every word indexed, and with
# Pagefind's version); the list keeps how many there are of each kind.
_PAGEFIND_HASH = re.compile(r"^(pagefind/.*?[._])[0-9a-f]{7,}(\.[a-z_]+)$")


def file_list(site: Path) -> str:
    names = Counter(
        _PAGEFIND_HASH.sub(r"\1<hash>\2", p.relative_to(site).as_posix())
        for p in sorted(site.rglob("*"))
        if p.is_file()
    )
    return "".join(f"{name}  ×{count}\n" if count > 1 else f"{name}\n" for name, count in sorted(names.items()))


def normalised(path: Path) -> str:
    """The file as text a reviewer can read in a diff: HTML one tag per line (asset hashes kept),
    JSON indented; XML as built (digestgen writes it indented already)."""
    data = path.read_bytes()
    if path.suffix == ".html":
        return BeautifulSoup(data, "html.parser").prettify()
    if path.suffix == ".json":
        return json.dumps(json.loads(data), ensure_ascii=False, indent=2) + "\n"
    text = data.decode("utf-8")
    return text if text.endswith("\n") else text + "\n"


def built_tree(site: Path) -> dict[str, str]:
    return {FILES: file_list(site), **{name: normalised(site / name) for name in COMPARED}}


def expected_tree() -> dict[str, str]:
    return {
        p.relative_to(EXPECTED).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(EXPECTED.rglob("*"))
        if p.is_file()
    }


def write_expected(tree: dict[str, str]) -> None:
    shutil.rmtree(EXPECTED, ignore_errors=True)
    for name, text in tree.items():
        target = EXPECTED / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def differences(expected: dict[str, str], actual: dict[str, str]) -> list[str]:
    """A unified diff per differing file (a missing or extra file diffs against nothing)."""
    diffs = []
    for name in sorted(expected.keys() | actual.keys()):
        old, new = expected.get(name, ""), actual.get(name, "")
        if old != new:
            diffs.append(
                "".join(
                    difflib.unified_diff(
                        old.splitlines(keepends=True),
                        new.splitlines(keepends=True),
                        f"tests/golden/expected/{name}",
                        f"built/{name}",
                    )
                )
            )
    return diffs


@pytest.fixture(scope="module")
def golden_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("golden") / "_site"
    build(load_config(GOLDEN / "site.yaml").override(output_dir=out), cache=False)
    return out


def test_the_golden_site_is_built_as_expected(golden_site: Path) -> None:
    actual = built_tree(golden_site)
    if UPDATE:
        write_expected(actual)
    diffs = differences(expected_tree(), actual)
    assert not diffs, (
        f"{len(diffs)} file(s) differ from tests/golden/expected/ (if the change is intended, refresh with "
        "`DIGESTGEN_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py` and commit the diff):\n\n" + "\n".join(diffs)
    )


def test_the_golden_content_has_what_it_is_there_for(golden_site: Path) -> None:
    """The fixed content keeps the seed's quirks, so the expected tree keeps showing them."""
    chain = BeautifulSoup((golden_site / "ko/papers/chain-of-note/index.html").read_bytes(), "html.parser")
    assert chain.find("math") is not None  # LaTeX became MathML
    jarvis = next((golden_site / "en/papers").glob("jarvis-1-*/index.html")).read_text(encoding="utf-8")
    # a tweet and no paper link: an arXiv search for its title stands in for it, no arXiv id
    assert "x.com/arankomatsuzaki" in jarvis and "arxiv.org/search/?query=JARVIS-1" in jarvis
    assert "arxiv.org/abs" not in jarvis and "link-paper" not in jarvis
    pending = golden_site / "ko/papers/learning-to-filter-context-for-retrieval-augmented-generation/index.html"
    assert "번역 준비 중" in pending.read_text(encoding="utf-8")  # Korean pending, English shown
    assert (golden_site / "en/tags/rag/index.html").is_file()


def test_a_difference_is_shown_as_a_unified_diff() -> None:
    diff = differences({"a.html": "<p>\n one\n</p>\n"}, {"a.html": "<p>\n two\n</p>\n", "b.xml": "<x/>\n"})
    assert diff[0].splitlines()[:5] == [
        "--- tests/golden/expected/a.html",
        "+++ built/a.html",
        "@@ -1,3 +1,3 @@",
        " <p>",
        "- one",
    ]
    assert "+<x/>" in diff[1]
