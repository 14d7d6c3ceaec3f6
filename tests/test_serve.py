"""`digestgen serve` over HTTP: rebuilds on edits, error state and recovery, safe paths, redirects."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from digestgen.serve import Server, _resolve
from helpers import REPO, Project, issue_text, paper, wait_until

WEEK = "content/issues/2023-11-13.md"


class Client:
    def __init__(self, server: Server) -> None:
        self.server = server

    def get(self, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        try:
            conn.request(method, path)  # sent as written: no client-side '..' normalisation
            res = conn.getresponse()
            return res.status, dict(res.getheaders()), res.read()
        finally:
            conn.close()

    def text(self, path: str) -> str:
        status, _, body = self.get(path)
        assert status == 200, (path, status)
        return body.decode("utf-8")

    def status(self) -> dict[str, object]:
        state: dict[str, object] = json.loads(self.get("/__digestgen/status")[2])
        return state

    def wait(self, condition: Callable[[], bool], timeout: float = 30) -> None:
        wait_until(condition, timeout, "the server to rebuild")

    def wait_for_generation(self, generation: int) -> None:
        self.wait(lambda: self.status()["generation"] == generation)


@pytest.fixture
def served(project: Project) -> Iterator[tuple[Project, Client]]:
    project.add_issue(papers=[paper(1, title={"ko": "첫 논문", "en": "First paper"})])
    server = Server(project.config, "127.0.0.1", 0)
    server.start()  # returns once the watchers are watching: edits from here on are seen
    yield project, Client(server)
    server.stop()


def edit(project: Project, title: str, **fields: Any) -> None:
    project.write("2023-11-13.md", issue_text(papers=[paper(1, title={"ko": "첫 논문", "en": title})], **fields))


def test_serves_the_site_under_its_subpath_with_the_reload_script(served: tuple[Project, Client]) -> None:
    _, client = served
    page = client.text("/digest/en/issues/2023-11-13/")
    assert "First paper" in page
    assert page.count('<script src="/__digestgen/live.js?g=1"></script></body>') == 1
    status, headers, body = client.get("/__digestgen/live.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript") and b"location.reload" in body
    built = client.server.site.snapshot().root
    assert built is not None
    assert not any(b"__digestgen" in p.read_bytes() for p in built.rglob("*") if p.is_file())  # never in the site


def test_an_edit_changes_the_page(served: tuple[Project, Client]) -> None:
    project, client = served
    edit(project, "Edited paper title")
    client.wait(lambda: client.status()["generation"] == 2)
    assert "Edited paper title" in client.text("/digest/en/issues/2023-11-13/")
    assert client.status() == {"generation": 2, "error": ""}


def test_a_broken_file_reports_and_recovers(served: tuple[Project, Client]) -> None:
    project, client = served
    project.write("2023-11-13.md", "---\nweek: [\n---\n")
    client.wait(lambda: bool(client.status()["error"]))
    state = client.status()
    assert state["generation"] == 1
    assert str(state["error"]).startswith(f"{WEEK}:3:1: YAML syntax error")
    assert "First paper" in client.text("/digest/en/issues/2023-11-13/")  # the last good build stays up
    edit(project, "Fixed paper")
    client.wait(lambda: client.status() == {"generation": 2, "error": ""})
    assert "Fixed paper" in client.text("/digest/en/issues/2023-11-13/")


def test_one_rebuild_per_burst(served: tuple[Project, Client]) -> None:
    project, client = served
    for n in range(2, 7):
        project.add_issue(
            f"2023-11-{13 + 7 * (n - 1):02d}" if n < 4 else f"2023-12-{(n - 4) * 7 + 4:02d}", papers=[paper(n)]
        )
    # Settled: every watcher has looked again after the rebuild began and found nothing pending.
    client.wait(lambda: client.server.site.builds > 1 and client.server.settled())
    assert client.status()["generation"] == 2
    assert client.server.site.builds == 2


def test_template_static_and_settings_changes_rebuild(served: tuple[Project, Client]) -> None:
    project, client = served
    settings = project.root / "site.yaml"
    for n in (1, 2):  # saved the way editors do: a new file renamed over the old one, twice
        (project.root / "site.yaml.tmp").write_text(
            settings.read_text(encoding="utf-8").replace("en: Top ML Papers of the Week", f"en: Renamed Digest {n}"),
            encoding="utf-8",
        )
        (project.root / "site.yaml.tmp").replace(settings)
        client.wait_for_generation(2 * n)
        assert f"Renamed Digest {n}" in client.text("/digest/en/")
        settings.write_text(
            settings.read_text(encoding="utf-8").replace(f"en: Renamed Digest {n}", "en: Top ML Papers of the Week")
        )
        client.wait_for_generation(2 * n + 1)
    (project.root / "static" / "extra.css").write_text("body{}", encoding="utf-8")
    client.wait(lambda: client.status()["generation"] == 6)
    assert client.text("/digest/static/extra.css") == "body{}"


@pytest.mark.parametrize(
    "path",
    [
        "/digest/../site.yaml",
        "/digest/%2e%2e/site.yaml",
        "/digest/static/..%2f..%2fsite.yaml",
        "/digest/..%5csite.yaml",
        "/digest/ko/%00",
        "/digest/%ff",
        "/site.yaml",
        "/content/issues/2023-11-13.md",
        "//evil.example/digest/ko",
        "//evil.example",
    ],
)
def test_nothing_outside_the_output_folder(served: tuple[Project, Client], path: str) -> None:
    _, client = served
    status, _, body = client.get(path)
    assert status == 404
    assert b"base_url" not in body and b"week" not in body


def test_symlinks_out_of_the_folder_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    (tmp_path / "secret.txt").write_text("x")
    (root / "link.txt").symlink_to(tmp_path / "secret.txt")
    (root / "ok.txt").write_text("y")
    assert _resolve(root, "link.txt") is None
    assert _resolve(root, "ok.txt") == root / "ok.txt"


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/digest/ko", "/digest/ko/"),
        ("/digest/ko/issues/2023-11-13?x=1", "/digest/ko/issues/2023-11-13/?x=1"),
        ("/digest", "/digest/"),
        ("/", "/digest/"),
    ],
)
def test_folders_redirect_to_their_slash(served: tuple[Project, Client], path: str, location: str) -> None:
    _, client = served
    status, headers, _ = client.get(path)
    assert (status, headers["Location"]) == (301, location)


def test_non_ascii_paths(served: tuple[Project, Client]) -> None:
    project, client = served
    (project.root / "static" / "그림 파일.txt").write_text("안녕", encoding="utf-8")
    client.wait(lambda: client.status()["generation"] == 2)
    assert client.text("/digest/static/%EA%B7%B8%EB%A6%BC%20%ED%8C%8C%EC%9D%BC.txt") == "안녕"
    status, headers, body = client.get("/digest/static/%EA%B7%B8%EB%A6%BC%20%ED%8C%8C%EC%9D%BC.txt", "HEAD")
    assert status == 200 and body == b"" and headers["Content-Length"] == str(len("안녕".encode()))


def test_drafts_are_shown_marked_by_default(served: tuple[Project, Client]) -> None:
    project, client = served
    edit(project, "A draft title", draft=True)
    client.wait(lambda: client.status()["generation"] == 2)
    page = client.text("/digest/en/issues/2023-11-13/")
    assert "A draft title" in page and 'class="draft-mark"' in page


def test_serving_starts_even_when_content_is_broken(project: Project) -> None:
    project.write("2023-11-13.md", "---\nweek: [\n---\n")
    server = Server(project.config, "127.0.0.1", 0)
    server.start()
    client = Client(server)
    try:
        status, _, body = client.get("/digest/en/")
        assert status == 503
        assert f"{WEEK}:3:1: YAML syntax error".encode() in body and b"/__digestgen/live.js?g=0" in body
        project.add_issue()
        client.wait(lambda: client.status() == {"generation": 1, "error": ""})
        assert client.get("/digest/en/")[0] == 200
    finally:
        server.stop()


def test_a_busy_port_is_a_message_not_a_traceback(
    served: tuple[Project, Client], capsys: pytest.CaptureFixture[str]
) -> None:
    from digestgen.cli import main

    _, client = served
    assert main(["serve", "--port", str(client.server.port)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        f"127.0.0.1:{client.server.port}: cannot serve here: Address already in use; try another --port"
    )
    assert "Traceback" not in err


class Lines:
    """The lines a child process writes to one stream, gathered by a thread (a readline() on the
    pipe could block the test forever)."""

    def __init__(self, stream: IO[str] | None) -> None:
        assert stream is not None
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.append(line)

    def wait_for(self, prefix: str, timeout: float = 60) -> str:
        wait_until(lambda: any(line.startswith(prefix) for line in self.lines), timeout, f"a line {prefix!r}")
        return next(line for line in self.lines if line.startswith(prefix))

    def text(self) -> str:
        self._thread.join(timeout=10)  # the process has exited: the pipe is at its end
        return "".join(self.lines)


@contextlib.contextmanager
def ctrl_c_as_in_a_terminal() -> Iterator[None]:
    """Children started inside this block get Ctrl+C (SIGINT) at its default, as a terminal gives it.

    A test run started in the background by a non-interactive shell (`pytest &`, many CI runners)
    has SIGINT ignored, children inherit that, and a Python started with SIGINT ignored keeps
    ignoring it: Ctrl+C would do nothing and the test would wait in vain (it did, in one run of two).
    A signal handled here is reset to the default in a child, which then handles it as Python does."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.parametrize("fetch", [True, False], ids=["after-a-request", "right-after-the-serving-line"])
def test_the_command_serves_until_ctrl_c(project: Project, fetch: bool) -> None:
    """Ctrl+C stops `digestgen serve` with exit 0 and no traceback, also when it comes the moment
    the "serving" line is out (that line used to be printed before Ctrl+C was handled)."""
    project.add_issue()
    with ctrl_c_as_in_a_terminal():
        proc = subprocess.Popen(
            [sys.executable, "-m", "digestgen", "serve", "--port", "0"],
            cwd=project.root,
            env={**os.environ, "PYTHONPATH": str(REPO / "src")},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    out, err = Lines(proc.stdout), Lines(proc.stderr)
    try:
        try:
            url = out.wait_for("serving ").split()[1]
        except AssertionError as exc:  # seen once in a full run: say what the command had printed
            raise AssertionError(f"{exc}; stdout: {out.text()!r}; stderr: {err.text()!r}") from None
        assert url.startswith("http://127.0.0.1:") and url.endswith("/digest/")
        if fetch:
            with urllib.request.urlopen(url + "en/", timeout=30) as res:
                assert b"Paper number 1" in res.read()
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:  # only when something above failed: do not leave it running
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, out.text() + err.text()
    assert "Traceback" not in err.text()


def test_a_bug_during_a_rebuild_does_not_stop_the_server(
    served: tuple[Project, Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    import digestgen.serve

    project, client = served

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(digestgen.serve, "build", broken)
    edit(project, "Edited")
    client.wait(lambda: bool(client.status()["error"]))
    assert client.status()["error"] == "internal error in digestgen (please report it): RuntimeError('boom')"
    monkeypatch.undo()
    edit(project, "Edited again")
    client.wait(lambda: client.status() == {"generation": 2, "error": ""})


def test_a_site_at_the_root_of_its_host(project: Project) -> None:
    project.add_issue()
    server = Server(lambda: project.config().override(base_url="https://example.org/"), "127.0.0.1", 0)
    server.start()
    client = Client(server)
    try:
        assert server.url == f"http://127.0.0.1:{server.port}/"
        assert 'href="/en/papers/"' in client.text("/en/")
        assert client.get("/en")[1]["Location"] == "/en/"
        assert client.get("/../site.yaml")[0] == 404
    finally:
        server.stop()


def test_broken_settings_while_serving_report_and_recover(served: tuple[Project, Client]) -> None:
    project, client = served
    settings = project.root / "site.yaml"
    good = settings.read_text(encoding="utf-8")
    settings.write_text(good + "colour: blue\n", encoding="utf-8")
    client.wait(lambda: bool(client.status()["error"]))
    assert str(client.status()["error"]).startswith("site.yaml:")
    assert "colour: unknown key" in str(client.status()["error"])
    settings.write_text(good, encoding="utf-8")
    client.wait(lambda: client.status() == {"generation": 2, "error": ""})
