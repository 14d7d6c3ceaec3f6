"""Fixtures shared by all tests; the helpers themselves live in helpers.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import Project


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.chdir(tmp_path)  # messages show paths relative to the working directory
    return Project(tmp_path)


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[[str], Project]:
    def make(name: str) -> Project:
        root = tmp_path / name
        root.mkdir()
        return Project(root)

    return make
