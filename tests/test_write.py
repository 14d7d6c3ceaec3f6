"""Never lose work: atomic output, leftovers of crashed builds, reproducible bytes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from digestgen.cli import main
from digestgen.errors import DigestError
from digestgen.write import MARKER
from helpers import REPO, Project, paper, snapshot

SHIFTED = {
    "TZ": "Pacific/Kiritimati",
    "PYTHONHASHSEED": "12345",
    "SOURCE_DATE_EPOCH": "2000000000",
    "LC_ALL": "C",
    "LANG": "C",
}


def test_a_failure_while_writing_keeps_the_previous_site(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project.add_issue()
    assert main(["build"]) == 0
    before = snapshot(project.output)
    written = []
    real = Path.write_bytes

    def failing(self: Path, data: bytes) -> int:
        written.append(self)
        if len(written) > 3:
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    project.add_issue("2023-11-20", papers=[paper(2)])
    assert main(["build"]) == 1
    assert "_site: cannot write the site: [Errno 28] No space left on device" in capsys.readouterr().err
    assert snapshot(project.output) == before
    # no leftovers beside the site; the build cache (_site.cache) is the last good build's
    assert sorted(p.name for p in project.root.iterdir() if p.name.startswith("_site")) == ["_site", "_site.cache"]


def test_leftovers_of_a_crashed_build_are_cleared(project: Project) -> None:
    project.add_issue()
    staging = project.root / "_site.new"
    staging.mkdir()
    (staging / MARKER).write_text("")
    (staging / "half-written.html").write_text("<p")
    assert main(["build"]) == 0
    assert not staging.exists() and not (project.output / "half-written.html").exists()


def test_an_interrupted_swap_gets_the_old_site_back_first(project: Project) -> None:
    project.add_issue()
    assert main(["build"]) == 0
    os.replace(project.output, project.root / "_site.old")  # the process died between the two renames
    assert main(["build"]) == 0
    assert (project.output / "ko" / "index.html").exists() and not (project.root / "_site.old").exists()


def test_a_foreign_folder_in_the_staging_place_is_not_deleted(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.add_issue()
    foreign = project.root / "_site.new"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    assert main(["build"]) == 1
    assert "_site.new: is in the way and was not made by digestgen" in capsys.readouterr().err
    assert (foreign / "notes.txt").read_text() == "mine"


def test_output_inside_the_content_is_refused(project: Project) -> None:
    project.add_issue()
    with pytest.raises(DigestError, match="output folder overlaps content"):
        from digestgen.build import build

        build(project.config().override(output_dir=project.root / "content" / "site"))


CLOCK_SHIFT = """\
# Loaded at interpreter start (sitecustomize): the clock reads ten years and a bit later,
# also through the time functions that read it themselves when given no time.
import datetime as _dt
import time as _time

_SHIFT = 10 * 365 * 86400 + 12345
_time_real, _ns_real = _time.time, _time.time_ns
_time.time = lambda: _time_real() + _SHIFT
_time.time_ns = lambda: _ns_real() + _SHIFT * 10**9
for _name in ("gmtime", "localtime", "ctime"):
    _real = getattr(_time, _name)
    setattr(_time, _name, lambda secs=None, _real=_real: _real(_time.time() if secs is None else secs))
_strftime_real = _time.strftime
_time.strftime = lambda fmt, t=None: _strftime_real(fmt, _time.localtime() if t is None else t)


class _Later(_dt.datetime):
    @classmethod
    def now(cls, tz=None):
        return _dt.datetime.fromtimestamp(_time.time(), tz)

    @classmethod
    def utcnow(cls):
        return cls.now(_dt.timezone.utc).replace(tzinfo=None)

    @classmethod
    def today(cls):
        return cls.now()


_dt.datetime = _Later
"""


def _build(root: Path, output: str, env: dict[str, str], shift_clock: bool = False) -> None:
    full = {k: v for k, v in os.environ.items() if k not in SHIFTED}
    paths = [str(REPO / "src")]
    if shift_clock:
        shim = root / "clock-shift"
        shim.mkdir()
        (shim / "sitecustomize.py").write_text(CLOCK_SHIFT)
        paths.append(str(shim))
    full.update(env, PYTHONPATH=os.pathsep.join(paths))
    result = subprocess.run(
        [sys.executable, "-m", "digestgen", "build", "--drafts", "--output", output],
        cwd=root,
        env=full,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_two_builds_are_byte_identical(project: Project) -> None:
    """Different wall-clock times, time zones, hash seeds, locales, SOURCE_DATE_EPOCH, file times and
    output folders: the same bytes (there is no build date; SOURCE_DATE_EPOCH is never needed)."""
    shutil.rmtree(project.root / "content")
    shutil.copytree(REPO / "content", project.root / "content")
    _build(project.root, "one", {"TZ": "UTC", "PYTHONHASHSEED": "0"})
    for path in (project.root / "content").rglob("*"):
        os.utime(path, (1_900_000_000, 1_900_000_000))
    _build(project.root, "two", SHIFTED, shift_clock=True)
    one, two = snapshot(project.root / "one"), snapshot(project.root / "two")
    assert len(one) > 20
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []


def test_the_clock_shift_works(tmp_path: Path) -> None:
    """The reproducibility test's clock shift really moves the clock (else that test proves less)."""
    shim = tmp_path / "clock-shift"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(CLOCK_SHIFT)
    code = (
        "import datetime, time; print(datetime.datetime.now().year, datetime.date.today().year, "
        "time.gmtime().tm_year, time.localtime().tm_year, time.ctime()[-4:], time.strftime('%Y'))"
    )
    shifted = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(shim)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    plain = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert len(shifted) == len(plain) == 6
    assert {int(x) - int(y) for x, y in zip(shifted, plain, strict=True)} in ({10}, {9}, {11})
