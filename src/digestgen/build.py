"""The build: load everything, render everything, then write — in that order.

With the build cache (the default), a rebuild reads only the content files that changed, renders
only the outputs whose fingerprint changed and writes only files whose bytes changed; see
cache.py and README "Incremental builds". Rendering may be spread over processes."""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .cache import (
    CacheData,
    Detail,
    Digester,
    Session,
    Stat,
    cache_path,
    code_digest,
    file_digest,
    load_cache,
    load_detail,
    load_issue,
    marker_stamp,
    remove_cache,
    save_cache,
    stat_inputs,
    tree_files,
)
from .config import SiteConfig
from .errors import DigestError, Problem, display_path
from .load import load_catalog, parse_issue
from .model import Issue, IssueHead
from .progress import Progress, silent
from .render import STRINGS_FILE, Group, Job, Renderer, file_bytecode_cache, load_assets, papers_json_header
from .search import index_pages
from .source import read_source
from .urls import Urls, check_unique_paths
from .write import MARKER, check_output_dir, update_site, write_site

PARALLEL_MIN_JOBS = 400
"""Below this many pages to render, starting worker processes costs more than it saves."""
_CHUNK = 8
"""Tasks (an issue's pages, or one other file) per piece of work handed to a worker."""


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


@dataclass
class Task:
    """Work for one render step: an issue's pages (``group``) or one other file (``job``)."""

    make: Callable[[], list[tuple[PurePosixPath, bytes]]]
    weight: int
    group: Group | None = None
    job: Job | None = None
    extra: list[object] = field(default_factory=list)
    """What making it found out besides its files (papers.json: its fragments)."""


def build(
    config: SiteConfig,
    *,
    cache: bool | Session = True,
    processes: int | None = None,
    search: bool = True,
    progress: Progress = silent,
) -> BuildResult:
    """Build the site described by ``config``; raises DigestError, leaving the old site as it was.

    ``cache=False`` is a clean build: it ignores the build cache and deletes it (it would describe
    another site). A ``Session`` (for ``serve``: one per process, passed to every build) keeps the
    cache in memory instead of reading and writing its files each time. ``processes`` caps worker
    processes for rendering (default: one per CPU when there is enough to render). Drafts are
    validated like everything else, then left out unless ``config.drafts``. ``search=False``
    leaves the search index as it was (``serve`` shows the new pages first, then indexes them
    with a second build: the cache remembers that the index is behind). ``progress`` is told as
    each stage ends (see progress.py)."""
    # Loading makes many objects that live as long as the build: the cycle collector's passes over
    # them cost up to a third of a rebuild and free nothing. So it is off while loading, and what
    # was loaded is then frozen out of its sight (rendering makes garbage it must still collect).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(config, cache, processes, collecting, search, progress)
    finally:
        gc.unfreeze()
        if collecting:
            gc.enable()


def _build(
    config: SiteConfig,
    cache: bool | Session,
    processes: int | None,
    collecting: bool,
    search: bool,
    progress: Progress,
) -> BuildResult:
    started = time.perf_counter()
    check_output_dir(config.output_dir, config.root, [config.content_dir, config.templates_dir, config.static_dir])
    output = config.output_dir.resolve()
    store = cache_path(output)
    session = cache if isinstance(cache, Session) else None
    if session is not None and session.path not in (None, store):
        session.data, session.issues = None, {}  # another output folder: its cache is not ours
    if session is not None and session.data is not None:
        previous = session.data
    elif cache:
        previous = load_cache(store)
    else:
        previous = CacheData()
        remove_cache(store)
    settings = Digester()(config, str(Path.cwd()))  # messages show paths relative to the working directory
    inputs = stat_inputs(
        tree_files(
            config.content_dir,
            config.templates_dir,
            config.static_dir,
            *([config.config_path] if config.config_path else []),
        ),
        previous.inputs,
        previous.saved_ns,
    )
    # The output folder is trusted to be what the last build wrote as long as its marker file is
    # the one that build left (files edited there by hand are not looked for: see README).
    intact = bool(previous.code) and previous.marker is not None and marker_stamp(output / MARKER) == previous.marker
    if (
        intact
        and previous.settings == settings
        and _digests(previous.inputs) == _digests(inputs)
        and not (search and previous.search_behind)
    ):
        return _unchanged(previous, output, started)
    detail = (previous.detail or load_detail(store, previous)) if intact else Detail()
    intact = intact and detail.generation == previous.generation  # a lost or damaged detail: start afresh
    memo = session.issues if session is not None else {}

    parsed: dict[tuple[str, str], Issue] = {}
    everything = load_catalog(config.content_dir, {k: v.digest for k, v in inputs.items()}, detail.heads, parsed)  # type: ignore[arg-type]
    memo.update(parsed)
    progress("loaded", len(everything.issues))
    left_out = () if config.drafts else tuple(sorted(head.path for head in everything.issues if head.draft))
    catalog = everything if config.drafts else everything.published()
    renderer = Renderer(
        config,
        load_assets(config.static_dir, Urls(config.base_url)),
        session.templates if session is not None else file_bytecode_cache(store / "templates") if cache else None,
    )
    tags = renderer.prepare(catalog)
    site_warnings = tuple(renderer.warnings)  # about the content as a whole, found while planning

    def full(head: IssueHead) -> Issue:
        """The whole issue of a head: parsed now, kept by the session or the cache, or parsed again."""
        key = (head.path, head.digest)
        if key not in memo:
            issue = load_issue(store, key) if cache else None
            memo[key] = issue if isinstance(issue, Issue) else parse_issue(read_source(Path(head.path)))
        return memo[key]  # type: ignore[return-value]

    heads = {(head.path, head.digest): head for head in everything.issues}
    digest = Digester()
    # Site-wide inputs: config, static files, UI strings. Templates count only for the files that use them.
    strings = config.templates_dir / STRINGS_FILE
    # Issues count only for their own pages; standalone pages (content/pages) are in every page's navigation.
    templates_prefix, content_prefix = (
        os.path.join(config.templates_dir, ""),
        os.path.join(config.content_dir, "issues", ""),
    )
    site = digest(
        code_digest(),
        settings,
        tuple(
            (k, v.digest)
            for k, v in inputs.items()
            if k == str(strings) or not (k.startswith(content_prefix) or k.startswith(templates_prefix))
        ),
    )
    # Which templates each template pulls in: parsing them all costs more than a rebuild after one
    # edit, so the answer is kept while no template changes.
    templates_state = digest(tuple((k, v.digest) for k, v in inputs.items() if k.startswith(templates_prefix)))
    known = detail.closures[1] if intact and detail.closures and detail.closures[0] == templates_state else {}
    found: dict[tuple[str, ...] | None, tuple[str, ...] | None] = {}
    closures: dict[tuple[str, ...] | None, bytes] = {}

    def closure(templates: tuple[str, ...] | None) -> bytes:
        if templates not in closures:
            found[templates] = known[templates] if templates in known else renderer.template_closure(templates)
            closures[templates] = digest(_template_inputs(found[templates], inputs, config.templates_dir))
        return closures[templates]

    fragments = _Fragments(output, detail.fragments if intact else (), renderer, full)
    jobs = [
        *renderer.site_jobs(catalog, tags),
        *renderer.feeds(catalog, full),
        renderer.papers_json(catalog, fragments.get),
    ]
    groups = renderer.groups(catalog)
    group_prints: dict[str, bytes] = {}
    group_paths: dict[str, tuple[str, ...]] = {}
    for group in groups:
        # A group's key is plain data (strings, dates, tuples), so its repr is an exact fingerprint,
        # and much cheaper than walking it: a rebuild fingerprints every issue's pages.
        group_prints[group.name] = fingerprint = digest(site, closure((group.template,)), repr(group.key))
        old_group = detail.groups.get(group.name)
        group_paths[group.name] = (
            old_group[1]
            if intact and old_group and old_group[0] == fingerprint
            else tuple(str(p) for p in renderer.group_paths(group))
        )
    job_paths = {str(job.path) for job in jobs}
    page_paths = job_paths.union(*group_paths.values())  # in C: a long archive has tens of thousands
    if len(page_paths) != len(jobs) + sum(map(len, group_paths.values())):  # two pages on one path: say which
        check_unique_paths(
            [(str(job.path), job.owner) for job in jobs]
            + [(p, group.head.path) for group in groups for p in group_paths[group.name]]
        )

    tasks: list[Task] = []
    job_prints = {}
    for job in jobs:
        job_prints[str(job.path)] = fingerprint = digest(site, closure(job.templates), job.path, job.key)
        old = detail.jobs.get(str(job.path))
        if not (intact and old and old[0] == fingerprint):
            task = Task(lambda job=job: [(job.path, job.make())], 1, job=job)
            if job.path == renderer.urls.output_path(renderer.urls.papers_json()):
                task.make = lambda job=job, task=task: _with_fragments(job, fragments, task)
            tasks.append(task)
    for group in groups:
        old_group = detail.groups.get(group.name)
        if not (intact and old_group and old_group[0] == group_prints[group.name]):
            tasks.append(
                Task(
                    lambda group=group: [
                        (job.path, job.make()) for job in renderer.group_jobs(group, full(group.head))
                    ],
                    len(group_paths[group.name]),
                    group=group,
                )
            )
    gc.freeze()
    if collecting:
        gc.enable()
    progress("rendering", sum(task.weight for task in tasks))
    done = render_tasks(renderer, tasks, processes)
    made: dict[str, bytes] = {str(path): data for files, _, _ in done for path, data in files}
    progress("rendered", len(made))

    # The search index is made from the paper pages before anything is written (so a failing
    # Pagefind leaves the old site as it was), and only when one of them changed.
    indexed = [path for group in groups if group.part == "papers" for path in group_paths[group.name]]
    changed = {name: data for name, data in made.items() if not (intact and _same_bytes(output, name, data))}
    search_pages, search_seconds, search_files = (
        int(previous.result.get("search_pages", 0)) if intact else 0,
        0.0,
        detail.search,
    )  # type: ignore[call-overload]
    index_made = 0
    behind = intact and previous.search_behind
    due = behind or not (
        intact
        and detail.search
        and not any(name in changed for name in indexed)
        and set(indexed) == set(_indexed_before(detail))
    )
    if not indexed:
        search_pages, search_files, behind = 0, (), False
    elif due and not search:
        behind = True  # the old index stays, as far as it goes, until a build with search
    elif due:
        behind = False
        search_started = time.perf_counter()
        files, search_pages = index_pages(
            {p: made[p] if p in made else os.path.join(output, p) for p in indexed}, display_path(config.output_dir)
        )
        search_seconds = time.perf_counter() - search_started
        search_files = tuple(str(path) for path in files)
        index_made = len(files)
        progress("indexed", search_pages)
        for path, data in files.items():
            if not (intact and _same_bytes(output, str(path), data)):
                changed[str(path)] = data

    planned = page_paths.union(search_files)
    removed: list[PurePosixPath] = []
    if intact:
        before = set(detail.jobs).union(*(paths for _, paths, _ in detail.groups.values()), detail.search)
        removed = [PurePosixPath(p) for p in sorted(before - planned)]
        update_site({PurePosixPath(p): data for p, data in changed.items()}, removed, output)
    else:
        write_site_from({PurePosixPath(p): data for p, data in changed.items()}, output)
    progress("written", len(changed))

    # What this build leaves for the next one.
    new_detail = Detail(heads=heads, search=search_files, closures=(templates_state, found))  # type: ignore[arg-type]
    task_warnings = {id(task): warnings for task, (_, warnings, _) in zip(tasks, done, strict=False)}
    for job in jobs:
        name = str(job.path)
        kept = detail.jobs.get(name, (b"", ()))[1]
        new_detail.jobs[name] = (job_prints[name], kept)
    for group in groups:
        kept = detail.groups.get(group.name, (b"", (), ()))[2]
        new_detail.groups[group.name] = (group_prints[group.name], tuple(group_paths[group.name]), kept)
    for task, (_, _, extra) in zip(tasks, done, strict=False):
        if task.group is not None:
            name = task.group.name
            new_detail.groups[name] = (*new_detail.groups[name][:2], task_warnings[id(task)])
        elif task.job is not None:
            name = str(task.job.path)
            new_detail.jobs[name] = (new_detail.jobs[name][0], task_warnings[id(task)])
            if extra:
                new_detail.fragments = tuple(extra)  # type: ignore[arg-type]
    if not any(task.extra or (task.job and task.job.path.name == "papers.json") for task in tasks):
        new_detail.fragments = detail.fragments if intact else ()
    warnings = _warnings(site_warnings, new_detail)
    # Counts include the search index's files: they are files of the site like any other.
    result = {
        "pages": sum(1 for p in job_paths if p.endswith(".html")) + sum(map(len, group_paths.values())),
        "files": len(planned),
        "issues": len(catalog.issues),
        "papers": sum(len(head.papers) for head in catalog.issues),
        "drafts_left_out": left_out,
        "search_pages": search_pages,
    }
    data = CacheData(
        code=code_digest(),
        inputs=inputs,
        settings=settings,
        marker=marker_stamp(output / MARKER),
        search_behind=behind,
        result=result,
        warnings=warnings,
        detail=new_detail,
    )
    if session is not None:
        session.data, session.path = data, store
        data.saved_ns = time.time_ns()
        session.issues = {key: memo[key] for key in heads if key in memo}
    elif cache:
        save_cache(store, data, new_detail, {key: memo[key] for key in heads if key in memo})
    return BuildResult(
        **result,
        seconds=time.perf_counter() - started,
        output=config.output_dir,  # type: ignore[arg-type]
        warnings=warnings,
        search_seconds=search_seconds,
        rendered=len(made) + index_made,
        written=len(changed),
        removed=len(removed),
    )


def _indexed_before(detail: Detail) -> list[str]:
    return [p for name, (_, paths, _) in detail.groups.items() if name.startswith("papers ") for p in paths]


def _same_bytes(output: Path, name: str, data: bytes) -> bool:
    """Is the file already there with these bytes? (Only made files are compared: few, after an edit.)"""
    path = output.joinpath(*PurePosixPath(name).parts)
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


class _Fragments:
    """papers.json's per-issue fragments: those of unchanged issues are cut out of the last build's
    file (whose layout the cache recorded), the others made from the issue."""

    def __init__(
        self,
        output: Path,
        previous: tuple[tuple[object, int], ...],
        renderer: Renderer,
        full: Callable[[IssueHead], Issue],
    ) -> None:
        self.output, self.renderer, self.full = output, renderer, full
        self.previous: dict[object, tuple[int, int]] = {}
        offset = len(papers_json_header())
        for source, length in previous:
            self.previous[source] = (offset, length)
            offset += length + 2  # ",\n"
        self.old: bytes | None = None
        self.names: str | None = None
        self.made: list[tuple[object, int]] = []

    def source(self, head: IssueHead) -> object:
        # Tag names are site-wide: when one changes, every fragment is made again (rare).
        if self.names is None:
            self.names = file_digest(repr(sorted(self.renderer.views.tag_names.items())).encode())
        return (head.path, head.digest, self.names, self.renderer.config.base_url)

    def get(self, head: IssueHead) -> bytes | memoryview:
        source = self.source(head)
        data: bytes | memoryview | None = None
        if source in self.previous:
            if self.old is None:
                try:
                    self.old = (self.output / "papers.json").read_bytes()
                except OSError:
                    self.old = b""
            start, length = self.previous[source]
            data = memoryview(self.old)[start : start + length]  # no copy of a 50 MB file per issue
            if len(data) != length:
                data = None
        if data is None:
            data = self.renderer.papers_json_fragment(self.full(head))
        self.made.append((source, len(data)))
        return data


def _with_fragments(job: Job, fragments: _Fragments, task: Task) -> list[tuple[PurePosixPath, bytes]]:
    fragments.made = []
    data = job.make()
    task.extra[:] = fragments.made
    return [(job.path, data)]


def write_site_from(files: dict[PurePosixPath, bytes], output: Path) -> None:
    from .render import Output

    write_site([Output(path, data, "") for path, data in files.items()], output)


def _template_inputs(names: tuple[str, ...] | None, inputs: dict[str, Stat], templates_dir: Path) -> tuple[object, ...]:
    if names is None:
        return tuple((k, v.digest) for k, v in inputs.items() if Path(k).is_relative_to(templates_dir))
    return tuple(
        (name, inputs[str(templates_dir / name)].digest if str(templates_dir / name) in inputs else "")
        for name in names
    )


def _digests(inputs: dict[str, Stat]) -> dict[str, str]:
    return {path: stat.digest for path, stat in inputs.items()}


def _warnings(site_warnings: tuple[object, ...], detail: Detail) -> tuple[Problem, ...]:
    found = {
        *site_warnings,
        *(w for entry in detail.jobs.values() for w in entry[1]),
        *(w for entry in detail.groups.values() for w in entry[2]),
    }
    return tuple(sorted(found, key=Problem.sort_key))  # type: ignore[arg-type]


def _unchanged(previous: CacheData, output: Path, started: float) -> BuildResult:
    return BuildResult(
        **previous.result,
        seconds=time.perf_counter() - started,
        output=output,  # type: ignore[arg-type]
        warnings=previous.warnings,
    )  # type: ignore[arg-type]


# --- rendering, serially or in worker processes ------------------------------------------------

_WORK: tuple[Renderer, list[Task]] | None = None
"""The tasks of the build in progress, inherited by forked workers (closures do not pickle)."""

Done = tuple[list[tuple[PurePosixPath, bytes]], tuple[Problem, ...], list[object]]


def render_tasks(renderer: Renderer, tasks: list[Task], processes: int | None = None) -> list[Done]:
    """Each task's files, the warnings raised while making them, and its extra findings, in order.
    Workers make contiguous chunks of the same task list, so the result is the same as a serial render."""
    global _WORK
    count = processes if processes is not None else (os.cpu_count() or 1)
    # fork copies the parent's memory (model, templates) for free; it is unsafe while other
    # threads run (a live-reload server), so then we render here.
    if (
        count < 2
        or sum(task.weight for task in tasks) < PARALLEL_MIN_JOBS
        or "fork" not in multiprocessing.get_all_start_methods()
        or threading.active_count() > 1
    ):
        return _render_range(renderer, tasks, 0, len(tasks))
    _WORK = (renderer, tasks)
    try:
        with multiprocessing.get_context("fork").Pool(count) as pool:
            chunks = pool.map(
                _render_chunk, [(start, min(start + _CHUNK, len(tasks))) for start in range(0, len(tasks), _CHUNK)]
            )
    finally:
        _WORK = None
    problems = [p for chunk in chunks if isinstance(chunk, DigestFailure) for p in chunk.problems]
    if problems:
        raise DigestError(problems)
    return [item for chunk in chunks for item in chunk]  # type: ignore[union-attr]


@dataclass(frozen=True)
class DigestFailure:
    problems: tuple[Problem, ...]


def _render_chunk(bounds: tuple[int, int]) -> list[Done] | DigestFailure:
    assert _WORK is not None
    try:
        return _render_range(*_WORK, *bounds)
    except DigestError as exc:
        return DigestFailure(tuple(exc.problems))


def _render_range(renderer: Renderer, tasks: list[Task], start: int, end: int) -> list[Done]:
    made: list[Done] = []
    for task in tasks[start:end]:
        before = len(renderer.warnings)
        files = task.make()
        made.append((files, tuple(renderer.warnings[before:]), list(task.extra)))
    return made
