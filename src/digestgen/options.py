"""What every command's command line shares: where the site's settings, content and output are,
and the configuration they make. The commands use it; cli.py puts the commands together."""

from __future__ import annotations

import argparse
from pathlib import Path

from .config import CONFIG_NAME, SiteConfig, load_config
from .errors import DigestError, Problem
from .schema import is_http_url


def add_build_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", type=Path, default=Path(CONFIG_NAME), help=f"site settings (default: ./{CONFIG_NAME})"
    )
    parser.add_argument("--content", type=Path, help="content folder (default: content/ beside the config)")
    parser.add_argument("--output", type=Path, help="output folder (default: _site/ beside the config)")
    parser.add_argument("--base-url", help="absolute base URL, e.g. https://example.org/digest/")


def config_from_args(args: argparse.Namespace) -> SiteConfig:
    config = load_config(args.config)
    changes: dict[str, object] = {}
    if args.content:
        changes["content_dir"] = args.content.resolve()
    if args.output:
        changes["output_dir"] = args.output.resolve()
    if args.base_url:
        if not is_http_url(args.base_url):
            raise DigestError(
                Problem("--base-url", None, None, "", f"must be an absolute http(s) URL, not {args.base_url!r}")
            )
        changes["base_url"] = args.base_url if args.base_url.endswith("/") else args.base_url + "/"
    return config.override(**changes)


def count(n: int, noun: str) -> str:
    """``1 issue``, ``2 issues``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
