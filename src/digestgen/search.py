"""Search: the extra words that make Korean findable, and the Pagefind step.

Pagefind matches a query word against the *start* of indexed words, and knows no Korean
morphology: `모델` finds `모델을`, but `생성` does not find `검색증강생성`, nor `검색증강` the text
`검색 증강`. So each paper page carries a hidden, indexed list (``hangul_terms``) of

- every Hangul word, and every suffix of two or more syllables of it (`검색증강생성` → `색증강생성`,
  `증강생성`, `강생성`, `생성`): a prefix of some suffix is any substring, so any part of a
  compound is found;
- two and three neighbouring Hangul words joined (`검색 증강 생성` → `검색증강`, `증강생성`,
  `검색증강생성`), because Korean spacing varies between writers and readers.

The other half is in the browser (``static/search.js``): before searching, a particle or ending
is cut off each Korean query word (`모델이` → `모델`), so the query is a prefix of `모델을`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from .errors import DigestError, Problem, display_path

NOT_INDEXED = (".in-issue", ".paper-links", ".paper-page > footer")
"""Parts of a paper page that are not the paper: its issue's title (the same on ten pages), the
link labels ("논문 링크") and the footer (the titles of the previous and next papers); left out so
that they neither match nor fill the excerpts."""

_HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]+")
_TOKEN = re.compile(r"\S+")


def hangul_terms(texts: Iterable[str], *, words: bool = True) -> str:
    """The hidden search words for some Korean texts, space-separated, in first-seen order.
    ``words=False`` leaves out the whole words, for pages that show the texts anyway."""
    seen: dict[str, None] = {}
    for text in texts:
        tokens = _TOKEN.findall(text)
        for token in tokens:
            for word in _HANGUL_WORD.findall(token):
                for start in range(0 if words else 1, max(1, len(word) - 1)):  # suffixes of 2+ syllables
                    seen.setdefault(word[start:], None)
        # Joins only across plain spaces between all-Hangul tokens ("검색 증강", not "CoN: 검색").
        whole = [token if _HANGUL_WORD.fullmatch(token) else "" for token in tokens]
        for size in (2, 3):
            for i in range(len(whole) - size + 1):
                group = whole[i:i + size]
                if all(group):
                    seen.setdefault("".join(group), None)
    return " ".join(seen)


INDEX_DIR = "pagefind"
"""The search index's folder in the site."""


def index_pages(pages: Mapping[str, bytes | str], shown: str) -> tuple[dict[PurePosixPath, bytes], int]:
    """The search index of ``pages`` (by their path in the site: their bytes, or the name of the
    file that holds them), as files of the site, and the number of pages indexed. Pagefind runs on
    a temporary copy of the pages, so the site itself is not touched until the build writes
    everything, index included, at once (an incremental build writes in place: indexing the site
    after that would be too late to fail)."""
    with tempfile.TemporaryDirectory(prefix="digestgen-search-") as tmp:
        site = Path(tmp)
        try:
            for name, data in sorted(pages.items()):
                target = os.path.join(tmp, name)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                if isinstance(data, str):
                    try:
                        os.link(data, target)  # Pagefind only reads it
                    except OSError:
                        shutil.copyfile(data, target)
                else:
                    with open(target, "wb") as handle:
                        handle.write(data)
        except OSError as exc:
            raise DigestError(Problem(shown, None, None, "", f"cannot write the site: {exc}")) from None
        count = run_pagefind(site, shown)
        index = site / INDEX_DIR
        files = {PurePosixPath(INDEX_DIR, *p.relative_to(index).parts): p.read_bytes()
                 for p in sorted(index.rglob("*")) if p.is_file()}
    return files, count


def run_pagefind(site: Path, shown: str = "") -> int:
    """Index the written site with Pagefind (its own binary, from the ``pagefind[bin]`` wheel);
    returns the number of pages indexed. Offline: Pagefind reads and writes local files only.
    ``shown`` names the site in messages (the output folder, not its staging copy)."""
    shown = shown or display_path(site)
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", INDEX_DIR]
    for selector in NOT_INDEXED:
        command += ["--exclude-selectors", selector]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise DigestError(Problem(shown, None, None, "", f"cannot run Pagefind: {exc}")) from None
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise DigestError(Problem(shown, None, None, "",
                                  "Pagefind failed (is `pagefind[bin]` installed?): "
                                  + (detail[-1] if detail else f"exit status {done.returncode}")))
    _sort_entry(site / "pagefind" / "pagefind-entry.json")
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(int(language["page_count"]) for language in entry["languages"].values())


def _sort_entry(path: Path) -> None:
    """Pagefind lists its languages in hash-map order, which changes from run to run; sorted,
    the same site gives the same bytes (pagefind.js reads it as JSON, order means nothing)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data["languages"] = dict(sorted(data["languages"].items()))
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
