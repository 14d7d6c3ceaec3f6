"""The build: load everything, render everything, then write — in that order."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .config import SiteConfig
from .errors import Problem, display_path
from .load import load_content
from .render import Renderer, load_assets
from .search import run_pagefind
from .urls import Urls
from .write import check_output_dir, discard, publish, stage


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
    """Time Pagefind took, on its own (it is also part of ``seconds``)."""


def build(config: SiteConfig) -> BuildResult:
    """Build the site described by ``config``; raises DigestError, leaving the old site as it was.
    Drafts are validated like everything else, then left out unless ``config.drafts``."""
    started = time.perf_counter()
    check_output_dir(config.output_dir, config.root, [config.content_dir, config.templates_dir, config.static_dir])
    content = load_content(config.content_dir)
    left_out = () if config.drafts else tuple(issue.origin.path for issue in content.drafts)
    content = content if config.drafts else content.published()
    renderer = Renderer(config, load_assets(config.static_dir, Urls(config.base_url)))
    outputs = renderer.render(content)
    staging = stage(outputs, config.output_dir)
    try:
        search_started = time.perf_counter()
        # Pagefind reads the written HTML: its own step, timed alone. Without a single paper page it
        # would index every other page instead (and an empty site has nothing to find).
        search_pages = run_pagefind(staging, display_path(config.output_dir)) if content.papers else 0
        search_seconds = time.perf_counter() - search_started
    except BaseException:
        discard(staging)
        raise
    publish(staging, config.output_dir)
    return BuildResult(
        pages=sum(1 for o in outputs if o.path.suffix == ".html"),
        files=len(outputs),
        issues=len(content.issues),
        papers=len(content.papers),
        seconds=time.perf_counter() - started,
        output=config.output_dir,
        warnings=tuple(sorted(renderer.warnings, key=Problem.sort_key)),
        drafts_left_out=tuple(sorted(left_out)),
        search_pages=search_pages,
        search_seconds=search_seconds,
    )
