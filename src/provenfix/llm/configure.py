"""From flags and `[tool.provenfix]` to a ready chain, refusing what the user's policy forbids
before any request exists.

    [tool.provenfix]
    models = ["ollama:qwen2.5-coder:14b", "anthropic:claude-sonnet-4-5"]   # the fallback chain (PROVENFIX_MODELS overrides)
    allow-remote = false                  # same as --local-only
    trusted-hosts = ["10.0.0.0/8", "gpu-box.lan"]   # private hosts that count as local
    prices = { "vllm:qwen" = [0.2, 0.6] }  # USD per million input / output tokens, for --max-cost
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from provenfix.errors import UsageError
from provenfix.llm.chain import Chain
from provenfix.llm.client import ModelClient
from provenfix.llm.spec import ModelSpec, check_local_only, parse_model


@dataclass(frozen=True)
class ModelOptions:
    models: list[str] = field(default_factory=list)  # from --model; empty: the config's `models`
    base_url: str | None = None
    local_only: bool = False
    attempts: int = 3
    max_tokens: int | None = None
    max_cost: float | None = None
    keep_transcripts: bool = False
    timeout_s: float = 120
    retries: int = 2  # the SDK's retries with back-off (rate limits, 5xx) before the next model


def specs_for(options: ModelOptions, config: dict) -> list[ModelSpec]:
    """--model flags, else PROVENFIX_MODELS (comma-separated), else `models` in [tool.provenfix]."""
    env = [n.strip() for n in os.environ.get("PROVENFIX_MODELS", "").split(",") if n.strip()]
    names = options.models or env or _strings(config.get("models"), "models")
    specs = [parse_model(n, options.base_url) for n in names]
    if options.local_only or config.get("allow-remote") is False:
        check_local_only(specs, tuple(_strings(config.get("trusted-hosts"), "trusted-hosts")))
    return specs


def chain_for(specs: list[ModelSpec], options: ModelOptions, config: dict) -> Chain:
    prices = config.get("prices") or {}
    clients = [ModelClient(s, timeout_s=options.timeout_s, retries=options.retries, price_per_mtok=_price(prices, s.name))
               for s in specs]
    return Chain(clients, max_tokens=options.max_tokens, max_cost=options.max_cost)


def _strings(value: object, key: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"[tool.provenfix] {key} must be a list of strings")
    return value


def _price(prices: dict, name: str) -> tuple[float, float] | None:
    value = prices.get(name)
    if value is None:
        return None
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, (int, float)) for v in value)):
        raise UsageError(f"[tool.provenfix] prices.{name!r} must be [input, output] USD per million tokens")
    return float(value[0]), float(value[1])
