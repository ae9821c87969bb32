"""The model engine end to end over the Gemini API: the scripted provider speaks generateContent to the real
google-genai SDK behind pydantic-ai's GoogleModel, as ProvenFix builds it for ``google:MODEL@URL``; the candidate
fix goes through the real verifier and sandbox."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from provenfix import api
from provenfix.llm.configure import ModelOptions
from provenfix.model import Status

from .scripted_server import Fail, Reply, ScriptedServer
from .test_model_engine import SECRET, bug, project, review  # noqa: F401 - `project` is a fixture

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(autouse=True)
def no_google_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """No key in the environment: a google model at a custom URL then sends "not-needed"."""
    monkeypatch.delenv("GOOGLE_API_KEY", raising=False)
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)


def fix(project: Path, *models: str) -> api.Report:
    return api.fix([str(project / "notes.py")], engine="llm", jobs=1,
                   models=ModelOptions(models=list(models), retries=0, timeout_s=30))


def test_gemini_protocol_end_to_end(project: Path) -> None:
    with ScriptedServer([Reply(payload=review(bug()), usage=(700, 200))]) as srv:
        report = fix(project, f"google:gemini-test@{srv.url}")
        [req] = srv.model_requests
        assert not srv.contains(SECRET)  # redacted before the code left the process
    assert req.path == "/v1beta/models/gemini-test:generateContent" and req.protocol == "google"
    assert req.headers["x-goog-api-key"] == "not-needed"
    # ProvenFix's structured output reaches Gemini as pydantic-ai's forced output tool
    assert req.tool_names() == ["final_result"]
    assert req.body["toolConfig"]["functionCallingConfig"]["mode"] == "ANY"
    assert "read_note" in json.dumps(req.body["contents"])  # the code under review went in the prompt
    [fixed] = report.fixes
    assert fixed.status is Status.VERIFIED and fixed.engine == "llm"
    used = fixed.evidence.model
    assert used.model == "google:gemini-test"
    assert used.failed == []
    assert (used.input_tokens, used.output_tokens) == (700, 200)
    assert fixed.evidence.proof_before.outcome == "failed-assertion"
    assert fixed.evidence.proof_after.outcome == "passed"
    assert 'if note["owner"] != user' in fixed.candidate.patch()


def test_gemini_403_moves_the_chain_to_the_next_model(project: Path) -> None:
    with ScriptedServer({"first": [Fail(403)], "second": [Reply(payload=review(bug()))]}) as srv:
        report = fix(project, f"google:first@{srv.url}", f"google:second@{srv.url}")
        assert [r.model for r in srv.model_requests] == ["first", "second"]  # one attempt each, no retry of the 403
        assert srv.remaining() == 0
    [fixed] = report.fixes
    assert fixed.status is Status.VERIFIED
    used = fixed.evidence.model
    assert used.model == "google:second"
    assert [f.kind for f in used.failed] == ["permission"]
    assert used.failed[0].model.startswith("google:first")
    # the provider's own message, read from Google's error body {"error": {"code", "message", "status"}}
    assert used.failed[0].detail == "HTTP 403: The caller does not have permission"


def test_a_region_refusal_drops_the_model_for_the_run_and_the_next_one_serves(project: Path) -> None:
    region = Fail(400, kind="FAILED_PRECONDITION", message="User location is not supported for the API use.")
    with ScriptedServer({"first": [region], "second": [Reply(payload=review(bug()))]}) as srv:
        report = fix(project, f"google:first@{srv.url}", f"google:second@{srv.url}")
    [fixed] = report.fixes
    assert fixed.status is Status.VERIFIED
    assert [(f.kind, f.detail) for f in fixed.evidence.model.failed] == [
        ("permission", "HTTP 400: User location is not supported for the API use.")]


def test_the_clients_own_retries_apply_to_gemini_too(project: Path) -> None:
    with ScriptedServer([Fail(500), Reply(payload=review(bug()))]) as srv:
        report = api.fix([str(project / "notes.py")], engine="llm", jobs=1,
                         models=ModelOptions(models=[f"google:g@{srv.url}"], retries=1, timeout_s=30))
        assert len(srv.model_requests) == 2  # the 500, then the retry that answered
    assert report.fixes[0].status is Status.VERIFIED and report.fixes[0].evidence.model.failed == []
