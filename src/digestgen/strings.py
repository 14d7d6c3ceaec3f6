"""UI strings as data: ``templates/strings.yaml`` holds every text the templates show, in both
languages; a key one language lacks, or a key a template asks for that neither has, is an error."""

from __future__ import annotations

from pathlib import Path

from .errors import DigestError, Problem, display_path
from .model import LANGS
from .source import parse_yaml, read_text

STRINGS_FILE = "strings.yaml"
"""In the templates folder."""


def load_strings(templates_dir: Path) -> dict[str, Strings]:
    """Each language's strings; a key present in one language only is an error."""
    path = templates_dir / STRINGS_FILE
    shown = display_path(path)
    doc = parse_yaml(read_text(path, shown), shown)
    data = doc.data
    if not isinstance(data, dict) or set(data) != set(LANGS):
        raise DigestError(Problem(shown, 1, None, "", f"must map each of {', '.join(LANGS)} to its strings"))
    problems = []
    for lang in LANGS:
        other = "en" if lang == "ko" else "ko"
        if not isinstance(data[lang], dict):
            problems.append(Problem(shown, doc.where((lang,))[0], None, lang, "must be a mapping of strings"))
            continue
        for key, value in data[lang].items():
            if not isinstance(value, str):
                problems.append(Problem(shown, doc.where((lang, key))[0], None, f"{lang}.{key}", "must be text"))
            if isinstance(data[other], dict) and key not in data[other]:
                problems.append(
                    Problem(
                        shown,
                        doc.where((lang, key))[0],
                        None,
                        f"{other}.{key}",
                        f"missing (the {lang} strings have it)",
                    )
                )
    if problems:
        raise DigestError(problems)
    return {lang: Strings(lang, data[lang], shown) for lang in LANGS}


class Strings(dict[str, str]):
    """A language's strings; a missing key stops the build instead of leaving a blank."""

    def __init__(self, lang: str, values: dict[str, str], source: str) -> None:
        super().__init__(values)
        self.lang, self.source = lang, source

    def __getattr__(self, key: str) -> str:
        try:
            return self[key]
        except KeyError:
            raise DigestError(
                Problem(self.source, None, None, f"{self.lang}.{key}", "missing UI string (a template uses it)")
            ) from None
