"""Write stage: the only code that touches the output folder. All or nothing: files go to a
fresh folder beside the output, which replaces the old site only once everything is written."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping
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
            raise DigestError(Problem(shown, None, None, "",
                                      f"output folder overlaps {display_path(path)}; choose another --output"))
    if output.exists() and not output.is_dir():
        raise DigestError(Problem(shown, None, None, "", "output path exists and is not a folder"))
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).exists():
        raise DigestError(Problem(shown, None, None, "",
                                  f"output folder is not empty and was not made by digestgen (no {MARKER}); "
                                  "refusing to replace it"))


def write_site(outputs: list[Output], output: Path) -> None:
    """Write every file into a staging folder, then swap it in for the old site."""
    output = output.resolve()
    staging = output.with_name(output.name + ".new")
    retired = output.with_name(output.name + ".old")
    for leftover in (staging, retired):
        if leftover.exists():
            shutil.rmtree(leftover)
    try:
        staging.mkdir(parents=True)
        for item in sorted(outputs, key=lambda o: o.path):
            target = staging.joinpath(*item.path.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(item.data)
        (staging / MARKER).write_text(MARKER_TEXT)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise DigestError(Problem(display_path(output), None, None, "", f"cannot write the site: {exc}")) from None
    if output.exists():
        os.replace(output, retired)
    os.replace(staging, output)
    shutil.rmtree(retired, ignore_errors=True)


def update_site(changed: Mapping[PurePosixPath, bytes], removed: Iterable[PurePosixPath], output: Path) -> None:
    """Bring an existing site up to date in place: each changed file is written beside its target
    and renamed over it (readers never see half a file), files no longer produced are removed."""
    output = output.resolve()
    try:
        for path in sorted(changed):
            target = output.joinpath(*path.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.digestgen-tmp")
            tmp.write_bytes(changed[path])
            os.replace(tmp, target)
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
