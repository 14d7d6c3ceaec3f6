"""The benchmark's corpus generator: deterministic, seed-like, and a valid digestgen project."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from bs4 import BeautifulSoup

from digestgen.build import build
from digestgen.config import load_config
from helpers import REPO, snapshot


def corpus_module() -> ModuleType:
    """benchmarks/corpus.py, which is a script beside the package, not part of it."""
    spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "benchmarks" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_corpus"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_corpus_is_deterministic_and_seed_like(tmp_path: Path) -> None:
    corpus = corpus_module()
    corpus.write_all(3, tmp_path / "a")
    corpus.write_all(3, tmp_path / "b")
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
    weeks = corpus.make_corpus(20)
    papers = [p for w in weeks for p in w.papers]
    assert len(papers) == 200
    assert 0.1 < sum(not p.abstract_en for p in papers) / len(papers) < 0.3  # ~1 in 5 without abstract
    assert all(1 <= len(p.tags) <= 3 and p.arxiv.startswith("https://arxiv.org/abs/") for p in papers)
    assert all(len(w.intro_ko) == len(w.intro_en) == 3 for w in weeks)
    assert 250 < sum(len(p.summary_en) for p in papers) / len(papers) < 500


def test_corpus_builds_with_digestgen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus_module().write_all(2, tmp_path)
    monkeypatch.chdir(tmp_path / "digestgen")
    result = build(load_config(tmp_path / "digestgen" / "site.yaml"))
    assert (result.issues, result.papers) == (2, 20)
    soup = BeautifulSoup((result.output / "ko" / "issues" / "2020-01-06" / "index.html").read_text(), "html5lib")
    assert len(soup.select("article.paper")) == 10
    for tool, name in (("hugo", "hugo.toml"), ("pelican", "pelicanconf.py")):
        assert (tmp_path / tool / name).is_file()
    assert len(list((tmp_path / "hugo" / "content" / "papers").glob("p*.md"))) == 20
    assert len(list((tmp_path / "pelican" / "content").rglob("*.md"))) == 20
