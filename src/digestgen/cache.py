"""The build cache and every fingerprint: an optimisation only. It remembers what each output file
was made from (a fingerprint of its templates, its key and the site-wide inputs), the input files'
stats, and the parsed content files, so that a rebuild renders only outputs whose inputs changed
(``find_stale``). A missing, corrupt, stale or foreign cache is ignored: the build is then a clean
one, with the same output. See docs/architecture.md, "Incremental builds"."""

from __future__ import annotations

import copyreg
import dataclasses
import functools
import hashlib
import os
import pickle
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from pathlib import Path, PurePath
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from . import __version__
from .config import SiteConfig
from .editorfiles import folder_files
from .errors import Problem
from .jobs import Group, Job
from .model import Issue, IssueHead
from .search import SearchState
from .strings import STRINGS_FILE
from .write import MARKER, marker_stamp

if TYPE_CHECKING:
    import jinja2

    from .feeds import FeedItem  # feedgen is slow to import; a build that finds nothing changed needs none of it

FORMAT = 4
"""Bump when the cache's layout changes; older caches are then ignored."""
_MAGIC = b"digestgen-cache\n"
RACY_NS = 2_000_000_000
"""A file changed less than this before the cache was saved may change again within the same
mtime tick, so its stat is not trusted: its bytes are hashed instead (git's "racy clean" rule)."""


# Origin.lines and config mappings are read-only views; pickle them as plain dicts.
def _read_only(items: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(items)


def _reduce_read_only(
    mapping: MappingProxyType[Any, Any],
) -> tuple[Callable[..., MappingProxyType[Any, Any]], tuple[Any]]:
    return (_read_only, (dict(mapping),))


copyreg.pickle(MappingProxyType, _reduce_read_only)


class Digester:
    """Fingerprints of plain values and model objects, walked structurally; each object once per
    build (by identity). Pages are fingerprinted by what their views are made from (``Group.key``,
    ``Job.key``), never by the views, which is far cheaper."""

    def __init__(self) -> None:
        self._memo: dict[int, tuple[object, bytes]] = {}

    def __call__(self, *values: object) -> bytes:
        h = hashlib.blake2b(digest_size=20)
        for value in values:
            h.update(self._one(value))
        return h.digest()

    def _one(self, value: object) -> bytes:
        if type(value) is str or isinstance(value, str):  # Markup too
            data = value.encode("utf-8", "surrogatepass")
            return b"s" + len(data).to_bytes(8, "little") + data
        if isinstance(value, bytes):
            return b"b" + len(value).to_bytes(8, "little") + value
        if value is None or isinstance(value, (bool, int, float, Enum)):
            text = repr(value).encode()
            return b"v" + len(text).to_bytes(2, "little") + text
        if isinstance(value, (date, datetime, PurePath)):
            text = f"{type(value).__name__}:{value}".encode()
            return b"v" + len(text).to_bytes(2, "little") + text
        key = id(value)
        if key in self._memo:
            return b"m" + self._memo[key][1]
        h = hashlib.blake2b(digest_size=20)
        if hasattr(type(value), "__dataclass_fields__") and not isinstance(value, type):
            h.update(b"d" + type(value).__qualname__.encode())
            for name in _field_names(type(value)):
                h.update(self._one(getattr(value, name)))
        elif isinstance(value, (tuple, list)):
            h.update(b"t" + len(value).to_bytes(8, "little"))
            for item in value:
                h.update(self._one(item))
        elif isinstance(value, Mapping):
            h.update(b"M" + type(value).__qualname__.encode() + len(value).to_bytes(8, "little"))
            for k, v in value.items():  # mappings we build are made in a fixed order
                h.update(self._one(k))
                h.update(self._one(v))
        elif isinstance(value, (set, frozenset)):
            h.update(b"S")
            for item in sorted(self._one(item) for item in value):
                h.update(item)
        else:
            # Anything else would be fingerprinted by accident (e.g. by id); refuse instead so a
            # new kind of value is added here rather than silently never matching or always matching.
            raise TypeError(f"cannot fingerprint {type(value).__qualname__}")
        digest = h.digest()
        self._memo[key] = (value, digest)  # keeps the object alive so its id is not reused
        return b"m" + digest


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    """A dataclass's field names, looked up once per class (dataclasses.fields is slow)."""
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def file_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def hash_file(path: Path) -> str:
    """file_digest of the file, read in pieces (a huge content file is refused later, not held whole)."""
    h = hashlib.blake2b(digest_size=20)
    with path.open("rb") as handle:
        for piece in iter(lambda: handle.read(1 << 20), b""):
            h.update(piece)
    return h.hexdigest()


def tree_files(*roots: Path) -> list[Path]:
    files: list[Path] = []
    for root in roots:
        if root.is_file():
            files.append(root)
        elif root.is_dir():
            files.extend(folder_files(root))
    return sorted(set(files))


@functools.cache
def code_digest() -> str:
    """digestgen's own code and the versions of the libraries that shape the output."""
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{__version__} {sys.version}".encode())
    for path in tree_files(Path(__file__).parent):
        if path.suffix == ".py":
            h.update(path.name.encode() + path.read_bytes())
    h.update(repr(_library_versions()).encode())
    return h.hexdigest()


LIBRARIES = (
    "jinja2",
    "markdown-it-py",
    "linkify-it-py",
    "mdit-py-plugins",
    "markupsafe",
    "feedgen",
    "pyyaml",
    "python-frontmatter",
    "lxml",
    "pagefind",
    "pagefind_bin",
    "pillow",  # draws the social cards (and FreeType inside it)
)
"""The libraries whose versions shape the output."""


@functools.cache
def _library_versions() -> tuple[tuple[str, str], ...]:
    """Each of LIBRARIES with its installed version ("" if missing), as importlib.metadata finds
    it (the first on sys.path), but from the names of the ``*.dist-info`` folders: asking
    importlib.metadata took 30 ms, a sixth of a build that finds nothing changed."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            if folder.endswith(".dist-info"):
                name, _, version = folder.removesuffix(".dist-info").partition("-")
                found.setdefault(_normal(name), version)
    return tuple((name, found.get(_normal(name), "")) for name in LIBRARIES)


def _normal(name: str) -> str:
    """A distribution's name as packaging compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass
class Stat:
    mtime_ns: int
    size: int
    digest: str


@dataclass(frozen=True)
class Counts:
    """What a build reports besides its time and warnings."""

    pages: int
    files: int
    """Every file of the site, the search index's included."""
    issues: int
    papers: int
    drafts_left_out: tuple[str, ...]
    search_pages: int


Closures = dict[tuple[str, ...] | None, tuple[str, ...] | None]
"""The templates each set of templates uses (see templates.template_closure)."""
FragmentSource = tuple[str, str, str, str]
"""What a papers.json fragment was made from: (file, digest of its bytes, tag names, base URL)."""


@dataclass
class CacheData:
    """What one build leaves for the next, in two parts: the state (small: enough to tell that
    nothing changed) and the detail (read only when something did)."""

    format: int = FORMAT
    code: str = ""
    """code_digest() of the build that wrote it; another version's cache is ignored."""
    generation: str = ""
    """Written into both parts: a detail file from another build than its state is ignored."""
    saved_ns: int = 0
    inputs: dict[str, Stat] = field(default_factory=dict)
    """Every input file (content, templates, static, config) by absolute path."""
    settings: bytes = b""
    """Digest of the SiteConfig (which also holds command-line overrides)."""
    marker: tuple[int, int, int] | None = None
    """(inode, size, mtime) of the output folder's marker file: a site written by anything else
    (a clean build, a copy) has another, and then nothing of this cache is trusted."""
    behind: bool = False
    """A build left something for a build with search: the search index, or the files for
    programs (``put_off``). The site's pages are up to date."""
    counts: Counts | None = None
    """Counts of the last build, reported again by a build that finds nothing changed."""
    warnings: tuple[Problem, ...] = ()
    """Every warning of the last build, told again by a build that finds nothing changed."""
    detail: Detail | None = None
    """Loaded on demand (``load_detail``)."""


@dataclass
class Detail:
    generation: str = ""
    heads: dict[tuple[str, str], IssueHead] = field(default_factory=dict)
    """Every content file's IssueHead by (shown path, digest of its bytes)."""
    groups: dict[str, tuple[bytes, tuple[str, ...], tuple[Problem, ...]]] = field(default_factory=dict)
    """An issue's pages (jobs.Group) → (fingerprint, files, warnings raised while making them)."""
    jobs: dict[str, tuple[bytes, tuple[Problem, ...]]] = field(default_factory=dict)
    """Every other file of the site → (fingerprint, warnings)."""
    fragments: tuple[tuple[FragmentSource, int], ...] = ()
    """papers.json's issue fragments, in file order: (what each was made from, its length)."""
    feed_items: dict[bytes, tuple[FeedItem, tuple[Problem, ...]]] = field(default_factory=dict)
    """The feeds' items (an issue in one edition) by fingerprint (stages.feed_item_prints), with the
    warnings raised while making each."""
    search: SearchState = field(default_factory=SearchState)
    """The search index's shards, and the digests of the pages they were made from."""
    closures: tuple[bytes, Closures] | None = None
    """(digest of every template, the templates each set of templates uses)."""


def cache_path(output: Path) -> Path:
    """A folder beside the output, so each output has its own cache and a clean build is ``rm -r``."""
    output = output.resolve()
    return output.with_name(output.name + ".cache")


def load_cache(path: Path) -> CacheData:
    """The cache's state at ``path``, or an empty one if it is missing, corrupt, or from another version."""
    data = _read(path / "state")
    if not isinstance(data, CacheData) or data.format != FORMAT or data.code != code_digest():
        return CacheData()
    return data


def load_detail(path: Path, state: CacheData) -> Detail:
    detail = _read(path / "detail") if state.code else None
    if not isinstance(detail, Detail) or detail.generation != state.generation:
        return Detail()
    return detail


def save_cache(path: Path, data: CacheData, detail: Detail, issues: Mapping[tuple[str, str], Issue]) -> None:
    """Write atomically: the issues first, then the detail, then the state that points at both.
    A cache that cannot be written only costs time next build."""
    data.saved_ns = time.time_ns()
    data.generation = detail.generation = hashlib.blake2b(str(data.saved_ns).encode(), digest_size=8).hexdigest()
    try:
        (path / "issues").mkdir(parents=True, exist_ok=True)
        for key, issue in issues.items():
            target = path / "issues" / issue_file(key)
            if not target.exists():
                _write(target, issue)
        _write(path / "detail", detail)
        _write(path / "state", dataclasses.replace(data, detail=None))
        kept = {issue_file(key) for key in detail.heads}
        for old in (path / "issues").iterdir():  # parsed issues no content file has any more
            if old.name not in kept:
                old.unlink()
    except OSError:
        pass


def issue_file(key: tuple[str, str]) -> str:
    return hashlib.blake2b("\0".join(key).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def load_issue(path: Path, key: tuple[str, str]) -> Issue | None:
    """A parsed issue kept by an earlier build, or None."""
    issue = _read(path / "issues" / issue_file(key))
    return issue if isinstance(issue, Issue) else None


def _read(path: Path) -> object | None:
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    header = len(_MAGIC) + 32
    if len(raw) < header or not raw.startswith(_MAGIC):
        return None
    checksum, payload = raw[len(_MAGIC) : header], raw[header:]
    if hashlib.blake2b(payload, digest_size=32).digest() != checksum:
        return None
    try:
        value: object = pickle.loads(payload)
    except Exception:  # a cache from another version, or damaged: the build starts afresh
        return None
    return value


def _write(path: Path, value: object) -> None:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_bytes(_MAGIC + hashlib.blake2b(payload, digest_size=32).digest() + payload)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def remove_cache(path: Path) -> None:
    """A clean build's site is not the one the cache describes."""
    shutil.rmtree(path, ignore_errors=True)


def stat_inputs(files: Iterable[Path], previous: Mapping[str, Stat], saved_ns: int) -> dict[str, Stat]:
    """Current stats of ``files``, hashing only those whose stat changed or is too recent to trust."""
    current: dict[str, Stat] = {}
    for path in files:
        key = str(path)
        try:
            st = path.stat()
        except OSError as exc:  # a link to nowhere, say: loading names it; here it only counts as a change
            current[key] = Stat(0, 0, f"unreadable: {exc.strerror}")
            continue
        old = previous.get(key)
        if old and old.mtime_ns == st.st_mtime_ns and old.size == st.st_size and st.st_mtime_ns < saved_ns - RACY_NS:
            current[key] = old
        else:
            current[key] = Stat(st.st_mtime_ns, st.st_size, hash_file(path))
    return current


@dataclass
class Session:
    """Keeps the cache in memory between builds of one process (``digestgen serve``), so a
    rebuild neither reads nor writes the cache files, and parsed issues stay parsed;
    ``save()`` writes it when the session ends."""

    data: CacheData | None = None
    path: Path | None = None
    issues: dict[tuple[str, str], Issue] = field(default_factory=dict)
    templates: jinja2.BytecodeCache | None = None
    """Compiled templates (templates.MemoryBytecodeCache, made by the first build)."""

    def save(self) -> None:
        if self.data is not None and self.path is not None and self.data.detail is not None:
            save_cache(self.path, self.data, self.data.detail, self.issues)


# --- the last build, as this one finds it ----------------------------------------------------------


@dataclass(frozen=True)
class LastBuild:
    """What the last build left (its state, and its detail once something changed), and the
    inputs as they are now: the first thing a build reads."""

    output: Path
    """The output folder, resolved."""
    store: Path
    """The cache's folder."""
    session: Session | None
    keep: bool
    """Keep the cache (False: a clean build, which deletes it)."""
    state: CacheData
    inputs: dict[str, Stat]
    """Every input file now."""
    settings: bytes
    """Fingerprint of the configuration now."""
    intact: bool
    """The output folder is the one the last build wrote (its marker is), and its detail loaded:
    what the cache says of its files can be trusted."""
    detail: Detail
    issues: dict[tuple[str, str], Issue]
    """Parsed issues by (shown path, digest): kept by the session, or filled by this build."""

    def unchanged(self, search: bool) -> bool:
        """Nothing to do: no input changed since a build that left the site (and its index) complete."""
        same = {k: v.digest for k, v in self.inputs.items()} == {k: v.digest for k, v in self.state.inputs.items()}
        return self.intact and self.state.settings == self.settings and same and not (search and self.state.behind)


def read_last_build(config: SiteConfig, cache: bool | Session) -> LastBuild:
    """The last build's state (not its detail: see ``with_detail``) and every input's stat now."""
    output = config.output_dir.resolve()
    store = cache_path(output)
    session = cache if isinstance(cache, Session) else None
    if session is not None and session.path not in (None, store):
        session.data, session.issues = None, {}  # another output folder: its cache is not ours
    if session is not None and session.data is not None:
        state = session.data
    elif cache:
        state = load_cache(store)
    else:
        state = CacheData()
        remove_cache(store)
    settings = Digester()(config, str(Path.cwd()))  # messages show paths relative to the working directory
    roots = [config.content_dir, config.templates_dir, config.static_dir, *filter(None, [config.config_path])]
    if config.social.cards:  # the cards' font: a change (or its loss) makes every card and page again
        roots.append(config.social.font)
    inputs = stat_inputs(tree_files(*roots), state.inputs, state.saved_ns)
    # The output folder is trusted to be what the last build wrote as long as its marker file is
    # the one that build left (files edited there by hand are not looked for: see docs/architecture.md).
    intact = bool(state.code) and state.marker is not None and marker_stamp(output / MARKER) == state.marker
    issues = session.issues if session is not None else {}
    return LastBuild(output, store, session, bool(cache), state, inputs, settings, intact, Detail(), issues)


def with_detail(last: LastBuild) -> LastBuild:
    """``last`` with its detail read (a lost or damaged detail: nothing of the cache is trusted)."""
    if not last.intact:
        return last
    detail = last.state.detail or load_detail(last.store, last.state)
    return dataclasses.replace(last, detail=detail, intact=detail.generation == last.state.generation)


# --- what is stale -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stale:
    """Every planned output's fingerprint, and those that differ from the last build's: what to render."""

    jobs: tuple[Job, ...]
    groups: tuple[Group, ...]
    job_prints: Mapping[str, bytes]
    """Of every job, by its path."""
    group_prints: Mapping[str, bytes]
    """Of every group, by its name."""
    closures: tuple[bytes, Closures]
    """The templates' fingerprint and what each set of them uses, kept for the next build."""
    site: bytes
    """The site-wide inputs' fingerprint (``_site_inputs``)."""
    templates: Mapping[tuple[str, ...] | None, bytes]
    """The fingerprint of each set of templates some output uses (with what they pull in)."""
    later: tuple[Job, ...] = ()
    """Stale, and left for the next build (``put_off``)."""


def find_stale(
    jobs: Sequence[Job],
    groups: Sequence[Group],
    closure: Callable[[tuple[str, ...] | None], tuple[str, ...] | None],
    config: SiteConfig,
    last: LastBuild,
) -> Stale:
    """An output is stale when its fingerprint (its key, the templates it uses, the site-wide
    inputs, the code) differs from the last build's, or the last build cannot be trusted.
    ``closure`` gives the templates a set of templates uses (Renderer.template_closure)."""
    digest = Digester()
    site = _site_inputs(digest, last, config)
    prints = _TemplatePrints(digest, last, config.templates_dir, closure)
    # A group's key is plain data (strings, dates, tuples), so its repr is an exact fingerprint,
    # and much cheaper than walking it: a rebuild fingerprints every issue's pages.
    group_prints = {g.name: digest(site, prints.of((g.template,)), repr(g.key)) for g in groups}
    job_prints = {str(j.path): digest(site, prints.of(j.templates), j.path, j.key) for j in jobs}
    old_jobs, old_groups = (last.detail.jobs, last.detail.groups) if last.intact else ({}, {})
    return Stale(
        jobs=tuple(j for j in jobs if old_jobs.get(str(j.path), (b"",))[0] != job_prints[str(j.path)]),
        groups=tuple(g for g in groups if old_groups.get(g.name, (b"",))[0] != group_prints[g.name]),
        job_prints=job_prints,
        group_prints=group_prints,
        closures=(prints.state, prints.found),
        site=site,
        templates=prints.prints,
    )


def put_off(stale: Stale, last: LastBuild) -> Stale:
    """``stale`` without the files for programs (feeds, sitemap, papers.json), for a pages-first
    build of a site already written: what a reader sees is made now, the rest by the next build
    (which the cache tells it is due). Their fingerprints stay the last build's, so that build
    finds them stale."""
    later = tuple(job for job in stale.jobs if job.later)
    if not (later and last.intact):
        return stale
    old = {str(job.path): last.detail.jobs.get(str(job.path), (b"",))[0] for job in later}
    return dataclasses.replace(
        stale,
        jobs=tuple(job for job in stale.jobs if not job.later),
        job_prints={**stale.job_prints, **old},
        later=later,
    )


def _site_inputs(digest: Digester, last: LastBuild, config: SiteConfig) -> bytes:
    """What every output is made from: the code, the configuration, static files, UI strings, standalone pages.
    (Templates count only for the outputs that use them; content files through each output's key.)"""
    strings = str(config.templates_dir / STRINGS_FILE)
    # Issues count only for their own pages; standalone pages (content/pages) are in every page's navigation.
    skipped = (os.path.join(config.templates_dir, ""), os.path.join(config.content_dir, "issues", ""))
    return digest(
        code_digest(),
        last.settings,
        tuple((k, v.digest) for k, v in last.inputs.items() if k == strings or not k.startswith(skipped)),
    )


class _TemplatePrints:
    """Fingerprints of the templates each output uses (those it names, and those they pull in).
    Which templates each one pulls in is kept while no template changes: parsing them all costs
    more than a rebuild after one edit."""

    def __init__(
        self,
        digest: Digester,
        last: LastBuild,
        templates_dir: Path,
        closure: Callable[[tuple[str, ...] | None], tuple[str, ...] | None],
    ) -> None:
        self.digest, self.inputs, self.templates_dir, self.closure = digest, last.inputs, templates_dir, closure
        prefix = os.path.join(templates_dir, "")
        self.state = digest(tuple((k, v.digest) for k, v in self.inputs.items() if k.startswith(prefix)))
        closures = last.detail.closures
        self.known: Closures = closures[1] if last.intact and closures and closures[0] == self.state else {}
        self.found: Closures = {}
        self.prints: dict[tuple[str, ...] | None, bytes] = {}

    def of(self, templates: tuple[str, ...] | None) -> bytes:
        if templates not in self.prints:
            known = self.known[templates] if templates in self.known else self.closure(templates)
            self.found[templates] = known
            self.prints[templates] = self.digest(self._inputs(known))
        return self.prints[templates]

    def _inputs(self, names: tuple[str, ...] | None) -> tuple[object, ...]:
        if names is None:  # any template may be used: all of them
            return tuple((k, v.digest) for k, v in self.inputs.items() if Path(k).is_relative_to(self.templates_dir))
        paths = [str(self.templates_dir / name) for name in names]
        return tuple(
            (name, self.inputs[p].digest if p in self.inputs else "") for name, p in zip(names, paths, strict=True)
        )


# --- what this build leaves for the next ------------------------------------------------------------


def keep(last: LastBuild, data: CacheData, heads: Iterable[tuple[str, str]]) -> None:
    """Keep ``data`` (and the parsed issues of ``heads``) for the next build: in the session, or
    in the cache's files; a clean build keeps nothing."""
    issues = {key: last.issues[key] for key in heads if key in last.issues}
    if last.session is not None:
        data.saved_ns = time.time_ns()
        last.session.data, last.session.path, last.session.issues = data, last.store, issues
    elif last.keep and data.detail is not None:
        save_cache(last.store, data, data.detail, issues)
