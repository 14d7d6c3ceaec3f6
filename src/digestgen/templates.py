"""The template environment: Jinja configured once (autoescape, StrictUndefined), its compiled-
template caches, what each template pulls in, the HTML ids the templates give a page, and template
errors turned into messages that name the template file and line."""

from __future__ import annotations

import re
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.bccache
import jinja2.meta

from .errors import DigestError, Problem, display_path


def make_environment(templates_dir: Path, bytecode: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """``bytecode`` keeps compiled templates between builds (Jinja checks them against the
    template's source), which spares a rebuild compiling every template again."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        bytecode_cache=bytecode,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # One build reads each template once; checking its mtime at every include cost ~5 % of rendering.
        auto_reload=False,
    )


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory, for a process that builds many times (``serve``)."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def file_bytecode_cache(folder: Path) -> jinja2.BytecodeCache | None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a cache that cannot be written only costs time
    return jinja2.FileSystemBytecodeCache(str(folder))


def render_template(env: jinja2.Environment, templates_dir: Path, template: str, context: Mapping[str, object]) -> str:
    """``template`` rendered with ``context``; a template's own mistake raises DigestError naming it."""
    try:
        return env.get_template(template).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        path = display_path(Path(exc.filename)) if exc.filename else template
        raise DigestError(Problem(path, exc.lineno, None, "", f"template syntax error: {exc.message}")) from None
    except jinja2.TemplateNotFound as exc:
        raise DigestError(
            Problem(display_path(templates_dir), None, None, "", f"template not found: {exc.name}")
        ) from None
    except jinja2.UndefinedError as exc:
        path, line = _template_position(exc, templates_dir)
        raise DigestError(Problem(path, line, None, "", f"template error: {exc.message}")) from None


def _template_position(exc: BaseException, templates_dir: Path) -> tuple[str, int | None]:
    """The innermost template frame of an error raised while rendering (Jinja maps lines back)."""
    found: tuple[str, int | None] = (display_path(templates_dir), None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename and Path(frame.filename).suffix in (".html", ".xml", ".txt"):
            found = (display_path(Path(frame.filename)), frame.lineno)
    return found


def template_closure(env: jinja2.Environment, names: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """``names`` and every template they extend, import or include, sorted; ``None`` (all
    templates) when one names another through a variable, which cannot be followed."""
    if names is None or env.loader is None:
        return None
    found: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found.add(name)
        try:
            source = env.loader.get_source(env, name)[0]
            referenced = list(jinja2.meta.find_referenced_templates(env.parse(source)))
        except (jinja2.TemplateNotFound, jinja2.TemplateSyntaxError):
            continue  # rendering reports it
        if None in referenced:
            return None
        todo.extend(r for r in referenced if r is not None)
    return tuple(sorted(found))


# --- the ids templates give a page --------------------------------------------------------------

_ID_ATTRIBUTE = re.compile(r"""\bid\s*=\s*(["'])(.*?)\1""", re.DOTALL)
_EXPRESSION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.DOTALL)


@dataclass(frozen=True)
class PageId:
    """An ``id`` attribute a template writes: its text with each ``{{ … }}`` in it as a hole."""

    parts: tuple[str, ...]
    """The literal text around the holes: one more than ``holes``."""
    holes: tuple[str, ...]
    """The expression in each hole, as written (``paper.id``, ``issue.key``)."""
    where: str
    """``templates/issue.html:27``, for messages."""

    def fill(self, values: Mapping[str, str]) -> str | None:
        """The id with every hole filled from ``values``; None when a hole's expression is not there."""
        if any(hole not in values for hole in self.holes):
            return None
        text = self.parts[0]
        for hole, part in zip(self.holes, self.parts[1:], strict=True):
            text += values[hole] + part
        return text


def page_ids(templates_dir: Path) -> tuple[PageId, ...]:
    """Every ``id="…"`` the HTML templates write, read from the templates themselves (so a new
    id in a template is checked against content ids with no list to keep up to date)."""
    found = []
    for path in sorted(templates_dir.rglob("*.html")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # rendering reports it
        for match in _ID_ATTRIBUTE.finditer(text):
            pieces = _EXPRESSION.split(match.group(2))
            line = text.count("\n", 0, match.start()) + 1
            found.append(PageId(tuple(pieces[0::2]), tuple(pieces[1::2]), f"{display_path(path)}:{line}"))
    return tuple(found)
