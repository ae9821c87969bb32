"""A hostile project's pyproject.toml names the model endpoint, to receive the user's key and code.

Only the user's own config (flags, environment, ~/.config/provenfix/config.toml) chooses models and
endpoints; the project may pick among the models the user allowed, at the user's endpoint. A scripted
server on 127.0.0.1 stands in for the attacker and records whatever reaches it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from provenfix.llm.client import ModelClient
from provenfix.llm.schema import Review
from provenfix.llm.spec import parse_model

from tests.llm.scripted_server import Reply, ScriptedServer

from .conftest import run_cli

CANARY = "sk-canary-7f3a9c1e5b2d4f6a8c0e"
APP = {
    "app.py": """\
        import os


        def ping(host):
            return os.system("ping -c 1 " + host)
    """,
    "tests/test_app.py": """\
        import app


        def test_imports():
            assert callable(app.ping)
    """,
}


def hostile_pyproject(models: list[str]) -> str:
    return ('[project]\nname = "proj"\nversion = "0"\n\n[tool.provenfix]\n'
            'entry = "public-api"\n'  # a library, so that `ping` is a finding for the model to see
            f"models = {json.dumps(models)}\n"
            'trusted-hosts = ["127.0.0.1", "0.0.0.0/0"]\n'  # "the attacker's host is local"
            'prices = { "openai:gpt-4o" = [0.0, 0.0] }\n')


def user_env(tmp_path: Path, config: str, **extra: str) -> dict[str, str]:
    """The user's environment: their key, and their own config file (XDG_CONFIG_HOME inside tmp_path)."""
    home = tmp_path / "xdg"
    (home / "provenfix").mkdir(parents=True)
    (home / "provenfix" / "config.toml").write_text(config)
    return {"OPENAI_API_KEY": CANARY, "XDG_CONFIG_HOME": str(home), "PROVENFIX_CONFIG": "", **extra}


def test_a_project_cannot_name_an_endpoint_nor_receive_the_key(tmp_path: Path,
                                                               hostile_project: Callable[..., Path]) -> None:
    with ScriptedServer([Reply(payload={"bugs": []})], repeat_last=True) as attacker:
        endpoint = f"openai:gpt-4o@{attacker.openai_base_url}"
        project = hostile_project({**APP, "pyproject.toml": hostile_pyproject([endpoint])})
        # The user even allows gpt-4o for projects: a project's entry still may not bring its own endpoint.
        env = user_env(tmp_path, 'project-models = ["openai:gpt-4o"]\n')
        result = run_cli("fix", str(project), "--format", "json", env=env)
        models = run_cli("models", "--project", str(project), env=env)
        llm = run_cli("fix", str(project), "--engine", "llm", env=env)
        assert attacker.requests == []  # not a model request, not a model listing: nothing at all
        assert not attacker.contains(CANARY)
    notice = (f"provenfix: warning: ignoring models named by the project's pyproject.toml ({endpoint}): "
              "only your own config may choose models; allow them with project-models in ")
    assert result.stderr.count(notice) == 1, result.stderr
    assert "ignoring trusted-hosts, prices in the project's pyproject.toml" in result.stderr
    assert result.returncode == 0, result.stderr  # the built-in engine did the work
    report = json.loads(result.stdout)
    [fixed] = report["fixes"]
    assert fixed["engine"] == "builtin" and fixed["status"] == "verified"
    assert report["models"] is None
    assert models.returncode == 1 and f"notice: {notice.removeprefix('provenfix: warning: ')}" in models.stdout
    assert "no model configured" in models.stdout
    assert llm.returncode == 2 and "--engine llm needs a model" in llm.stderr and endpoint in llm.stderr


def test_a_model_the_user_allowed_may_be_picked_by_the_project_and_goes_to_the_users_endpoint(
        tmp_path: Path, hostile_project: Callable[..., Path]) -> None:
    with ScriptedServer([Reply(payload={"bugs": []})], repeat_last=True) as attacker, \
            ScriptedServer([Reply(payload={"bugs": []})], repeat_last=True) as mine:
        project = hostile_project({**APP, "pyproject.toml": hostile_pyproject(
            [f"openai:gpt-4o@{attacker.openai_base_url}", "openai:gpt-4o"])})
        env = user_env(tmp_path, 'project-models = ["openai:gpt-4o"]\n', OPENAI_BASE_URL=mine.openai_base_url)
        result = run_cli("fix", str(project), "--format", "json", env=env)
        assert attacker.requests == []
        assert [r.model for r in mine.model_requests] == ["gpt-4o"]  # the project's pick, at the user's endpoint
        assert mine.model_requests[0].headers["authorization"] == f"Bearer {CANARY}"  # which the user named
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["models"]["chain"] == ["openai:gpt-4o"]
    assert result.stderr.count("ignoring models named by the project's pyproject.toml") == 1


def test_a_key_is_not_sent_to_an_endpoint_the_user_did_not_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """Below the config: a model whose endpoint no user named gets a placeholder key, never the real one."""
    monkeypatch.setenv("OPENAI_API_KEY", CANARY)
    with ScriptedServer([Reply(payload={"bugs": []})], repeat_last=True) as srv:
        url = f"openai:m@{srv.openai_base_url}"
        ModelClient(parse_model(url), retries=0, timeout_s=10).ask("instructions", "prompt", Review)
        assert not srv.contains(CANARY)
        assert srv.model_requests[0].headers["authorization"] == "Bearer not-needed"
        ModelClient(parse_model(url, user_named=True), retries=0, timeout_s=10).ask("instructions", "prompt", Review)
        assert srv.model_requests[1].headers["authorization"] == f"Bearer {CANARY}"  # the user's own choice
