"""The build cache: an optimisation only. It remembers what each output file was made from (a
fingerprint of its template, view data and the site-wide inputs), the files' stats, and the parsed
content files, so that a rebuild renders only outputs whose inputs changed and writes only files
whose bytes changed. A missing, corrupt, stale or foreign cache is ignored: the build is then a
clean one, with the same output."""

from __future__ import annotations

import copyreg
import dataclasses
import functools
import hashlib
import os
import pickle
import shutil
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from pathlib import Path, PurePath
from types import MappingProxyType

from . import __version__
from .editorfiles import folder_files

FORMAT = 2
"""Bump when the cache's layout changes; older caches are then ignored."""
_MAGIC = b"digestgen-cache\n"
RACY_NS = 2_000_000_000
"""A file changed less than this before the cache was saved may change again within the same
mtime tick, so its stat is not trusted: its bytes are hashed instead (git's "racy clean" rule)."""


# Origin.lines and config mappings are read-only views; pickle them as plain dicts.
def _read_only(items: dict[object, object]) -> MappingProxyType[object, object]:
    return MappingProxyType(items)


copyreg.pickle(MappingProxyType, lambda m: (_read_only, (dict(m),)))  # type: ignore[arg-type]


class Digester:
    """Fingerprints of plain values and model objects, walked structurally; each object once per
    build (by identity). Views are not fingerprinted: pages are fingerprinted by what their views
    are made from (``render.Group.key``, ``made_from``), which is far cheaper."""

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


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls) if f.metadata.get("fingerprint", True))


def file_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


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


@functools.cache
def _library_versions() -> tuple[tuple[str, str], ...]:
    import importlib.metadata  # slow to import; a build that finds nothing changed may not need it

    found = []
    for name in (
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
    ):
        try:
            found.append((name, importlib.metadata.version(name)))
        except importlib.metadata.PackageNotFoundError:
            found.append((name, ""))
    return tuple(found)


@dataclass
class Stat:
    mtime_ns: int
    size: int
    digest: str


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
    search_behind: bool = False
    """The search index does not show the pages as they are (a build left it for later)."""
    result: dict[str, object] = field(default_factory=dict)
    """Counts of the last build, reported again by a build that finds nothing changed."""
    warnings: tuple[object, ...] = ()
    """Every warning of the last build, told again by a build that finds nothing changed."""
    detail: Detail | None = None
    """Loaded on demand (``load_detail``)."""


@dataclass
class Detail:
    generation: str = ""
    heads: dict[tuple[str, str], object] = field(default_factory=dict)
    """Every content file's IssueHead by (shown path, digest of its bytes)."""
    groups: dict[str, tuple[bytes, tuple[str, ...], tuple[object, ...]]] = field(default_factory=dict)
    """An issue's pages (render.Group) → (fingerprint, files, warnings raised while making them)."""
    jobs: dict[str, tuple[bytes, tuple[object, ...]]] = field(default_factory=dict)
    """Every other file of the site → (fingerprint, warnings)."""
    fragments: tuple[tuple[object, int], ...] = ()
    """papers.json's issue fragments, in file order: (what each was made from, its length)."""
    search: tuple[str, ...] = ()
    """The search index's files."""
    closures: tuple[bytes, dict[object, object]] | None = None
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


def save_cache(path: Path, data: CacheData, detail: Detail, issues: Mapping[tuple[str, str], object]) -> None:
    """Write atomically: the issues first, then the detail, then the state that points at both.
    A cache that cannot be written only costs time next build."""
    data.saved_ns = time.time_ns()
    data.generation = detail.generation = hashlib.blake2b(str(data.saved_ns).encode(), digest_size=8).hexdigest()
    try:
        if path.is_file():  # the single-file cache of earlier versions
            path.unlink()
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


def load_issue(path: Path, key: tuple[str, str]) -> object | None:
    """A parsed issue kept by an earlier build, or None."""
    return _read(path / "issues" / issue_file(key))


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
        return pickle.loads(payload)
    except Exception:
        return None


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
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists():
        path.unlink()


def marker_stamp(marker: Path) -> tuple[int, int, int] | None:
    try:
        st = marker.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


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
            current[key] = Stat(st.st_mtime_ns, st.st_size, _hash_file(path))
    return current


def _hash_file(path: Path) -> str:
    """file_digest of the file, read in pieces (a huge content file is refused later, not held whole)."""
    h = hashlib.blake2b(digest_size=20)
    with path.open("rb") as handle:
        for piece in iter(lambda: handle.read(1 << 20), b""):
            h.update(piece)
    return h.hexdigest()


@dataclass
class Session:
    """Keeps the cache in memory between builds of one process (``digestgen serve``), so a
    rebuild neither reads nor writes the cache files, and parsed issues stay parsed;
    ``save()`` writes it when the session ends."""

    data: CacheData | None = None
    path: Path | None = None
    issues: dict[tuple[str, str], object] = field(default_factory=dict)
    templates: object = None
    """Compiled templates (render.MemoryBytecodeCache)."""

    def __post_init__(self) -> None:
        if self.templates is None:
            from .render import MemoryBytecodeCache  # render imports much; the cache needs it only here

            self.templates = MemoryBytecodeCache()

    def save(self) -> None:
        if self.data is not None and self.path is not None and self.data.detail is not None:
            save_cache(self.path, self.data, self.data.detail, self.issues)
