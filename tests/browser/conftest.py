"""Fixtures for browser tests (see browsing.py): a served build of the repo's content and Playwright pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from browsing import SUBPATH, CHROMIUM_FLAGS, ServedSite, Watch, require_or_skip, chromium_path, free_port, serve
from digestgen.build import build
from digestgen.config import load_config
from helpers import REPO


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
def browser() -> Iterator[object]:
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




@pytest.fixture
def page(browser: object, served_site: ServedSite) -> Iterator[object]:
    """A fresh page (own storage) that records problems in ``page.watch``."""
    context = browser.new_context()  # type: ignore[attr-defined]
    pg = context.new_page()
    watch = Watch(served_site.origin)
    pg.on("console", lambda msg: watch.console_errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: watch.console_errors.append(str(exc)))
    pg.on("requestfailed", lambda req: watch.failed.append(req.url))
    pg.on("request", lambda req: None if req.url.startswith((served_site.origin, "data:", "about:"))
          else watch.foreign.append(req.url))
    pg.on("response", lambda res: watch.failed.append(f"{res.status} {res.url}") if res.status >= 400 else None)
    pg.watch = watch
    yield pg
    context.close()
