"""Test helpers: a throwaway project (the repo's templates, static files and settings) in tmp_path,
with content written from small dicts."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from digestgen.config import SiteConfig, load_config

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` by its relative POSIX path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def wait_until(predicate: Callable[[], bool], timeout: float = 15, what: str = "the condition") -> None:
    """Poll ``predicate`` until it holds; fail the test if it still does not after ``timeout`` seconds.
    For waits on something another thread or process does; never wait a fixed time instead."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)  # the poll interval, not a wait for anything


def paper(n: int = 1, **fields: object) -> dict[str, object]:
    """A minimal valid paper; keyword arguments replace or add fields."""
    data: dict[str, object] = {
        "title": {"ko": f"논문 {n}", "en": f"Paper number {n}"},
        "summary": {"ko": f"요약 {n}", "en": f"Summary {n}"},
    }
    data.update(fields)
    return data


def issue_text(
    week: str = "2023-11-13",
    papers: list[dict[str, object]] | None = None,
    body: str = "소개 글입니다.\n",
    **fields: object,
) -> str:
    data: dict[str, object] = {"week": week, "papers": papers if papers is not None else [paper()]}
    data.update(fields)
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n{body}"


class Project:
    """A digestgen project folder for one test."""

    def __init__(self, root: Path) -> None:
        self.root = root
        for name in ("templates", "static"):
            shutil.copytree(REPO / name, root / name)
        shutil.copy(REPO / "site.yaml", root / "site.yaml")
        (root / "content" / "issues").mkdir(parents=True)

    @property
    def output(self) -> Path:
        return self.root / "_site"

    def write(self, name: str, text: str | bytes) -> Path:
        path = self.root / "content" / "issues" / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def add_issue(self, week: str = "2023-11-13", **kwargs: Any) -> Path:
        """``kwargs`` as for ``issue_text``: papers, body and any front-matter field."""
        return self.write(f"{week}.md", issue_text(week, **kwargs))

    def config(self) -> SiteConfig:
        return load_config(self.root / "site.yaml")

    def read(self, url_path: str) -> str:
        """A built page by its path below the site root, e.g. 'ko/issues/2023-11-13/'."""
        target = self.output / url_path
        if url_path.endswith("/") or not url_path:
            target = target / "index.html"
        return target.read_text(encoding="utf-8")


# Formulas of the kinds papers use, so that the HTML checker sees the MathML they become.
FORMULAS = (
    "With $\\sum_{i=1}^{n} x_i$, $\\mathbb{E}_{x \\sim p}[x]$, $\\hat{x} + \\mathcal{L}$, "
    "$\\underbrace{a+b}_{c}$, $\\boxed{x}$, $\\|x\\|_2$, $\\mathrm{softmax}(QK^T/\\sqrt{d_k})V$ and\n\n"
    "$$\nf(x) = \\begin{cases} 1 & x > 0 \\\\ 0 & \\text{otherwise} \\end{cases}\n$$\n\n"
    "$$\n\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix} \\left( \\frac{a}{b} \\right)\n$$"
)


def add_sample_issues(project: Project) -> None:
    """What the real content lacks: three weeks (so there are newer and older issues), a paper whose
    Korean is pending, links of every kind, emphasis next to Hangul, LaTeX that fails and a
    discussion thread (the middle week)."""
    for n, week in enumerate(["2023-11-06", "2023-11-13", "2023-11-20"]):
        papers = [
            paper(
                10 * n + 1,
                id=f"p{n}-first",
                links={"paper": "https://arxiv.org/abs/2311.00001", "code": "https://github.com/example/code"},
                tweet="https://x.com/example/status/1",
                tags=["rag", "agents"],
            ),
            paper(
                10 * n + 2,
                id=f"p{n}-pending",
                title={"en": "Only English so far"},
                summary={"en": "An English summary with $x^2$ and a broken $\\unknown y$ formula."},
            ),
            paper(
                10 * n + 3,
                id=f"p{n}-last",
                abstract={
                    "ko": "$$\n\\frac{a}{b}\n$$\n\n| 표 | 값 |\n|---|---|\n| a | 1 |",
                    "en": "Costs $5 and $10, about ~$9. " + FORMULAS,
                },
            ),
        ]
        project.add_issue(
            week,
            papers=papers,
            source="https://example.org/original-post",
            **({"discussion": "https://forum.example.org/t/ml-papers/2"} if n == 1 else {}),
            body="**소개(intro)**는 여기에. :smile:\n<!-- en -->\nThe introduction. :smile:\n",
        )
