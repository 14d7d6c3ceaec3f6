"""Write stage: the only code that touches the output folder. All or nothing: files go to a
fresh folder beside the output first; a full build then swaps that folder in for the old site, an
incremental one moves its few files in, each only once every file is written. (It also answers
what the site on disk holds: a rebuild writes only files whose bytes changed.)"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePosixPath

from .errors import DigestError, Problem, display_path

MARKER = ".digestgen-output"
"""Left in every folder we build, so we never delete a folder we did not make."""
MARKER_TEXT = "built by digestgen; this folder is replaced on every build\n"


def marker_stamp(marker: Path) -> tuple[int, int, int] | None:
    """(inode, size, mtime) of the output folder's marker file: another build, or a copy of the
    site, leaves another."""
    try:
        st = marker.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


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


Extra = Callable[[Path], Iterable[str]]
"""A step that works on the staged files before they go live (the search index): it may add files
to the staging folder, and returns their paths in the site. If it fails, nothing is published."""


def write_site(files: Mapping[str, bytes], output: Path, extra: Extra | None = None) -> None:
    """Write every file (by its path in the site) into a staging folder, run ``extra`` there, then
    swap the staging folder in for the old site."""
    staging = _stage(files, output)
    try:
        if extra is not None:
            extra(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)  # the old site stays
        raise
    _publish(staging, output)


def _file(folder: Path, name: str) -> Path:
    return folder.joinpath(*PurePosixPath(name).parts)


def changed_files(files: Mapping[str, bytes], output: Path) -> dict[str, bytes]:
    """The files whose bytes differ from the site's (only made files are compared: few, after an edit)."""
    return {name: data for name, data in files.items() if not _same_bytes(_file(output, name), data)}


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def read_site_file(output: Path, name: str) -> bytes:
    """A file of the site as the last build wrote it; empty if it is not there."""
    try:
        return _file(output, name).read_bytes()
    except OSError:
        return b""


def _stage(files: Mapping[str, bytes], output: Path) -> Path:
    """Write every file into a fresh staging folder beside ``output``; returns the staging folder."""
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
        for name in sorted(files):
            target = _file(staging, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[name])
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise DigestError(Problem(display_path(output), None, None, "", f"cannot write the site: {exc}")) from None
    return staging


def _publish(staging: Path, output: Path) -> None:
    """Swap the staged site in for the old one."""
    output = output.resolve()
    retired = output.with_name(output.name + ".old")
    if output.exists():
        os.replace(output, retired)
    os.replace(staging, output)
    shutil.rmtree(retired, ignore_errors=True)


def update_site(changed: Mapping[str, bytes], removed: Iterable[str], output: Path, extra: Extra | None = None) -> None:
    """Bring an existing site up to date in place. The changed files are first written into a
    staging folder beside the output, as for a full build (so a crash's leftovers are recognised
    and cleared); only when every one is written are they moved in, one rename each (readers never
    see half a file), and files no longer produced removed. A failure while writing (a full disk)
    leaves the site as it was, and so does a failing ``extra`` step."""
    output = output.resolve()
    staging = _stage(changed, output)
    try:
        added = list(extra(staging)) if extra is not None else []
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)  # the old site stays
        raise
    try:
        # A new marker (a new inode) before anything moves: a build cache that does not see this
        # update through (a build killed before saving its cache, a session never saved) no longer
        # matches the folder, and the next build starts over instead of trusting changed files.
        fresh = staging / (MARKER + ".fresh")
        fresh.write_text(MARKER_TEXT)
        fresh.replace(output / MARKER)
        for name in sorted({*changed, *added}):
            target = _file(output, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(_file(staging, name), target)
        for name in sorted(removed):
            target = _file(output, name)
            target.unlink(missing_ok=True)
            for folder in target.parents:  # drop folders the removal left empty, up to the output
                if folder == output or not folder.is_relative_to(output) or any(folder.iterdir()):
                    break
                folder.rmdir()
    except OSError as exc:
        raise DigestError(Problem(display_path(output), None, None, "", f"cannot write the site: {exc}")) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
