"""`digestgen serve` in the browser: an open page reloads itself after an edit, and shows a broken
file's error over the page until it is fixed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from browsing import save_screenshot
from digestgen.serve import Server
from helpers import Project, issue_text, paper


def write(project: Project, title: str) -> None:
    project.write("2023-11-13.md", issue_text(papers=[paper(1, title={"ko": "논문", "en": title})]))


@pytest.fixture
def live(project: Project, browser: object) -> Iterator[tuple[Project, Server, object]]:
    write(project, "Before the edit")
    server = Server(project.config, "127.0.0.1", 0)
    server.start()
    context = browser.new_context()  # type: ignore[attr-defined]
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


def test_open_page_reloads_after_an_edit(live: tuple[Project, Server, object]) -> None:
    project, server, page = live
    page.goto(server.url + "en/issues/2023-11-13/")  # type: ignore[attr-defined]
    assert "Before the edit" in page.inner_text("main")  # type: ignore[attr-defined]
    page.evaluate("window.__notReloaded = true")  # type: ignore[attr-defined]
    write(project, "After the edit")
    page.wait_for_function("document.body.innerText.includes('After the edit')", timeout=15000)  # type: ignore[attr-defined]
    assert page.evaluate("window.__notReloaded === undefined")  # type: ignore[attr-defined]  # a real reload


def test_error_overlay_while_a_file_is_broken(live: tuple[Project, Server, object]) -> None:
    project, server, page = live
    page.goto(server.url + "en/")  # type: ignore[attr-defined]
    project.write("2023-11-13.md", "---\nweek: 2023-11-13\npapers: [\n---\n<script>alert(1)</script>\n")
    overlay = page.locator("#digestgen-error")  # type: ignore[attr-defined]
    overlay.wait_for(state="visible", timeout=15000)
    assert "content/issues/2023-11-13.md:4:1: YAML syntax error" in overlay.inner_text()
    save_screenshot(page, "serve-error-overlay")
    write(project, "Fixed again")
    page.wait_for_function("document.body.innerText.includes('Fixed again')", timeout=15000)  # type: ignore[attr-defined]
    assert page.locator("#digestgen-error").count() == 0  # type: ignore[attr-defined]
