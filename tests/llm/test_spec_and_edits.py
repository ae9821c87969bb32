"""Naming models, deciding what is local, and applying a model's search/replace edits."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from provenfix.errors import UsageError
from provenfix.llm import configure
from provenfix.llm.configure import ModelOptions, specs_for
from provenfix.llm.edits import apply_blocks
from provenfix.llm.schema import Edit
from provenfix.llm.spec import check_local_only, parse_model
from provenfix.verify._edits import EditProblem


def test_model_names_carry_provider_model_and_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("OLLAMA_HOST", raising=False)
    assert parse_model("openai:gpt-4.1").url == "https://api.openai.com/v1"
    spec = parse_model("openai:qwen2.5-coder@http://10.0.0.5:8000/v1")
    assert (spec.provider, spec.model, spec.url, spec.host) == ("openai", "qwen2.5-coder", "http://10.0.0.5:8000/v1", "10.0.0.5")
    assert parse_model("ollama:llama3.1:8b").model == "llama3.1:8b"  # Ollama tags keep their colon
    assert parse_model("ollama:llama3.1").url == "http://127.0.0.1:11434/v1"
    monkeypatch.setenv("OLLAMA_HOST", "gpu-box:11434")  # Ollama's own bare host:port form
    assert parse_model("ollama:llama3.1").url == "http://gpu-box:11434/v1"
    assert parse_model("openai:m", base_url="http://127.0.0.1:9/v1").url == "http://127.0.0.1:9/v1"
    assert parse_model("anthropic:claude-x").protocol == "anthropic"


@pytest.mark.parametrize("bad", ["gpt-4", "openai:", "skynet:model", "openai:m@ftp://x"])
def test_bad_model_names_are_usage_errors(bad: str) -> None:
    with pytest.raises(UsageError):
        parse_model(bad)


def test_local_only_allows_loopback_and_trusted_private_hosts_only() -> None:
    local = [parse_model("openai:m@http://127.0.0.1:8000/v1"), parse_model("ollama:m@http://localhost:11434")]
    check_local_only(local, ())
    private = parse_model("openai:m@http://10.1.2.3:8000/v1")
    with pytest.raises(UsageError, match="10.1.2.3"):
        check_local_only([private], ())
    check_local_only([private], ("10.0.0.0/8",))
    public = parse_model("openai:m@http://8.8.8.8/v1")
    with pytest.raises(UsageError, match="refusing remote model"):
        check_local_only([public], ("8.8.8.0/24", "8.8.8.8"))  # a public address is never "local"
    with pytest.raises(UsageError, match="api.anthropic.com"):
        check_local_only([*local, parse_model("anthropic:claude-x")], ())


@pytest.fixture
def user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Write the user's own config file (PROVENFIX_CONFIG names it) and return its path."""
    def write(text: str) -> Path:
        path = tmp_path / "config.toml"
        path.write_text(text)
        monkeypatch.setenv("PROVENFIX_CONFIG", str(path))
        return path

    return write


def test_allow_remote_false_from_the_user_or_the_project_is_local_only(user_config) -> None:
    user_config('models = ["anthropic:claude-x"]\nallow-remote = false\n')
    with pytest.raises(UsageError, match="--local-only"):
        specs_for(ModelOptions(), {"allow-remote": True})  # the project cannot loosen the user's policy
    user_config('models = ["anthropic:claude-x"]\n')
    with pytest.raises(UsageError, match="--local-only"):
        specs_for(ModelOptions(), {"allow-remote": False})  # but it may make it stricter
    assert [s.name for s in specs_for(ModelOptions(), {})] == ["anthropic:claude-x"]


def test_only_the_users_trusted_hosts_make_a_host_local(user_config) -> None:
    user_config('models = ["openai:m@http://10.1.2.3:8000/v1"]\nallow-remote = false\n')
    project = {"trusted-hosts": ["10.0.0.0/8"], "prices": {"openai:m": [0, 0]}}
    notices: list[str] = []
    with pytest.raises(UsageError, match="refusing remote model openai:m"):
        specs_for(ModelOptions(), project, notices)
    assert notices == ["ignoring trusted-hosts, prices in the project's pyproject.toml: only your own config "
                       f"({os.environ['PROVENFIX_CONFIG']}) may set them"]
    user_config('models = ["openai:m@http://10.1.2.3:8000/v1"]\nallow-remote = false\ntrusted-hosts = ["10.0.0.0/8"]\n')
    assert [s.host for s in specs_for(ModelOptions(), project)] == ["10.1.2.3"]


def test_flags_override_the_environment_which_overrides_the_config(monkeypatch: pytest.MonkeyPatch, user_config) -> None:
    user_config('models = ["ollama:from-config"]\nproject-models = ["vllm:allowed"]\n')
    assert [s.name for s in specs_for(ModelOptions(), {})] == ["ollama:from-config"]
    project = {"models": ["vllm:allowed", "vllm:not-allowed"]}
    assert [s.name for s in specs_for(ModelOptions(), project)] == ["vllm:allowed"]  # the project's allowed pick
    monkeypatch.setenv("PROVENFIX_MODELS", "ollama:from-env, vllm:second")
    assert [s.name for s in specs_for(ModelOptions(), project)] == ["ollama:from-env", "vllm:second"]
    assert [s.name for s in specs_for(ModelOptions(models=["ollama:from-flag"]), project)] == ["ollama:from-flag"]


def test_the_project_picks_only_allowed_names_never_an_endpoint(user_config) -> None:
    user_config('project-models = ["openai:gpt-4o", "vllm:qwen@http://10.0.0.5:8000/v1"]\n')
    notices: list[str] = []
    project = {"models": ["openai:gpt-4o@http://attacker.example/v1", "vllm:qwen", "OpenAI:gpt-4o", "anthropic:x"]}
    specs = specs_for(ModelOptions(), project, notices)
    # vllm:qwen goes to the endpoint the user gave it; the entry with the attacker's URL is dropped, not rerouted
    assert [(s.name, s.url) for s in specs] == [("vllm:qwen", "http://10.0.0.5:8000/v1"),
                                                ("openai:gpt-4o", "https://api.openai.com/v1")]
    [notice] = notices
    assert notice.startswith("ignoring models named by the project's pyproject.toml "
                             "(openai:gpt-4o@http://attacker.example/v1, anthropic:x): only your own config may choose models")
    assert "project-models in" in notice
    notices.clear()
    specs_for(ModelOptions(), {"models": ["openai:x\x1b[2J@http://a/" + "v" * 200]}, notices)
    assert "\x1b" not in notices[0] and "\\x1b" in notices[0] and len(notices[0]) < 300  # shown, never sent to the terminal


def test_the_user_config_file_is_found_where_xdg_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROVENFIX_CONFIG")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    assert configure.user_config_path() == tmp_path / "home" / ".config" / "provenfix" / "config.toml"
    assert configure.user_config() == {}  # no file: no settings
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    (tmp_path / "xdg" / "provenfix").mkdir(parents=True)
    (tmp_path / "xdg" / "provenfix" / "config.toml").write_text('models = ["ollama:mine"]\n')
    assert [s.name for s in specs_for(ModelOptions(), {})] == ["ollama:mine"]
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/ignored")  # the XDG spec: a relative path is ignored
    assert configure.user_config_path() == tmp_path / "home" / ".config" / "provenfix" / "config.toml"
    (tmp_path / "bad.toml").write_text("models = [")
    monkeypatch.setenv("PROVENFIX_CONFIG", str(tmp_path / "bad.toml"))
    with pytest.raises(UsageError, match="bad.toml: not valid TOML"):
        configure.user_config()


def test_a_key_goes_only_to_its_official_endpoint_or_one_the_user_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-canary")
    assert parse_model("openai:m").key() == "sk-canary"  # https://api.openai.com/v1
    assert parse_model("openai:m@http://127.0.0.1:9/v1", user_named=True).key() == "sk-canary"
    assert parse_model("openai:m", base_url="http://127.0.0.1:9/v1").key() == "sk-canary"  # --base-url
    assert parse_model("openai:m@http://127.0.0.1:9/v1").key() is None  # an endpoint no user named
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    assert parse_model("openai:m").key() == "sk-canary"  # the user's environment named it


GIVEN = {"app.py": "def f(x):\n    return x\n\ndef g(x):\n    return x\n"}


def test_edits_apply_on_exact_unique_text() -> None:
    [edit] = apply_blocks([Edit(path="app.py", search="def g(x):\n    return x", replace="def g(x):\n    return -x")], GIVEN)
    assert edit.after == "def f(x):\n    return x\n\ndef g(x):\n    return -x\n" and edit.before == GIVEN["app.py"]


@pytest.mark.parametrize(("block", "reason"), [
    (Edit(path="app.py", search="    return x", replace="    return 1"), "occurs 2 times"),
    (Edit(path="app.py", search="return y", replace="return 1"), "does not occur"),
    (Edit(path="other.py", search="x", replace="y"), "only these files may be edited"),
    (Edit(path="../app.py", search="x", replace="y"), "not a plain relative path"),
    (Edit(path="/etc/passwd", search="x", replace="y"), "not a plain relative path"),
    (Edit(path="app.py", search="def g(x):", replace="def g(x:"), "not valid Python"),
    (Edit(path="app.py", search="def g(x):", replace="def g(x):"), "change nothing"),
])
def test_edits_that_cannot_be_applied_are_refused_with_a_reason(block: Edit, reason: str) -> None:
    with pytest.raises(EditProblem, match=reason):
        apply_blocks([block], GIVEN)


def test_a_hosted_provider_without_its_key_fails_before_any_request(monkeypatch: pytest.MonkeyPatch) -> None:
    from provenfix.llm.client import ModelClient, ProviderFailure
    from provenfix.llm.schema import Review

    for spec_name, names in [("google:gemini-x", "GOOGLE_API_KEY or GEMINI_API_KEY"), ("anthropic:claude-x", "ANTHROPIC_API_KEY"),
                             ("openai:gpt-x", "OPENAI_API_KEY")]:
        with pytest.raises(ProviderFailure) as caught:
            ModelClient(parse_model(spec_name)).ask("instructions", "prompt", Review)
        assert caught.value.kind == "authentication" and f"{names} is not set" in caught.value.detail
    monkeypatch.setenv("GEMINI_API_KEY", "from-legacy-name")
    assert parse_model("gemini:gemini-x").key() == "from-legacy-name"
    monkeypatch.setenv("GOOGLE_API_KEY", "preferred")
    assert parse_model("gemini:gemini-x").key() == "preferred"
