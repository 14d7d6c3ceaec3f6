"""Command line: parse arguments, call the package, map DigestError to exit status 1."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from . import __version__
from .build import build
from .errors import DigestError, display_path
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

# Every command but build, by the module whose ``register`` adds it. Only the module of the command
# that runs is imported (all of them for --help or a mistyped command): importing them all costs
# more than a build that finds nothing changed takes in all (docs/performance.md).
COMMANDS = {
    "new": ".scaffold",
    "check": ".check",
    "serve": ".serve",
    "import": ".imports.command",
    "translate": ".translate.command",  # adds `translate` and `reviewed`
    "reviewed": ".translate.command",
    "export": ".forum_post",  # adds `export post`
}


def _parser(argv: Sequence[str]) -> argparse.ArgumentParser:
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
    named = next((arg for arg in argv if not arg.startswith("-")), None)
    wanted = {COMMANDS[named]} if named in COMMANDS else set() if named == "build" else set(COMMANDS.values())
    for module in dict.fromkeys(COMMANDS.values()):  # in the order --help lists them
        if module in wanted:
            importlib.import_module(module, __package__).register(commands)
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
    argv = sys.argv[1:] if argv is None else argv
    args = _parser(argv).parse_args(argv)
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
