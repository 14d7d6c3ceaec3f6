"""The build: load everything, render everything, then write — in that order.

With the build cache (the default), a rebuild renders only the outputs whose fingerprint changed
and writes only files whose bytes changed; see cache.py. Rendering may be spread over processes."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .cache import (CacheData, Digester, Session, Stat, cache_path, code_digest, file_digest, load_cache, same_file,
                    save_cache, stat_inputs, tree_files)
from .config import SiteConfig
from .errors import DigestError, Problem
from .load import issue_digest, load_content
from .model import Issue
from .render import STRINGS_FILE, Job, Renderer, load_assets
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
    (default: one per CPU when there is enough to render)."""
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
    renderer = Renderer(config, load_assets(config.static_dir, Urls(config.base_url)))
    jobs = renderer.plan(content)

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

    outputs: dict[str, tuple[bytes, Stat, tuple[object, ...]]] = {}
    if intact:
        changed = {}
        for i, (data, _) in made.items():
            old = previous.outputs.get(str(jobs[i].path))
            if not (old and old[1].digest == file_digest(data) and same_file(output / jobs[i].path, old[1])):
                changed[jobs[i].path] = data
        planned = {str(job.path) for job in jobs}
        removed = [PurePosixPath(p) for p in previous.outputs if p not in planned]
        update_site(changed, removed, output)
    else:
        changed = {jobs[i].path: data for i, (data, _) in made.items()}
        removed = []
        write_site_from(changed, output)
    for i, job in enumerate(jobs):
        if i in made:
            data, job_warnings = made[i]
            target = output.joinpath(*job.path.parts)
            st = target.stat()
            outputs[str(job.path)] = (fingerprints[i], Stat(st.st_mtime_ns, st.st_size, file_digest(data)),
                                      job_warnings)
        else:
            outputs[str(job.path)] = previous.outputs[str(job.path)]

    warnings = tuple(sorted({w for entry in outputs.values() for w in entry[2]}, key=Problem.sort_key))  # type: ignore[arg-type]
    result = {"pages": sum(1 for job in jobs if job.path.suffix == ".html"), "files": len(jobs),
              "issues": len(content.issues), "papers": len(content.papers)}
    data = CacheData(code=code_digest(), inputs=inputs, settings=settings, outputs=outputs, issues=memo,
                     result=result)
    if session is not None:
        session.data, session.path = data, store
        data.saved_ns = time.time_ns()
    elif cache:
        save_cache(store, data)
    return BuildResult(**result, seconds=time.perf_counter() - started, output=config.output_dir,  # type: ignore[arg-type]
                       warnings=warnings, rendered=len(made), written=len(changed), removed=len(removed))


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


def _unchanged(previous: CacheData, output: Path, started: float) -> BuildResult:
    warnings = tuple(sorted({w for entry in previous.outputs.values() for w in entry[2]}, key=Problem.sort_key))  # type: ignore[arg-type]
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
