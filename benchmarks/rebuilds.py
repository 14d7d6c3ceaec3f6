"""Time digestgen's builds step by step on a generated corpus, with Pagefind left out (run.py
reports the search index's time on its own), to see what a rebuild costs and where.

    cd benchmarks/corpus/1040/digestgen
    ../../../.env/bin/python ../../../rebuilds.py /tmp/out full none edit edit session profile

Steps: ``full`` (clean build), ``none`` (no change), ``edit`` (a word added to one issue's
summary, then a rebuild), ``session`` (three such edits built as ``serve`` does, cache in
memory: the pages first, "edit", then the rest, "then"), ``profile`` (an edit, profiled with
cProfile: the 30 costliest functions by own time). ``newest``, ``newest-session`` and
``newest-profile`` are ``edit``, ``session`` and ``profile`` in the newest issue, which is in
every feed.
Each step prints its wall time and the CPU time of this process. It edits the corpus: generate
it again (corpus.py) for other measurements.
"""

from __future__ import annotations

import cProfile
import pstats
import shutil
import sys
import time
from pathlib import Path
from unittest import mock

from digestgen import build as build_module
from digestgen import stages
from digestgen.cache import Session
from digestgen.config import load_config
from digestgen.search import IndexMade, IndexPlan


def edit(number: int, newest: bool = False) -> None:
    issues = sorted(Path("content/issues").glob("*.md"))
    path = issues[-1] if newest else issues[(len(issues) // 2 + number) % len(issues)]
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "    summary:\n      ko: |-\n        ", f"    summary:\n      ko: |-\n        편집{time.time_ns()} ", 1
        ),
        encoding="utf-8",
    )


def _no_index(plan: IndexPlan, staging: Path, output: Path, shown: str) -> IndexMade:
    """Stands in for the search index (its shards made, with no files): these figures are the build's own."""
    return IndexMade({shard.name: (shard.folder, (), len(shard.pages)) for shard in plan.due})


def main() -> None:
    out, steps = Path(sys.argv[1]).resolve(), sys.argv[2:]
    config = load_config(Path("site.yaml")).override(output_dir=out)
    no_search = mock.patch.object(stages, "make_index", _no_index)
    with no_search:
        for number, named in enumerate(steps):
            newest = named.startswith("newest")
            step = named.removeprefix("newest-") if named != "newest" else "edit"
            if step == "full":
                shutil.rmtree(out, ignore_errors=True)
                shutil.rmtree(out.with_name(out.name + ".cache"), ignore_errors=True)
            if step in ("edit", "profile"):
                edit(number, newest)
            wall, cpu = time.perf_counter(), time.process_time()
            if step == "session":
                session = Session()
                build_module.build(config, cache=session)
                for i in range(3):
                    edit(100 + i, newest)
                    wall, cpu = time.perf_counter(), time.process_time()
                    result = build_module.build(config, cache=session, search=False)
                    print(
                        f"{named} edit: {time.perf_counter() - wall:.3f} s wall, "
                        f"{time.process_time() - cpu:.3f} s CPU, {result.rendered} rendered",
                        flush=True,
                    )
                    wall, cpu = time.perf_counter(), time.process_time()
                    result = build_module.build(config, cache=session)  # what serve's first build left
                    print(
                        f"{named} then: {time.perf_counter() - wall:.3f} s wall, "
                        f"{time.process_time() - cpu:.3f} s CPU, {result.rendered} rendered",
                        flush=True,
                    )
                continue
            if step == "profile":
                profiler = cProfile.Profile()
                result = profiler.runcall(build_module.build, config)
                pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
            else:
                result = build_module.build(config)
            print(
                f"{named}: {time.perf_counter() - wall:.3f} s wall, {time.process_time() - cpu:.3f} s CPU "
                f"(this process), {result.rendered} rendered, {result.written} written, {result.files} files",
                flush=True,
            )


if __name__ == "__main__":
    main()
