"""The fallback chain: the first model that answers wins; each one that did not is remembered
with why, and a model refused for good (no access, no such model) is not asked again this run.
A refusal is the endpoint's for that model: the same model name at another endpoint is still asked."""

from __future__ import annotations

import threading
from typing import Any, TypeVar

from provenfix.llm.client import Answer, ModelClient, ProviderFailure, Usage

T = TypeVar("T")


class ChainExhausted(Exception):
    def __init__(self, failures: list[ProviderFailure]) -> None:
        super().__init__("no model answered: " + "; ".join(str(f) for f in failures))
        self.failures = failures


class BudgetExhausted(Exception):
    """`--max-tokens` or `--max-cost` reached: no further request is sent."""


class Chain:
    def __init__(self, clients: list[ModelClient], *, max_tokens: int | None = None, max_cost: float | None = None) -> None:
        if not clients:
            raise ValueError("a chain needs at least one model")
        self.clients = clients
        self.max_tokens = max_tokens
        self.max_cost = max_cost
        self.spent = Usage()
        self._refused: dict[tuple[str, str], ProviderFailure] = {}  # (model name, endpoint) → why
        self._lock = threading.Lock()

    def ask(self, instructions: str, prompt: str, output_type: type[T],
            history: list[Any] | None = None) -> tuple[Answer[T], list[ProviderFailure]]:
        """The answer, and the failures of the models tried before the one that gave it."""
        failures: list[ProviderFailure] = []
        for client in self.clients:
            self._check_budget()
            refused = self._refused.get(_pair(client))
            if refused is not None:
                failures.append(refused)
                continue
            try:
                answer = client.ask(instructions, prompt, output_type, history)
            except ProviderFailure as failure:
                failures.append(failure)
                if failure.kind in ProviderFailure.PERMANENT:
                    with self._lock:
                        self._refused[_pair(client)] = failure
                continue
            with self._lock:
                self.spent.add(answer.usage)
            return answer, failures
        raise ChainExhausted(failures)

    def all_refused(self) -> bool:
        """Every model refused for good: asking again this run is pointless."""
        return all(_pair(c) in self._refused for c in self.clients)

    def _check_budget(self) -> None:
        if self.max_tokens is not None and self.spent.tokens >= self.max_tokens:
            raise BudgetExhausted(f"token budget reached ({self.spent.tokens} of {self.max_tokens})")
        if self.max_cost is not None and self.spent.cost_usd is not None and self.spent.cost_usd >= self.max_cost:
            raise BudgetExhausted(f"cost budget reached (${self.spent.cost_usd:.4f} of ${self.max_cost:.4f})")


def _pair(client: ModelClient) -> tuple[str, str]:
    return client.name, client.spec.url
