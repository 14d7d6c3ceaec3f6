"""The build's stages after the first (cache.read_last_build), each a function with typed input
and output, in the order build._build calls them: load → plan → find what is stale → render →
search index → write → keep state. The stages' own work lives in the modules named after it
(load.py, plan.py, cache.py, workers.py, search.py, write.py); here they are tied together.

build.py imports this module only when something changed: it brings Jinja, Markdown and the
renderer, which cost a build that finds nothing to do several times its own time."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import cast

import jinja2

from .cache import (
    CacheData,
    Counts,
    Detail,
    Digester,
    FragmentSource,
    LastBuild,
    Stale,
    code_digest,
    file_digest,
    load_issue,
)
from .config import SiteConfig
from .errors import Problem, display_path
from .exports import (
    FEED_ISSUES,
    FEED_TEMPLATES,
    PAPERS_JSON_HEADER,
    PAPERS_JSON_SEPARATOR,
    feed_item,
    feeds,
    papers_json,
    papers_json_fragment,
)
from .feeds import FeedItem
from .jobs import Group, Job
from .load import load_catalog, parse_issue
from .model import LANGS, Catalog, Issue, IssueHead, Lang
from .plan import Plan, plan_site
from .search import IndexMade, IndexPlan, SearchState, make_index, plan_index
from .source import read_source
from .templates import MemoryBytecodeCache, file_bytecode_cache
from .workers import Made, Task, render_tasks
from .write import MARKER, changed_files, marker_stamp, read_site_file, update_site, write_site

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


# --- plan ----------------------------------------------------------------------------------------


def plan(config: SiteConfig, loaded: Loaded, last: LastBuild) -> Plan:
    """Every output of the site, decided and checked (plan.py), with the compiled templates kept
    between builds."""
    return plan_site(config, loaded.catalog, loaded.full, _bytecode(last))


def _bytecode(last: LastBuild) -> jinja2.BytecodeCache | None:
    """Compiled templates kept between builds: in the session, or in the cache's folder."""
    if last.session is not None:
        if last.session.templates is None:
            last.session.templates = MemoryBytecodeCache()
        return last.session.templates
    return file_bytecode_cache(last.store / "templates") if last.keep else None


# --- render --------------------------------------------------------------------------------------


Layout = tuple[tuple[FragmentSource, int], ...]
"""papers.json's fragments, in file order: what each was made from, and its length."""
FeedItems = dict[bytes, tuple[FeedItem, tuple[Problem, ...]]]
"""Feed items by fingerprint (``feed_item_prints``), each with the warnings raised while making it."""


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
    feed_items: FeedItems | None
    """The items of the feeds, when they were made."""


def render(plan: Plan, stale: Stale, last: LastBuild, processes: int | None) -> Rendered:
    """Make every stale output, here or in worker processes (see workers.py)."""
    papers_json_path = plan.renderer.urls.output_path(plan.renderer.urls.papers_json())
    feeds_due = any(job.owner == "feeds" for job in stale.jobs)  # else their items are not looked at
    item_prints = feed_item_prints(plan, stale) if feeds_due else {}
    previous = last.detail.feed_items if last.intact else {}
    feed_tasks = _feed_tasks(plan, item_prints, previous) if feeds_due else {}
    tasks = [
        _papers_json_task(plan, job, last)
        if job.path == papers_json_path
        else feed_tasks.get(str(job.path)) or _job_task(job)
        for job in stale.jobs
    ]
    tasks += [_group_task(plan, group) for group in stale.groups]
    done = render_tasks(plan.renderer.warnings, tasks, processes)
    files = {str(path): data for d in done for path, data in d.made.files}
    warnings = [(task, d.warnings) for task, d in zip(tasks, done, strict=True)]
    extras = {task.name: d.made.extra for task, d in zip(tasks, done, strict=True)}
    layout = extras.get(str(papers_json_path))
    made_items = [cast(FeedItems, extras[name][0]) for name in feed_tasks if name in extras]  # see _feed_tasks
    return Rendered(
        files,
        {task.name: found for task, found in warnings if not task.group},
        {task.name: found for task, found in warnings if task.group},
        cast(Layout, layout) if layout is not None else None,  # what _papers_json_task puts in ``extra``
        _kept_feed_items(item_prints, previous, made_items) if made_items else None,
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


def feed_item_prints(plan: Plan, stale: Stale) -> dict[tuple[Lang, int], bytes]:
    """Of each feed item (the catalog's i-th issue in one edition), the fingerprint of what it is
    made from: the issue's file, the site-wide names of its tags, the edition, the feeds' templates
    and the site-wide inputs (code, settings, UI strings)."""
    digest = Digester()
    common = digest(stale.site, stale.templates[FEED_TEMPLATES])
    prints = {}
    for i, head in enumerate(plan.catalog.issues[:FEED_ISSUES]):
        issue = digest(common, head.path, head.digest, plan.renderer.tag_names(head))
        prints.update({(lang, i): digest(issue, lang) for lang in LANGS})
    return prints


def _feed_tasks(plan: Plan, prints: Mapping[tuple[Lang, int], bytes], previous: FeedItems) -> dict[str, Task]:
    """Each feed's task, by its path. An item whose fingerprint the last build saw is taken from it,
    not made; the feeds made in one process share the items made there, and each feed's task hands
    them back (in ``extra``) for the next build."""
    r = plan.renderer
    made: FeedItems = {}

    def item(lang: Lang, i: int) -> FeedItem:
        key = prints[(lang, i)]
        if key in previous:
            kept, warnings = previous[key]
            for warning in warnings:  # told again: the feed that shows it is made again
                r.warn(warning)
            return kept
        if key not in made:
            before = len(r.warnings)
            made[key] = (feed_item(r, plan.catalog, plan.full, lang, i), tuple(r.warnings[before:]))
        return made[key][0]

    return {
        str(job.path): Task(str(job.path), partial(_make_feed, job, made), 1) for job in feeds(r, plan.catalog, item)
    }


def _make_feed(job: Job, made: FeedItems) -> Made:
    return Made(((job.path, job.make()),), (made,))


def _kept_feed_items(prints: Mapping[tuple[Lang, int], bytes], previous: FeedItems, made: list[FeedItems]) -> FeedItems:
    """The items the feeds show now, for the next build: an issue no longer in them drops out."""
    found = dict(previous)
    for items in made:
        found.update(items)
    return {key: found[key] for key in prints.values() if key in found}


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
    changed: int
    """Files whose bytes differ from the site's (or all, when the site was written afresh), written."""
    removed: int
    """Files of the last build that the site no longer has."""
    index: IndexMade
    """The search index's shards made in the staging folder."""


def write(plan: Plan, files: Mapping[str, bytes], index: SearchIndex, last: LastBuild, config: SiteConfig) -> Written:
    """Write the files whose bytes changed, and make the search index's shards that are due among
    them, before anything goes live; remove the files the site no longer has."""
    changed = {**(changed_files(files, last.output) if last.intact else files), **index.changed}
    made: list[IndexMade] = []  # what the step below made, once write_site or update_site runs it

    def index_step(staging: Path) -> tuple[str, ...]:
        made.append(make_index(index.plan, staging, last.output, display_path(config.output_dir)))
        return made[0].files

    if not last.intact:
        write_site(changed, last.output, index_step)
        return Written(len(changed), 0, made[0])
    detail = last.detail
    before = set(detail.jobs).union(*(paths for _, paths, _ in detail.groups.values()), detail.search.files())
    removed = sorted(before - plan.paths - index.plan.kept_files)
    update_site(changed, removed, last.output, index_step)
    return Written(len(changed), len(removed), made[0])


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
    detail.feed_items = (
        rendered.feed_items if rendered.feed_items is not None else old.feed_items if last.intact else {}
    )
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
        behind=index.plan.behind(written.index) or bool(stale.later),
        counts=counts,
        warnings=tuple(sorted(found, key=Problem.sort_key)),
        detail=detail,
    )
