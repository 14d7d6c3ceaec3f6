"""Search: the extra words that make Korean findable, and the Pagefind step.

Pagefind matches a query word against the *start* of indexed words, and knows no Korean
morphology: `모델` finds `모델을`, but `생성` does not find `검색증강생성`, nor `검색증강` the text
`검색 증강`. So each paper page carries a hidden, indexed list (``hangul_terms``) of two-syllable
pieces (bigrams):

- every two neighbouring syllables of every Hangul word (`검색증강생성` → `검색`, `색증`, `증강`,
  `강생`, `생성`);
- the last syllable of a Hangul word and the first of the next one (`검색 증강` → `색증`), because
  Korean spacing varies between writers and readers.

The other half is in the browser (``static/search.js``): a particle or ending is cut off each
Korean query word (`모델이` → `모델`), and a word of three syllables or more is asked for as its
bigrams (`검색증강생성` → `검색 색증 증강 강생 생성`, all of which a page must hold), so any part
of a compound, spaced or not, is found. Bigrams replaced every suffix of every word plus every
two- and three-word join: a page needs ~30 % fewer hidden words, and the index's vocabulary is
bounded by the pairs of syllables instead of growing with every pair and triple of words; Pagefind
takes about half the time and memory (README, "Performance": "The search index").
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
from typing import Any

from .errors import DigestError, Problem, display_path

NOT_INDEXED = (".in-issue", ".paper-links", ".paper-page > footer")
"""Parts of a paper page that are not the paper: its issue's title (the same on ten pages), the
link labels ("논문 링크") and the footer (the titles of the previous and next papers); left out so
that they neither match nor fill the excerpts."""

_HANGUL = "\uac00-\ud7a3"
_HANGUL_WORD = re.compile(f"[{_HANGUL}]+")
_CHAIN = re.compile(f"(?<!\\S)[{_HANGUL}]+(?:\\s+[{_HANGUL}]+)*(?!\\S)")
"""Neighbouring words that are all Hangul (joined across plain spaces only, not "CoN: 검색")."""
_MIXED = re.compile(f"\\S*[^\\s{_HANGUL}]\\S*")
"""A word with something besides Hangul in it (`모델을,`, `LLM의`)."""
_SHOWN_START = re.compile(f"(?<!\\S)[^\\w\\s]*([{_HANGUL}]{{2}})")
"""The first two syllables of a shown word, which Pagefind indexes (punctuation dropped)."""
_SYLLABLE_WORD = re.compile(f"(?<!\\S)[{_HANGUL}](?!\\S)")


def hangul_terms(texts: Iterable[str], *, words: bool = True) -> str:
    """The hidden search words for some Korean texts, space-separated, in a fixed order: every
    two neighbouring syllables within a Hangul word and across the space between two all-Hangul
    words. ``words=False`` is for pages that show the texts: a bigram that starts a shown word is
    left out (Pagefind finds it as the start of that word), and so are words of one syllable."""
    pieces: list[str] = []
    for text in texts:
        for chain in _CHAIN.findall(text):
            joined = "".join(chain.split())
            pieces += [joined[i : i + 2] for i in range(len(joined) - 1)]
        for token in _MIXED.findall(text):
            for run in _HANGUL_WORD.findall(token):
                pieces += [run[i : i + 2] for i in range(len(run) - 1)]
        if words:
            pieces += _SYLLABLE_WORD.findall(text)
    terms = dict.fromkeys(pieces)
    if not words:
        for text in texts:
            for start in _SHOWN_START.findall(text):
                terms.pop(start, None)
    return " ".join(terms)


INDEX_DIR = "pagefind"
"""The search index's folder in the site."""


def index_pages(pages: Mapping[str, bytes | str], shown: str) -> tuple[dict[PurePosixPath, bytes], int]:
    """The search index of ``pages`` (by their path in the site: their bytes, or the name of the
    file that holds them), as files of the site, and the number of pages indexed. Pagefind runs on
    a temporary copy of the pages, so the site itself is not touched until the build writes
    everything, index included, at once (an incremental build writes in place: indexing the site
    after that would be too late to fail).

    Pagefind runs once per edition (top folder): its memory grows with the pages of one run
    (~0.25 MB a page), and each edition is a language index of its own anyway, so two runs give
    the same files as one at about half the peak memory. Their shared files (``pagefind.js``…)
    are the same bytes; their ``pagefind-entry.json`` lists are merged."""
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
        files: dict[PurePosixPath, bytes] = {}
        languages: dict[str, dict[str, Any]] = {}  # Pagefind's JSON, of which we read page_count
        entry: dict[str, Any] = {}
        for part in sorted({name.split("/", 1)[0] for name in pages}):
            output = f"{INDEX_DIR}.{part}"
            run_pagefind(site, shown, glob=f"{part}/**/*.html", output=output)
            index = site / output
            for p in sorted(index.rglob("*")):
                if not p.is_file():
                    continue
                made = PurePosixPath(INDEX_DIR, *p.relative_to(index).parts)
                data = p.read_bytes()
                if made.name == ENTRY:
                    entry = json.loads(data)
                    languages.update(entry["languages"])
                elif files.setdefault(made, data) != data:
                    raise DigestError(Problem(shown, None, None, "", f"Pagefind wrote two different {made}"))
        if entry:
            entry["languages"] = dict(sorted(languages.items()))
            files[PurePosixPath(INDEX_DIR, ENTRY)] = _entry_bytes(entry)
    count = sum(int(language["page_count"]) for language in languages.values())
    return dict(sorted(files.items())), count


ENTRY = "pagefind-entry.json"


def run_pagefind(site: Path, shown: str = "", *, glob: str | None = None, output: str = INDEX_DIR) -> int:
    """Index the written site (or the pages of it that ``glob`` matches) with Pagefind (its own
    binary, from the ``pagefind[bin]`` wheel) into ``site/output``; returns the number of pages
    indexed. Offline: Pagefind reads and writes local files only. ``shown`` names the site in
    messages (the output folder, not its staging copy)."""
    shown = shown or display_path(site)
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", output]
    if glob:
        command += ["--glob", glob]
    for selector in NOT_INDEXED:
        command += ["--exclude-selectors", selector]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise DigestError(Problem(shown, None, None, "", f"cannot run Pagefind: {exc}")) from None
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise DigestError(
            Problem(
                shown,
                None,
                None,
                "",
                "Pagefind failed (is `pagefind[bin]` installed?): "
                + (detail[-1] if detail else f"exit status {done.returncode}"),
            )
        )
    path = site / output / ENTRY
    entry = json.loads(path.read_text(encoding="utf-8"))
    # Pagefind lists its languages in hash-map order, which changes from run to run; sorted, the
    # same site gives the same bytes (pagefind.js reads it as JSON, order means nothing).
    entry["languages"] = dict(sorted(entry["languages"].items()))
    path.write_bytes(_entry_bytes(entry))
    return sum(int(language["page_count"]) for language in entry["languages"].values())


def _entry_bytes(entry: Mapping[str, object]) -> bytes:
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
