"""Fixtures for browser tests (see browsing.py): a served build of the repo's content and Playwright pages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from browsing import (
    CHROMIUM_FLAGS,
    SUBPATH,
    ServedSite,
    chromium_path,
    free_port,
    require_or_skip,
    serve,
    served_project,
    watch,
)
from digestgen.build import build
from digestgen.config import load_config
from helpers import REPO, Project, add_sample_issues

if TYPE_CHECKING:  # playwright is imported when a browser test runs (it may be missing: the tests then skip)
    from playwright.sync_api import Browser, BrowserContext, Page


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The repository's own content, built with a localhost base URL under a subpath, and served."""
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    out = tmp_path_factory.mktemp("browser") / "_site"
    build(load_config(REPO / "site.yaml").override(output_dir=out, base_url=origin + SUBPATH))
    server = serve(out, port)
    yield ServedSite(out, origin)
    server.shutdown()


@pytest.fixture(scope="session")
def served_sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """A small made-up site with what the real content lacks (see helpers.add_sample_issues)."""
    project = Project(tmp_path_factory.mktemp("sample"))
    add_sample_issues(project)
    with served_project(project) as site:
        yield site


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    if executable is None:
        require_or_skip("no Chromium found (apt-get install chromium, or set CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_or_skip("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def watched_page(browser: Browser, origin: str, **context_options: Any) -> tuple[BrowserContext, Page]:
    """A page in a fresh context (own storage) that records problems (``watch_of(page)``)."""
    context = browser.new_context(**context_options)
    pg = context.new_page()
    watch(pg, origin)
    return context, pg


@pytest.fixture
def page(browser: Browser, served_site: ServedSite) -> Iterator[Page]:
    """A fresh page (own storage) that records problems in ``watch_of(page)``."""
    context, pg = watched_page(browser, served_site.origin)
    yield pg
    context.close()


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Opens watched pages with context options (viewport, color_scheme, javascript_enabled…)."""
    contexts = []

    def open_(site: ServedSite, **options: Any) -> Page:
        context, pg = watched_page(browser, site.origin, **options)
        contexts.append(context)
        return pg

    yield open_
    for context in contexts:
        context.close()
