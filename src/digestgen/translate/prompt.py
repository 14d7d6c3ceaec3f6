"""The instructions sent with each text: the editor's prompt file, the kind of text, and the
glossary entries that occur in it (the whole glossary would cost tokens on every request)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..config import TranslateSettings
from ..errors import DigestError, Problem, display_path
from ..schema import Reader
from ..source import parse_yaml, read_text

DEFAULT_PROMPT = """\
You translate an English text from a weekly digest of machine-learning papers into Korean.
Reply with the Korean translation only: no preface, no quotation marks, no notes.
Keep LaTeX math ($…$), inline code (`…`), URLs, Markdown markup and model names exactly as written.
A title stays one line."""

KINDS = {
    "title": "The text is the title of a paper.",
    "summary": "The text is a short summary of a paper (Markdown).",
    "abstract": "The text is a paper's abstract (Markdown).",
    "notice": "The text is a notice to readers (Markdown).",
    "intro": "The text is the introduction of this week's digest (Markdown).",
}


@dataclass(frozen=True)
class Instructions:
    prompt: str
    glossary: tuple[tuple[str, str], ...]
    """(English term, its fixed rendering), in the file's order."""

    def system(self, kind: str, text: str) -> str:
        lines = [self.prompt.strip(), "", KINDS[kind]]
        found = [(term, korean) for term, korean in self.glossary if _occurs(term, text)]
        if found:
            lines += ["", "Glossary: render these terms exactly so (a term shown as itself stays in English):"]
            lines += [f"- {term} → {korean}" for term, korean in found]
        return "\n".join(lines)


def load_instructions(settings: TranslateSettings) -> Instructions:
    prompt = DEFAULT_PROMPT
    if settings.prompt is not None:
        prompt = read_text(settings.prompt, display_path(settings.prompt))
        if not prompt.strip():
            raise DigestError(Problem(display_path(settings.prompt), 1, None, "", "the prompt file is empty"))
    return Instructions(prompt, _glossary(settings.glossary) if settings.glossary else ())


def _glossary(path: Path) -> tuple[tuple[str, str], ...]:
    shown = display_path(path)
    doc = parse_yaml(read_text(path, shown), shown)
    if doc.data is None:
        return ()
    r = Reader(doc, shown)
    if not isinstance(doc.data, dict):
        r.error((), "must be a mapping of `English term: Korean rendering` lines")
        raise DigestError(r.problems)
    entries = tuple((str(term), r.text((term,), required=True).strip()) for term in doc.data)
    if r.problems:
        raise DigestError(r.problems)
    return entries


def _occurs(term: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text, re.IGNORECASE) is not None
