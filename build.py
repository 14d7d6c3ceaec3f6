#!/usr/bin/env python3
"""Build the site: ``python build.py [--content DIR] [--output DIR] [--base-url URL]``.

The same as ``digestgen build``; kept at the root so editors can run it from a checkout.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))  # works before `pip install -e .` too

from digestgen.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
