"""A local stand-in for an OpenAI-compatible chat-completions server (127.0.0.1 only).

By default it "translates" by putting ``번역:`` before the user's text, which keeps every span
the real check looks at. Tests script it: answer 429 a few times, send a malformed body, drop
the math, or hold one request until the test has killed the client.

Run by hand: ``python tests/chat_stub.py --port 8999`` (then OPENAI_BASE_URL=http://127.0.0.1:8999/v1).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = tuple[int, dict[str, str], bytes]
"""HTTP status, headers, body."""


def korean(text: str) -> str:
    return f"번역: {text}"


@dataclass
class Script:
    """What the stub answers; tests change these fields."""

    translate: Callable[[str], str] = korean
    rate_limited: int = 0
    """Answer this many requests with 429 before answering normally."""
    malformed_at: set[int] = field(default_factory=set)
    """Request numbers (1-based, counting every request) answered with a body that is not JSON."""
    hold_at: int = 0
    """Request number that never gets an answer (until the server stops)."""
    model: str = ""
    """When set, any other model is refused with 404, as OpenAI does."""
    requests: list[dict[str, Any]] = field(default_factory=list)
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, body: dict[str, Any]) -> Reply:
        with self.lock:
            self.requests.append(body)
            number = len(self.requests)
        if number == self.hold_at:
            self.held.set()
            self.release.wait()
            return 503, {}, b"{}"
        if self.rate_limited:
            with self.lock:
                self.rate_limited -= 1
            error = {"error": {"message": "Rate limit reached", "type": "rate_limit_error"}}
            return 429, {"Retry-After": "0"}, json.dumps(error).encode()
        if number in self.malformed_at:
            return 200, {}, b'{"choices": [ this is not json'
        if self.model and body.get("model") != self.model:
            error = {"error": {"message": f"The model `{body.get('model')}` does not exist", "code": "model_not_found"}}
            return 404, {}, json.dumps(error).encode()
        user = next(m["content"] for m in reversed(body["messages"]) if m["role"] == "user")
        text = self.translate(user)
        reply = {
            "id": f"chatcmpl-{number}",
            "object": "chat.completion",
            "created": 0,
            "model": body.get("model", ""),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": len(user) // 4 + 50, "completion_tokens": len(text) // 2, "total_tokens": 0},
        }
        return 200, {}, json.dumps(reply, ensure_ascii=False).encode()


class ChatStub:
    """The server on a free port of 127.0.0.1, in a thread; ``url`` is its ``…/v1`` base."""

    def __init__(self, script: Script | None = None, port: int = 0) -> None:
        self.script = script or Script()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                if self.path.rstrip("/") != "/v1/chat/completions":
                    status, headers, data = 404, dict[str, str](), b'{"error": {"message": "not found"}}'
                else:
                    status, headers, data = stub.script.answer(body)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client is gone (killed by a test, or timed out)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> ChatStub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.script.release.set()
        self.server.shutdown()
        self.server.server_close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8999)
    port = parser.parse_args().port
    with ChatStub(port=port) as running:
        print(f"chat-completions stub at {running.url} (Ctrl+C stops it)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            running.thread.join()
