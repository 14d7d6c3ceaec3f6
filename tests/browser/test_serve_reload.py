"""`digestgen serve` in the browser: an open page reloads itself after an edit, and shows a broken
file's error over the page until it is fixed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from browsing import save_screenshot
from digestgen.serve import Server
from helpers import Project, issue_text, paper

if TYPE_CHECKING:  # playwright is imported when a browser test runs (it may be missing: the tests then skip)
    from playwright.sync_api import Browser, Page


def write(project: Project, title: str) -> None:
    project.write("2023-11-13.md", issue_text(papers=[paper(1, title={"ko": "논문", "en": title})]))


@pytest.fixture
def live(project: Project, browser: Browser) -> Iterator[tuple[Project, Server, Page]]:
    write(project, "Before the edit")
    server = Server(project.config, "127.0.0.1", 0)
    server.start()
    context = browser.new_context()
    page = context.new_page()
    foreign: list[str] = []
    page.on(
        "request",
        lambda req: None if req.url.startswith(f"http://127.0.0.1:{server.port}/") else foreign.append(req.url),
    )
    yield project, server, page
    context.close()
    server.stop()
    assert foreign == []


def test_open_page_reloads_after_an_edit(live: tuple[Project, Server, Page]) -> None:
    project, server, page = live
    page.goto(server.url + "en/issues/2023-11-13/")
    assert "Before the edit" in page.inner_text("main")
    page.evaluate("window.__notReloaded = true")
    write(project, "After the edit")
    page.wait_for_function("document.body.innerText.includes('After the edit')", timeout=15000)
    assert page.evaluate("window.__notReloaded === undefined")  # a real reload


def test_error_overlay_while_a_file_is_broken(live: tuple[Project, Server, Page]) -> None:
    project, server, page = live
    page.goto(server.url + "en/")
    project.write("2023-11-13.md", "---\nweek: 2023-11-13\npapers: [\n---\n<script>alert(1)</script>\n")
    overlay = page.locator("#digestgen-error")
    overlay.wait_for(state="visible", timeout=15000)
    assert "content/issues/2023-11-13.md:4:1: YAML syntax error" in overlay.inner_text()
    save_screenshot(page, "serve-error-overlay")
    write(project, "Fixed again")
    page.wait_for_function("document.body.innerText.includes('Fixed again')", timeout=15000)
    assert page.locator("#digestgen-error").count() == 0
