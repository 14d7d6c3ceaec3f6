"""Typed reading of YAML values with positions: each accessor checks one field and records
what is wrong with it (file, line, column, field), so that all problems are reported at once."""

from __future__ import annotations

import difflib
import re
from datetime import date, datetime
from urllib.parse import urlsplit

from .errors import Problem
from .model import Bilingual
from .source import CONTROL_CHARS, FieldPath, YamlDoc, describe_char, format_field

_MISSING = object()


def is_http_url(value: str) -> bool:
    """True for an absolute http(s) URL with a host and nothing that could break out of markup."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not re.search(r"[\s\"'<>\\`]", value)


class Reader:
    """Reads fields of one YAML document; problems accumulate in ``problems``."""

    def __init__(self, doc: YamlDoc, display: str) -> None:
        self.doc = doc
        self.display = display
        self.problems: list[Problem] = []

    def error(self, path: FieldPath, message: str, *, key: bool = False) -> None:
        line, column = self.doc.where(path, key=key)
        self.problems.append(Problem(self.display, line, column, format_field(path), message))

    def line(self, path: FieldPath) -> int | None:
        return self.doc.where(path)[0]

    def get(self, path: FieldPath) -> object:
        value: object = self.doc.data
        for part in path:
            if isinstance(part, int) and isinstance(value, list) and part < len(value):
                value = value[part]
                continue
            if not (isinstance(part, str) and isinstance(value, dict) and part in value):
                return _MISSING
            value = value[part]
        return value

    def has(self, path: FieldPath) -> bool:
        return self.get(path) not in (_MISSING, None)

    def mapping(self, path: FieldPath, known: tuple[str, ...], required: tuple[str, ...] = ()) -> bool:
        """Check that ``path`` is a mapping with only known keys and all required ones."""
        value = self.get(path)
        if not isinstance(value, dict):
            what = "missing" if value is _MISSING or value is None else f"must be a mapping, not {_kind(value)}"
            self.error(path, "required" if what == "missing" else what)
            return False
        for key in value:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(known)}"
                self.error(path + (key,), f"unknown key{hint}", key=True)
        for key in required:
            if value.get(key) is None:
                self.error(path + (key,), "required")
        return True

    def text(self, path: FieldPath, *, required: bool = False, empty_ok: bool = False) -> str:
        value = self.get(path)
        if value is _MISSING or value is None:
            if required:
                self.error(path, "required")
            return ""
        if not isinstance(value, str):
            written = self.doc.plain_scalars.get(path)
            if written is not None and not isinstance(value, (list, dict)):
                self.error(path, f'must be text, but YAML read {written!r} as {_kind(value)}; quote it: "{written}"')
            else:
                self.error(path, f"must be text, not {_kind(value)}")
            return ""
        if required and not empty_ok and not value.strip():
            self.error(path, "required (it is empty)")
        bad = CONTROL_CHARS.search(value)
        if bad:  # written as an escape in a quoted YAML string ("\x1b"); feeds cannot carry it
            self.error(path, f"{describe_char(bad.group())} is not allowed in text; delete it")
            return ""
        return value

    def date(self, path: FieldPath, *, required: bool = False) -> date | None:
        value = self.get(path)
        if value is _MISSING or value is None:
            if required:
                self.error(path, "required")
            return None
        if isinstance(value, datetime):
            self.error(path, "must be a date (YYYY-MM-DD), without a time")
            return None
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.error(path, f"must be a date written YYYY-MM-DD, not {value!r}")
        return None

    def boolean(self, path: FieldPath) -> bool:
        value = self.get(path)
        if value is _MISSING or value is None:
            return False
        if not isinstance(value, bool):
            self.error(path, f"must be true or false, not {value!r}")
            return False
        return value

    def url(self, path: FieldPath, *, required: bool = False) -> str:
        value = self.text(path, required=required)
        if value and not is_http_url(value.strip()):
            self.error(path, f"must be an http(s) URL, not {value!r}")
            return ""
        return value.strip()

    def bilingual(self, path: FieldPath, *, required: tuple[str, ...] = ()) -> Bilingual:
        """A ``{ko, en}`` mapping (a plain string is an error: say which language it is)."""
        value = self.get(path)
        if value is _MISSING or value is None:
            for lang in required:
                self.error(path + (lang,), "required")
            return Bilingual()
        if not self.mapping(path, ("ko", "en")):
            return Bilingual()
        return Bilingual(
            ko=self.text(path + ("ko",), required="ko" in required).strip(),
            en=self.text(path + ("en",), required="en" in required).strip(),
        )

    def year(self, path: FieldPath) -> int | None:
        """A year such as 2023 (a paper's publication year)."""
        value = self.get(path)
        if value is _MISSING or value is None:
            return None
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)  # "2023", quoted, means the same
        if isinstance(value, bool) or not isinstance(value, int) or not 1000 <= value <= 9999:
            self.error(path, f"must be a year such as 2023, not {value!r}")
            return None
        return value

    def string_list(self, path: FieldPath) -> tuple[str, ...]:
        value = self.get(path)
        if value is _MISSING or value is None:
            return ()
        if not isinstance(value, list):
            self.error(path, f"must be a list, not {_kind(value)}")
            return ()
        return tuple(self.text(path + (i,), required=True).strip() for i in range(len(value)))


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, datetime):
        return "a date and time"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return "text"
    return type(value).__name__
