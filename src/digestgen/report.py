"""Warnings as an editor can read them: one line per kind, with a count and the first places.

An English-first archive has a Korean slot empty in every paper; listing each one (thousands of
lines) hides the one warning that matters. So ``build`` and ``check`` print a line per kind, e.g.
``1,300 papers without a Korean summary (translation pending) — content/issues/2023-12-25.md:7, …``,
and ``--verbose`` (or ``check --format json``) lists every warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import Problem
from .load import DRAFT_NOTE

FIRST_PLACES = 3
"""Places shown per kind (``--verbose`` shows every warning)."""

_LANGUAGE = {"ko": "a Korean", "en": "an English"}
_VARIABLE = re.compile(r"'[^']*'|\"[^\"]*\"|https?://\S+|\b\d[\d.:-]*\b|\([^)]*\.md:\d+\)")


@dataclass(frozen=True)
class Kind:
    """Warnings that say the same thing about different places."""

    label: str
    problems: tuple[Problem, ...]

    def line(self, first: int = FIRST_PLACES) -> str:
        places = [_place(p) for p in self.problems[:first]]
        more = ", …" if len(self.problems) > first else ""
        return f"{len(self.problems):,} {self.label} — {', '.join(places)}{more}"


def _place(problem: Problem) -> str:
    return f"{problem.path}:{problem.line}" if problem.line is not None else problem.path


def kind_label(problem: Problem) -> str:
    """What a warning says, without where: the same for every paper missing its Korean summary."""
    field = re.sub(r"\[\d+\]", "[]", problem.field)
    missing = re.fullmatch(r"(papers\[\]\.)?(title|summary|abstract|notice)\.(ko|en)", field)
    if problem.message.startswith("missing translation") and missing:
        whose, what, lang = missing.groups()
        return f"{'papers' if whose else 'issues'} without {_LANGUAGE[lang]} {what} (translation pending)"
    for test, label in _KNOWN:
        if test(problem.message):
            return label
    field = re.sub(r"\blinks\.[^.]+$", "links", field)  # one kind for every label
    general = _VARIABLE.sub("…", problem.message)
    return f"× {field}: {general}" if field else f"× {general}"


_KNOWN = (
    (lambda m: m.startswith("no abstract"), "papers without an abstract (논문 초록; or mark it 'absent: [abstract]')"),
    (lambda m: "is it the same paper?" in m, "papers that may also be in another week (same title or paper link)"),
)


def group(problems: Iterable[Problem]) -> list[Kind]:
    """Warnings by kind, the most frequent first; places in file and line order."""
    kinds: dict[str, list[Problem]] = {}
    for problem in sorted(problems, key=Problem.sort_key):
        kinds.setdefault(kind_label(problem), []).append(problem)
    return [Kind(label, tuple(found)) for label, found in sorted(kinds.items(), key=lambda kv: (-len(kv[1]), kv[0]))]


def warning_lines(problems: Iterable[Problem], *, verbose: bool) -> list[str]:
    """Every warning (``verbose``), or one line per kind: a kind seen once is shown as it is,
    in file and line order (and so is every problem of a draft), then the kinds seen more often,
    the most frequent first."""
    found = sorted(problems, key=Problem.sort_key)
    if verbose:
        return [str(p) for p in found]
    drafts = [p for p in found if DRAFT_NOTE in p.message]  # each one a thing to fix before publishing
    kinds = group(p for p in found if DRAFT_NOTE not in p.message)
    single = sorted([*drafts, *(kind.problems[0] for kind in kinds if len(kind.problems) == 1)], key=Problem.sort_key)
    return [str(p) for p in single] + [f"warning: {kind.line()}" for kind in kinds if len(kind.problems) > 1]
