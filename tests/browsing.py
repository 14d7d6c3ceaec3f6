"""Helpers for browser tests: the built site served over HTTP on localhost, driven by Playwright in Debian's Chromium.

Playwright cannot download its own browser here, so it launches /usr/bin/chromium (or $CHROMIUM).
Without Chromium these tests skip with the reason, unless DIGESTGEN_REQUIRE_BROWSER=1 (set by CI),
which turns the skip into a failure.
"""

from __future__ import annotations

import functools
import os
import shutil
import socket
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

from digestgen.build import build
from helpers import REPO, Project

if TYPE_CHECKING:  # playwright is imported when a browser test runs (it may be missing: the tests then skip)
    from playwright.sync_api import Page, Request

SUBPATH = "/digest/"
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
ARTIFACTS = REPO / "test-artifacts"


def chromium_path() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def require_or_skip(reason: str) -> NoReturn:
    if os.environ.get("DIGESTGEN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests are required here but {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _SubpathHandler(SimpleHTTPRequestHandler):
    """Serves the output folder under SUBPATH, as a static host would; 404 elsewhere."""

    def translate_path(self, path: str) -> str:
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if not clean.startswith(SUBPATH):
            return str(Path(self.directory) / "__outside__")
        return super().translate_path("/" + clean[len(SUBPATH) :])

    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class ServedSite:
    root: Path
    """The built output folder."""
    origin: str
    """``http://127.0.0.1:PORT``"""

    def url(self, path: str = "") -> str:
        """'ko/issues/2023-11-13/' → full URL under the subpath."""
        return self.origin + SUBPATH + path


class _LoggingHandler(_SubpathHandler):
    log: list[str]

    def send_head(self):  # type: ignore[no-untyped-def]  # SimpleHTTPRequestHandler.send_head is untyped in typeshed too
        self.log.append(self.path.split("?", 1)[0])
        return super().send_head()


def serve(folder: Path, port: int, log: list[str] | None = None) -> ThreadingHTTPServer:
    """Serve ``folder`` under SUBPATH on ``port``; with ``log``, append each requested path to it
    as the server saw it (the fetches of Pagefind's web worker included)."""
    kind = _SubpathHandler if log is None else type("Logging", (_LoggingHandler,), {"log": log})
    handler = functools.partial(kind, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextmanager
def served_project(project: Project, log: list[str] | None = None) -> Iterator[ServedSite]:
    """``project`` built for a localhost origin under SUBPATH, and served while the block runs
    (with ``log``, as ``serve`` keeps it)."""
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    build(project.config().override(base_url=origin + SUBPATH))
    server = serve(project.output, port, log)
    try:
        yield ServedSite(project.output, origin)
    finally:
        server.shutdown()


@dataclass
class Watch:
    """What a page did: console errors, failed requests and requests to other hosts."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def clean(self) -> bool:
        return not (self.console_errors or self.failed or self.foreign)


_WATCHES: weakref.WeakKeyDictionary[Page, Watch] = weakref.WeakKeyDictionary()


def watch(pg: Page, origin: str) -> Watch:
    """Record what ``pg`` does from now on; ``watch_of(pg)`` reads it."""
    found = _WATCHES[pg] = Watch(origin)
    pg.on("console", lambda msg: found.console_errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: found.console_errors.append(str(exc)))
    pg.on("requestfailed", lambda req: None if _cut_short(req) else found.failed.append(req.url))
    pg.on(
        "request",
        lambda req: None if req.url.startswith((origin, "data:", "about:")) else found.foreign.append(req.url),
    )
    pg.on("response", lambda res: found.failed.append(f"{res.status} {res.url}") if res.status >= 400 else None)
    return found


def _cut_short(req: Request) -> bool:
    """Fetches Chromium aborts because the page navigated on, which are not the page's failure:
    the favicon, fetched on its own after the load event (a test that clicks then opens another
    page), and a document the page leaves while it still loads (the landing page sends the reader
    to an edition from a script in its head; on a loaded machine its last bytes may not be in).
    A missing file still shows as a 404 response."""
    if req.failure != "net::ERR_ABORTED":
        return False
    return req.is_navigation_request() or req.url.split("?", 1)[0].endswith("/favicon.svg")


def watch_of(pg: Page) -> Watch:
    return _WATCHES[pg]


def save_screenshot(pg: Page, name: str) -> Path:
    """Screenshots are test artifacts, kept in test-artifacts/ for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path
