"""What the commands' command lines share: finding the site (``site.yaml``, looked for from the
current folder upwards, as git and Hugo do), its folders and output, the configuration they make,
and help that shows examples. The commands use it; cli.py puts the commands together."""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from typing import TextIO

from .config import CONFIG_NAME, SiteConfig, find_config, load_config
from .errors import DigestError, Problem
from .schema import is_http_url


def command_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    help: str,
    description: str,
    examples: str,
) -> argparse.ArgumentParser:
    """A subcommand whose --help ends with examples, laid out as written."""
    return commands.add_parser(
        name,
        help=help,
        description=textwrap.fill(description, 80),  # the raw formatter keeps the examples' layout, and this too
        epilog=f"examples:\n{examples}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def add_site_arguments(parser: argparse.ArgumentParser) -> None:
    """Where the site is: every command that reads it."""
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help=f"the site's settings (default: the {CONFIG_NAME} of this folder or the nearest folder above it)",
    )
    parser.add_argument(
        "--content",
        type=Path,
        metavar="DIR",
        help="read issues from this folder instead of content/ beside the settings",
    )


def add_output_arguments(parser: argparse.ArgumentParser) -> None:
    """Where and for which address the site is written: only ``build``."""
    parser.add_argument(
        "--output",
        type=Path,
        metavar="DIR",
        help="write the site into this folder instead of _site/ beside the settings",
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="the absolute address the site will be published at, instead of base_url in the settings "
        "(e.g. https://you.github.io/digest/)",
    )


def add_verbose_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--verbose", action="store_true", help="list every warning (default: one line per kind, with a count)"
    )


def config_from_args(args: argparse.Namespace) -> SiteConfig:
    """The settings found (or given with --config), with the command line's changes."""
    config = load_config(args.config or find_config(Path.cwd()))
    changes: dict[str, object] = {}
    if args.content:
        changes["content_dir"] = args.content.resolve()
    if getattr(args, "output", None):
        changes["output_dir"] = args.output.resolve()
    base_url = getattr(args, "base_url", None)
    if base_url:
        if not is_http_url(base_url):
            raise DigestError(
                Problem("--base-url", None, None, "", f"must be an absolute http(s) URL, not {base_url!r}")
            )
        changes["base_url"] = base_url if base_url.endswith("/") else base_url + "/"
    return config.override(**changes)


def announce(config: SiteConfig, verb: str, file: TextIO | None = None) -> None:
    """``Building /path/to/site (site.yaml) …``: on a terminal, and whenever the settings were found
    in a folder above the current one, so that nobody builds another site than they think."""
    out = file or sys.stdout
    elsewhere = config.root != Path.cwd().resolve()
    if config.config_path is not None and (elsewhere or out.isatty()):
        print(f"{verb} {config.root} ({config.config_path.name}) …", file=out, flush=True)


def count(n: int, noun: str) -> str:
    """``1 issue``, ``2 issues``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
