"""Pagefind alone on a built site's paper pages: CPU time, peak memory and index size.

    python benchmarks/search_index.py SITE            # as the build runs it: once per edition
    python benchmarks/search_index.py SITE --one-run  # one Pagefind run over both editions

SITE is a build's output folder (e.g. of a corpus from benchmarks/corpus.py). The paper pages are
hard-linked into a temporary folder, as the build does; the figures are Pagefind's own (its
process's user + system time and peak RSS), apart from Python's.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from digestgen.search import NOT_INDEXED


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=Path)
    parser.add_argument("--one-run", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pages = sorted(args.site.glob("*/papers/*/index.html"))
        for page in pages:
            target = Path(tmp, page.relative_to(args.site))
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(page, target)
        base = [sys.executable, "-m", "pagefind", "--site", tmp]
        for selector in NOT_INDEXED:
            base += ["--exclude-selectors", selector]
        editions = sorted({page.relative_to(args.site).parts[0] for page in pages})
        runs = (
            [base + ["--output-subdir", "pagefind"]]
            if args.one_run
            else [base + ["--glob", f"{lang}/**/*.html", "--output-subdir", f"pagefind.{lang}"] for lang in editions]
        )
        started = time.perf_counter()
        for command in runs:
            subprocess.run(command, capture_output=True, check=True)
        wall = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        size = sum(p.stat().st_size for p in Path(tmp).glob("pagefind*/**/*") if p.is_file())
        files = sum(1 for p in Path(tmp).glob("pagefind*/**/*") if p.is_file())
    print(
        f"{len(pages)} pages, {len(runs)} run(s): wall {wall:.1f} s, CPU {usage.ru_utime + usage.ru_stime:.1f} s, "
        f"peak RSS {usage.ru_maxrss // 1024} MB, index {size / 1e6:.1f} MB in {files} files"
    )


if __name__ == "__main__":
    main()
