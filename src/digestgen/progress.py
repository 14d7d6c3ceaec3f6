"""Progress of a build: the build calls ``progress(stage, count)`` as each stage ends (and once before
rendering, which is the long one); what is shown, if anything, is up to the caller.

The stages, in order (a build that finds nothing changed reports none):

- ``loaded``: issues read and checked;
- ``rendering``: files about to be made (the rest are unchanged since the last build);
- ``rendered``: files made;
- ``indexed``: pages in the search index, when it was made again;
- ``written``: files written (those whose bytes changed).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

Progress = Callable[[str, int], None]

_LINES = {
    "loaded": "loaded {n} {issues}",
    "rendering": "rendering {n} {files} …",
    "rendered": "rendered {n} {files}",
    "indexed": "search index: {n} {pages}",
    "written": "wrote {n} {files}",
}


def silent(stage: str, count: int) -> None:
    """Reports nothing: the default, and what is used when output is not a terminal or --quiet."""


class TerminalProgress:
    """One line per stage with its count and how long it took; ``rendering …`` is replaced by
    ``rendered …`` when rendering ends, so a long render shows what is going on."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.since = time.perf_counter()
        self.open_line = False

    def __call__(self, stage: str, count: int) -> None:
        now = time.perf_counter()
        words = {
            "n": f"{count:,}",
            "issues": "issue" if count == 1 else "issues",
            "files": "file" if count == 1 else "files",
            "pages": "page" if count == 1 else "pages",
        }
        text = "  " + _LINES[stage].format(**words)
        if self.open_line:
            self.out.write("\r\x1b[K")  # over the "rendering …" line
        if stage == "rendering":
            self.out.write(text)
            self.open_line = True
        else:
            self.out.write(f"{text:<40} {now - self.since:6.2f} s\n")
            self.open_line = False
            self.since = now
        self.out.flush()
