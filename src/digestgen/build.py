"""The build: load everything, render everything, then write — in that order.

With the build cache (the default), a rebuild renders only the outputs whose fingerprint changed
and writes only files whose bytes changed; see cache.py. Rendering may be spread over processes."""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .cache import (CacheData, Digester, Session, Stat, cache_path, code_digest, file_digest, load_cache, same_file,
                    save_cache, stat_inputs, tree_files)
from .config import SiteConfig
from .errors import DigestError, Problem, display_path
from .load import issue_digest, load_content
from .model import Issue
from .render import STRINGS_FILE, Job, Renderer, load_assets
from .search import INDEX_DIR, index_pages
from .urls import Urls
from .write import MARKER, check_output_dir, update_site, write_site

PARALLEL_MIN_JOBS = 400
"""Below this many pages to render, starting worker processes costs more than it saves."""
_CHUNK = 100


@dataclass(frozen=True)
class BuildResult:
    pages: int
    files: int
    issues: int
    papers: int
    seconds: float
    output: Path
    warnings: tuple[Problem, ...] = ()
    drafts_left_out: tuple[str, ...] = ()
    """Files of draft issues that were not built (reported, so nothing is dropped silently)."""
    search_pages: int = 0
    """Pages in the search index (every paper page of both editions)."""
    search_seconds: float = 0.0
    """Time Pagefind took, on its own (it is also part of ``seconds``; 0 when no indexed page changed)."""
    rendered: int = 0
    """Files made this time (the rest were unchanged since the last build, per the cache)."""
    written: int = 0
    """Files whose bytes changed and were written (or all, when the site was written afresh)."""
    removed: int = 0
    """Files of the previous build that are no longer part of the site."""


def build(config: SiteConfig, *, cache: bool | Session = True, processes: int | None = None) -> BuildResult:
    """Build the site described by ``config``; raises DigestError, leaving the old site as it was.

    ``cache=False`` ignores and does not write the build cache (a clean build). A ``Session``
    (for ``serve``: one per process, passed to every build) keeps the cache in memory instead of
    reading and writing the file each time. ``processes`` caps worker processes for rendering
    (default: one per CPU when there is enough to render). Drafts are validated like everything
    else, then left out unless ``config.drafts``."""
    # Loading and planning make the content and views, which live until the build ends; the
    # collector's full passes walked them again and again (~12 % of a clean build's CPU). They hold
    # few reference cycles, so the collector stays off while they are made; then they are frozen
    # until the build ends: left out of later passes (which also keeps forked render workers from
    # writing to, and so copying, the memory they share).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(config, cache, processes, collect=enabled)
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def _build(config: SiteConfig, cache: bool | Session, processes: int | None, *, collect: bool) -> BuildResult:
    started = time.perf_counter()
    check_output_dir(config.output_dir, config.root, [config.content_dir, config.templates_dir, config.static_dir])
    output = config.output_dir.resolve()
    store = cache_path(output)
    session = cache if isinstance(cache, Session) else None
    if session is not None and session.path not in (None, store):
        session.data = None  # another output folder: its cache is not ours
    if session is not None and session.data is not None:
        previous = session.data
    else:
        previous = load_cache(store) if cache else CacheData()
    digest = Digester()
    settings = digest(config, str(Path.cwd()))  # messages show paths relative to the working directory
    inputs = stat_inputs(tree_files(config.content_dir, config.templates_dir, config.static_dir,
                                    *([config.config_path] if config.config_path else [])),
                         previous.inputs, previous.saved_ns)
    intact = bool(previous.code) and (output / MARKER).is_file()
    if (intact and previous.settings == settings and _digests(previous.inputs) == _digests(inputs)
            and all(same_file(output.joinpath(*PurePosixPath(p).parts), entry[1])
                    for p, entry in previous.outputs.items())):
        return _unchanged(previous, output, started)

    memo = dict(previous.issues)
    content = load_content(config.content_dir, memo)
    used = {id(issue) for issue in content.issues}
    memo = {key: issue for key, issue in memo.items() if id(issue) in used}
    left_out = () if config.drafts else tuple(sorted(issue.origin.path for issue in content.drafts))
    content = content if config.drafts else content.published()
    renderer = Renderer(config, load_assets(config.static_dir, Urls(config.base_url)))
    jobs = renderer.plan(content)
    gc.freeze()
    if collect:
        gc.enable()
    site_warnings = tuple(renderer.warnings)  # about the content as a whole, found while planning

    # An issue is fingerprinted by the bytes it was parsed from; everything else by its value.
    digest = Digester({id(issue): bytes.fromhex(key[1]) for key, issue in memo.items()}, renderer.views.provenance)
    # Site-wide inputs: config, static files, UI strings. Templates count only for the files that use them.
    strings = config.templates_dir / STRINGS_FILE
    site = digest(code_digest(), settings, tuple(
        (k, v.digest) for k, v in inputs.items()
        if Path(k) == strings or not (Path(k).is_relative_to(config.content_dir) or Path(k).is_relative_to(config.templates_dir))))
    closures: dict[tuple[str, ...] | None, bytes] = {}
    fingerprints = []
    for job in jobs:
        if job.templates not in closures:
            closures[job.templates] = digest(_template_inputs(renderer.template_closure(job.templates), inputs, config.templates_dir))
        fingerprints.append(digest(site, closures[job.templates], job.path, job.key))
    todo = [i for i, job in enumerate(jobs)
            if not (intact and _kept(previous.outputs.get(str(job.path)), fingerprints[i], output, job.path))]
    made = dict(zip(todo, render_jobs(renderer, [jobs[i] for i in todo], processes)))
    # Files made now: path → (fingerprint, bytes, warnings); the others stay as the last build left them.
    fresh: dict[str, tuple[bytes, bytes, tuple[object, ...]]] = {
        str(jobs[i].path): (fingerprints[i], data, job_warnings) for i, (data, job_warnings) in made.items()}
    planned = {str(job.path) for job in jobs}

    # The search index is made from the paper pages before anything is written (so a failing
    # Pagefind leaves the old site as it was), and only when one of them changed.
    search_pages, search_seconds, index_files, index_made = 0, 0.0, 0, 0
    if content.papers:
        indexed = [(i, job) for i, job in enumerate(jobs) if job.indexed]
        key = digest(b"search", tuple(
            (str(job.path), file_digest(made[i][0]) if i in made else previous.outputs[str(job.path)][1].digest)
            for i, job in indexed))
        old = {p: entry for p, entry in previous.outputs.items() if PurePosixPath(p).parts[0] == INDEX_DIR}
        if intact and old and all(_kept(entry, key, output, PurePosixPath(p)) for p, entry in old.items()):
            planned |= set(old)
            index_files = len(old)
            search_pages = int(previous.result.get("search_pages", 0))  # type: ignore[call-overload]
        else:
            search_started = time.perf_counter()
            files, search_pages = index_pages(
                {job.path: made[i][0] if i in made else output.joinpath(*job.path.parts) for i, job in indexed},
                display_path(config.output_dir))
            search_seconds = time.perf_counter() - search_started
            for path, data in files.items():
                fresh[str(path)] = (key, data, ())
                planned.add(str(path))
            index_files = index_made = len(files)

    if intact:
        changed = {}
        for name, (_, data, _) in fresh.items():
            path = PurePosixPath(name)
            old_entry = previous.outputs.get(name)
            if not (old_entry and old_entry[1].digest == file_digest(data) and same_file(output / path, old_entry[1])):
                changed[path] = data
        removed = [PurePosixPath(p) for p in previous.outputs if p not in planned]
        update_site(changed, removed, output)
    else:
        changed = {PurePosixPath(name): data for name, (_, data, _) in fresh.items()}
        removed = []
        write_site_from(changed, output)
    outputs: dict[str, tuple[bytes, Stat, tuple[object, ...]]] = {}
    for name in sorted(planned):
        if name in fresh:
            fingerprint, data, job_warnings = fresh[name]
            st = output.joinpath(*PurePosixPath(name).parts).stat()
            outputs[name] = (fingerprint, Stat(st.st_mtime_ns, st.st_size, file_digest(data)), job_warnings)
        else:
            outputs[name] = previous.outputs[name]

    warnings = _warnings(site_warnings, outputs)
    # Counts include the search index's files: they are files of the site like any other.
    result = {"pages": sum(1 for job in jobs if job.path.suffix == ".html"), "files": len(jobs) + index_files,
              "issues": len(content.issues), "papers": len(content.papers), "drafts_left_out": left_out,
              "search_pages": search_pages}
    data = CacheData(code=code_digest(), inputs=inputs, settings=settings, outputs=outputs, issues=memo,
                     result=result, warnings=site_warnings)
    if session is not None:
        session.data, session.path = data, store
        data.saved_ns = time.time_ns()
    elif cache:
        save_cache(store, data)
    return BuildResult(**result, seconds=time.perf_counter() - started, output=config.output_dir,  # type: ignore[arg-type]
                       warnings=warnings, search_seconds=search_seconds, rendered=len(made) + index_made, written=len(changed),
                       removed=len(removed))


def write_site_from(files: dict[PurePosixPath, bytes], output: Path) -> None:
    from .render import Output

    write_site([Output(path, data, "") for path, data in files.items()], output)


def _template_inputs(names: tuple[str, ...] | None, inputs: dict[str, Stat], templates_dir: Path) -> tuple[object, ...]:
    if names is None:
        return tuple((k, v.digest) for k, v in inputs.items() if Path(k).is_relative_to(templates_dir))
    return tuple((name, inputs[str(templates_dir / name)].digest if str(templates_dir / name) in inputs else "")
                 for name in names)


def _digests(inputs: dict[str, Stat]) -> dict[str, str]:
    return {path: stat.digest for path, stat in inputs.items()}


def _kept(entry: tuple[bytes, Stat, tuple[object, ...]] | None, fingerprint: bytes, output: Path,
          path: PurePosixPath) -> bool:
    return entry is not None and entry[0] == fingerprint and same_file(output.joinpath(*path.parts), entry[1])


def _warnings(site_warnings: tuple[object, ...],
              outputs: dict[str, tuple[bytes, Stat, tuple[object, ...]]]) -> tuple[Problem, ...]:
    found = {*site_warnings, *(w for entry in outputs.values() for w in entry[2])}
    return tuple(sorted(found, key=Problem.sort_key))  # type: ignore[arg-type]


def _unchanged(previous: CacheData, output: Path, started: float) -> BuildResult:
    warnings = _warnings(previous.warnings, previous.outputs)
    return BuildResult(**previous.result, seconds=time.perf_counter() - started, output=output,  # type: ignore[arg-type]
                       warnings=warnings)


# --- rendering, serially or in worker processes ------------------------------------------------

_WORK: tuple[Renderer, list[Job]] | None = None
"""The jobs of the build in progress, inherited by forked workers (closures do not pickle)."""


def render_jobs(renderer: Renderer, jobs: list[Job], processes: int | None = None) -> list[tuple[bytes, tuple[Problem, ...]]]:
    """Each job's bytes and the warnings raised while making it, in order. Workers render
    contiguous chunks of the same job list, so the result is the same as a serial render."""
    global _WORK
    count = processes if processes is not None else (os.cpu_count() or 1)
    # fork copies the parent's memory (views, rendered Markdown) for free; it is unsafe while
    # other threads run (a live-reload server), so then we render here.
    if (count < 2 or len(jobs) < PARALLEL_MIN_JOBS or "fork" not in multiprocessing.get_all_start_methods()
            or threading.active_count() > 1):
        return _render_range(renderer, jobs, 0, len(jobs))
    _WORK = (renderer, jobs)
    try:
        with multiprocessing.get_context("fork").Pool(count) as pool:
            chunks = pool.map(_render_chunk, [(start, min(start + _CHUNK, len(jobs)))
                                              for start in range(0, len(jobs), _CHUNK)])
    finally:
        _WORK = None
    problems = [p for chunk in chunks if isinstance(chunk, DigestFailure) for p in chunk.problems]
    if problems:
        raise DigestError(problems)
    return [item for chunk in chunks for item in chunk]  # type: ignore[union-attr]


@dataclass(frozen=True)
class DigestFailure:
    problems: tuple[Problem, ...]


def _render_chunk(bounds: tuple[int, int]) -> list[tuple[bytes, tuple[Problem, ...]]] | DigestFailure:
    assert _WORK is not None
    try:
        return _render_range(*_WORK, *bounds)
    except DigestError as exc:
        return DigestFailure(tuple(exc.problems))


def _render_range(renderer: Renderer, jobs: list[Job], start: int, end: int) -> list[tuple[bytes, tuple[Problem, ...]]]:
    made = []
    for job in jobs[start:end]:
        before = len(renderer.warnings)
        data = job.make()
        made.append((data, tuple(renderer.warnings[before:])))
    return made
