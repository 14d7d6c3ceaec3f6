"""Command line: parse arguments, call the package, map DigestError to exit status 1."""

from __future__ import annotations

import argparse
import sys

from . import __version__, check, scaffold, serve
from .build import build
from .errors import DigestError, display_path
from .imports.command import add_import_command
from .options import (
    add_output_arguments,
    add_site_arguments,
    add_verbose_argument,
    announce,
    command_parser,
    config_from_args,
    count,
)
from .progress import TerminalProgress, silent
from .report import warning_lines


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digestgen",
        description="Static site generator for a bilingual weekly digest of ML papers. Every command\n"
        "finds the site by its site.yaml, in the current folder or the nearest one above it.",
        epilog="examples:\n  digestgen new          # start next week's issue\n"
        "  digestgen serve        # preview at http://127.0.0.1:8000/, rebuilt as you edit\n"
        "  digestgen build        # the site, into _site/\n\n"
        "digestgen COMMAND --help says more about each command.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"digestgen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build_cmd = command_parser(
        commands,
        "build",
        help="build the site into the output folder",
        description="Read and check every issue, then write the whole site (both languages, feeds, "
        "search index) into the output folder. Nothing is written if anything is wrong: the "
        "previous site stays as it was. Only files that changed are made and written again.",
        examples="  digestgen build\n  digestgen build --base-url https://you.github.io/digest/ --output public",
    )
    add_site_arguments(build_cmd)
    add_output_arguments(build_cmd)
    build_cmd.add_argument(
        "--drafts",
        action="store_true",
        help="also build the issues marked draft: true (to look at them, not to publish)",
    )
    build_cmd.add_argument(
        "--clean",
        action="store_true",
        help="ignore the build cache and make and write every file (puts right an output folder edited by hand)",
    )
    build_cmd.add_argument(
        "-q", "--quiet", action="store_true", help="print only warnings and errors (no progress, no summary)"
    )
    add_verbose_argument(build_cmd)
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
    config = config_from_args(args).override(drafts=args.drafts)
    if not args.quiet:
        announce(config, "Building")
    shown = not args.quiet and sys.stdout.isatty()
    result = build(config, cache=not args.clean, progress=TerminalProgress(sys.stdout) if shown else silent)
    for line in warning_lines(result.warnings, verbose=args.verbose):
        print(line, file=sys.stderr)
    if args.quiet:
        return 0
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
