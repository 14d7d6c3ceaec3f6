"""The package's shape: no import cycles in src/digestgen, and imports that go one way (the model
imports nothing of ours; the cache and the writer know nothing of rendering; the command line
depends on the commands, never the reverse; only the writer changes the output folder)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from digestgen.cli import COMMANDS
from helpers import REPO

PACKAGE = REPO / "src" / "digestgen"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Modules of the package ``path`` imports, anywhere in it (imports inside functions too)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("digestgen"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            if not base.startswith("digestgen"):
                continue
            for alias in node.names:  # `from . import check` imports the module digestgen.check
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return found - {name}


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}
GRAPH = {name: imports_of(path) & set(MODULES) for name, path in MODULES.items()}
# The command line imports each command's module by name, when that command runs (cli.COMMANDS).
GRAPH["digestgen.cli"] |= {f"digestgen{module}" for module in COMMANDS.values()}


def reachable(start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in GRAPH[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def cycles() -> Iterator[list[str]]:
    """One cycle through each module that is on one (depth-first search, paths kept)."""
    for start in sorted(GRAPH):
        stack = [(start, [start])]
        seen: set[str] = set()
        while stack:
            node, path = stack.pop()
            for nxt in sorted(GRAPH[node]):
                if nxt == start:
                    yield [*path, start]
                    stack.clear()
                    break
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*path, nxt]))


def test_the_import_graph_is_read_right() -> None:
    """The graph the other tests look at holds the imports we know of (so they cannot pass on an empty graph)."""
    assert "digestgen.model" in GRAPH["digestgen.load"]
    assert "digestgen.check" in GRAPH["digestgen.cli"]  # named in cli.COMMANDS
    assert "digestgen.stages" in GRAPH["digestgen.build"]  # imported inside _build
    assert "digestgen.load" in GRAPH["digestgen.imports.command"]  # `from ..load import`
    assert reachable("digestgen.cli") >= {"digestgen.build", "digestgen.render", "digestgen.model"}


def test_cycle_finder_finds_a_cycle() -> None:
    GRAPH["digestgen.model"].add("digestgen.load")
    try:
        assert ["digestgen.load", "digestgen.model", "digestgen.load"] in list(cycles())
    finally:
        GRAPH["digestgen.model"].discard("digestgen.load")


def test_no_import_cycles() -> None:
    assert list(cycles()) == []


def test_the_model_imports_nothing_of_ours() -> None:
    assert GRAPH["digestgen.model"] == set()


def test_the_cache_and_the_writer_know_nothing_of_rendering() -> None:
    rendering = {"digestgen.render", "digestgen.exports", "digestgen.templates", "digestgen.views", "digestgen.plan"}
    assert reachable("digestgen.cache").isdisjoint(rendering)
    assert reachable("digestgen.write") == {"digestgen.errors"}


def test_the_command_line_depends_on_the_commands_not_the_reverse() -> None:
    importers = {name for name, imported in GRAPH.items() if "digestgen.cli" in imported}
    assert importers == {"digestgen.__main__"}
    for command in ("check", "serve", "scaffold", "build"):
        assert "digestgen.cli" not in reachable(f"digestgen.{command}")


CHANGES_FILES = {"write_bytes", "write_text", "mkdir", "rmtree", "unlink", "rmdir", "mkdtemp"}
WRITERS = {
    "digestgen.write": "the output folder (and its staging folder)",
    "digestgen.cache": "the build cache's folder beside the output",
    "digestgen.templates": "the compiled-template cache inside the build cache's folder",
    "digestgen.search": "a temporary folder Pagefind works in",
    "digestgen.serve": "its temporary folder of builds",
    "digestgen.scaffold": "a new content file (`digestgen new`)",
    "digestgen.imports.command": "new content files (`digestgen import`)",
    "digestgen.translate.command": "the content files it fills in (`digestgen translate`, `reviewed`)",
    "digestgen.forum_post": "the forum post's text file (`digestgen export post`)",
}


def changes_files(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr in CHANGES_FILES:
            return True
        if (
            node.func.attr in ("replace", "rename")
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "os"
        ):
            return True
        if node.func.attr == "open" and any(
            isinstance(a, ast.Constant) and str(a.value)[:1] in "wxa" for a in node.args
        ):
            return True
    return False


def test_only_the_writer_changes_the_output_folder() -> None:
    """Every module that creates, replaces or deletes files is one of these, each writing only where
    it says; of them, only write.py is given the output folder."""
    assert {name for name, path in MODULES.items() if changes_files(path)} == set(WRITERS)
    for name in set(WRITERS) - {"digestgen.write", "digestgen.serve"}:
        text = MODULES[name].read_text(encoding="utf-8")
        assert "write_site" not in text and "update_site" not in text, name
