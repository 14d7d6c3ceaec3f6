"""What the first search costs a reader on a long archive: bytes downloaded and time to the
first result, unthrottled and on Slow 4G, in Chromium.

Runs on a site built from the benchmark corpus, given by an environment variable (it takes minutes
to build, so it is not part of the ordinary run):

    python benchmarks/corpus.py --weeks 1040 --out /tmp/c1040
    (cd /tmp/c1040/digestgen && digestgen build --output /tmp/o1040)
    DIGESTGEN_SEARCH_SITE=/tmp/o1040 pytest tests/browser/test_search_payload.py -s

Slow 4G is Chrome DevTools' preset (562.5 ms latency, 180 kB/s down), applied by the test server
to every response on one shared link. Not by CDP network emulation: Pagefind fetches its index
from a web worker, Playwright opens CDP sessions on pages and frames only, and the page's emulation
does not reach a worker's fetches; emulating on the page as well would throttle the page's own
requests twice.
Sizes are counted as a static host sends them: gzip for text files (JavaScript, JSON), as they
are for Pagefind's own files (already gzip-compressed)."""

from __future__ import annotations

import functools
import gzip
import os
import threading
import time
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from browsing import SUBPATH, ServedSite, _SubpathHandler, free_port

SITE = os.environ.get("DIGESTGEN_SEARCH_SITE")
pytestmark = pytest.mark.skipif(not SITE, reason="set DIGESTGEN_SEARCH_SITE to a built benchmark corpus")

LATENCY = 0.5625
BANDWIDTH = 1.6e6 / 8 * 0.9
QUERIES = ["모델", "검색 증강", "언어모델을"]
"""A two-syllable word, two words, a compound with a particle (asked for as four pieces)."""


class Link:
    """One shared slow link: each response waits for the latency, then for its turn on the line."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.free_at = 0.0
        self.throttled = False

    def wait(self, size: int) -> None:
        if not self.throttled:
            return
        with self.lock:
            start = max(time.monotonic() + LATENCY, self.free_at)
            self.free_at = start + size / BANDWIDTH
            deadline = self.free_at
        # The emulated link itself: a response leaves when the line would have carried it (not a test wait).
        time.sleep(max(0.0, deadline - time.monotonic()))


class Recorder(_SubpathHandler):
    link: Link
    log: list[str]

    def send_head(self):  # type: ignore[no-untyped-def]  # SimpleHTTPRequestHandler.send_head is untyped in typeshed too
        self.log.append(self.path.split("?", 1)[0])
        path = Path(self.translate_path(self.path))
        if path.is_file():
            self.link.wait(wire_size(path))
        return super().send_head()


def wire_size(path: Path) -> int:
    data = path.read_bytes()
    return len(gzip.compress(data, 6)) if path.suffix in (".js", ".json", ".html", ".css") else len(data)


@pytest.fixture(scope="module")
def corpus_site() -> Iterator[tuple[ServedSite, Link, list[str]]]:
    assert SITE
    port, link, log = free_port(), Link(), list[str]()
    handler = functools.partial(type("H", (Recorder,), {"link": link, "log": log}), directory=SITE)
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield ServedSite(Path(SITE), f"http://127.0.0.1:{port}"), link, log
    server.shutdown()


def first_search(browser: Browser, site: ServedSite, log: list[str], query: str) -> tuple[float, int]:
    """Seconds from typing ``query`` on the Korean home page to its first result, and the bytes
    of the index the search downloaded (gzip as sent), in a fresh context (empty cache)."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(site.url("ko/"))
    page.wait_for_function("() => window.digestgenSearch")
    log.clear()
    started = time.perf_counter()
    page.get_by_role("searchbox").fill(query)
    page.wait_for_selector(".search-results li", timeout=300_000)
    seconds = time.perf_counter() - started
    fetched = sorted({p for p in log if p.startswith(SUBPATH + "pagefind/")})
    size = sum(wire_size(site.root / p[len(SUBPATH) :]) for p in fetched)
    context.close()
    return seconds, size


@pytest.mark.parametrize("query", QUERIES)
def test_first_korean_query_downloads_little_and_answers_fast(
    browser: Browser, corpus_site: tuple[ServedSite, Link, list[str]], query: str
) -> None:
    site, link, log = corpus_site
    link.throttled = False
    fast, size = first_search(browser, site, log, query)
    link.throttled = True
    try:
        slow, _ = first_search(browser, site, log, query)
    finally:
        link.throttled = False
    print(f"\n{query}: {size / 1000:.0f} kB (gzip), first result {fast:.2f} s unthrottled, {slow:.2f} s on Slow 4G")
    assert size <= 300_000
    assert fast <= 1.0
    assert slow <= 10.0
