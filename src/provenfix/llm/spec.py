"""Naming a model: `PROVIDER:MODEL[@URL]`, where it lives, and whether it may see the code.

Pure parsing and address checks: nothing here imports a provider SDK or opens a connection,
so `--local-only` can refuse a chain before any request exists.

A key goes only to its own provider's official endpoint, or to an endpoint the user named
(an `@URL` in a model name they gave, `--base-url`, `OPENAI_BASE_URL`, `ANTHROPIC_BASE_URL`):
an endpoint chosen by anyone else gets no key.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from provenfix.errors import UsageError

# provider → (wire protocol, default endpoint or None for the SDK's own, environment variable(s) of the key)
PROVIDERS: dict[str, tuple[str, str | None, str | None]] = {
    "openai": ("openai", None, "OPENAI_API_KEY"),
    "ollama": ("openai", "http://127.0.0.1:11434/v1", None),
    "vllm": ("openai", "http://127.0.0.1:8000/v1", None),
    "lmstudio": ("openai", "http://127.0.0.1:1234/v1", None),
    "llamacpp": ("openai", "http://127.0.0.1:8080/v1", None),
    "anthropic": ("anthropic", None, "ANTHROPIC_API_KEY"),
    "google": ("google", None, "GOOGLE_API_KEY GEMINI_API_KEY"),
    "gemini": ("google", None, "GOOGLE_API_KEY GEMINI_API_KEY"),
}
HOSTED = {"openai": "https://api.openai.com/v1", "anthropic": "https://api.anthropic.com",
          "google": "https://generativelanguage.googleapis.com"}


@dataclass(frozen=True)
class ModelSpec:
    provider: str
    model: str
    url: str  # the endpoint requests go to
    protocol: str  # "openai" | "anthropic" | "google"
    key_env: str | None  # variable names, space-separated: the first one set holds the key
    user_endpoint: bool = False  # the user chose `url` themselves (not a default): it may receive their key

    @property
    def name(self) -> str:
        return f"{self.provider}:{self.model}"

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    def key(self) -> str | None:
        """The key, for the official endpoint or one the user named; None anywhere else."""
        if not (self.user_endpoint or self.url == HOSTED.get(self.protocol)):
            return None
        return next((os.environ[n] for n in (self.key_env or "").split() if os.environ.get(n)), None)

    @property
    def key_names(self) -> str:
        return " or ".join((self.key_env or "").split())

    def is_local(self, trusted_hosts: tuple[str, ...] = ()) -> bool:
        """On this machine (loopback), or on a host the user listed as their own."""
        if is_loopback(self.host):
            return True
        if self.host in trusted_hosts:  # a name the user vouches for, or a listed address that is private
            return not _is_public_address(self.host)
        return _in_networks(self.host, trusted_hosts)


def parse_model(text: str, base_url: str | None = None, *, user_named: bool = False) -> ModelSpec:
    """`openai:gpt-4.1`, `openai:qwen2.5-coder@http://10.0.0.5:8000/v1`, `ollama:llama3.1`, `anthropic:claude-…`.

    `user_named`: `text` comes from the user (flags, PROVENFIX_MODELS, their own config), so its `@URL`
    is an endpoint they chose. `base_url` and the environment's endpoints are always the user's."""
    provider, sep, rest = text.partition(":")
    provider = provider.strip().lower()
    if not sep or not rest or provider not in PROVIDERS:
        known = ", ".join(sorted(PROVIDERS))
        raise UsageError(f"--model {text!r}: expected PROVIDER:MODEL[@URL] with PROVIDER one of {known}")
    model, _, named = rest.partition("@")
    protocol, default_url, key_env = PROVIDERS[provider]
    from_user = _env_url(provider, protocol, base_url)  # --base-url or the user's environment
    url = named or from_user or default_url or HOSTED[protocol]
    chosen = user_named if named else bool(from_user)
    if "://" not in url:  # OLLAMA_HOST and friends are often a bare host:port
        url = f"http://{url}"
    if provider == "ollama" and not urlsplit(url).path.rstrip("/"):
        url = url.rstrip("/") + "/v1"  # Ollama speaks the OpenAI protocol under /v1
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--model {text!r}: {url!r} is not an http(s) URL")
    return ModelSpec(provider, model, url.rstrip("/"), protocol, key_env, chosen)


def _env_url(provider: str, protocol: str, base_url: str | None) -> str | None:
    if provider == "ollama":
        return os.environ.get("OLLAMA_HOST")
    if provider == "openai":
        return base_url or os.environ.get("OPENAI_BASE_URL")
    if protocol == "anthropic":
        return os.environ.get("ANTHROPIC_BASE_URL")
    return None


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _is_public_address(host: str) -> bool:
    try:
        return not ipaddress.ip_address(host.strip("[]")).is_private
    except ValueError:
        return False  # a host name: trusted because the user listed it


def _in_networks(host: str, trusted: tuple[str, ...]) -> bool:
    """`trusted-hosts` may hold private networks ("10.0.0.0/8"); public ones are never trusted."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    for entry in trusted:
        try:
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            continue
        if network.is_private and address in network:
            return True
    return False


def check_local_only(chain: list[ModelSpec], trusted_hosts: tuple[str, ...]) -> None:
    """Refuse, before any request, a chain that would send code off this machine or the user's network."""
    remote = [spec for spec in chain if not spec.is_local(trusted_hosts)]
    if remote:
        names = ", ".join(f"{s.name} ({s.host})" for s in remote)
        raise UsageError(f"--local-only: refusing remote model {names}; "
                         "only loopback and private hosts listed in trusted-hosts of your own config are allowed")
