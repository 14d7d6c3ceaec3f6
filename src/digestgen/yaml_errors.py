"""YAML syntax errors as editors can act on them: the line with a caret under the column, and a hint
for the usual traps (a tab in the indentation, a key indented wrongly, an unquoted ``: `` or `` #``
in a value, a ``- `` list item beside ``key: value`` lines).

PyYAML's own wording (``mapping values are not allowed here``) is kept as the message, since it is
what a search finds; the hint underneath says what it most likely means here and what to type.
"""

from __future__ import annotations

import re
import unicodedata

import yaml

from .errors import Problem

TAB = "→"
"""How a tab is shown in the excerpt: visible, and one column wide so the caret lines up."""

_KEY_THEN_VALUE = re.compile(r"(?P<key>\s*(?:-\s+)?[^\s:#\"'][^:#]*?):\s+(?P<value>\S.*)")
_COMMENT = re.compile(r"(?<=\s)#|(?<=[\[{,])#")


def yaml_problem(exc: yaml.MarkedYAMLError, text: str, display: str, first_line: int) -> Problem:
    """The Problem for a YAML syntax error in ``text`` (whose first line is ``first_line`` of the file)."""
    lines = text.split("\n")
    mark = exc.problem_mark or exc.context_mark
    row, column = (mark.line, mark.column) if mark else (0, 0)
    hint, row, column = _hint(exc, lines, row, column, first_line)
    what = exc.problem or exc.context or "invalid YAML"
    line_no = row + first_line
    source_line = lines[row] if row < len(lines) else ""
    return Problem(
        display,
        line_no,
        column + 1,
        "",
        f"YAML syntax error: {what}",
        excerpt=excerpt(source_line, line_no, column) + (f"\n  hint: {hint}" if hint else ""),
    )


def excerpt(line: str, line_no: int, column: int) -> str:
    """``  12 | the line`` and a caret under 0-based ``column`` (wide Korean characters count two)."""
    gutter = " " * len(str(line_no))
    shown = line.replace("\t", TAB)
    pad = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in shown[:column])
    return f"  {line_no} | {shown}\n  {gutter} | {' ' * pad}^"


def _hint(exc: yaml.MarkedYAMLError, lines: list[str], row: int, column: int, first_line: int) -> tuple[str, int, int]:
    """A hint, and the place to point at (a stray ``#`` is a better place than the end of the text).
    (Long only because it is one flat list of cases, each a test of PyYAML's message and its hint.)"""
    problem, context = exc.problem or "", exc.context or ""
    line = lines[row] if row < len(lines) else ""
    if "'\\t'" in problem:
        return (
            f"this line is indented with a tab (shown as {TAB}); YAML indents with spaces only: "
            "replace the tab with spaces",
            row,
            column,
        )
    if "flow" in context or "<stream end>" in problem:
        last = min(row, len(lines) - 1)
        start = min(exc.context_mark.line if exc.context_mark else row, last - 3)
        for at in range(last, max(start, 0) - 1, -1):  # the nearest '#' before the place YAML gave up
            comment = _COMMENT.search(lines[at])
            if comment and lines[at][: comment.start()].strip():
                return (
                    "' #' starts a comment, so YAML stopped reading the value there; "
                    'put the value in quotes, e.g. "… #1 …"',
                    at,
                    comment.start(),
                )
    if "flow" in context and exc.context_mark and problem.startswith("expected ','"):
        opened = "{" if "mapping" in context else "["
        return (
            f"the '{opened}' on line {exc.context_mark.line + first_line} is not closed, "
            "or a ',' is missing between its items",
            row,
            column,
        )
    if problem == "mapping values are not allowed here":
        found = _KEY_THEN_VALUE.fullmatch(line[:column] + line[column:])
        if found and len(found.group("key")) < column:
            key, value = found.group("key").rstrip(), found.group("value").rstrip()
            quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
            return (
                f"a ': ' inside a value makes YAML read a new key; put the value in quotes: {key.strip()}: {quoted}",
                row,
                column,
            )
        return (
            "this key is indented more than the key above it, so YAML reads it as part of that key's "
            "value; line it up with the keys beside it (spaces only)",
            row,
            column,
        )
    if "found '?'" in problem and "block collection" in context:
        above = (exc.context_mark.line if exc.context_mark else row) + first_line
        return (
            f"this key is at the level of the '- ' items (line {above}), and a list holds only '- ' items; "
            "to add it to the item above, indent it to line up with that item's first key",
            row,
            column,
        )
    if "found '-'" in problem and "block mapping" in context:
        return (
            "a '- ' list item among 'key: value' lines; a mapping and a list cannot share one level: "
            "put the list under a key of its own, indented below it",
            row,
            column,
        )
    if "<block mapping start>" in problem:
        return (
            "this line is indented differently from the keys above it; keys of one mapping start in "
            "the same column (use spaces)",
            row,
            column,
        )
    if "could not find expected ':'" in problem or "found '<scalar>'" in problem:
        return (
            "a line that is not 'key: value'; if it continues the text above, indent it further, "
            "or write the text as a block (key: |-, then the text indented below)",
            row,
            column,
        )
    return "", row, column
