"""One structured question to any OpenAI-compatible server, with bounded re-asks and retries.

Two kinds of failure are handled in two places, on purpose:
- the model's answer fails validation -> instructor re-asks with the error (``reasks``);
- the transport fails (refused, timeout, 429, 5xx) -> tenacity waits and sends again
  (``transport_attempts``), honouring Retry-After.
Output cut by ``max_tokens`` is never parsed: it raises ``TruncatedOutput``.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import BaseModel
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

Answer = TypeVar("Answer", bound=BaseModel)


def transport_faults() -> tuple[type[Exception], ...]:
    """The openai errors worth sending again. (openai is imported when first needed: it takes
    over half a second, and a run that finds nothing new to extract never needs it.)"""
    import openai

    return openai.APIConnectionError, openai.APITimeoutError, openai.RateLimitError, openai.InternalServerError


class LLMError(RuntimeError):
    """A question could not be answered; the message is meant for the articles.error column."""


class TruncatedOutput(LLMError):
    """The answer hit max_tokens and was cut off, so it is not valid JSON."""


@dataclass
class LLMSettings:
    """Where and how to ask. Defaults come from the environment, as the openai client's do."""

    model: str
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    timeout: float = 600.0
    reasks: int = 2
    transport_attempts: int = 5
    max_backoff: float = 60.0
    max_tokens: int = 1536
    temperature: float = 0.0

    @classmethod
    def from_env(cls, model: str | None, base_url: str | None, **overrides) -> "LLMSettings":
        return cls(
            model=model or os.environ.get("SUMMIT_EXTRACT_MODEL") or "gpt-4o-mini",
            base_url=base_url or os.environ.get("OPENAI_BASE_URL"),
            api_key=os.environ.get("OPENAI_API_KEY"),
            **overrides,
        )


class RequestPace:
    """At most `per_minute` requests a minute across all threads: requests are spaced evenly,
    so a rate-limited API is never exceeded rather than exceeded and retried."""

    def __init__(self, per_minute: float):
        self.interval = 60.0 / per_minute
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self, **_request) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self.interval
        time.sleep(start - now)


@dataclass
class Usage:
    """What asking cost: every HTTP attempt counts, re-asks included."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0

    def add(self, other: "Usage") -> None:
        self.calls += other.calls
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.cached_tokens += other.cached_tokens


def root_cause(error: BaseException) -> BaseException:
    from instructor.core.exceptions import InstructorRetryException

    while isinstance(error, InstructorRetryException) and error.__cause__ is not None:
        error = error.__cause__
    return error


def is_transport_fault(error: BaseException) -> bool:
    return isinstance(root_cause(error), transport_faults())


def retry_after_seconds(error: BaseException) -> float | None:
    """The server's Retry-After, in seconds, if the fault carried one."""
    response = getattr(root_cause(error), "response", None)
    value = response.headers.get("retry-after") if response is not None else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


class LLMClient:
    """Asks structured questions through instructor's JSON-schema mode."""

    def __init__(self, settings: LLMSettings, pace: RequestPace | None = None):
        import instructor
        import openai

        self.settings = settings
        self._openai = openai.OpenAI(
            base_url=settings.base_url,
            # Local servers need no key, but the client insists on one; this placeholder is never a secret.
            api_key=settings.api_key or "no-key-needed",
            timeout=settings.timeout,
            max_retries=0,  # retries are ours, below, so they are bounded and counted in one place
        )
        self._client = instructor.from_openai(self._openai, mode=instructor.Mode.JSON_SCHEMA)
        self._usage = Usage()
        self._client.on("completion:response", self._count)
        if pace is not None:
            self._client.on("completion:kwargs", pace.wait)  # before every HTTP attempt, re-asks included

    def _count(self, response) -> None:
        usage = getattr(response, "usage", None)
        self._usage.calls += 1
        if usage is not None:
            self._usage.prompt_tokens += usage.prompt_tokens or 0
            self._usage.completion_tokens += usage.completion_tokens or 0
            details = getattr(usage, "prompt_tokens_details", None)
            self._usage.cached_tokens += (getattr(details, "cached_tokens", None) or 0) if details else 0

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        hinted = retry_after_seconds(error) if error else None
        if hinted is not None:
            return min(hinted, self.settings.max_backoff)
        return wait_exponential_jitter(initial=1, max=self.settings.max_backoff)(state)

    def ask(self, messages: list[dict], response_model: type[Answer], context: dict | None = None) -> tuple[Answer, Usage]:
        """Send one question; return the validated answer and what it cost, or raise LLMError."""
        import openai
        from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException

        self._usage = Usage()
        retrying = Retrying(
            retry=retry_if_exception(is_transport_fault),
            stop=stop_after_attempt(self.settings.transport_attempts),
            wait=self._wait,
            reraise=True,
        )
        try:
            answer = retrying(
                self._client.create,
                model=self.settings.model,
                messages=messages,
                response_model=response_model,
                max_retries=self.settings.reasks,
                max_tokens=self.settings.max_tokens,
                temperature=self.settings.temperature,
                context=context,
            )
        except IncompleteOutputException as error:
            raise TruncatedOutput(
                f"the answer was cut off at max_tokens={self.settings.max_tokens} and was not parsed"
            ) from error
        except InstructorRetryException as error:
            cause = root_cause(error)
            if isinstance(cause, transport_faults()):
                raise LLMError(
                    f"server unreachable or failing after {self.settings.transport_attempts} attempts: {describe(cause)}"
                ) from error
            raise LLMError(f"no valid answer after {self.settings.reasks + 1} attempts: {describe(cause)}") from error
        except openai.APIError as error:
            raise LLMError(describe(error)) from error
        return answer, self._usage


def describe(error: BaseException) -> str:
    """A one-line error message without request bodies or headers (which could hold a key),
    naming the innermost cause too ('Connection error' alone does not say why)."""
    text = f"{type(error).__name__}: {' '.join(str(error).split())[:300]}"
    inner = error
    while (inner.__cause__ or inner.__context__) is not None:
        inner = inner.__cause__ or inner.__context__
    if inner is not error:
        text += f" (cause: {type(inner).__name__}: {' '.join(str(inner).split())[:200]})"
    return text
