"""`provenfix models`: what is configured, and whether each endpoint answers, in one line each.

Only the provider's model list is requested (no prompt, no code), with the key from the
environment (for the official endpoint or one the user named), so the check is safe to run
against a hosted provider.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

from provenfix.llm.configure import ModelOptions, specs_for, trusted_hosts, user_config
from provenfix.llm.spec import ModelSpec
from provenfix.workspace import find_root, tool_config

TIMEOUT_S = 5


def check_all(names: list[str], base_url: str | None, project: Path) -> tuple[list[str], bool]:
    config = tool_config(find_root(project.resolve()))
    notices: list[str] = [] if isinstance(config, dict) else ["[tool.provenfix] in pyproject.toml is not a table (ignored)"]
    config = config if isinstance(config, dict) else {}
    specs = specs_for(ModelOptions(models=names, base_url=base_url), config, notices)  # the same chain `fix` would use
    lines = [f"notice: {n}" for n in notices]  # what the project named and may not choose
    if not specs:
        return [*lines, "no model configured: pass --model PROVIDER:MODEL, set PROVENFIX_MODELS, "
                "or set models = [...] in your config (~/.config/provenfix/config.toml)"], False
    ok, trusted = True, trusted_hosts(user_config())
    for spec in specs:
        state, reachable = check(spec)
        ok &= reachable
        where = "local" if spec.is_local(trusted) else "remote"
        key = "n/a" if not spec.key_env else ("set" if spec.key() else f"{spec.key_names} missing")
        lines.append(f"{spec.name:<40} {spec.url}  {where}  key: {key}  {state}")
    return lines, ok


def check(spec: ModelSpec) -> tuple[str, bool]:
    url, headers = _list_request(spec)
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310 - http(s) only, checked by parse_model
            body = json.loads(response.read().decode("utf-8", "replace") or "{}")
    except urllib.error.HTTPError as exc:
        what = {401: "key refused", 403: "access denied", 404: "no model list here"}.get(exc.code, "error")
        return f"reachable, but HTTP {exc.code} ({what})", False
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return f"unreachable ({getattr(exc, 'reason', exc)})", False
    except ValueError:
        return "reachable, but the reply is not JSON", False
    listed = {str(m.get("id") or m.get("name", "")).removeprefix("models/") for m in _models(body)}
    if listed and spec.model not in listed:
        return f"reachable, but {spec.model!r} is not among its {len(listed)} models", False
    return "reachable", True


def _list_request(spec: ModelSpec) -> tuple[str, dict[str, str]]:
    key = spec.key()
    if spec.protocol == "anthropic":
        headers = {"anthropic-version": "2023-06-01", **({"x-api-key": key} if key else {})}
        return f"{spec.url.removesuffix('/v1')}/v1/models", headers
    if spec.protocol == "google":
        return f"{spec.url}/v1beta/models", ({"x-goog-api-key": key} if key else {})
    return f"{spec.url}/models", ({"Authorization": f"Bearer {key}"} if key else {})


def _models(body: object) -> list[dict]:
    if isinstance(body, dict):
        items = body.get("data") or body.get("models") or []
        return [m for m in items if isinstance(m, dict)]
    return []
