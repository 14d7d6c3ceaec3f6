"""docs/deploy.md and the GitHub Pages workflow it ships (finding 10 of issue #14): the workflow
parses, has what Pages needs, and its commands build the example site for the Pages address; the
Netlify settings in the guide parse and build too. (Installing into a fresh venv needs the
package index, so the tests run the commands with this checkout's digestgen instead.)"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from helpers import REPO

WORKFLOW = REPO / "docs" / "examples" / "github-pages.yml"
GUIDE = REPO / "docs" / "deploy.md"
PAGES_URL = "https://you.github.io/digest"  # what actions/configure-pages gives a project site


def example_site(tmp_path: Path) -> Path:
    site = tmp_path / "repo"
    for name in ("content", "templates", "static"):
        shutil.copytree(REPO / name, site / name)
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    return site


def run_digestgen(command: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """A workflow's `digestgen …` command line, run with this checkout's digestgen."""
    words = command.split()
    assert words[0].endswith("digestgen"), command
    return subprocess.run(
        [sys.executable, "-m", "digestgen", *(w.strip('"') for w in words[1:])],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO / "src"), **(env or {})},
        capture_output=True,
        text=True,
    )


def workflow() -> dict[object, object]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_the_workflow_has_what_github_pages_needs() -> None:
    data = workflow()
    assert data[True] == {"push": {"branches": ["main"]}, "workflow_dispatch": None}  # YAML 1.1 reads `on` as True
    assert data["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build_steps = data["jobs"]["build"]["steps"]  # type: ignore[index]
    uses = [step.get("uses", "") for step in build_steps]
    assert any(u.startswith("actions/configure-pages@") for u in uses)
    upload = next(step for step in build_steps if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"] == {"path": "_site"}
    install = next(step["run"] for step in build_steps if "pip install" in step.get("run", ""))
    assert "python -m venv .venv" in install and ".venv/bin/pip install" in install
    deploy = data["jobs"]["deploy"]  # type: ignore[index]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_the_workflow_commands_build_the_example_site_for_the_pages_address(tmp_path: Path) -> None:
    site = example_site(tmp_path)
    steps = workflow()["jobs"]["build"]["steps"]  # type: ignore[index]
    commands = [step["run"] for step in steps if step.get("run", "").startswith(".venv/bin/digestgen")]
    assert [c.split()[1] for c in commands] == ["check", "build"]
    for command in commands:
        result = run_digestgen(command.replace("${{ steps.pages.outputs.base_url }}", PAGES_URL), site)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    page = BeautifulSoup((site / "_site" / "en" / "index.html").read_text(encoding="utf-8"), "html.parser")
    stylesheet = page.find("link", rel="stylesheet")
    assert stylesheet is not None and str(stylesheet["href"]).startswith("/digest/static/")
    sitemap = (site / "_site" / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{PAGES_URL}/en/</loc>" in sitemap and "example.org" not in sitemap


def test_the_netlify_settings_build(tmp_path: Path) -> None:
    block = re.search(r"```toml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    assert block is not None
    settings = tomllib.loads(block.group(1))
    assert settings["build"]["publish"] == "_site"
    assert int(settings["build"]["environment"]["PYTHON_VERSION"].split(".")[1]) >= 11
    install, build_command = settings["build"]["command"].split(" && ")
    assert install == "pip install ."
    site = example_site(tmp_path)
    result = run_digestgen(build_command.replace('"$URL/"', "https://digest.netlify.app/"), site)
    assert result.returncode == 0, result.stderr
    assert "<loc>https://digest.netlify.app/ko/</loc>" in (site / "_site" / "sitemap.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize("link", ["examples/github-pages.yml"])
def test_the_guide_links_to_files_that_exist(link: str) -> None:
    assert f"]({link})" in GUIDE.read_text(encoding="utf-8")
    assert (GUIDE.parent / link).is_file()
