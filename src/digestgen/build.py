"""The build, as a pipeline of stages; ``_build`` reads them top to bottom:

    read the last build → load → plan → find what is stale → render → search index → write → keep state

Each stage is a function with typed input and output (frozen dataclasses), in the module named
after its job: load.py, plan.py, cache.py (fingerprints and staleness), workers.py (rendering),
search.py, write.py. Nothing goes live before every file is planned, checked and made (the search
index is made in the write stage's staging folder); a build that fails leaves the old site as it
was. See docs/architecture.md."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import jinja2

from .cache import (
    CacheData,
    Counts,
    Detail,
    FragmentSource,
    LastBuild,
    Session,
    Stale,
    code_digest,
    file_digest,
    find_stale,
    keep,
    load_issue,
    read_last_build,
    with_detail,
)
from .config import SiteConfig
from .errors import Problem, display_path
from .exports import PAPERS_JSON_HEADER, PAPERS_JSON_SEPARATOR, papers_json, papers_json_fragment
from .jobs import Group, Job
from .load import load_catalog, parse_issue
from .model import Catalog, Issue, IssueHead
from .plan import Plan, plan_site
from .progress import Progress, silent
from .search import IndexMade, IndexPlan, SearchState, make_index, plan_index
from .source import read_source
from .templates import MemoryBytecodeCache, file_bytecode_cache
from .urls import CARDS_DIR
from .workers import Made, Task, render_tasks
from .write import MARKER, changed_files, check_output_dir, marker_stamp, read_site_file, update_site, write_site


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
    """Pages in the search index (the Korean edition's issue and paper pages: search.INDEXED_LANG)."""
    search_seconds: float = 0.0
    """Time Pagefind took, on its own (it is also part of ``seconds``; 0 when no shard was due)."""
    rendered: int = 0
    """Files made this time (the rest were unchanged since the last build, per the cache)."""
    written: int = 0
    """Files whose bytes changed and were written (or all, when the site was written afresh)."""
    removed: int = 0
    """Files of the previous build that are no longer part of the site."""
    cards: int = 0
    """Social cards made this time (part of ``rendered``): only those whose text changed."""


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
    # them cost up to a third of a rebuild and free nothing. So it is off while loading and
    # planning, and what was made then is frozen out of its sight (rendering makes garbage it must
    # still collect).
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
    last = read_last_build(config, cache)
    if last.unchanged(search):
        return _unchanged(last, started)
    last = with_detail(last)
    loaded = load(config, last)
    progress("loaded", len(loaded.heads))
    plan = plan_site(config, loaded.catalog, loaded.full, _bytecode(last))
    stale = find_stale(plan.jobs, plan.groups, plan.renderer.template_closure, config, last)
    gc.freeze()  # what was loaded and planned lives as long as the build (see ``build``)
    if collecting:
        gc.enable()
    progress("rendering", sum(len(plan.group_paths[g.name]) for g in stale.groups) + len(stale.jobs))
    rendered = render(plan, stale, last, processes)
    progress("rendered", len(rendered.files))
    changed = changed_files(rendered.files, last.output) if last.intact else dict(rendered.files)
    index = search_index(plan, rendered.files, last, search)
    written = write(plan, {**changed, **index.changed}, index, last, config)
    if written.index.shards:
        progress("indexed", index.plan.state(written.index).page_count)
    made = len(changed) + len(index.changed) + len(written.index.files)
    progress("written", made)
    state = keep_state(last, loaded, plan, stale, rendered, index, written)
    keep(last, state, loaded.heads)
    return BuildResult(
        **vars(state.counts),
        seconds=time.perf_counter() - started,
        output=config.output_dir,
        warnings=state.warnings,
        search_seconds=written.index.seconds,
        rendered=len(rendered.files) + len(index.changed) + len(written.index.files),
        written=made,
        removed=written.removed,
        cards=sum(1 for path in rendered.files if path.startswith(CARDS_DIR)),
    )


def _unchanged(last: LastBuild, started: float) -> BuildResult:
    assert last.state.counts is not None  # a state that is complete has its counts
    return BuildResult(
        **vars(last.state.counts),
        seconds=time.perf_counter() - started,
        output=last.output,
        warnings=last.state.warnings,
    )


def _bytecode(last: LastBuild) -> jinja2.BytecodeCache | None:
    """Compiled templates kept between builds: in the session, or in the cache's folder."""
    if last.session is not None:
        if last.session.templates is None:
            last.session.templates = MemoryBytecodeCache()
        return last.session.templates
    return file_bytecode_cache(last.store / "templates") if last.keep else None


# --- load ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    """Every content file's head (drafts too), and what is built of them."""

    heads: Mapping[tuple[str, str], IssueHead]
    """Every content file's head by (shown path, digest of its bytes)."""
    catalog: Catalog
    """What is built: the published issues (drafts too, with ``--drafts``), newest first."""
    left_out: tuple[str, ...]
    """Files of drafts that are not built."""
    set_aside: tuple[Problem, ...]
    """Problems of drafts that are not built, as warnings: a draft never blocks publishing."""
    full: Callable[[IssueHead], Issue]
    """The whole issue of a head: parsed now, kept by the session or the cache, or parsed again."""


def load(config: SiteConfig, last: LastBuild) -> Loaded:
    """Read and check every content file; files the last build parsed, unchanged, are not read again."""
    parsed: dict[tuple[str, str], Issue] = {}
    digests = {path: stat.digest for path, stat in last.inputs.items()}
    set_aside: list[Problem] | None = None if config.drafts else []  # reported, never blocking the rest
    everything = load_catalog(config.content_dir, digests, last.detail.heads, parsed, set_aside)
    last.issues.update(parsed)
    drafts = {head.path for head in everything.issues if head.draft} | {p.path for p in set_aside or ()}
    left_out = () if config.drafts else tuple(sorted(drafts))
    catalog = everything if config.drafts else everything.published()
    heads = {(head.path, head.digest): head for head in everything.issues}

    def full(head: IssueHead) -> Issue:
        key = (head.path, head.digest)
        if key not in last.issues:
            kept = load_issue(last.store, key) if last.keep else None
            last.issues[key] = kept or parse_issue(read_source(Path(head.path)))
        return last.issues[key]

    return Loaded(heads, catalog, left_out, tuple(set_aside or ()), full)


# --- render --------------------------------------------------------------------------------------


Layout = tuple[tuple[FragmentSource, int], ...]
"""papers.json's fragments, in file order: what each was made from, and its length."""


@dataclass(frozen=True)
class Rendered:
    """The stale outputs, made; and the warnings raised while making each."""

    files: Mapping[str, bytes]
    """By path in the site."""
    job_warnings: Mapping[str, tuple[Problem, ...]]
    """Of each job made, by its path."""
    group_warnings: Mapping[str, tuple[Problem, ...]]
    """Of each group made, by its name."""
    fragments: Layout | None
    """papers.json's layout, when it was made."""


def render(plan: Plan, stale: Stale, last: LastBuild, processes: int | None) -> Rendered:
    """Make every stale output, here or in worker processes (see workers.py)."""
    papers_json_path = plan.renderer.urls.output_path(plan.renderer.urls.papers_json())
    tasks = [
        _papers_json_task(plan, job, last) if job.path == papers_json_path else _job_task(job) for job in stale.jobs
    ]
    tasks += [_group_task(plan, group) for group in stale.groups]
    done = render_tasks(plan.renderer.warnings, tasks, processes)
    files = {str(path): data for d in done for path, data in d.made.files}
    warnings = [(task, d.warnings) for task, d in zip(tasks, done, strict=True)]
    layouts = [d.made.extra for task, d in zip(tasks, done, strict=True) if task.name == str(papers_json_path)]
    return Rendered(
        files,
        {task.name: found for task, found in warnings if not task.group},
        {task.name: found for task, found in warnings if task.group},
        cast(Layout, layouts[0]) if layouts else None,  # what _papers_json_task puts in ``extra``
    )


def _job_task(job: Job) -> Task:
    return Task(str(job.path), lambda: Made(((job.path, job.make()),)), 1)


def _group_task(plan: Plan, group: Group) -> Task:
    def make() -> Made:
        jobs = plan.renderer.group_jobs(group, plan.full(group.head))
        return Made(tuple((job.path, job.make()) for job in jobs))

    return Task(group.name, make, len(plan.group_paths[group.name]), group=True)


def _papers_json_task(plan: Plan, job: Job, last: LastBuild) -> Task:
    """papers.json, made of one fragment per issue: those of unchanged issues are cut out of the
    last build's file (whose layout the cache recorded), the others made from the issue."""
    r = plan.renderer
    names = file_digest(repr(sorted(r.views.tag_names.items())).encode())  # when a tag's name changes: all again
    previous: dict[FragmentSource, tuple[int, int]] = {}
    offset = len(PAPERS_JSON_HEADER)
    for source, length in last.detail.fragments if last.intact else ():
        previous[source] = (offset, length)
        offset += length + len(PAPERS_JSON_SEPARATOR)

    def make() -> Made:
        old = memoryview(read_site_file(last.output, str(job.path)) if previous else b"")  # no copy per issue
        layout: list[tuple[FragmentSource, int]] = []

        def fragment(head: IssueHead) -> bytes | memoryview:
            source = (head.path, head.digest, names, r.config.base_url)
            start, length = previous.get(source, (0, -1))
            data: bytes | memoryview = old[start : start + length]
            if length < 0 or len(data) != length:  # not in the last build's file (or the file is not)
                data = papers_json_fragment(r, plan.full(head))
            layout.append((source, len(data)))
            return data

        made = papers_json(r, plan.catalog, fragment)
        return Made(((made.path, made.make()),), tuple(layout))

    return Task(str(job.path), make, 1)


# --- search index --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchIndex:
    """The search index's part of this build: planned here, made by the write stage in its staging
    folder (so a failing Pagefind leaves the old site as it was; docs/search.md)."""

    plan: IndexPlan
    """Its shards: those due to be made again, and those kept."""
    changed: Mapping[str, bytes]
    """The list of shards, when it differs from the site's: to write."""


def search_index(plan: Plan, files: Mapping[str, bytes], last: LastBuild, search: bool) -> SearchIndex:
    """Plan the index's shards from the indexed pages: a shard is made again only when one of its
    pages changed, or its set of pages did."""
    previous = last.detail.search if last.intact else SearchState()
    index = plan_index(plan.indexed(), files, previous, last.output, search)
    listed = dict([index.manifest]) if index.manifest is not None else {}
    return SearchIndex(index, changed_files(listed, last.output) if last.intact else listed)


# --- write ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    removed: int
    """Files of the last build that the site no longer has."""
    index: IndexMade
    """The search index's shards made in the staging folder."""


def write(plan: Plan, changed: Mapping[str, bytes], index: SearchIndex, last: LastBuild, config: SiteConfig) -> Written:
    """Write the files that changed, and make the search index's shards that are due among them,
    before anything goes live; remove the files the site no longer has."""
    made: list[IndexMade] = []  # what the step below made, once write_site or update_site runs it

    def index_step(staging: Path) -> tuple[str, ...]:
        made.append(make_index(index.plan, staging, last.output, display_path(config.output_dir)))
        return made[0].files

    if not last.intact:
        write_site(changed, last.output, index_step)
        return Written(0, made[0])
    detail = last.detail
    before = set(detail.jobs).union(*(paths for _, paths, _ in detail.groups.values()), detail.search.files())
    removed = sorted(before - plan.paths - index.plan.kept_files)
    update_site(changed, removed, last.output, index_step)
    return Written(len(removed), made[0])


# --- keep state ----------------------------------------------------------------------------------


def keep_state(
    last: LastBuild, loaded: Loaded, plan: Plan, stale: Stale, rendered: Rendered, index: SearchIndex, written: Written
) -> CacheData:
    """What this build leaves for the next: every output's fingerprint, the warnings raised while
    making it (kept, so a rebuild that skips it tells them again), and the counts."""
    old = last.detail
    search = index.plan.state(written.index)
    detail = Detail(heads=dict(loaded.heads), search=search, closures=stale.closures)
    for path, fingerprint in stale.job_prints.items():
        detail.jobs[path] = (fingerprint, rendered.job_warnings.get(path, old.jobs.get(path, (b"", ()))[1]))
    for group in plan.groups:
        kept = rendered.group_warnings.get(group.name, old.groups.get(group.name, (b"", (), ()))[2])
        detail.groups[group.name] = (stale.group_prints[group.name], plan.group_paths[group.name], kept)
    detail.fragments = rendered.fragments if rendered.fragments is not None else old.fragments if last.intact else ()
    found = {
        *plan.warnings,
        *loaded.set_aside,
        *(w for _, warnings in detail.jobs.values() for w in warnings),
        *(w for _, _, warnings in detail.groups.values() for w in warnings),
    }
    counts = Counts(
        pages=plan.page_count,
        files=len(plan.paths | index.plan.kept_files) + len(written.index.files),
        issues=len(plan.catalog.issues),
        papers=sum(len(head.papers) for head in plan.catalog.issues),
        drafts_left_out=loaded.left_out,
        search_pages=search.page_count,
    )
    return CacheData(
        code=code_digest(),
        inputs=last.inputs,
        settings=last.settings,
        marker=marker_stamp(last.output / MARKER),
        search_behind=index.plan.behind(written.index),
        counts=counts,
        warnings=tuple(sorted(found, key=Problem.sort_key)),
        detail=detail,
    )
