"""Suite-wide: scan results are cached in a folder of the test session, never in the user's home."""

from __future__ import annotations

import os

import pytest


PROVIDER_VARIABLES = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL",
                      "GEMINI_API_KEY", "GOOGLE_API_KEY", "OLLAMA_HOST", "PROVENFIX_MODELS")


@pytest.fixture(autouse=True)
def _no_real_model_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may reach a hosted model: without keys or endpoints from the developer's shell, a test
    that named a hosted provider by mistake fails with "…_API_KEY is not set" instead of spending."""
    for name in PROVIDER_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PROVENFIX_CONFIG", os.devnull)  # never the developer's ~/.config/provenfix/config.toml


@pytest.fixture(autouse=True, scope="session")
def _private_scan_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    mp = pytest.MonkeyPatch()
    mp.setenv("PROVENFIX_CACHE_DIR", str(tmp_path_factory.mktemp("provenfix-cache")))
    yield
    mp.undo()
