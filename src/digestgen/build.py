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
from dataclasses import dataclass
from pathlib import Path

from .cache import LastBuild, Session, find_stale, keep, put_off, read_last_build, with_detail
from .config import SiteConfig
from .errors import Problem
from .progress import Progress, silent
from .write import check_output_dir


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
    leaves the search index as it was, and in a site already written the files for programs
    (feeds, sitemap, papers.json): ``serve`` shows the new pages first, then makes the rest with
    a second build (the cache remembers that it is behind). ``progress`` is told as
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
    # Only now the stages' modules: rendering's libraries take longer to import than a build that
    # finds nothing changed takes in all (docs/performance.md).
    from .stages import keep_state, load, plan, render, search_index, write
    from .urls import CARDS_DIR

    last = with_detail(last)
    loaded = load(config, last)
    progress("loaded", len(loaded.heads))
    planned = plan(config, loaded, last)
    stale = find_stale(planned.jobs, planned.groups, planned.renderer.template_closure, config, last)
    if not search:
        stale = put_off(stale, last)
    gc.freeze()  # what was loaded and planned lives as long as the build (see ``build``)
    if collecting:
        gc.enable()
    progress("rendering", sum(len(planned.group_paths[g.name]) for g in stale.groups) + len(stale.jobs))
    rendered = render(planned, stale, last, processes)
    progress("rendered", len(rendered.files))
    index = search_index(planned, rendered.files, last, search)
    written = write(planned, rendered.files, index, last, config)
    if written.index.shards:
        progress("indexed", index.plan.state(written.index).page_count)
    made = written.changed + len(written.index.files)
    progress("written", made)
    state = keep_state(last, loaded, planned, stale, rendered, index, written)
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
