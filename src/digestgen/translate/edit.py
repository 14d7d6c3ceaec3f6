"""Edit an issue file in place: fill one empty Korean field, add or remove machine-translation
marks, fill the Korean introduction. Each edit touches only the lines of that field, so the
editor's layout, quoting and comments elsewhere stay exactly as written; each edit is read back
with the project's YAML reader and refused (EditError) unless it changed exactly what was asked.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

import yaml
from frontmatter.default_handlers import YAMLHandler

from ..imports.issue_file import field_lines, quoted_scalar
from ..load import MARK_KEY, split_intro
from ..source import FieldPath, format_field, parse_yaml
from .fields import child

_EMPTY_REST = re.compile(r"""^[ \t]*(?:""|''|[|>][-+]?[0-9]?|~|null|Null|NULL)?[ \t]*(?P<comment>#.*)?$""")
_EN_MARKER = re.compile(r"^<!--\s*en\s*-->\s*$", re.MULTILINE)


class EditError(Exception):
    """The file is written in a way this module cannot edit safely; the message says what to do."""


@dataclass(frozen=True)
class IssueText:
    """A content file cut into its three parts; ``str(self)`` gives the file back byte for byte."""

    head: str
    """The opening '---' line."""
    front: str
    """The front-matter, each line ending in a newline."""
    tail: str
    """The closing line and the Markdown body."""

    @classmethod
    def parse(cls, text: str) -> IssueText:
        lines = text.split("\n")
        boundary = YAMLHandler.FM_BOUNDARY
        closing = next(
            (i for i in range(1, len(lines)) if boundary.fullmatch(lines[i]) or lines[i].rstrip() == "..."), None
        )
        if not lines or not boundary.fullmatch(lines[0]) or closing is None:
            raise EditError("no front-matter between '---' lines")
        front = "".join(line + "\n" for line in lines[1:closing])
        return cls(lines[0] + "\n", front, "\n".join(lines[closing:]))

    def __str__(self) -> str:
        return self.head + self.front + self.tail

    @property
    def body(self) -> str:
        return self.tail.partition("\n")[2]

    def with_front(self, front: str) -> IssueText:
        return IssueText(self.head, front, self.tail)

    def with_body(self, body: str) -> IssueText:
        return IssueText(self.head, self.front, self.tail.partition("\n")[0] + "\n" + body)


def fill_korean(text: IssueText, path: FieldPath, value: str) -> IssueText:
    """Write ``value`` as ``ko`` of the bilingual mapping at ``path`` (which has no Korean yet)."""
    front = text.front
    root = _compose(front)
    node = _node_at(root, path)
    if not isinstance(node, yaml.MappingNode):
        raise EditError(f"{format_field(path)} is not a mapping of ko/en")
    parent = str(path[-1])
    entry = _entry(node, "ko")
    if node.flow_style:  # {en: "..."}: put the Korean first, quoted (any text fits there)
        brace = node.start_mark.index
        if entry is not None:
            raise EditError(f"{format_field(path)} is written inline ({{...}}); write it as lines to translate it")
        front = front[: brace + 1] + f"ko: {quoted_scalar(value)}, " + front[brace + 1 :]
    elif entry is not None:
        key, _ = entry
        front = _replace_empty_value(front, key, field_lines("ko", value, key.start_mark.column, parent))
    else:
        first = node.value[0][0]
        start = _line_start(front, first.start_mark.index)
        if front[start : first.start_mark.index].strip():
            raise EditError(f"{format_field(path)}: its first key shares a line with something else")
        lines = field_lines("ko", value, first.start_mark.column, parent)
        front = front[:start] + "".join(line + "\n" for line in lines) + front[start:]
    expected = copy.deepcopy(_data(text.front))
    _get(expected, path)["ko"] = value
    return _checked(text, front, expected, format_field(path + ("ko",)))


def set_marks(text: IssueText, path: FieldPath, names: list[str]) -> IssueText:
    """Make ``machine_translated`` of the mapping at ``path`` (the issue: ``()``) list exactly
    ``names``; an empty list removes the key with its lines."""
    front = text.front
    root = _compose(front)
    node = _node_at(root, path)
    if not isinstance(node, yaml.MappingNode) or node.flow_style:
        raise EditError(f"{format_field(path) or 'the front-matter'} must be written as lines (not inline)")
    entry = _entry(node, MARK_KEY)
    flow = "[" + ", ".join(names) + "]"
    if entry is None and names:
        column = node.value[0][0].start_mark.column
        at = _issue_mark_place(front, node) if not path else _after_last_value(front, node)
        front = front[:at] + f"{' ' * column}{MARK_KEY}: {flow}\n" + front[at:]
    elif entry is not None and not names:
        key, value = entry
        start = _line_start(front, key.start_mark.index)
        if front[start : key.start_mark.index].strip():
            raise EditError(f"{format_field(path + (MARK_KEY,))}: shares its line with another key; delete it by hand")
        end = _line_end(front, _last_scalar(value).end_mark.index if _has_content(value) else key.end_mark.index)
        front = front[:start] + front[end:]
    elif entry is not None:
        key, value = entry
        if isinstance(value, yaml.SequenceNode) and value.flow_style:
            front = front[: value.start_mark.index] + flow + front[value.end_mark.index :]
        elif isinstance(value, yaml.SequenceNode) and value.value:  # "- name" lines: rewrite them as one line
            start = _line_start(front, key.start_mark.index)
            end = _line_end(front, _last_scalar(value).end_mark.index)
            front = front[:start] + f"{' ' * key.start_mark.column}{MARK_KEY}: {flow}\n" + front[end:]
        else:
            front = _replace_empty_value(front, key, [f"{' ' * key.start_mark.column}{MARK_KEY}: {flow}"])
    expected = copy.deepcopy(_data(text.front))
    target = _get(expected, path)
    if names:
        target[MARK_KEY] = list(names)
    else:
        target.pop(MARK_KEY, None)
    return _checked(text, front, expected, format_field(path + (MARK_KEY,)))


def fill_intro(text: IssueText, value: str) -> IssueText:
    """Put ``value`` as the Korean introduction, before ``<!-- en -->`` (the Korean part is empty)."""
    body = text.body
    marker = _EN_MARKER.search(body)
    if marker is None or body[: marker.start()].strip():
        raise EditError("intro.ko: the introduction has no empty Korean part before '<!-- en -->'")
    edited = text.with_body(value + "\n\n" + body[marker.start() :])
    ko, en, _ = split_intro(edited.body, 0)
    if (ko, en) != (value.strip(), split_intro(body, 0)[1]):
        raise EditError("intro.ko: the Korean introduction would not read back as written; fill it by hand")
    return edited


def _checked(text: IssueText, front: str, expected: object, field: str) -> IssueText:
    try:
        data = _data(front)
    except Exception:  # any YAML failure of our own edit: refuse it rather than write it
        data = None
    if data != expected:
        raise EditError(f"{field}: could not be written without changing other fields; fill it by hand")
    return text.with_front(front)


def _data(front: str) -> dict[str, object]:
    data = parse_yaml(front, "<front-matter>").data
    if not isinstance(data, dict):
        raise EditError("the front-matter is not a mapping")
    return data


def _get(data: object, path: FieldPath) -> dict[str, object]:
    for part in path:
        data = child(data, part)
    assert isinstance(data, dict)
    return data


def _compose(front: str) -> yaml.Node:
    node = yaml.compose(front, Loader=yaml.SafeLoader)  # the pure-Python loader: marks carry indexes
    if node is None:
        raise EditError("the front-matter is empty")
    return node


def _node_at(node: yaml.Node, path: FieldPath) -> yaml.Node | None:
    for part in path:
        if isinstance(part, int) and isinstance(node, yaml.SequenceNode) and part < len(node.value):
            node = node.value[part]
        elif isinstance(part, str) and isinstance(node, yaml.MappingNode) and (entry := _entry(node, part)):
            node = entry[1]
        else:
            return None
    return node


def _entry(node: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    return next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def _replace_empty_value(front: str, key: yaml.Node, lines: list[str]) -> str:
    """Replace ``key: <empty>  # comment`` by ``lines`` (the comment stays on the key's line)."""
    colon = front.index(":", key.end_mark.index)
    end = _line_end(front, colon) - 1  # at the newline
    rest = _EMPTY_REST.match(front[colon + 1 : end])
    if rest is None:
        raise EditError(f"line {front.count(chr(10), 0, colon) + 2}: expected an empty value after '{key.value}:'")
    comment = f"  {rest['comment']}" if rest["comment"] else ""
    first = lines[0][key.start_mark.column :]
    return front[: key.start_mark.index] + first + comment + "".join("\n" + line for line in lines[1:]) + front[end:]


def _issue_mark_place(front: str, root: yaml.MappingNode) -> int:
    """The issue's marks go just before ``papers:``, where an editor reading the top sees them."""
    papers = _entry(root, "papers")
    if papers is None:
        return len(front)
    return _line_start(front, papers[0].start_mark.index)


def _after_last_value(front: str, node: yaml.MappingNode) -> int:
    """Index just after the line where the mapping's last value ends."""
    last = _last_scalar(node.value[-1][1])
    end = last.end_mark.index
    if last.end_mark.column == 0 and end > 0:  # a block scalar ends at the start of the next line
        return end
    return _line_end(front, end)


def _last_scalar(node: yaml.Node) -> yaml.Node:
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node


def _has_content(node: yaml.Node) -> bool:
    return not (isinstance(node, yaml.ScalarNode) and node.value == "" and node.style is None)


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    """Index just after the newline that ends the line holding ``index``."""
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1
