"""``digestgen serve``: build, serve the site on localhost, rebuild on changes and reload open pages.

Every build goes to one folder in a temporary directory (never to the real output folder),
incrementally: a ``Session`` keeps the build cache in memory, so a rebuild renders and writes only
what the edit changed. A build that fails does so before it writes anything, so a broken file
leaves the last good site being served, with its error shown over the open page. Pages learn about new builds and errors by
polling a small status URL; the script that does that is added to HTML responses by this server
only, never to the built site.
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import shutil
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import watchfiles
from markupsafe import escape

from .build import BuildResult, build
from .cache import Session
from .config import SiteConfig
from .editorfiles import is_editor_file
from .errors import DigestError, Problem
from .options import add_site_arguments, announce, command_parser, config_from_args

CONTROL = "/__digestgen/"
"""Server-only URLs (status and the reload script), outside any site subpath."""
POLL_MS = 300

LIVE_JS = """\
(function () {
  "use strict";
  var generation = Number(new URL(document.currentScript.src).searchParams.get("g"));
  var box = null;
  function show(message) {
    if (!box) {
      box = document.createElement("pre");
      box.id = "digestgen-error";
      box.setAttribute("role", "alert");
      var s = box.style;
      s.position = "fixed"; s.inset = "0"; s.zIndex = "2147483647"; s.margin = "0"; s.padding = "2rem";
      s.overflow = "auto"; s.whiteSpace = "pre-wrap"; s.font = "14px/1.5 monospace";
      s.background = "rgba(25, 0, 0, .96)"; s.color = "#fff";
      document.body.appendChild(box);
    }
    box.textContent = "digestgen: the last change did not build; showing the previous build.\\n\\n" + message;
  }
  function poll() {
    fetch("/__digestgen/status", {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (state) {
        if (state.generation !== generation) { location.reload(); return; }
        if (state.error) { show(state.error); } else if (box) { box.remove(); box = null; }
        setTimeout(poll, POLL_MS);
      })
      .catch(function () { setTimeout(poll, 1000); });  // server restarting: keep trying
  }
  poll();
})();
""".replace("POLL_MS", str(POLL_MS))


@dataclass(frozen=True)
class Snapshot:
    root: Path | None
    """The last good build, or None if there has been none yet."""
    generation: int
    """Bumped by each successful build; open pages reload when it changes."""
    error: str
    """What is wrong with the current files ('' when the last build succeeded)."""


class LiveSite:
    """Builds into fresh folders and holds the one currently served."""

    def __init__(self, make_config: Callable[[], SiteConfig], base_url: str, drafts: bool) -> None:
        self.make_config = make_config
        self.base_url = base_url
        self.drafts = drafts
        self.workdir = Path(tempfile.mkdtemp(prefix="digestgen-serve-"))
        self._lock = threading.Lock()
        self._building = threading.Lock()
        self._state = Snapshot(None, 0, "")
        self.session = Session()
        self.builds = 0

    def snapshot(self) -> Snapshot:
        with self._lock:
            return self._state

    def rebuild(self) -> Snapshot:
        with self._building:  # the watchers may ask at the same time; builds go one at a time
            return self._rebuild()

    def _rebuild(self) -> Snapshot:
        self.builds += 1
        out = self.workdir / "site"
        try:
            config = self.make_config().override(output_dir=out, base_url=self.base_url, drafts=self.drafts)
            # Pages first: open pages reload as soon as they are made; the search index (seconds
            # for a long archive) follows in a second build, before the next change is looked at.
            result = build(config, cache=self.session, search=False)
            self._swap(out, result)
            indexed = build(config, cache=self.session)
            if indexed.search_seconds:
                print(f"search index updated in {indexed.search_seconds:.2f} s", flush=True)
        except DigestError as exc:
            message = "\n".join(str(p) for p in exc.problems)
            print(message, file=sys.stderr, flush=True)
        except Exception as exc:
            traceback.print_exc()
            message = f"internal error in digestgen (please report it): {exc!r}"
        else:
            return self.snapshot()
        with self._lock:
            self._state = Snapshot(self._state.root, self._state.generation, message)
        return self._state

    def _swap(self, out: Path, result: BuildResult) -> Snapshot:
        """Serve the new build; open pages reload when they see the new generation."""
        for warning in result.warnings:
            print(warning, file=sys.stderr)
        print(
            f"rebuilt ({result.issues} issues, {result.papers} papers) in {result.seconds:.2f} s "
            f"({result.written} written)",
            flush=True,
        )
        with self._lock:
            self._state = Snapshot(out, self._state.generation + 1, "")
        return self._state

    def close(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)


def watched_paths(config: SiteConfig) -> list[Path]:
    paths = [config.content_dir, config.templates_dir, config.static_dir]
    if config.config_path is not None:
        paths.append(config.config_path)
    return [p for p in paths if p.exists()]


def _watch_groups(paths: list[Path]) -> list[tuple[list[Path], bool, Callable[[watchfiles.Change, str], bool] | None]]:
    """(paths, recursive, filter) per watcher: folders recursively; a file through its folder, not
    recursively, because editors save by renaming a new file over the old one, which ends a
    watch on the file itself."""
    folders = [p for p in paths if p.is_dir()]
    groups: list[tuple[list[Path], bool, Callable[[watchfiles.Change, str], bool] | None]] = []
    if folders:
        groups.append((folders, True, content_change))
    for file in (p for p in paths if not p.is_dir()):
        groups.append(([file.parent], False, partial(_named, file.name)))
    return groups


_DEFAULT_FILTER = watchfiles.DefaultFilter()


def content_change(change: watchfiles.Change, path: str) -> bool:
    """Is this a change to rebuild for? Not one to an editor's lock, autosave, backup or swap file
    (an Emacs buffer being edited makes and removes its lock link), nor to .git and the like."""
    return not is_editor_file(Path(path).name) and _DEFAULT_FILTER(change, path)


def _named(name: str, _change: watchfiles.Change, path: str) -> bool:
    """A watch filter: changes to the file called ``name`` only."""
    return Path(path).name == name


def make_handler(site: LiveSite, subpath: str) -> type[BaseHTTPRequestHandler]:
    """The request handler of a server of ``site``. (Long only because it holds the class, which
    closes over ``site`` and ``subpath``; each of its methods is short.)"""

    class Handler(BaseHTTPRequestHandler):
        server_version = "digestgen"

        def do_HEAD(self) -> None:
            self._respond(head=True)

        def do_GET(self) -> None:
            self._respond(head=False)

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _send(self, status: int, body: bytes, content_type: str, head: bool, **headers: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def _redirect(self, location: str, head: bool) -> None:
            self._send(HTTPStatus.MOVED_PERMANENTLY, b"", "text/plain", head, Location=location)

        def _not_found(self, head: bool) -> None:
            # With the reload script: a page renamed away comes back by itself when it exists again.
            page = b"<!DOCTYPE html><meta charset=utf-8><title>404</title><p>404: not in the current build.</p>"
            self._send(
                HTTPStatus.NOT_FOUND, _inject(page, site.snapshot().generation), "text/html; charset=utf-8", head
            )

        def _respond(self, head: bool) -> None:
            if not self.path.startswith("/") or self.path.startswith("//"):  # '//host' would redirect off-site
                return self._not_found(head)
            url = urlsplit(self.path)
            state = site.snapshot()
            if url.path == CONTROL + "status":
                body = json.dumps({"generation": state.generation, "error": state.error}).encode()
                return self._send(HTTPStatus.OK, body, "application/json", head)
            if url.path == CONTROL + "live.js":
                return self._send(HTTPStatus.OK, LIVE_JS.encode(), "text/javascript; charset=utf-8", head)
            if url.path + "/" == subpath or (url.path == "/" and subpath != "/"):
                return self._redirect(subpath + (f"?{url.query}" if url.query else ""), head)
            if not url.path.startswith(subpath):
                return self._not_found(head)
            if state.root is None:  # nothing built yet: show the error, reload when it is fixed
                page = (
                    f"<!DOCTYPE html><meta charset=utf-8><title>build failed</title><pre>{escape(state.error)}</pre>"
                ).encode()
                return self._send(
                    HTTPStatus.SERVICE_UNAVAILABLE, _inject(page, state.generation), "text/html; charset=utf-8", head
                )
            target = _resolve(state.root, url.path[len(subpath) :])
            if target is None:
                return self._not_found(head)
            if target.is_dir():
                if not url.path.endswith("/"):
                    return self._redirect(url.path + "/" + (f"?{url.query}" if url.query else ""), head)
                target = target / "index.html"
            if not target.is_file():
                return self._not_found(head)
            try:
                body = target.read_bytes()
            except OSError:  # gone between the check and the read (an old build being removed)
                return self._not_found(head)
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if kind == "text/html":
                body = _inject(body, state.generation)
            if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml", "application/xml"):
                kind += "; charset=utf-8"
            self._send(HTTPStatus.OK, body, kind, head)

    return Handler


def _resolve(root: Path, rest: str) -> Path | None:
    """The file below ``root`` for a URL path (percent-encoded UTF-8), or None if it would leave it."""
    try:
        decoded = unquote(rest, errors="strict")
    except UnicodeDecodeError:
        return None
    parts = decoded.split("/")
    if any(part in (".", "..") or "\\" in part or "\0" in part for part in parts):
        return None
    target = root.joinpath(*(part for part in parts if part))
    try:
        target.resolve().relative_to(root.resolve())  # a symlink out of the folder counts as leaving it
    except (ValueError, OSError):
        return None
    return target


def _inject(html: bytes, generation: int) -> bytes:
    tag = f'<script src="{CONTROL}live.js?g={generation}"></script>'.encode()
    at = html.rfind(b"</body>")
    return html[:at] + tag + html[at:] if at >= 0 else html + tag


class Server:
    """The HTTP server and the watcher, each on its own thread."""

    def __init__(
        self,
        make_config: Callable[[], SiteConfig],
        host: str = "127.0.0.1",
        port: int = 8000,
        drafts: bool = True,
        step_ms: int = 200,
    ) -> None:
        config = make_config()
        self.subpath = urlsplit(config.base_url).path or "/"
        shown_host = "127.0.0.1" if host in ("0.0.0.0", "") else host
        self.site = LiveSite(make_config, "", drafts)
        try:
            self.httpd = ThreadingHTTPServer((host, port), make_handler(self.site, self.subpath))
        except OSError as exc:
            self.site.close()
            raise DigestError(
                Problem(f"{host}:{port}", None, None, "", f"cannot serve here: {exc.strerror}; try another --port")
            ) from None
        self.port = self.httpd.server_address[1]
        self.url = f"http://{shown_host}:{self.port}{self.subpath}"
        self.site.base_url = self.url
        self.watch = watched_paths(config)
        self.step_ms = step_ms
        self._stop = threading.Event()
        self._http = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._watchers: list[threading.Thread] = []
        self._looked: list[int] = []
        """Per watcher: the build count when it last looked and found nothing new (-1: not yet)."""
        self._round = threading.Condition()

    def start(self, timeout: float = 30) -> None:
        """Build, then serve and watch. Returns once every watcher is watching (or after
        ``timeout`` seconds), so an edit made after it is never missed."""
        self.site.rebuild()
        groups = _watch_groups(self.watch)
        self._looked = [-1] * len(groups)
        self._watchers = [
            threading.Thread(target=self._watch, args=(n, *group), daemon=True) for n, group in enumerate(groups)
        ]
        for thread in [self._http, *self._watchers]:
            thread.start()
        with self._round:
            self._round.wait_for(self.settled, timeout)

    def settled(self) -> bool:
        """Every watcher has looked since the last build began and found nothing new: no rebuild
        is pending. (A watcher reports a look when it has seen no change for ``step_ms``.)"""
        builds = self.site.builds
        return all(n == builds for n in self._looked)

    def _watch(
        self, n: int, paths: list[Path], recursive: bool, accept: Callable[[watchfiles.Change, str], bool] | None
    ) -> None:
        # One rebuild per burst: watchfiles gathers changes until `step` ms pass without another.
        # It yields an empty set after `step` ms without any, which tells start() and settled()
        # that this watcher is in place and has nothing pending.
        for changes in watchfiles.watch(
            *paths,
            watch_filter=accept,
            recursive=recursive,
            stop_event=self._stop,
            step=self.step_ms,
            debounce=3000,
            rust_timeout=self.step_ms,
            yield_on_timeout=True,
            raise_interrupt=False,
        ):
            if changes:
                self._looked[n] = -1
                self.site.rebuild()
            else:
                with self._round:
                    self._looked[n] = self.site.builds
                    self._round.notify_all()

    def stop(self) -> None:
        self._stop.set()
        if self._http.is_alive():  # shutdown() waits for serve_forever, which a Ctrl+C in start() may have prevented
            self.httpd.shutdown()
        self.httpd.server_close()
        for thread in self._watchers:
            thread.join(timeout=5)
        self.site.close()


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = command_parser(
        commands,
        "serve",
        help="serve the site on localhost, rebuild on changes, reload open pages",
        description="Build into a temporary folder (the output folder is not touched), serve it under "
        "the subpath of base_url, watch content, templates, static files and the settings, and "
        "reload open pages after each rebuild. Errors are printed and shown over the open page. "
        "This is how to look at the site before publishing: opening the built files directly does "
        "not work (their links point under base_url).",
        examples="  digestgen serve\n  digestgen serve --port 8080 --no-drafts",
    )
    add_site_arguments(cmd)
    cmd.add_argument("--port", type=int, default=8000, help="the port to listen on (default: 8000; 0 picks a free one)")
    cmd.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default: 127.0.0.1, this computer only; 0.0.0.0 for your network)",
    )
    cmd.add_argument(
        "--drafts",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="show the issues marked draft: true, with a draft mark (default: yes; --no-drafts to see what build publishes)",
    )
    cmd.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    announce(config_from_args(args), "Serving")
    server = Server(lambda: config_from_args(args), args.host, args.port, args.drafts)
    try:  # from the start: Ctrl+C during the first build, or just after the line below, still stops cleanly
        server.start()
        print(f"serving {server.url} (Ctrl+C to stop); watching {', '.join(p.name for p in server.watch)}", flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0
