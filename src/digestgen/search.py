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

The hidden words are written decomposed (Unicode NFD: conjoining jamo), the form Pagefind keys its
words by. Pagefind cuts its index into chunks of ~20,000 word positions, but counts only the
positions of words already in that form: text in composed Hangul is stored as a "variant" of the
decomposed key and not counted, so every Hangul word of the site used to land in one chunk (11 MB
gzip at 1,040 weeks) that the first Korean query had to download. Decomposed, the hidden words are
counted and the chunks stay ~25 KB (docs/search.md).

The index itself is cut into shards (``shard_of``), each a Pagefind bundle of its own that the
browser merges (Pagefind's ``mergeIndex``); an edit re-indexes only its shard (docs/search.md).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import time
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

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
    left out (Pagefind finds it as the start of that word), and so are words of one syllable.
    Decomposed (NFD), so that Pagefind counts them when it cuts its index into chunks."""
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
    return unicodedata.normalize("NFD", " ".join(terms))


INDEX_DIR = "pagefind"
"""The search index's folder in the site: a folder per shard, and the list of them (``MANIFEST``)."""
MANIFEST = "shards.json"
"""The shards' folders and oldest weeks, newest first: static/search.js loads the first one's
Pagefind and merges the others into it as a query needs them."""
INDEXED_LANG = "ko"
"""The edition whose pages are indexed. A Korean page shows the English original under the Korean
text, so its words are those of both editions: one index serves both, indexed once, and
static/search.js sends a reader of the English edition to the English page of each result."""
UNUSED = frozenset(
    {
        "pagefind-ui.js",
        "pagefind-ui.css",
        "pagefind-modular-ui.js",
        "pagefind-modular-ui.css",
        "pagefind-component-ui.js",
        "pagefind-component-ui.css",
        "pagefind-highlight.js",
    }
)
"""Pagefind's ready-made interfaces: the site has its own (static/search.js), so they are not kept."""


def shard_of(week: date, newest: date) -> str:
    """The shard of a week's pages, given the newest week: the newest week alone (where editors
    work: an edit there re-indexes 11 pages, not a month's 55); the rest of its month (a new week
    re-indexes at most four more); the rest of its year, whole (the first shard a query widens to:
    a query pays a chunk per word in every shard it searches, and half-years there made the first
    Korean query at N = 1,040 fetch four shards, 481 kB); half-years in the two years before
    (where editors still correct, an edit re-indexes ≤ 26 weeks); a year each before that (an
    edit anywhere re-indexes one year at most, and a full build runs Pagefind on pieces of about
    the same size, side by side: one shard of every older year took one Pagefind process 54 s
    and 4 GB at N = 1,040). The browser searches the newest month's shards together, as one.
    docs/search.md has the measurements."""
    if week == newest:
        return week.isoformat()
    if (week.year, week.month) == (newest.year, newest.month):
        return f"{week.year}-{week.month:02d}"
    if week.year == newest.year:
        return str(week.year)
    if week.year >= newest.year - 2:
        return f"{week.year}-h{1 if week.month <= 6 else 2}"
    return str(week.year)


@dataclass(frozen=True)
class Shard:
    """Pages indexed together into one Pagefind bundle."""

    name: str
    folder: str
    """Its folder below INDEX_DIR: the name and a fingerprint of its pages' inputs, so that a
    shard made again gets a new folder (the browser never mixes an old and a new file of one)."""
    pages: tuple[str, ...]
    """Paths in the site, sorted."""
    newest: date
    oldest: date
    """Its oldest week: the browser says which weeks it searched when it has not searched them all."""


def plan_shards(pages: Mapping[str, tuple[date, bytes]]) -> list[Shard]:
    """The shards of the index, newest first, from each indexed page's week and the fingerprint
    of what it is made from (the build's, which changes whenever the page could)."""
    if not pages:
        return []
    newest = max(week for week, _ in pages.values())
    groups: dict[str, list[str]] = {}
    for path, (week, _) in pages.items():
        groups.setdefault(shard_of(week, newest), []).append(path)
    shards = []
    for name, paths in groups.items():
        paths.sort()
        digest = hashlib.blake2b(digest_size=6)
        for path in paths:
            digest.update(path.encode() + b"\0" + pages[path][1] + b"\0")
        weeks = [pages[path][0] for path in paths]
        shards.append(Shard(name, f"{name}-{digest.hexdigest()}", tuple(paths), max(weeks), min(weeks)))
    return sorted(shards, key=lambda shard: (shard.newest, shard.name), reverse=True)


def manifest(shards: Sequence[Shard]) -> bytes:
    """The list static/search.js reads: each shard's folder and oldest week, newest first, and
    whether it is of the newest month (``first``: searched from the first query on). The browser
    searches those first and the older ones when a query finds less than a page of results
    there, or when the reader asks (docs/search.md)."""
    month = shards[0].newest.replace(day=1) if shards else date.min
    listed = [
        {"folder": shard.folder, "from": shard.oldest.isoformat(), "first": shard.oldest >= month} for shard in shards
    ]
    return json.dumps(listed).encode("utf-8") + b"\n"


def pagefind_command() -> list[str]:
    """Pagefind's own binary (from the ``pagefind[bin]`` wheel), without a Python start-up."""
    from pagefind_bin import get_executable  # type: ignore[import-untyped]  # the wheel ships no type hints

    return [str(get_executable())]


ShardState = tuple[str, tuple[str, ...], int]
"""What the build cache keeps of a shard: its folder, its files (paths in the site), its pages."""


@dataclass(frozen=True)
class SearchState:
    """What the build cache keeps of the search index."""

    shards: Mapping[str, ShardState] = field(default_factory=dict)
    """Every shard of the index as it is in the output folder, by name."""
    pages: Mapping[str, bytes] = field(default_factory=dict)
    """A digest of every indexed page's bytes, by path (of pages made in earlier builds too)."""

    def files(self) -> set[str]:
        found = {name for _, files, _ in self.shards.values() for name in files}
        return found | {f"{INDEX_DIR}/{MANIFEST}"} if found else found

    @property
    def page_count(self) -> int:
        """Pages in the index."""
        return sum(count for _, _, count in self.shards.values())


def page_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=10).digest()


@dataclass(frozen=True)
class IndexPlan:
    """The search index's part of one build, decided before anything is written: which shards to
    make again (those with a page whose bytes changed, or pages added or gone) and which to keep.
    A shard's folder is named by a digest of its pages' bytes, so a kept shard is exactly what
    indexing everything afresh would give."""

    shards: tuple[Shard, ...]
    """Every shard of the index, newest first."""
    due: tuple[Shard, ...]
    """The shards to make (in the write stage's staging folder: ``make_index``)."""
    kept: Mapping[str, ShardState]
    """The shards that stay as the last build left them, by name."""
    manifest: tuple[str, bytes] | None
    """The list of shards (path in the site, bytes); None when the index is left as it was."""
    digests: Mapping[str, bytes]
    """A digest of every indexed page's bytes, by path."""
    searching: bool
    """False: a build without search, which leaves the index as it was."""

    @property
    def kept_files(self) -> frozenset[str]:
        """Files of the index that stay (the list of shards is written again if it changed)."""
        return frozenset(SearchState(self.kept).files() | ({self.manifest[0]} if self.manifest else set()))

    def state(self, made: IndexMade) -> SearchState:
        """What the cache keeps for the next build."""
        return SearchState({**self.kept, **made.shards}, self.digests)

    def behind(self, made: IndexMade) -> bool:
        """Some pages are not yet indexed as they are now (a build without search)."""
        return bool(self.due) and not made.shards


@dataclass(frozen=True)
class IndexMade:
    """The shards ``make_index`` made."""

    shards: Mapping[str, ShardState] = field(default_factory=dict)
    seconds: float = 0.0
    """Time Pagefind took."""

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(name for _, files, _ in self.shards.values() for name in files)


def plan_index(
    weeks: Mapping[str, date], made: Mapping[str, bytes], previous: SearchState, output: Path, search: bool = True
) -> IndexPlan:
    """Plan the index of the pages ``weeks`` (path → week) given the files this build made and
    what the last build left (``previous``; empty if its site cannot be trusted). A page not made
    now is known by the digest the last build kept, or read from ``output``."""

    def digest(path: str) -> bytes:
        if path in made:
            return page_digest(made[path])
        known = previous.pages.get(path)
        return known if known is not None else page_digest((output / path).read_bytes())

    digests = {path: digest(path) for path in weeks}
    shards = tuple(plan_shards({path: (week, digests[path]) for path, week in weeks.items()}))
    due = tuple(s for s in shards if previous.shards.get(s.name, ("",))[0] != s.folder)
    if not search:  # the index stays as it was until a build with search
        return IndexPlan(shards, due, previous.shards, None, digests, False)
    kept = {s.name: previous.shards[s.name] for s in shards if s not in due}
    listed = (f"{INDEX_DIR}/{MANIFEST}", manifest(shards)) if shards else None
    return IndexPlan(shards, due, kept, listed, digests, True)


def make_index(plan: IndexPlan, staging: Path, output: Path, shown: str) -> IndexMade:
    """Index the shards that are due into ``staging`` (the write stage's staging folder, where
    this build's changed files are), reading the pages from there or, unchanged, from ``output``."""
    if not (plan.searching and plan.due):
        return IndexMade()
    started = time.perf_counter()
    sources = staging / SOURCES
    try:
        # Each shard's pages, gathered as hard links (no bytes copied) in a folder of its own: a
        # glob of every page would overflow the argument limit in a long archive.
        for shard in plan.due:
            for page in shard.pages:
                _link(staging / page if (staging / page).exists() else output / page, sources / shard.name / page)
        done = index_shards(staging, sources, plan.due, shown, os.cpu_count() or 1)
    finally:
        shutil.rmtree(sources, ignore_errors=True)
    made = {shard.name: (shard.folder, *done[shard.name]) for shard in plan.due}
    return IndexMade(made, time.perf_counter() - started)


SOURCES = ".search-pages"
"""The folder in the staging site where each shard's pages are gathered while it is indexed."""


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def index_shards(
    site: Path, sources: Path, shards: Sequence[Shard], shown: str, processes: int = 2
) -> dict[str, tuple[tuple[str, ...], int]]:
    """Index each shard's pages, gathered in ``sources/<its name>``, into ``site/INDEX_DIR/<its
    folder>`` (``site``: the build's staging folder): one Pagefind run per shard, ``processes`` at
    a time.
    Returns each shard's files (paths in the site) and number of pages. Offline: Pagefind reads and writes local
    files only. ``shown`` names the site in messages."""
    try:
        command = pagefind_command()
    except (ImportError, OSError, FileNotFoundError) as exc:
        raise DigestError(
            Problem(shown, None, None, "", f"cannot run Pagefind (is `pagefind[bin]` installed?): {exc}")
        ) from None
    waiting = list(shards)
    running: list[tuple[Shard, subprocess.Popen[bytes]]] = []
    files: dict[str, tuple[tuple[str, ...], int]] = {}
    try:
        while waiting or running:
            while waiting and len(running) < max(1, processes):
                shard = waiting.pop(0)
                running.append((shard, _start(command, site, sources / shard.name, shard, shown)))
            shard, process = running.pop(0)
            _, error = process.communicate()
            if process.returncode != 0:
                detail = error.decode("utf-8", "replace").strip().splitlines()
                raise DigestError(
                    Problem(
                        shown,
                        None,
                        None,
                        "",
                        "Pagefind failed (is `pagefind[bin]` installed?): "
                        + (detail[-1] if detail else f"exit status {process.returncode}"),
                    )
                )
            files[shard.name] = _tidy(site, shard)
    finally:
        for _, process in running:
            process.kill()
            process.wait()
    return files


def _start(command: list[str], site: Path, pages: Path, shard: Shard, shown: str) -> subprocess.Popen[bytes]:
    arguments = [*command, "--site", str(pages), "--output-path", str(site / INDEX_DIR / shard.folder)]
    for selector in NOT_INDEXED:
        arguments += ["--exclude-selectors", selector]
    try:
        return subprocess.Popen(arguments, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except OSError as exc:
        raise DigestError(Problem(shown, None, None, "", f"cannot run Pagefind: {exc}")) from None


def _tidy(site: Path, shard: Shard) -> tuple[tuple[str, ...], int]:
    """The shard's files, without Pagefind's ready-made interfaces, and with its language list
    in a fixed order (Pagefind writes it in hash-map order, which changes from run to run)."""
    folder = site / INDEX_DIR / shard.folder
    found, pages = [], 0
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        if path.name in UNUSED:
            path.unlink()
            continue
        if path.name == ENTRY:
            entry = json.loads(path.read_bytes())
            entry["languages"] = dict(sorted(entry["languages"].items()))
            path.write_bytes(_entry_bytes(entry))
            pages = sum(int(language["page_count"]) for language in entry["languages"].values())
        found.append(path.relative_to(site).as_posix())
    return tuple(found), pages


ENTRY = "pagefind-entry.json"


def run_pagefind(site: Path, shown: str = "") -> int:
    """Index a whole written site with plain Pagefind into ``site/pagefind`` (tests compare the
    site's own search with this); returns the number of pages indexed."""
    shown = shown or display_path(site)
    command = [*pagefind_command(), "--site", str(site)]
    for selector in NOT_INDEXED:
        command += ["--exclude-selectors", selector]
    done = subprocess.run(command, capture_output=True, check=False)
    if done.returncode != 0:
        raise DigestError(Problem(shown, None, None, "", f"Pagefind failed: exit status {done.returncode}"))
    entry = json.loads((site / INDEX_DIR / ENTRY).read_text(encoding="utf-8"))
    return sum(int(language["page_count"]) for language in entry["languages"].values())


def _entry_bytes(entry: Mapping[str, object]) -> bytes:
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
