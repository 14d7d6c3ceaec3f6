"""Search recall: plain Pagefind against digestgen's Korean-aware search, on the seed week plus
the made-up papers of tests/fixtures/search, for every query of tests/fixtures/search/queries.yaml,
in both editions, in the real browser.

    python tests/search_recall.py        # prints the Markdown table kept in the README

*Plain* is the same site indexed by Pagefind without the hidden Korean word parts, queried with
the text as typed; *digestgen* is the site as built, queried through the search box's own code
(``window.digestgenSearch.run``: Korean particles cut off). A query's recall is the share of its
expected papers found (any number of results); the table gives the mean per edition and language,
and the mean number of papers a query returns (of 14), as a hint of what broader matching costs.
"""

from __future__ import annotations

import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from browsing import CHROMIUM_FLAGS, SUBPATH, chromium_path, free_port, serve
from digestgen.build import build
from digestgen.config import load_config
from digestgen.search import run_pagefind
from helpers import FIXTURES, REPO

if TYPE_CHECKING:  # playwright is imported when a browser test runs (it may be missing: the tests then skip)
    from playwright.sync_api import Browser, Page

SEARCH = FIXTURES / "search"
TERMS = re.compile(r'<div class="search-terms"[^>]*data-search-terms[^>]*>.*?</div>\n?', re.S)


@dataclass(frozen=True)
class Query:
    text: str
    expect: tuple[str, ...]

    @property
    def lang(self) -> str:
        return "ko" if re.search(r"[\uac00-\ud7a3]", self.text) else "en"


def load_queries() -> list[Query]:
    data = yaml.safe_load((SEARCH / "queries.yaml").read_text(encoding="utf-8"))
    return [Query(str(item["query"]), tuple(item["expect"])) for item in data]


def build_sites(work: Path, origin: str) -> tuple[Path, Path]:
    """The site as built, and a copy indexed by plain Pagefind (no hidden Korean word parts)."""
    content = work / "content"
    shutil.copytree(REPO / "content", content)
    shutil.copytree(SEARCH / "issues", content / "issues", dirs_exist_ok=True)
    ours = work / "ours"
    build(load_config(REPO / "site.yaml").override(content_dir=content, output_dir=ours, base_url=origin + SUBPATH))
    plain = work / "plain"
    shutil.copytree(ours, plain, ignore=shutil.ignore_patterns("pagefind"))
    for page in plain.rglob("index.html"):
        page.write_text(TERMS.sub("", page.read_text(encoding="utf-8")), encoding="utf-8")
    run_pagefind(plain)
    return ours, plain


PLAIN_JS = """async (q) => {
  const pf = await import(document.querySelector('form.site-search').dataset.bundle + 'pagefind.js');
  await pf.options({baseUrl: document.querySelector('form.site-search').dataset.base});
  const found = await pf.search(q);
  return Promise.all(found.results.map(async r => (await r.data()).url));
}"""
OURS_JS = "async (q) => (await window.digestgenSearch.run(q, 1000)).results.map(r => r.url)"


def paper_id(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def found_ids(page: Page, site_url: str, lang: str, query: str, script: str) -> set[str]:
    if not page.url.startswith(site_url + f"{lang}/"):
        page.goto(site_url + f"{lang}/")
        page.wait_for_function("() => window.digestgenSearch")
    return {paper_id(url) for url in page.evaluate(script, query)}


def measure(work: Path, browser: Browser) -> dict[tuple[str, str, str], dict[Query, set[str]]]:
    """{(method, edition, query language): {query: ids found}}, with a Playwright browser."""
    ports = {"ours": free_port(), "plain": free_port()}
    origins = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    ours, plain = build_sites(work, origins["ours"])
    # The plain copy was built for the "ours" origin; its pages only use paths, so it serves anywhere.
    servers = [serve(ours, ports["ours"]), serve(plain, ports["plain"])]
    results: dict[tuple[str, str, str], dict[Query, set[str]]] = {}
    try:
        for method, script in (("plain", PLAIN_JS), ("digestgen", OURS_JS)):
            site_url = origins["ours" if method == "digestgen" else "plain"] + SUBPATH
            page = browser.new_page()
            for edition in ("ko", "en"):
                for query in load_queries():
                    key = (method, edition, query.lang)
                    results.setdefault(key, {})[query] = found_ids(page, site_url, edition, query.text, script)
            page.close()
    finally:
        for server in servers:
            server.shutdown()
    return results


def recall(found: dict[Query, set[str]]) -> float:
    return sum(len(set(q.expect) & ids) / len(q.expect) for q, ids in found.items()) / len(found)


def misses(found: dict[Query, set[str]]) -> list[str]:
    return [f"{q.text} → {', '.join(sorted(set(q.expect) - ids))}" for q, ids in found.items() if set(q.expect) - ids]


def table(results: dict[tuple[str, str, str], dict[Query, set[str]]]) -> str:
    queries = load_queries()
    counts = {lang: sum(1 for q in queries if q.lang == lang) for lang in ("ko", "en")}
    lines = [
        "| edition | queries | plain Pagefind: recall (queries missing a paper) | digestgen | "
        "results per query, plain → digestgen |",
        "| --- | --- | --- | --- | --- |",
    ]
    for edition in ("ko", "en"):
        for lang, name in (("ko", "Korean"), ("en", "English")):
            plain, ours = results[("plain", edition, lang)], results[("digestgen", edition, lang)]
            cells = [f"{recall(found):.0%} ({len(misses(found))})" for found in (plain, ours)]
            sizes = [sum(map(len, found.values())) / len(found) for found in (plain, ours)]
            lines.append(
                f"| `/{edition}/` | {counts[lang]} {name} | {cells[0]} | {cells[1]} | {sizes[0]:.1f} → {sizes[1]:.1f} |"
            )
    return "\n".join(lines)


def main() -> int:
    import tempfile

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        results = measure(Path(tmp), browser)
        browser.close()
    print(table(results))
    for key in sorted(results):
        missed = misses(results[key])
        if missed:
            print(f"\n{' '.join(key)}: {len(missed)} queries miss papers:\n  " + "\n  ".join(missed))
    ours_missed = [key for key in results if key[0] == "digestgen" and misses(results[key])]
    return 1 if ours_missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
