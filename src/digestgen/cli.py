"""Command line: parse arguments, call the package, map DigestError to exit status 1."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .build import build
from .config import CONFIG_NAME, load_config
from .errors import DigestError, display_path
from .imports.command import add_import_command
from .schema import is_http_url


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digestgen", description="Static site generator for a bilingual weekly digest of ML papers."
    )
    parser.add_argument("--version", action="version", version=f"digestgen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build_cmd = commands.add_parser("build", help="build the site into the output folder")
    add_build_arguments(build_cmd)
    build_cmd.add_argument("--drafts", action="store_true", help="include issues marked draft: true")
    build_cmd.add_argument(
        "--clean",
        action="store_true",
        help="ignore the build cache: make and write every file (puts right an output folder edited by hand)",
    )
    build_cmd.set_defaults(run=run_build)
    from . import check, scaffold, serve  # each command's module adds its own subcommand

    for command in (scaffold, check, serve):
        command.register(commands)
    add_import_command(commands)
    from .translate import command as translate  # adds `translate` and `reviewed`

    translate.register(commands)
    from . import forum_post  # adds `export post`

    forum_post.register(commands)
    return parser


def add_build_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", type=Path, default=Path(CONFIG_NAME), help=f"site settings (default: ./{CONFIG_NAME})"
    )
    parser.add_argument("--content", type=Path, help="content folder (default: content/ beside the config)")
    parser.add_argument("--output", type=Path, help="output folder (default: _site/ beside the config)")
    parser.add_argument("--base-url", help="absolute base URL, e.g. https://example.org/digest/")


def config_from_args(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    config = load_config(args.config)
    changes: dict[str, object] = {}
    if args.content:
        changes["content_dir"] = args.content.resolve()
    if args.output:
        changes["output_dir"] = args.output.resolve()
    if args.base_url:
        if not is_http_url(args.base_url):
            from .errors import Problem

            raise DigestError(
                Problem("--base-url", None, None, "", f"must be an absolute http(s) URL, not {args.base_url!r}")
            )
        changes["base_url"] = args.base_url if args.base_url.endswith("/") else args.base_url + "/"
    return config.override(**changes)


def run_build(args: argparse.Namespace) -> int:
    result = build(config_from_args(args).override(drafts=args.drafts), cache=not args.clean)
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    print(
        f"built {_count(result.issues, 'issue')}, {_count(result.papers, 'paper')}: "
        f"{_count(result.pages, 'page')}, {_count(result.files, 'file')} in {result.seconds:.2f} s "
        f"(search index: {_count(result.search_pages, 'page')}, {result.search_seconds:.2f} s) "
        f"({result.rendered} rendered, {result.written} written{f', {result.removed} removed' if result.removed else ''}) "
        f"→ {display_path(result.output)}/"
    )
    if result.drafts_left_out:
        print(
            f"left out {_count(len(result.drafts_left_out), 'draft')} (build with --drafts to include): "
            f"{', '.join(result.drafts_left_out)}"
        )
    return 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except DigestError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(
            f"{_count(len(exc.problems), 'error')}; nothing was written, the previous site is unchanged.",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        return 130
