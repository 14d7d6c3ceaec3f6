"""Write stage: the only code that touches the output folder. All or nothing: files go to a
fresh folder beside the output first; a full build then swaps that folder in for the old site, an
incremental one moves its few files in, each only once every file is written."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePosixPath

from .errors import DigestError, Problem, display_path
from .render import Output

MARKER = ".digestgen-output"
"""Left in every folder we build, so we never delete a folder we did not make."""
MARKER_TEXT = "built by digestgen; this folder is replaced on every build\n"


def check_output_dir(output: Path, project: Path, sources: Iterable[Path]) -> None:
    """Refuse an output folder that would replace the project or its sources, or someone else's files."""
    output = output.resolve()
    shown = display_path(output)
    for path in (project, *sources):
        path = path.resolve()
        inside_source = path != project.resolve() and path in output.parents
        if output == path or output in path.parents or inside_source:
            raise DigestError(
                Problem(shown, None, None, "", f"output folder overlaps {display_path(path)}; choose another --output")
            )
    if output.exists() and not output.is_dir():
        raise DigestError(Problem(shown, None, None, "", "output path exists and is not a folder"))
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).exists():
        raise DigestError(
            Problem(
                shown,
                None,
                None,
                "",
                f"output folder is not empty and was not made by digestgen (no {MARKER}); refusing to replace it",
            )
        )


Extra = Callable[[Path], Iterable[PurePosixPath]]
"""A step that works on the staged files before they go live (the search index): it may add files
to the staging folder, and returns their paths. If it fails, nothing is published."""


def write_site(outputs: list[Output], output: Path, extra: Extra | None = None) -> None:
    """Write every file into a staging folder, then swap it in for the old site."""
    staging = stage(outputs, output)
    try:
        if extra is not None:
            extra(staging)
    except BaseException:
        discard(staging)
        raise
    publish(staging, output)


def stage(outputs: list[Output], output: Path) -> Path:
    """Write every file into a fresh staging folder beside ``output``; steps that work on written
    files (the search index) run there before ``publish``. Returns the staging folder."""
    output = output.resolve()
    staging = output.with_name(output.name + ".new")
    retired = output.with_name(output.name + ".old")
    if retired.is_dir() and not output.exists():  # an earlier build died mid-swap: put the old site back
        os.replace(retired, output)
    for leftover in (staging, retired):
        if leftover.exists():
            if not (leftover / MARKER).exists():
                raise DigestError(
                    Problem(
                        display_path(leftover),
                        None,
                        None,
                        "",
                        f"is in the way and was not made by digestgen (no {MARKER}); move it away",
                    )
                )
            shutil.rmtree(leftover)
    try:
        staging.mkdir(parents=True)
        # The marker goes first, so a staging folder left by a crash is still recognised as ours.
        (staging / MARKER).write_text(MARKER_TEXT)
        for item in sorted(outputs, key=lambda o: o.path):
            target = staging.joinpath(*item.path.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(item.data)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise DigestError(Problem(display_path(output), None, None, "", f"cannot write the site: {exc}")) from None
    return staging


def discard(staging: Path) -> None:
    """A later step failed: drop the staged site, the old one stays."""
    shutil.rmtree(staging, ignore_errors=True)


def publish(staging: Path, output: Path) -> None:
    """Swap the staged site in for the old one."""
    output = output.resolve()
    retired = output.with_name(output.name + ".old")
    if output.exists():
        os.replace(output, retired)
    os.replace(staging, output)
    shutil.rmtree(retired, ignore_errors=True)


def update_site(
    changed: Mapping[PurePosixPath, bytes],
    removed: Iterable[PurePosixPath],
    output: Path,
    extra: Extra | None = None,
) -> None:
    """Bring an existing site up to date in place. The changed files are first written into a
    staging folder beside the output, as for a full build (so a crash's leftovers are recognised
    and cleared); only when every one is written are they moved in, one rename each (readers never
    see half a file), and files no longer produced removed. A failure while writing (a full disk)
    leaves the site as it was, and so does a failing ``extra`` step."""
    output = output.resolve()
    staging = stage([Output(path, data, "") for path, data in changed.items()], output)
    try:
        added = list(extra(staging)) if extra is not None else []
    except BaseException:
        discard(staging)
        raise
    try:
        for path in sorted({*changed, *added}):
            target = output.joinpath(*path.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging.joinpath(*path.parts), target)
        for path in sorted(removed):
            target = output.joinpath(*path.parts)
            target.unlink(missing_ok=True)
            for folder in target.parents:  # drop folders the removal left empty, up to the output
                if folder == output or not folder.is_relative_to(output) or any(folder.iterdir()):
                    break
                folder.rmdir()
        marker = output / MARKER
        if not marker.exists():
            marker.write_text(MARKER_TEXT)
    except OSError as exc:
        raise DigestError(Problem(display_path(output), None, None, "", f"cannot write the site: {exc}")) from None
    finally:
        discard(staging)
