"""Pagefind alone on a built site's indexed pages, shard by shard: time, memory and what a query
downloads, for the build's shards or other ways of cutting the index.

    python benchmarks/search_index.py SITE                  # the build's shards (search.shard_of)
    python benchmarks/search_index.py SITE --scheme one     # one index of everything
    python benchmarks/search_index.py SITE --scheme year    # a shard per year
    python benchmarks/search_index.py SITE --no-pieces      # without the hidden Korean pieces

SITE is a build's output folder (e.g. of a corpus from benchmarks/corpus.py). Each shard's pages
are hard-linked into a folder of their own, as the build does, and indexed by Pagefind's binary,
one shard at a time; the figures are Pagefind's own (its process's wall, user + system time and
peak RSS). "chunks" are the index files a one-word query fetches from a shard (one, unless the word
spans two), so a query downloads about one median chunk per shard, plus each shard's metadata.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from digestgen.search import INDEXED_LANG, NOT_INDEXED, pagefind_command, shard_of

WEEK = re.compile(rb'data-search-week="(\d{4}-\d\d-\d\d)"')
PIECES = re.compile(rb'<div class="search-terms"[^>]*data-search-terms[^>]*>.*?</div>', re.S)
"""The hidden two-syllable Korean pieces (search.py): ``--no-pieces`` measures what they cost."""


def indexed_pages(site: Path) -> dict[Path, date]:
    pages = {}
    for page in [*site.glob(f"{INDEXED_LANG}/papers/*/index.html"), *site.glob(f"{INDEXED_LANG}/issues/*/index.html")]:
        found = WEEK.search(page.read_bytes())
        if found:
            pages[page] = date.fromisoformat(found.group(1).decode())
    return pages


def shard_name(scheme: str, week: date, newest: date) -> str:
    if scheme == "one":
        return "all"
    if scheme == "year":
        return str(week.year)
    return shard_of(week, newest)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=Path)
    parser.add_argument("--scheme", choices=["build", "one", "year"], default="build")
    parser.add_argument("--no-pieces", action="store_true", help="index copies without the hidden Korean pieces")
    args = parser.parse_args()
    pages = indexed_pages(args.site)
    newest = max(pages.values())
    shards: dict[str, list[Path]] = {}
    for page, week in pages.items():
        shards.setdefault(shard_name(args.scheme, week, newest), []).append(page)
    print("| shard | pages | Pagefind wall s | CPU s | peak RSS MB | index MB | median chunk kB | meta kB |")
    print("|---|---|---|---|---|---|---|---|")
    totals = [0.0, 0.0, 0.0]
    with tempfile.TemporaryDirectory() as tmp:
        for name, members in sorted(shards.items(), reverse=True):
            source, output = Path(tmp, name), Path(tmp, name + ".index")
            for page in members:
                target = source / page.relative_to(args.site)
                target.parent.mkdir(parents=True, exist_ok=True)
                if args.no_pieces:
                    target.write_bytes(PIECES.sub(b"", page.read_bytes()))
                else:
                    os.link(page, target)
            command = [*pagefind_command(), "--site", str(source), "--output-path", str(output)]
            for selector in NOT_INDEXED:
                command += ["--exclude-selectors", selector]
            before = os.times()
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, check=True)
            wall = time.perf_counter() - started
            after = os.times()
            del done
            cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
            import resource

            rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            size = sum(p.stat().st_size for p in output.rglob("*") if p.is_file()) / 1e6
            chunks = [p.stat().st_size for p in (output / "index").iterdir()]
            meta = sum(p.stat().st_size for p in output.glob("*.pf_meta"))
            totals = [totals[0] + wall, totals[1] + cpu, max(totals[2], rss)]
            print(
                f"| {name} | {len(members)} | {wall:.2f} | {cpu:.2f} | {rss:.0f} (max so far) | {size:.1f} | "
                f"{statistics.median(chunks) / 1000:.0f} | {meta / 1000:.1f} |"
            )
    print(f"\n{len(shards)} shards, {len(pages)} pages: wall {totals[0]:.1f} s, CPU {totals[1]:.1f} s (one at a time)")


if __name__ == "__main__":
    main()
