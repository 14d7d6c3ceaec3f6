"""Command line: parse arguments, call the package, map DigestError to exit status 1."""

from __future__ import annotations

import argparse
import sys

from . import __version__, check, scaffold, serve
from .build import build
from .errors import DigestError, display_path
from .imports.command import add_import_command
from .options import add_build_arguments, config_from_args, count


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
    for command in (scaffold, check, serve):  # each command's module adds its own subcommand
        command.register(commands)
    add_import_command(commands)
    from .translate import command as translate  # adds `translate` and `reviewed`

    translate.register(commands)
    from . import forum_post  # adds `export post`

    forum_post.register(commands)
    return parser


def run_build(args: argparse.Namespace) -> int:
    result = build(config_from_args(args).override(drafts=args.drafts), cache=not args.clean)
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    print(
        f"built {count(result.issues, 'issue')}, {count(result.papers, 'paper')}: "
        f"{count(result.pages, 'page')}, {count(result.files, 'file')} in {result.seconds:.2f} s "
        f"(search index: {count(result.search_pages, 'page')}, {result.search_seconds:.2f} s) "
        f"({result.rendered} rendered, {result.written} written{f', {result.removed} removed' if result.removed else ''}) "
        f"→ {display_path(result.output)}/"
    )
    if result.drafts_left_out:
        print(
            f"left out {count(len(result.drafts_left_out), 'draft')} (build with --drafts to include): "
            f"{', '.join(result.drafts_left_out)}"
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except DigestError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(
            f"{count(len(exc.problems), 'error')}; nothing was written, the previous site is unchanged.",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        return 130
