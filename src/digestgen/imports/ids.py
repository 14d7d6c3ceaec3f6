"""Paper ids for an import: unique across the import and against the content already there.

An id is made from the English title (as the loader does); when it is taken, the paper gets an
explicit ``id`` with a suffix (``musicgen-2``) and the importer reports it. The oldest week keeps
the plain id (the list is newest first, so weeks are taken oldest first here): it was there first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from ..errors import DigestError, display_path
from ..load import parse_issue, slugify
from ..source import read_source
from .draft import DraftIssue, DraftPaper, Guess


def ids_in(folder: Path, skip: set[Path]) -> dict[str, str]:
    """Ids of the papers already in ``folder`` (id → file:line), leaving out the files in ``skip``
    (those the import replaces) and files that do not load (the build will name those)."""
    taken: dict[str, str] = {}
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else ():
        if path in skip:
            continue
        try:
            issue = parse_issue(read_source(path))
        except DigestError:
            continue
        for paper in issue.papers:
            taken.setdefault(paper.id, f"{display_path(path)}:{paper.origin.line}")
    return taken


def unique_ids(drafts: Iterable[DraftIssue], taken: dict[str, str]) -> list[DraftIssue]:
    """``drafts`` (same order) with a suffixed ``id`` on each paper whose id is taken; each one a Guess."""
    used = dict(taken)
    done: dict[int, DraftIssue] = {}
    listed = list(drafts)
    for index in sorted(range(len(listed)), key=lambda i: (listed[i].week, i)):
        draft = listed[index]
        papers: list[DraftPaper] = []
        guesses = list(draft.guesses)
        for n, paper in enumerate(draft.papers):
            base = paper.id or slugify(paper.title.en)
            if base and base in used:
                k = 2
                while f"{base}-{k}" in used:
                    k += 1
                paper = replace(paper, id=f"{base}-{k}")
                guesses.append(
                    Guess(
                        draft.input,
                        paper.line,
                        f"papers[{n}].id",
                        f"{base!r} is already used by {used[base]}; written as id {paper.id!r} "
                        f"(if it is the same paper, keep one of them)",
                    )
                )
            if paper.id or base:
                used[paper.id or base] = f"{draft.input}:{paper.line}"
            papers.append(paper)
        done[index] = replace(draft, papers=tuple(papers), guesses=tuple(sorted(guesses, key=lambda g: g.line)))
    return [done[i] for i in range(len(listed))]
