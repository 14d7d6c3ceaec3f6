"""One question to an OpenAI-compatible chat-completions endpoint: the English in, the Korean out.

The official ``openai`` client (``pip install 'digestgen[translate]'``) speaks the protocol, so
any server that speaks it works: OpenAI, vLLM, llama.cpp's server, Ollama. Its own retries are
off: rate limits, timeouts and server errors are retried here, with a backoff the site's settings
give, and everything else becomes one ModelError line that says what to do.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..config import TranslateSettings

INSTALL_HINT = "digestgen translate needs the openai package: pip install 'digestgen[translate]'"
MAX_WAIT = 60.0
"""Longest pause before a retry, whatever the server's Retry-After says."""


class ModelError(Exception):
    """The endpoint cannot be used (no key, unreachable, model refused, malformed reply): stop."""


@dataclass(frozen=True)
class Reply:
    text: str
    """The model's answer; empty when it gave none."""
    prompt_tokens: int
    completion_tokens: int
    truncated: bool
    """The answer was cut at the model's length limit."""


class ChatClient:
    def __init__(self, settings: TranslateSettings, sleep: Callable[[float], None] = time.sleep) -> None:
        try:
            import openai
        except ImportError:
            raise ModelError(INSTALL_HINT) from None
        self.openai = openai
        self.settings = settings
        self.sleep = sleep
        self.base_url = os.environ.get("OPENAI_BASE_URL") or settings.base_url or "https://api.openai.com/v1"
        key = os.environ.get(settings.api_key_env, "")
        if not key:
            raise ModelError(
                f"no API key: set the environment variable {settings.api_key_env} "
                f"(a local server such as vLLM, llama.cpp or Ollama accepts any value, e.g. {settings.api_key_env}=local)"
            )
        self.client = openai.OpenAI(
            api_key=key,
            base_url=self.base_url,
            timeout=settings.timeout,
            max_retries=0,
            _strict_response_validation=False,
        )

    def ask(self, system: str, text: str) -> Reply:
        """The reply to one text, after retrying what can be retried."""
        for attempt in range(self.settings.retries + 1):
            try:
                return self._ask(system, text)
            except (self.openai.RateLimitError, self.openai.APITimeoutError, self.openai.InternalServerError) as exc:
                if attempt == self.settings.retries:
                    raise ModelError(f"{self._what(exc)}; gave up after {attempt + 1} tries") from None
                self.sleep(self._wait(exc, attempt))
        raise AssertionError("unreachable")

    def _ask(self, system: str, text: str) -> Reply:
        openai = self.openai
        try:
            completion: Any = self.client.chat.completions.create(
                model=self.settings.model,
                temperature=self.settings.temperature,
                messages=[{"role": "system", "content": system}, {"role": "user", "content": text}],
            )
        except (openai.RateLimitError, openai.APITimeoutError, openai.InternalServerError):
            raise
        except openai.APIConnectionError as exc:
            raise ModelError(
                f"cannot reach the endpoint {self.base_url} ({_cause(exc)}); is the server running? "
                "Set translate.base_url in site.yaml or OPENAI_BASE_URL"
            ) from None
        except openai.AuthenticationError as exc:
            raise ModelError(
                f"the endpoint {self.base_url} refused the key in {self.settings.api_key_env} (HTTP 401): {_message(exc)}"
            ) from None
        except (openai.NotFoundError, openai.BadRequestError, openai.PermissionDeniedError) as exc:
            raise ModelError(
                f"the endpoint {self.base_url} refused model {self.settings.model!r} "
                f"(HTTP {exc.status_code}): {_message(exc)}; set translate.model in site.yaml"
            ) from None
        except openai.APIStatusError as exc:
            raise ModelError(f"the endpoint {self.base_url} answered HTTP {exc.status_code}: {_message(exc)}") from None
        except (openai.APIError, ValueError, TypeError, KeyError) as exc:
            raise ModelError(f"malformed reply from {self.base_url}: {_cause(exc)}") from None
        return self._reply(completion)

    def _reply(self, completion: Any) -> Reply:
        """The answer of a completion, checked: a reply that is not a chat completion stops the run."""
        choices = getattr(completion, "choices", None)
        if not isinstance(choices, list) or not choices:
            raise ModelError(
                f"malformed reply from {self.base_url}: no 'choices' in it (is this a chat-completions URL?)"
            )
        message = getattr(choices[0], "message", None)
        content = getattr(message, "content", None)
        if content is not None and not isinstance(content, str):
            raise ModelError(f"malformed reply from {self.base_url}: the message content is not text")
        usage = getattr(completion, "usage", None)
        return Reply(
            text=content or "",
            prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
            completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
            truncated=getattr(choices[0], "finish_reason", "") == "length",
        )

    def _wait(self, exc: Exception, attempt: int) -> float:
        response = getattr(exc, "response", None)
        header = response.headers.get("retry-after") if response is not None else None
        try:
            return min(float(header), MAX_WAIT) if header is not None else self._backoff(attempt)
        except ValueError:  # an HTTP date: not worth parsing, back off as usual
            return self._backoff(attempt)

    def _backoff(self, attempt: int) -> float:
        return float(min(self.settings.backoff * 2**attempt, MAX_WAIT))

    def _what(self, exc: Exception) -> str:
        if isinstance(exc, self.openai.RateLimitError):
            return f"the endpoint {self.base_url} kept answering 429 (rate limit)"
        if isinstance(exc, self.openai.APITimeoutError):
            return f"the endpoint {self.base_url} did not answer within {self.settings.timeout:g} s (translate.timeout)"
        return f"the endpoint {self.base_url} kept failing ({_message(exc)})"


def _message(exc: Exception) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error", body)
        text = error.get("message") if isinstance(error, dict) else error
        if text:
            return " ".join(str(text).split())[:200]
    return " ".join(str(getattr(exc, "message", exc)).split())[:200]


def _cause(exc: BaseException) -> str:
    while exc.__cause__ is not None:
        exc = exc.__cause__
    return " ".join(str(exc).split())[:200] or type(exc).__name__
