"""Every page passes the Nu HTML Checker (vnu.jar from the npm package vnu-jar, run on Java).

`.ci/run` installs the pinned jar into .cache/vnu; locally the test skips with the reason when the
jar or Java is missing, unless DIGESTGEN_REQUIRE_BROWSER=1 (CI), which turns the skip into a failure.
All pages go to one JVM call: starting Java is the slow part.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from browsing import require_or_skip
from digestgen.build import build
from digestgen.config import load_config
from helpers import REPO, Project, add_sample_issues

VNU_JAR = REPO / ".cache" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_command() -> list[str]:
    jar = Path(os.environ.get("VNU_JAR", VNU_JAR))
    java = shutil.which("java")
    if not jar.is_file():
        require_or_skip(f"no vnu.jar at {jar} (npm install --prefix .cache/vnu vnu-jar, as .ci/run does)")
    if java is None:
        require_or_skip("no Java found to run vnu.jar (apt-get install default-jre-headless)")
    return [java, "-jar", str(jar), "--errors-only", "--format", "json"]


def test_every_page_passes_the_nu_html_checker(tmp_path: Path) -> None:
    command = vnu_command()
    real = tmp_path / "real"
    build(load_config(REPO / "site.yaml").override(output_dir=real))
    sample = Project(tmp_path / "sample-project")  # pending translations, failed math, several weeks
    add_sample_issues(sample)
    build(sample.config())
    pages = sorted([*real.rglob("*.html"), *sample.output.rglob("*.html")])
    assert len(pages) > 40

    result = subprocess.run([*command, *map(str, pages)], capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{m.get('url', '?').removeprefix('file:').removeprefix(str(tmp_path))}:{m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]
    assert errors == [], "\n".join(errors)
    assert result.returncode == 0
