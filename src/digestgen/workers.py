"""Rendering spread over worker processes: the render stage hands its tasks here, and gets back
each task's files and the warnings raised while making them, in task order. Workers are forked
(they inherit the plan, templates and model for free) and each makes contiguous chunks of the task
list, so the result is the same as a serial render."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from .errors import DigestError, Problem

PARALLEL_MIN_JOBS = 400
"""Below this many pages to render, starting worker processes costs more than it saves."""
CHUNK = 8
"""Tasks (an issue's pages, or one other file) per piece of work handed to a worker."""


@dataclass(frozen=True)
class Made:
    """What a task made: its files, and anything else making them found out (papers.json: the
    layout of its fragments)."""

    files: tuple[tuple[PurePosixPath, bytes], ...]
    extra: tuple[object, ...] = ()


@dataclass(frozen=True)
class Task:
    """One unit of rendering: an issue's pages (a group) or one other file (a job)."""

    name: str
    """The group's name or the job's path: what the build cache keeps the warnings under."""
    make: Callable[[], Made]
    weight: int
    """Pages it makes (to decide whether workers are worth starting)."""
    group: bool = False


@dataclass(frozen=True)
class Done:
    made: Made
    warnings: tuple[Problem, ...]
    """Warnings first raised while making it."""


_WORK: tuple[list[Problem], list[Task]] | None = None
"""The tasks of the build in progress, inherited by forked workers (closures do not pickle)."""


def render_tasks(warnings: list[Problem], tasks: list[Task], processes: int | None = None) -> list[Done]:
    """Run every task, each one's new entries in ``warnings`` (the renderer's list) kept with it."""
    global _WORK
    count = processes if processes is not None else (os.cpu_count() or 1)
    # fork copies the parent's memory (model, templates) for free; it is unsafe while other
    # threads run (a live-reload server), so then we render here.
    if (
        count < 2
        or sum(task.weight for task in tasks) < PARALLEL_MIN_JOBS
        or "fork" not in multiprocessing.get_all_start_methods()
        or threading.active_count() > 1
    ):
        return _render_range(warnings, tasks, 0, len(tasks))
    _WORK = (warnings, tasks)
    try:
        with multiprocessing.get_context("fork").Pool(count) as pool:
            bounds = [(start, min(start + CHUNK, len(tasks))) for start in range(0, len(tasks), CHUNK)]
            chunks = pool.map(_render_chunk, bounds)
    finally:
        _WORK = None
    problems = [p for chunk in chunks if isinstance(chunk, Failure) for p in chunk.problems]
    if problems:
        raise DigestError(problems)
    return [done for chunk in chunks if not isinstance(chunk, Failure) for done in chunk]


@dataclass(frozen=True)
class Failure:
    """A worker's DigestError, carried back to the parent (which raises it)."""

    problems: tuple[Problem, ...]


def _render_chunk(bounds: tuple[int, int]) -> list[Done] | Failure:
    assert _WORK is not None
    try:
        return _render_range(*_WORK, *bounds)
    except DigestError as exc:
        return Failure(tuple(exc.problems))


def _render_range(warnings: list[Problem], tasks: list[Task], start: int, end: int) -> list[Done]:
    made: list[Done] = []
    for task in tasks[start:end]:
        before = len(warnings)
        made.append(Done(task.make(), tuple(warnings[before:])))
    return made
