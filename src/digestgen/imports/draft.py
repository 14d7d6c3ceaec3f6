"""What an importer produces: an issue as it will be written, before it is checked by the loader."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..model import Bilingual, Link


@dataclass(frozen=True)
class Guess:
    """A place where the importer decided something the input does not say outright."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


@dataclass(frozen=True)
class DraftPaper:
    title: Bilingual
    summary: Bilingual
    abstract: Bilingual = Bilingual()
    links: tuple[Link, ...] = ()
    """In the order found; ``paper`` is the paper itself."""
    tweet: str = ""
    id: str = ""
    """Written only when the default (made from the English title) is taken."""
    absent: tuple[str, ...] = ()
    """Fields the input has none of, written as ``absent:`` (see README, "Absent on purpose")."""
    line: int = 0
    """Line of the paper's heading (or table row) in the input."""


@dataclass(frozen=True)
class DraftIssue:
    week: date
    week_end: date
    papers: tuple[DraftPaper, ...]
    title: Bilingual = Bilingual()
    """Empty: the loader's default title, made from the dates."""
    notice: Bilingual = Bilingual()
    intro: Bilingual = Bilingual()
    source: str = ""
    absent: tuple[str, ...] = ()
    """Fields the input has none of (``notice.en`` for a Korean post)."""
    pending_ko: bool = False
    """Write empty ``ko: ""`` slots so that editors see where the translation goes."""
    line: int = 0
    """Line where the week starts in the input."""
    input: str = field(default="", compare=False)
    """The input file as shown in messages."""
    guesses: tuple[Guess, ...] = field(default=(), compare=False)
    """Where the importer had to guess (a year, where a title ends, an id), to be reported."""
