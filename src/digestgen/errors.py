"""The one error type of digestgen: problems that point at a file, a line and a field."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in an input file."""

    path: str
    """The file, as given to the user (relative to the working directory when possible)."""
    line: int | None
    """1-based line, when known."""
    column: int | None
    """1-based column, when known."""
    field: str
    """Dotted path of the field, e.g. ``papers[2].summary.en``; empty for whole-file problems."""
    message: str
    warning: bool = False
    """A warning is reported but does not stop the build (``check --strict`` makes it an error)."""
    excerpt: str = ""
    """Lines shown under the message: the offending line with a caret, a hint (YAML syntax errors)."""

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        kind = " warning:" if self.warning else ""
        return f"{where}:{field}{kind} {self.message}" + (f"\n{self.excerpt}" if self.excerpt else "")

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line or 0, self.column or 0, self.field, self.message)


@dataclass(frozen=True)
class Where:
    """What decides an output's path, for messages about clashes: a place in a content file (a
    paper's ``id``, a tag) or, for the site's fixed files, just what they are (``site.yaml``)."""

    path: str
    line: int | None = None
    field: str = ""
    what: str = ""
    """How to name it in a message (``paper 'x'``, ``the paper index``); the path when empty."""
    hint: str = ""
    """What the editor can do about a clash (``choose another id``)."""

    def problem(self, message: str) -> Problem:
        return Problem(self.path, self.line, None, self.field, message + (f"; {self.hint}" if self.hint else ""))

    def __str__(self) -> str:
        if self.what:
            return f"{self.what} ({self.path}:{self.line})" if self.line else f"{self.what} ({self.path})"
        return f"{self.path}:{self.line}" if self.line else self.path


class DigestError(Exception):
    """Raised with every problem found; the CLI prints them and exits 1."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = sorted(problems, key=Problem.sort_key) if isinstance(problems, list) else [problems]
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path) -> str:
    """A path as editors want to see it: relative to the working directory when inside it. A link
    is shown as itself, not as what it points to (which may not exist: an Emacs lock link)."""
    try:
        return (path.absolute().parent.resolve() / path.name).relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
