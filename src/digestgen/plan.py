"""Plan stage: every file of the site, decided before anything is rendered or written — its path
(from urls.py), what it is made from and how to make it — and checked: two outputs on one path, an
output where another needs a folder, or a paper id that is also one of the page's own HTML ids,
is an error naming the content file and line."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import partial

import jinja2

from .config import SiteConfig
from .errors import DigestError, Problem, Where
from .exports import exports, feed_item, papers_json_fragment
from .jobs import Group, Job, Output
from .model import LANGS, Catalog, Content, Issue, IssueHead, PaperHead
from .render import Renderer, load_assets
from .search import INDEX_DIR, INDEXED_LANG
from .tags import Tag, tag_slug
from .templates import PageId, page_ids
from .urls import CARDS_DIR, Urls, check_unique_paths, paths_clash


@dataclass(frozen=True)
class Plan:
    """Every file of the site, planned: what the stale, render and write stages work from."""

    renderer: Renderer
    catalog: Catalog
    """The issues that are published (drafts too, with ``--drafts``)."""
    tags: tuple[Tag, ...]
    jobs: tuple[Job, ...]
    """Every file but the issues' own pages: static files, lists, tag pages, exports."""
    groups: tuple[Group, ...]
    """The issues' own pages, rendered or skipped an issue (and a template) at a time."""
    group_paths: Mapping[str, tuple[str, ...]]
    """The files of each group, by its name."""
    full: Callable[[IssueHead], Issue]
    """The whole issue of a head."""
    warnings: tuple[Problem, ...]
    """About the content as a whole (tags spelled nearly alike), found while planning."""
    paths: frozenset[str]
    """Every file the plan makes (the search index's are known once it is made)."""

    @property
    def page_count(self) -> int:
        return sum(1 for job in self.jobs if job.path.suffix == ".html") + sum(map(len, self.group_paths.values()))

    def indexed(self) -> dict[str, date]:
        """The pages the search index is made from (an issue's page, for its introduction, and its
        papers' pages, in the indexed edition), each with its week."""
        prefix = f"{INDEXED_LANG}/"
        return {
            path: group.head.week
            for group in self.groups
            for path in self.group_paths[group.name]
            if path.startswith(prefix)
        }


def plan_site(
    config: SiteConfig,
    catalog: Catalog,
    full: Callable[[IssueHead], Issue],
    bytecode: jinja2.BytecodeCache | None = None,
) -> Plan:
    """Plan every file of ``catalog``'s site; raise DigestError if two of them clash."""
    renderer = Renderer(config, load_assets(config.static_dir, Urls(config.base_url)), bytecode)
    tags = renderer.prepare(catalog)
    warnings = tuple(renderer.warnings)

    def fragment(head: IssueHead) -> bytes:
        return papers_json_fragment(renderer, full(head))

    jobs = (
        *renderer.site_jobs(catalog, tags),
        *exports(renderer, catalog, tags, partial(feed_item, renderer, catalog, full), fragment),
        *renderer.cards.jobs(catalog),
    )
    groups = tuple(renderer.groups(catalog))
    group_paths = {group.name: tuple(renderer.group_paths(group)) for group in groups}
    paths = [str(job.path) for job in jobs]
    for group in groups:
        paths += group_paths[group.name]
    plan = Plan(renderer, catalog, tags, jobs, groups, group_paths, full, warnings, frozenset(paths))
    problems = page_id_problems(catalog, page_ids(config.templates_dir))
    # Every output path once, none where another needs a folder; the search index's folder too
    # (its files are known only once Pagefind has run).
    if paths_clash([*paths, INDEX_DIR]):
        try:
            check_unique_paths([*_owners(plan), (INDEX_DIR, Where("the search index"))])
        except DigestError as exc:
            problems += exc.problems
    if problems:
        raise DigestError(problems)  # all of them at once
    return plan


def _owners(plan: Plan) -> list[tuple[str, Where | str]]:
    """Each planned path and what decided it: a job's owner, a paper's id, an issue's week."""
    found: list[tuple[str, Where | str]] = [(str(job.path), job.at or job.owner) for job in plan.jobs]
    for group in plan.groups:
        head = group.head
        if group.part == "issue":
            where = Where(head.path, head.week_line, "week", f"issue {head.key!r}")
            found += [(path, where) for path in plan.group_paths[group.name]]
            continue
        sources = [_paper_source(paper) for _ in LANGS for paper in head.papers]  # group_paths' order
        found += list(zip(plan.group_paths[group.name], sources, strict=True))
    return found


def _paper_source(paper: PaperHead) -> Where:
    return Where(paper.path, paper.id_line, f"{paper.field}.id", f"paper {paper.id!r}", "choose another id")


def page_id_problems(catalog: Catalog, ids: tuple[PageId, ...]) -> list[Problem]:
    """A paper's id is the HTML id of its entry on its issue's page (its URL's ``#fragment``): one
    that is also an id the templates give the page (``main``, ``toc-heading``, or another paper's
    ``<id>-title``) would make links land in the wrong place. Refused rather than renamed: anchors
    are part of published URLs."""
    fixed: dict[str, str] = {}
    for page_id in ids:
        if not page_id.holes:
            fixed.setdefault("".join(page_id.parts), page_id.where)  # the first template that has it
    # Ids with one hole, as (prefix, suffix, what fills the hole, where): a rebuild checks every
    # paper, so each is matched by its ends rather than by filling it in for every paper.
    own = ("", "")  # the paper's own id: id="{{ paper.id }}"
    holed = [
        (*i.parts, i.holes[0], i.where) for i in ids if len(i.holes) == 1 and (i.parts, i.holes) != (own, ("paper.id",))
    ]
    problems = []
    for head in catalog.issues:
        papers = {paper.id for paper in head.papers}
        for paper in head.papers:
            pid = paper.id
            where = fixed.get(pid)
            for prefix, suffix, hole, at in holed:
                if where is None and pid.startswith(prefix) and pid.endswith(suffix):
                    middle = pid[len(prefix) : len(pid) - len(suffix)]
                    if middle and (middle == head.key if hole == "issue.key" else middle in papers):
                        where = at
            if where is not None:
                problems.append(_paper_source(paper).problem(f"{pid!r} is also an HTML id the page has ({where})"))
    return problems


@dataclass(frozen=True)
class Site:
    """Every file of a site, made in memory, and the warnings raised while planning and making them."""

    files: tuple[Output, ...]
    warnings: tuple[Problem, ...]


def render_site(config: SiteConfig, content: Content, *, cards: bool = True) -> Site:
    """Every file of ``content``'s site, made in memory (nothing written): what ``check`` renders.
    ``cards=False`` plans the social cards (their paths, their font's warning) but draws none:
    a picture holds nothing to check, and drawing them was a tenth of ``check``'s time."""
    catalog = content.catalog(tag_slug)
    issues = {head.key: issue for head, issue in zip(catalog.issues, content.issues, strict=True)}
    plan = plan_site(config, catalog, lambda head: issues[head.key])
    jobs = [job for job in plan.jobs if cards or not str(job.path).startswith(CARDS_DIR)]
    for group in plan.groups:
        jobs += plan.renderer.group_jobs(group, issues[group.head.key])
    files = tuple(Output(job.path, job.make(), job.owner) for job in jobs)
    return Site(files, tuple(plan.renderer.warnings))
