"""Which Korean fields of an issue file are missing (English written, Korean empty), grouped the
way they are written back: one group per paper, then the issue's own fields."""

from __future__ import annotations

from dataclasses import dataclass

from ..load import MARK_KEY, split_intro
from ..source import FieldPath, SourceFile, format_field

PAPER_FIELDS = ("title", "summary", "abstract")
ISSUE_FIELDS = ("title", "notice")


@dataclass(frozen=True)
class Field:
    """One Korean field to fill."""

    path: FieldPath
    """Of its bilingual mapping, e.g. ``("papers", 2, "summary")``; ``("intro",)`` for the body's."""
    english: str
    line: int | None
    """Where the English is written, for messages."""

    @property
    def kind(self) -> str:
        return str(self.path[-1])

    @property
    def name(self) -> str:
        """As messages and ``check`` write it: ``papers[2].summary.ko``."""
        return format_field(self.path + ("ko",))

    @property
    def owner(self) -> FieldPath:
        """The mapping whose ``machine_translated`` list gets this field's mark."""
        return self.path[:-1]

    @property
    def mark(self) -> str:
        return f"{self.kind}.ko"


def missing_fields(source: SourceFile) -> list[list[Field]]:
    """The fields to fill, per paper (in order) and then the issue's; groups without any left out."""
    data = source.meta.data
    assert isinstance(data, dict)  # the file was loaded without errors
    groups: list[list[Field]] = []
    papers = data.get("papers") or []
    for index, paper in enumerate(papers):
        path: FieldPath = ("papers", index)
        groups.append([f for name in PAPER_FIELDS if (f := _missing(source, paper, path + (name,)))])
    own = [f for name in ISSUE_FIELDS if (f := _missing(source, data, (name,)))]
    ko, en, lines = split_intro(source.body, source.body_line)
    if en and not ko:
        own.append(Field(("intro",), en, lines.get("intro.en")))
    groups.append(own)
    return [group for group in groups if group]


def child(node: object, part: str | int) -> object:
    """``node[part]`` of YAML data, along a path read from that data (so it is there)."""
    if isinstance(node, list) and isinstance(part, int):
        return node[part]
    if not isinstance(node, dict):
        raise KeyError(part)
    return node[part]


def marks_of(data: dict[str, object], owner: FieldPath) -> list[str]:
    """The names listed under ``machine_translated`` in the mapping at ``owner``."""
    node: object = data
    for part in owner:
        node = child(node, part)
    listed = node.get(MARK_KEY) if isinstance(node, dict) else None
    return [str(name) for name in listed] if isinstance(listed, list) else []


def _missing(source: SourceFile, container: object, path: FieldPath) -> Field | None:
    if not isinstance(container, dict):
        return None
    pair = container.get(str(path[-1]))
    absent = container.get("absent")
    if not isinstance(pair, dict) or (isinstance(absent, list) and f"{path[-1]}.ko" in absent):
        return None  # `absent: [summary.ko]`: the original has none on purpose, nothing to translate
    english, korean = pair.get("en"), pair.get("ko")
    if not isinstance(english, str) or not english.strip() or (isinstance(korean, str) and korean.strip()):
        return None
    return Field(path, english.strip(), source.meta.positions.get(path + ("en",), (None, None))[0])
