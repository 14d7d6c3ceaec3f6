"""Editors' and operating systems' own files, which sit beside content but are never part of it.

Emacs keeps a lock link ``.#x.md`` (a symlink to nowhere) while a buffer has unsaved changes and
autosaves to ``#x.md#``; it and many other editors leave backups ``x.md~``; Vim writes swap files
``.x.md.swp`` and a probe file ``4913``; macOS and Windows drop ``.DS_Store``, ``._x.md`` and
``Thumbs.db``. Loading, copying static files and the ``serve`` watcher all pass these over
silently: an editor must be able to save, or leave a file open, without the build noticing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_TEMPORARY = re.compile(
    r"""
      \.\#.*            # Emacs lock link
    | \#.*\#            # Emacs autosave
    | .*~               # backups (Emacs, gedit, nano …)
    | \..*\.sw[a-p]     # Vim swap files (.swp, .swo, …)
    | 4913              # Vim's probe that the folder is writable
    | \.DS_Store | \._.* | Thumbs\.db | desktop\.ini   # macOS, Windows
    | .*\.(bak|orig|tmp)
    """,
    re.VERBOSE,
)


def is_editor_file(name: str) -> bool:
    """Is a file of this name an editor's or the system's, never content? (``name``: no folders.)"""
    return _TEMPORARY.fullmatch(name) is not None


def folder_files(root: Path) -> list[Path]:
    """Every file below ``root`` but editors' own, sorted; links to nowhere included (so that
    reading them names them), folders and ``__pycache__`` left out."""
    found: list[Path] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        found.extend(Path(folder, name) for name in names if not is_editor_file(name))
    return sorted(found)
