"""One model behind our own small protocol: `ask(instructions, prompt, output_type) -> Answer`.

pydantic-ai does the wire work (OpenAI-compatible servers, Ollama, Anthropic, Gemini), validates the
reply against the schema and sends a malformed one back with the validation error. Everything
that can go wrong with a provider comes out of here as one `ProviderFailure` with a kind the
fallback chain understands. pydantic-ai is imported only when a model is actually used: it costs
seconds of start-up that the built-in engine should never pay.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from provenfix.llm.spec import ModelSpec

T = TypeVar("T")


@dataclass
class Usage:
    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = 0.0  # None: a model whose price is unknown took part

    def add(self, other: Usage) -> None:
        self.requests += other.requests
        self.input_tokens += other.input_tokens
        self.output_tokens += other.output_tokens
        self.cost_usd = None if self.cost_usd is None or other.cost_usd is None else self.cost_usd + other.cost_usd

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens


@dataclass
class Answer(Generic[T]):
    output: T
    model: str
    usage: Usage
    messages: list[Any] = field(default_factory=list)  # pydantic-ai messages, to continue the conversation


def transcript(messages: list[Any]) -> list[dict]:
    """A conversation as plain JSON, for the evidence (only with --keep-transcripts)."""
    from pydantic_ai.messages import ModelMessagesTypeAdapter

    return json.loads(ModelMessagesTypeAdapter.dump_json(messages))


class ProviderFailure(Exception):
    """The model could not answer. `kind` decides whether the chain moves on, and for how long."""

    PERMANENT = frozenset({"authentication", "permission", "not-found"})  # no use asking again this run

    def __init__(self, model: str, kind: str, detail: str) -> None:
        super().__init__(f"{model}: {kind} ({detail})")
        self.model, self.kind, self.detail = model, kind, detail


class ModelClient:
    def __init__(self, spec: ModelSpec, *, timeout_s: float = 120, retries: int = 2,
                 price_per_mtok: tuple[float, float] | None = None) -> None:
        self.spec = spec
        self.timeout_s = timeout_s
        self.retries = retries  # the SDK's own retries (429 and 5xx, with back-off) before we move on
        self.price_per_mtok = price_per_mtok
        self._model: Any = None

    @property
    def name(self) -> str:
        return self.spec.name

    def ask(self, instructions: str, prompt: str, output_type: type[T], history: list[Any] | None = None) -> Answer[T]:
        from pydantic_ai import Agent
        from pydantic_ai.exceptions import AgentRunError, UserError

        try:
            agent = Agent(self._pydantic_model(), output_type=output_type, instructions=instructions, retries=2)
            result = agent.run_sync(prompt, message_history=history, model_settings={"timeout": self.timeout_s})
        except (AgentRunError, UserError) as exc:
            raise _failure(self.name, exc) from exc
        except (OSError, ValueError) as exc:  # transport trouble the SDK did not wrap
            raise ProviderFailure(self.name, "unreachable", _short(exc)) from exc
        run_usage = result.usage
        usage = Usage(run_usage.requests, run_usage.input_tokens, run_usage.output_tokens)
        usage.cost_usd = self._cost(usage, result.new_messages())
        return Answer(result.output, self.name, usage, result.all_messages())

    def _cost(self, usage: Usage, messages: list[Any]) -> float | None:
        if self.price_per_mtok is not None:
            price_in, price_out = self.price_per_mtok
            return (usage.input_tokens * price_in + usage.output_tokens * price_out) / 1_000_000
        from pydantic_ai.messages import ModelResponse

        total = 0.0
        for message in messages:
            if isinstance(message, ModelResponse):
                try:
                    total += float(message.cost().total_price)
                except Exception:  # noqa: BLE001 - genai-prices knows no price for this model
                    return None
        return total

    def _pydantic_model(self) -> Any:
        if self._model is None:
            self._model = _build(self.spec, self.timeout_s, self.retries)
        return self._model


def _build(spec: ModelSpec, timeout_s: float, retries: int) -> Any:
    key = spec.key()
    if spec.key_env and not key and not _custom_endpoint(spec):
        raise ProviderFailure(spec.name, "authentication", f"{spec.key_names} is not set")
    if spec.protocol == "openai":
        from openai import AsyncOpenAI
        from pydantic_ai.models.openai import OpenAIChatModel
        from pydantic_ai.providers.ollama import OllamaProvider
        from pydantic_ai.providers.openai import OpenAIProvider

        client = AsyncOpenAI(base_url=spec.url, api_key=key or "not-needed", max_retries=retries, timeout=timeout_s)
        provider = OllamaProvider(openai_client=client) if spec.provider == "ollama" else OpenAIProvider(openai_client=client)
        return OpenAIChatModel(spec.model, provider=provider)
    if spec.protocol == "anthropic":
        from anthropic import AsyncAnthropic
        from pydantic_ai.models.anthropic import AnthropicModel
        from pydantic_ai.providers.anthropic import AnthropicProvider

        client = AsyncAnthropic(api_key=key or "not-needed", base_url=spec.url, max_retries=retries, timeout=timeout_s)
        return AnthropicModel(spec.model, provider=AnthropicProvider(anthropic_client=client))
    from pydantic_ai.models.google import GoogleModel
    from pydantic_ai.providers.google import GoogleProvider

    from google.genai.types import HttpRetryOptions

    base_url = spec.url if _custom_endpoint(spec) else None
    provider = GoogleProvider(api_key=key or "not-needed", base_url=base_url,
                              retry_options=HttpRetryOptions(attempts=retries + 1))
    return GoogleModel(spec.model, provider=provider)


def _custom_endpoint(spec: ModelSpec) -> bool:
    """A self-hosted server behind a hosted provider's protocol often needs no key."""
    from provenfix.llm.spec import HOSTED

    return spec.url != HOSTED.get(spec.protocol)


_REGION = re.compile(r"location is not supported|unsupported_country|not available in your (?:country|region)"
                     r"|region is not supported|export (?:control|restriction)", re.IGNORECASE)


def _failure(model: str, exc: Exception) -> ProviderFailure:
    """pydantic-ai's categorised errors → the kinds the chain acts on."""
    from pydantic_ai import exceptions as e

    status = getattr(exc, "status_code", None)
    text = _detail(exc, status)
    if isinstance(exc, e.ModelHTTPError) and status == 403 or _REGION.search(text):
        # Region and export restrictions: a 403 from OpenAI and Anthropic, a 400 FAILED_PRECONDITION from Gemini.
        return ProviderFailure(model, "permission", text)
    kinds: list[tuple[type[Exception], str]] = [  # most specific first: a timeout is a connection error too
        (e.ModelAuthenticationError, "authentication"),
        (e.ModelNotFoundError, "not-found"),
        (e.ModelRateLimitError, "rate-limited"),
        (e.ModelQuotaExceededError, "quota"),
        (e.ModelTimeoutError, "timeout"),
        (e.ModelRequestTimeout, "timeout"),
        (e.ModelConnectionError, "unreachable"),
        (e.ModelUnavailableError, "server-error"),
        (e.ModelServerError, "server-error"),
    ]
    for cls, kind in kinds:
        if isinstance(exc, cls):
            return ProviderFailure(model, kind, text)
    if status is not None:
        kind = {401: "authentication", 403: "permission", 404: "not-found", 429: "rate-limited"}.get(status)
        return ProviderFailure(model, kind or ("server-error" if status >= 500 else f"http-{status}"), text)
    if isinstance(exc, TimeoutError):  # pydantic-ai's whole-run deadline
        return ProviderFailure(model, "timeout", text)
    if isinstance(exc, e.UnexpectedModelBehavior) or "decode" in text or "JSON" in text:
        return ProviderFailure(model, "unusable-reply", text)  # garbage, or never a valid reply after retries
    if isinstance(exc, e.UserError):
        return ProviderFailure(model, "configuration", text)
    return ProviderFailure(model, "error", text)


def _detail(exc: BaseException, status: int | None) -> str:
    """The provider's own message ("model suspended in your region"), not the client's repr of it."""
    body = getattr(exc, "body", None)
    message = None
    if isinstance(body, dict):
        inner = body.get("error") if isinstance(body.get("error"), dict) else body
        message = inner.get("message")
    text = _short(message) if isinstance(message, str) and message else _short(exc)
    return f"HTTP {status}: {text}" if status else text


def _short(exc: BaseException | str, limit: int = 160) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"
