"""Read an input file: bytes → text → front-matter and body, YAML values with their positions.

YAML is composed to nodes and turned into plain values here, by hand, so that every value keeps
the line and column it came from, only plain YAML types are ever constructed (no object tags),
duplicate keys are reported instead of silently overwritten, and alias bombs stop early.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import yaml
from frontmatter.default_handlers import YAMLHandler

from .errors import DigestError, Problem, display_path
from .yaml_errors import yaml_problem

MAX_FILE_BYTES = 4 * 1024 * 1024
"""A week is ~50 KB; anything this large is a mistake, refused before parsing."""
MAX_YAML_VALUES = 200_000
"""Bound on values built from one document, so aliases cannot blow up memory or time."""

FieldPath = tuple[str | int, ...]

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters that are not allowed in XML (feeds) and are invisible mistakes in HTML."""
_GUESSED_ENCODINGS = ("cp949", "euc_kr", "shift_jis", "gb18030", "cp1252")


def format_field(path: FieldPath) -> str:
    """('papers', 2, 'summary', 'en') → 'papers[2].summary.en'"""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass(frozen=True)
class YamlDoc:
    """Plain values of one YAML document with the 1-based position of every value and key."""

    data: object
    positions: Mapping[FieldPath, tuple[int, int]] = field(default_factory=dict)
    key_positions: Mapping[FieldPath, tuple[int, int]] = field(default_factory=dict)
    plain_scalars: Mapping[FieldPath, str] = field(default_factory=dict)
    """The text as written of every unquoted scalar YAML read as a non-string (number, bool, date)."""
    text_lines: Mapping[FieldPath, int] = field(default_factory=dict)
    """Line where each scalar's text begins: a block scalar (``|-``) starts on the line after its
    indicator. Lines inside rendered Markdown are counted from here."""

    def where(self, path: FieldPath, *, key: bool = False) -> tuple[int | None, int | None]:
        """Position of a value (or of its key), falling back to the nearest parent."""
        table = self.key_positions if key else self.positions
        while True:
            if path in table:
                return table[path]
            if path in self.positions:
                return self.positions[path]
            if not path:
                return None, None
            path = path[:-1]


@dataclass(frozen=True)
class SourceFile:
    """A content file split into its front-matter (as YAML) and its Markdown body."""

    path: Path
    display: str
    """The path as shown in messages."""
    meta: YamlDoc
    body: str
    body_line: int
    """1-based line of the body's first line in the file."""


def read_text(path: Path, display: str | None = None) -> str:
    """Read a file as UTF-8 (BOM and CRLF accepted) or raise a DigestError that says why not."""
    shown = display or display_path(path)
    try:
        with path.open("rb") as handle:  # read at most one byte past the limit: a huge file costs nothing
            raw = handle.read(MAX_FILE_BYTES + 1)
            size = os.fstat(handle.fileno()).st_size
    except OSError as exc:
        raise DigestError(Problem(shown, None, None, "", f"cannot read file: {exc.strerror}")) from None
    return decode_text(raw, shown, size)


def decode_text(raw: bytes, shown: str, size: int = 0) -> str:
    """Bytes of a text file (or of stdin) as UTF-8 with LF line ends, or a DigestError saying why not.
    ``size`` is the whole file's size when only its start was read."""
    if len(raw) > MAX_FILE_BYTES:
        raise DigestError(
            Problem(
                shown,
                None,
                None,
                "",
                f"file is {max(size, len(raw)) / 1048576:.1f} MiB; the limit is "
                f"{MAX_FILE_BYTES // 1048576} MiB (one week's file is usually under 100 KiB)",
            )
        )
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DigestError(
            Problem(shown, line, None, "", f"file is not UTF-8{_guess_encoding(raw)}; save it as UTF-8")
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = CONTROL_CHARS.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - text.rfind("\n", 0, bad.start())
        raise DigestError(
            Problem(shown, line, column, "", f"{describe_char(bad.group())} is not allowed in text; delete it")
        )
    return text


def describe_char(char: str) -> str:
    return f"invisible control character U+{ord(char):04X}"


def _guess_encoding(raw: bytes) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return " (it looks like UTF-16)"
    for name in _GUESSED_ENCODINGS:
        try:
            raw.decode(name)
        except UnicodeDecodeError:
            continue
        label = {
            "cp949": "CP949 (EUC-KR)",
            "euc_kr": "EUC-KR",
            "shift_jis": "Shift_JIS",
            "gb18030": "GB18030",
            "cp1252": "Windows-1252",
        }[name]
        return f" (it looks like {label})"
    return ""


def read_source(path: Path, display: str | None = None) -> SourceFile:
    """Read a content file: front-matter between '---' lines, then the Markdown body."""
    shown = display or display_path(path)
    text = read_text(path, shown)
    if not text.strip():
        raise DigestError(Problem(shown, 1, None, "", "file is empty; it needs a front-matter between '---' lines"))
    lines = text.split("\n")
    boundary = YAMLHandler.FM_BOUNDARY
    if not boundary.fullmatch(lines[0]):
        raise DigestError(Problem(shown, 1, 1, "", "no front-matter: the file must start with a line '---'"))
    closing = next(
        (i for i in range(1, len(lines)) if boundary.fullmatch(lines[i]) or lines[i].rstrip() == "..."), None
    )
    if closing is None:
        raise DigestError(Problem(shown, 1, 1, "", "front-matter is not closed: add a line '---' after it"))
    meta = parse_yaml("\n".join(lines[1:closing]) + "\n", shown, first_line=2)
    body = "\n".join(lines[closing + 1 :])
    return SourceFile(path=path, display=shown, meta=meta, body=body, body_line=closing + 2)


def parse_yaml(text: str, display: str, first_line: int = 1) -> YamlDoc:
    """Parse one YAML document into plain values, recording positions; safe types only."""
    try:
        try:
            # libyaml is ~20x faster; its nodes carry the same line/column marks. Its error
            # messages differ, so a document it rejects is parsed again in Python for the message.
            node = yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        raise DigestError(yaml_problem(exc, text, display, first_line)) from None
    except yaml.YAMLError as exc:
        raise DigestError(Problem(display, first_line, None, "", f"YAML error: {exc}")) from None
    if node is None:
        return YamlDoc(data=None)
    builder = _Builder(display, first_line)
    data = builder.build(node, ())
    if builder.problems:
        raise DigestError(builder.problems)
    return YamlDoc(
        data=data,
        positions=MappingProxyType(builder.positions),
        key_positions=MappingProxyType(builder.key_positions),
        plain_scalars=MappingProxyType(builder.plain_scalars),
        text_lines=MappingProxyType(builder.text_lines),
    )


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Builder:
    def __init__(self, display: str, first_line: int) -> None:
        self.display = display
        self.first_line = first_line
        self.positions: dict[FieldPath, tuple[int, int]] = {}
        self.key_positions: dict[FieldPath, tuple[int, int]] = {}
        self.plain_scalars: dict[FieldPath, str] = {}
        self.text_lines: dict[FieldPath, int] = {}
        self.problems: list[Problem] = []
        self.count = 0
        self.active: set[int] = set()
        self.constructor = yaml.constructor.SafeConstructor()

    def _pos(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + self.first_line, node.start_mark.column + 1

    def _problem(self, node: yaml.Node, path: FieldPath, message: str) -> None:
        line, column = self._pos(node)
        self.problems.append(Problem(self.display, line, column, format_field(path), message))

    def build(self, node: yaml.Node, path: FieldPath) -> object:
        self.count += 1
        if self.count > MAX_YAML_VALUES:
            if self.count == MAX_YAML_VALUES + 1:
                self._problem(node, path, f"more than {MAX_YAML_VALUES} values (runaway YAML aliases?)")
            return None
        self.positions[path] = self._pos(node)
        if isinstance(node, yaml.ScalarNode):
            self.text_lines[path] = self._pos(node)[0] + (1 if node.style in ("|", ">") else 0)
            return self._scalar(node, path)
        if id(node) in self.active:
            self._problem(node, path, "a YAML alias refers to itself")
            return None
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                if node.tag != "tag:yaml.org,2002:seq":
                    self._problem(node, path, f"YAML tag {node.tag} is not allowed")
                    return None
                return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
            if not isinstance(node, yaml.MappingNode) or node.tag != "tag:yaml.org,2002:map":
                self._problem(node, path, f"YAML tag {node.tag} is not allowed")
                return None
            return self._mapping(node, path)
        finally:
            self.active.discard(id(node))

    def _scalar(self, node: yaml.ScalarNode, path: FieldPath) -> object:
        if node.tag not in _PLAIN_TAGS:
            self._problem(node, path, f"YAML tag {node.tag} is not allowed")
            return None
        if node.tag == "tag:yaml.org,2002:str":
            return node.value  # what the constructor would return, without its bookkeeping (most values are text)
        self.plain_scalars[path] = node.value
        try:
            return self.constructor.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError) as exc:
            what = "impossible date" if node.tag.endswith(":timestamp") else "invalid value"
            self._problem(node, path, f"{what} {node.value!r} ({exc})")
            return None

    def _mapping(self, node: yaml.MappingNode, path: FieldPath) -> dict[object, object]:
        out: dict[object, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                self._problem(key_node, path, "keys must be plain names (no '<<' merges or complex keys)")
                continue
            key = self._scalar(key_node, path)
            if isinstance(key, (int, float, bool)) or key is None:
                key = key_node.value  # a key is a name; `2023: x` means the name "2023"
            key = str(key)
            if key in out:
                self._problem(key_node, path + (key,), "duplicate key (the earlier value would be lost)")
                continue
            self.key_positions[path + (key,)] = self._pos(key_node)
            out[key] = self.build(value_node, path + (key,))
        return out
