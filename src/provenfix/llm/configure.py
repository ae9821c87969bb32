"""From the user's flags, environment and own config to a ready chain, refusing what the user's policy
forbids before any request exists.

Only the user chooses models and endpoints: `--model`/`--base-url`, else `PROVENFIX_MODELS`, else
their own config file, `~/.config/provenfix/config.toml` (`$XDG_CONFIG_HOME/provenfix/config.toml`;
`PROVENFIX_CONFIG` names another file):

    models = ["ollama:qwen2.5-coder:14b", "anthropic:claude-sonnet-4-5"]   # the fallback chain
    project-models = ["ollama:qwen2.5-coder:14b", "openai:gpt-4.1"]     # what a project may pick
    allow-remote = false                  # same as --local-only
    trusted-hosts = ["10.0.0.0/8", "gpu-box.lan"]   # private hosts that count as local
    prices = { "vllm:qwen" = [0.2, 0.6] }  # USD per million input / output tokens, for --max-cost

The scanned project is untrusted. Its `[tool.provenfix] models` counts only for names in
`project-models` (then with the user's endpoint for that name; ranked after the flags and
PROVENFIX_MODELS, before the user's own `models`), never with an `@URL` of its own; its
`allow-remote = false` is honoured (stricter only); its `trusted-hosts` and `prices` are ignored.
Whatever of the project's is ignored is said in one notice line each.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from provenfix.config import USER_ONLY
from provenfix.errors import UsageError
from provenfix.llm.chain import Chain
from provenfix.llm.client import ModelClient
from provenfix.llm.spec import ModelSpec, check_local_only, parse_model

PROJECT = "the project's pyproject.toml"
_USER_ONLY = USER_ONLY  # settings a project could loosen: never its own


@dataclass(frozen=True)
class ModelOptions:
    models: list[str] = field(default_factory=list)  # from --model; empty: the configured chain
    base_url: str | None = None
    local_only: bool = False
    attempts: int = 3
    max_tokens: int | None = None
    max_cost: float | None = None
    keep_transcripts: bool = False
    timeout_s: float = 120
    retries: int = 2  # the SDK's retries with back-off (rate limits, 5xx) before the next model


def user_config_path() -> Path:
    named = os.environ.get("PROVENFIX_CONFIG")
    if named:
        return Path(named).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".config"  # XDG: a relative value is ignored
    return root / "provenfix" / "config.toml"


def user_config() -> dict:
    """The user's own settings; {} when they have no config file."""
    path = user_config_path()
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the config ({exc.strerror or exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML ({exc})") from exc


def specs_for(options: ModelOptions, project: dict, notices: list[str] | None = None) -> list[ModelSpec]:
    """The chain: --model flags, else PROVENFIX_MODELS (comma-separated), else the project's `models`
    the user allowed, else the user's `models`. What of the project's is ignored goes to `notices`."""
    user, where = user_config(), _shown(user_config_path())
    said = notices if notices is not None else []
    ignored = [key for key in _USER_ONLY if key in project]
    if ignored:
        said.append(f"ignoring {', '.join(ignored)} in {PROJECT}: only your own config ({where}) may set them")
    env = [n.strip() for n in os.environ.get("PROVENFIX_MODELS", "").split(",") if n.strip()]
    names = options.models or env or _project_models(project, user, where, said) or _strings(user, "models", where)
    specs = [parse_model(n, options.base_url, user_named=True) for n in names]
    if options.local_only or user.get("allow-remote") is False or project.get("allow-remote") is False:
        check_local_only(specs, trusted_hosts(user))
    return specs


def trusted_hosts(user: dict) -> tuple[str, ...]:
    return tuple(_strings(user, "trusted-hosts", _shown(user_config_path())))


def chain_for(specs: list[ModelSpec], options: ModelOptions) -> Chain:
    prices = user_config().get("prices") or {}  # never the project's: cheap prices would loosen --max-cost
    if not isinstance(prices, dict):
        raise UsageError(f"prices in {_shown(user_config_path())} must be a table of [input, output] prices")
    clients = [ModelClient(s, timeout_s=options.timeout_s, retries=options.retries, price_per_mtok=_price(prices, s.name))
               for s in specs]
    return Chain(clients, max_tokens=options.max_tokens, max_cost=options.max_cost)


def _project_models(project: dict, user: dict, where: str, notices: list[str]) -> list[str]:
    """The project's picks among the user's `project-models`, each as the user wrote it (with the user's
    endpoint, if they gave one). An entry with an endpoint of its own, or not allowed, is dropped."""
    value = project.get("models") or []
    named = [str(v) for v in value] if isinstance(value, list) else [str(value)]  # malformed: dropped below
    allowed = {_name(a): a for a in _strings(user, "project-models", where)}
    kept = [allowed[_name(n)] for n in named if "@" not in n and _name(n) in allowed]
    dropped = [n for n in named if "@" in n or _name(n) not in allowed]
    if dropped:
        shown = ", ".join(_clip(n) for n in dropped[:3]) + (f" and {len(dropped) - 3} more" if len(dropped) > 3 else "")
        notices.append(f"ignoring models named by {PROJECT} ({shown}): only your own config may choose models; "
                       f"allow them with project-models in {where}")
    return kept


def _name(text: str) -> str:
    """`PROVIDER:MODEL` without the endpoint, as the allow-list compares it."""
    provider, _, rest = text.partition(":")
    return f"{provider.strip().lower()}:{rest.partition('@')[0].strip()}"


def _clip(text: str, limit: int = 80) -> str:
    """The project's text, short and on one line, an escape sequence in it shown, never sent to the terminal."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _shown(path: Path) -> str:
    home = str(Path.home())
    text = str(path)
    return "~" + text[len(home):] if text.startswith(home + os.sep) else text


def _strings(config: dict, key: str, where: str) -> list[str]:
    value = config.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{key} in {where} must be a list of strings")
    return value


def _price(prices: dict, name: str) -> tuple[float, float] | None:
    value = prices.get(name)
    if value is None:
        return None
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, (int, float)) for v in value)):
        raise UsageError(f"prices.{name!r} in {_shown(user_config_path())} must be [input, output] USD per million tokens")
    return float(value[0]), float(value[1])
