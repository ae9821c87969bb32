"""The scripted provider against the real clients: the official openai / anthropic / google-genai SDKs and pydantic-ai.
No mocks."""

from __future__ import annotations

import json
import time
import urllib.request
from typing import Any

import anthropic
import openai
import pytest
from google import genai
from google.genai import errors as genai_errors
from google.genai import types as genai_types
from pydantic import BaseModel
from pydantic_ai import Agent
from pydantic_ai.exceptions import (
    ModelAPIError,
    ModelAuthenticationError,
    ModelConnectionError,
    ModelHTTPError,
    ModelNotFoundError,
    ModelOverloadedError,
    ModelQuotaExceededError,
    ModelRateLimitError,
    ModelRequestRejectedError,
    ModelRequestTimeout,
    ModelServerError,
    ModelTimeoutError,
    ModelUnavailableError,
    UnexpectedModelBehavior,
)
from pydantic_ai.models.anthropic import AnthropicModel
from pydantic_ai.models.fallback import FallbackModel
from pydantic_ai.models.google import GoogleModel
from pydantic_ai.models.openai import OpenAIChatModel
from pydantic_ai.output import NativeOutput, PromptedOutput
from pydantic_ai.providers.anthropic import AnthropicProvider
from pydantic_ai.providers.google import GoogleProvider
from pydantic_ai.providers.openai import OpenAIProvider
from pydantic_ai.settings import ModelSettings

from .scripted_server import Fail, Garbage, Hang, Reply, ScriptedServer, output_tool, scripted_server  # noqa: F401

pytestmark = pytest.mark.timeout(30)

OPENAI_MODEL = "gpt-4o"
ANTHROPIC_MODEL = "claude-sonnet-4-6"
GOOGLE_MODEL = "gemini-2.5-flash"
PROTOCOLS = ["openai", "anthropic", "google"]


class Verdict(BaseModel):
    fixed: bool
    reason: str


VERDICT = {"fixed": True, "reason": "input is now escaped"}

WEATHER_TOOL_OPENAI = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
    },
}
WEATHER_TOOL_ANTHROPIC = {
    "name": "get_weather",
    "description": "Weather for a city",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
}
WEATHER_TOOL_GOOGLE = genai_types.FunctionDeclaration(
    name="get_weather",
    description="Weather for a city",
    parameters_json_schema={"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)
FINAL_RESULT_GOOGLE = genai_types.FunctionDeclaration(name="final_result", parameters_json_schema={"type": "object"})


def pai_model(protocol: str, srv: ScriptedServer, name: str | None = None, **settings: Any):
    """A pydantic-ai model pointed at ``srv``, with SDK retries off (``max_retries=0``) unless overridden."""
    ms = ModelSettings(**{"max_retries": 0, **settings})
    if protocol == "openai":
        provider = OpenAIProvider(base_url=srv.openai_base_url, api_key="x")
        return OpenAIChatModel(name or OPENAI_MODEL, provider=provider, settings=ms)
    if protocol == "google":
        # google-genai retries nothing without retry_options; max_retries=0 makes that explicit per request
        google = GoogleProvider(base_url=srv.google_base_url, api_key="x")
        return GoogleModel(name or GOOGLE_MODEL, provider=google, settings=ms)
    provider = AnthropicProvider(base_url=srv.anthropic_base_url, api_key="x")
    return AnthropicModel(name or ANTHROPIC_MODEL, provider=provider, settings=ms)


# ------------------------------------------------------------------------------------------ official OpenAI SDK


def openai_client(srv: ScriptedServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=srv.openai_base_url, api_key="x", max_retries=0, timeout=5)


def test_openai_sdk_text_reply_with_usage(scripted_server) -> None:
    srv = scripted_server([Reply(text="hello from the script", usage=(12, 3))])
    resp = openai_client(srv).chat.completions.create(
        model=OPENAI_MODEL, messages=[{"role": "user", "content": "hi"}]
    )
    assert resp.object == "chat.completion"
    assert resp.model == OPENAI_MODEL
    assert resp.choices[0].message.role == "assistant"
    assert resp.choices[0].message.content == "hello from the script"
    assert resp.choices[0].message.tool_calls is None
    assert resp.choices[0].finish_reason == "stop"
    assert (resp.usage.prompt_tokens, resp.usage.completion_tokens, resp.usage.total_tokens) == (12, 3, 15)
    [req] = srv.model_requests
    assert req.path == "/v1/chat/completions" and req.protocol == "openai"
    assert req.headers["authorization"] == "Bearer x"
    assert req.body["messages"] == [{"role": "user", "content": "hi"}]
    assert srv.remaining() == 0


def test_openai_sdk_streaming_text_with_usage_chunk(scripted_server) -> None:
    text = "a streamed answer that spans several chunks"
    srv = scripted_server([Reply(text=text, usage=(20, 9))], chunk_size=5)
    stream = openai_client(srv).chat.completions.create(
        model=OPENAI_MODEL,
        messages=[{"role": "user", "content": "hi"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    content = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]
    assert len(content) == 9  # 44 chars in 5-char pieces: a real stream, not one blob
    assert "".join(content) == text
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert finishes == ["stop"]
    assert chunks[-1].choices == [] and chunks[-1].usage is not None
    assert (chunks[-1].usage.prompt_tokens, chunks[-1].usage.completion_tokens) == (20, 9)
    assert srv.model_requests[0].stream


def test_openai_sdk_streaming_without_include_usage_has_no_usage_chunk(scripted_server) -> None:
    srv = scripted_server([Reply(text="hi there")])
    chunks = list(
        openai_client(srv).chat.completions.create(
            model=OPENAI_MODEL, messages=[{"role": "user", "content": "hi"}], stream=True
        )
    )
    assert all(c.choices for c in chunks)
    assert all(c.usage is None for c in chunks)


def test_openai_sdk_tool_call_reply(scripted_server) -> None:
    srv = scripted_server([Reply(payload=VERDICT, usage=(30, 4))])
    final = {"type": "function", "function": {"name": "final_result", "parameters": {"type": "object"}}}
    resp = openai_client(srv).chat.completions.create(
        model=OPENAI_MODEL,
        messages=[{"role": "user", "content": "verdict?"}],
        tools=[WEATHER_TOOL_OPENAI, final],  # two tools: the one named final_result is the output tool
    )
    choice = resp.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content is None
    [call] = choice.message.tool_calls
    assert call.type == "function" and call.id
    assert call.function.name == "final_result"
    assert json.loads(call.function.arguments) == VERDICT
    assert resp.usage.total_tokens == 34


def test_openai_sdk_tool_choice_decides_the_tool(scripted_server) -> None:
    srv = scripted_server([Reply(payload={"city": "Oslo"})])
    final = {"type": "function", "function": {"name": "final_result", "parameters": {"type": "object"}}}
    resp = openai_client(srv).chat.completions.create(
        model=OPENAI_MODEL,
        messages=[{"role": "user", "content": "weather?"}],
        tools=[final, WEATHER_TOOL_OPENAI],
        tool_choice={"type": "function", "function": {"name": "get_weather"}},
    )
    assert resp.choices[0].message.tool_calls[0].function.name == "get_weather"


def test_openai_sdk_streaming_tool_call_arrives_in_fragments(scripted_server) -> None:
    srv = scripted_server([Reply(payload=VERDICT)], chunk_size=6)
    stream = openai_client(srv).chat.completions.create(
        model=OPENAI_MODEL,
        messages=[{"role": "user", "content": "verdict?"}],
        tools=[WEATHER_TOOL_OPENAI | {"function": {**WEATHER_TOOL_OPENAI["function"], "name": "final_result"}}],
        stream=True,
    )
    name, fragments, finish = None, [], None
    for chunk in stream:
        delta = chunk.choices[0].delta
        for tc in delta.tool_calls or []:
            assert tc.index == 0
            name = tc.function.name or name
            fragments.append(tc.function.arguments or "")
        finish = chunk.choices[0].finish_reason or finish
    assert name == "final_result" and finish == "tool_calls"
    assert len([f for f in fragments if f]) > 3
    assert json.loads("".join(fragments)) == VERDICT


def test_openai_sdk_response_format_gets_json_content(scripted_server) -> None:
    srv = scripted_server([Reply(payload=VERDICT)])
    resp = openai_client(srv).chat.completions.create(
        model=OPENAI_MODEL,
        messages=[{"role": "user", "content": "verdict?"}],
        response_format={"type": "json_schema", "json_schema": {"name": "Verdict", "schema": {"type": "object"}}},
    )
    assert resp.choices[0].message.tool_calls is None
    assert json.loads(resp.choices[0].message.content) == VERDICT


def test_openai_sdk_models_list_and_error_shape(scripted_server) -> None:
    srv = scripted_server([Fail(429)], models=["gpt-a", "gpt-b"])
    client = openai_client(srv)
    assert [m.id for m in client.models.list()] == ["gpt-a", "gpt-b"]
    assert srv.model_requests == [] and srv.remaining() == 1  # listing models uses no step
    with pytest.raises(openai.RateLimitError) as info:
        client.chat.completions.create(model="gpt-a", messages=[{"role": "user", "content": "hi"}])
    err = info.value
    assert err.status_code == 429
    assert err.response.headers["retry-after"] == "0"
    assert err.body == {
        "message": "Rate limit reached. Please try again later.",
        "type": "requests",
        "param": None,
        "code": "rate_limit_exceeded",
    }
    assert len(srv.model_requests) == 1  # max_retries=0: one attempt only


# --------------------------------------------------------------------------------------- official Anthropic SDK


def anthropic_client(srv: ScriptedServer) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=srv.anthropic_base_url, api_key="x", max_retries=0, timeout=5)


def test_anthropic_sdk_text_reply_with_usage(scripted_server) -> None:
    srv = scripted_server([Reply(text="hello from the script", usage=(14, 6))])
    msg = anthropic_client(srv).messages.create(
        model=ANTHROPIC_MODEL, max_tokens=100, messages=[{"role": "user", "content": "hi"}]
    )
    assert msg.type == "message" and msg.role == "assistant" and msg.model == ANTHROPIC_MODEL
    assert [b.type for b in msg.content] == ["text"]
    assert msg.content[0].text == "hello from the script"
    assert msg.stop_reason == "end_turn"
    assert (msg.usage.input_tokens, msg.usage.output_tokens) == (14, 6)
    [req] = srv.model_requests
    assert req.path == "/v1/messages" and req.protocol == "anthropic"
    assert "anthropic-version" in req.headers
    # anthropic 2.12 sends the key as a bearer token; older SDKs used x-api-key
    assert req.headers.get("x-api-key") == "x" or req.headers.get("authorization") == "Bearer x"
    assert req.body["max_tokens"] == 100


def test_anthropic_sdk_stream_text(scripted_server) -> None:
    text = "a streamed answer that spans several events"
    srv = scripted_server([Reply(text=text, usage=(21, 8))], chunk_size=5)
    with anthropic_client(srv).messages.stream(
        model=ANTHROPIC_MODEL, max_tokens=100, messages=[{"role": "user", "content": "hi"}]
    ) as stream:
        pieces = list(stream.text_stream)
        final = stream.get_final_message()
    assert len(pieces) == 9 and "".join(pieces) == text
    assert final.content[0].text == text
    assert final.stop_reason == "end_turn"
    assert (final.usage.input_tokens, final.usage.output_tokens) == (21, 8)
    assert srv.model_requests[0].stream


def test_anthropic_sdk_stream_event_sequence(scripted_server) -> None:
    srv = scripted_server([Reply(text="0123456789")], chunk_size=4)
    events = []
    with anthropic_client(srv).messages.create(
        model=ANTHROPIC_MODEL, max_tokens=100, messages=[{"role": "user", "content": "hi"}], stream=True
    ) as stream:
        events = [e.type for e in stream]
    assert events == [
        "message_start",
        "content_block_start",
        "content_block_delta",
        "content_block_delta",
        "content_block_delta",
        "content_block_stop",
        "message_delta",
        "message_stop",
    ]


def test_anthropic_sdk_tool_use_reply(scripted_server) -> None:
    srv = scripted_server([Reply(payload=VERDICT)])
    final = {"name": "final_result", "input_schema": {"type": "object"}}
    msg = anthropic_client(srv).messages.create(
        model=ANTHROPIC_MODEL,
        max_tokens=100,
        messages=[{"role": "user", "content": "verdict?"}],
        tools=[WEATHER_TOOL_ANTHROPIC, final],
    )
    assert msg.stop_reason == "tool_use"
    [block] = msg.content
    assert block.type == "tool_use" and block.id.startswith("toolu_")
    assert block.name == "final_result" and block.input == VERDICT


def test_anthropic_sdk_stream_tool_use_input_json_deltas(scripted_server) -> None:
    srv = scripted_server([Reply(payload={"city": "Oslo", "days": 3})], chunk_size=4)
    with anthropic_client(srv).messages.stream(
        model=ANTHROPIC_MODEL,
        max_tokens=100,
        messages=[{"role": "user", "content": "weather?"}],
        tools=[WEATHER_TOOL_ANTHROPIC, {"name": "final_result", "input_schema": {"type": "object"}}],
        tool_choice={"type": "tool", "name": "get_weather"},
    ) as stream:
        partials = [e.delta.partial_json for e in stream if e.type == "content_block_delta"]
        final = stream.get_final_message()
    assert len(partials) > 3
    assert final.stop_reason == "tool_use"
    assert final.content[0].name == "get_weather"
    assert final.content[0].input == {"city": "Oslo", "days": 3}


def test_anthropic_sdk_models_list_count_tokens_and_error_shape(scripted_server) -> None:
    srv = scripted_server([Fail(403)], models=["claude-a"])
    client = anthropic_client(srv)
    page = client.models.list()
    assert [(m.id, m.type, m.display_name) for m in page.data] == [("claude-a", "model", "claude-a")]
    assert page.has_more is False
    assert client.messages.count_tokens(model="claude-a", messages=[{"role": "user", "content": "hi"}]).input_tokens > 0
    assert srv.remaining() == 1
    with pytest.raises(anthropic.PermissionDeniedError) as info:
        client.messages.create(model="claude-a", max_tokens=10, messages=[{"role": "user", "content": "hi"}])
    assert info.value.status_code == 403
    assert info.value.body == {
        "type": "error",
        "error": {"type": "permission_error", "message": "Request not allowed."},
    }


# ------------------------------------------------------------------------------------ official google-genai SDK


def google_client(srv: ScriptedServer) -> genai.Client:
    """The SDK adds /v1beta/models/... to base_url; timeout is in ms; without retry_options it retries nothing.
    Keep the client in a variable: ``google_client(srv).models.generate_content(...)`` fails ("client has been
    closed") because a collected ``genai.Client`` closes its HTTP client."""
    return genai.Client(api_key="x", http_options=genai_types.HttpOptions(base_url=srv.google_base_url, timeout=5000))


def test_google_sdk_text_reply_with_usage(scripted_server) -> None:
    srv = scripted_server([Reply(text="hello from the script", usage=(12, 3))])
    client = google_client(srv)
    resp = client.models.generate_content(model=GOOGLE_MODEL, contents="hi")
    assert resp.text == "hello from the script"
    [candidate] = resp.candidates
    assert candidate.content.role == "model"
    assert candidate.finish_reason == genai_types.FinishReason.STOP
    assert resp.function_calls is None
    usage = resp.usage_metadata
    assert (usage.prompt_token_count, usage.candidates_token_count, usage.total_token_count) == (12, 3, 15)
    assert resp.model_version == GOOGLE_MODEL
    [req] = srv.model_requests
    assert req.path == f"/v1beta/models/{GOOGLE_MODEL}:generateContent" and req.query == ""
    assert req.protocol == "google" and req.model == GOOGLE_MODEL and not req.stream
    assert req.headers["x-goog-api-key"] == "x" and "authorization" not in req.headers
    assert req.body == {"contents": [{"parts": [{"text": "hi"}], "role": "user"}]}
    assert srv.remaining() == 0


def test_google_sdk_streaming_text(scripted_server) -> None:
    text = "a streamed answer that spans several chunks"
    srv = scripted_server([Reply(text=text, usage=(20, 9))], chunk_size=5)
    client = google_client(srv)
    chunks = list(client.models.generate_content_stream(model=GOOGLE_MODEL, contents="hi"))
    assert len(chunks) == 9  # 44 chars in 5-char pieces: a real stream, not one blob
    assert "".join(c.text for c in chunks) == text
    assert [c.candidates[0].finish_reason for c in chunks][-2:] == [None, genai_types.FinishReason.STOP]
    assert chunks[0].usage_metadata.candidates_token_count is None  # the prompt count only, until the end
    last = chunks[-1].usage_metadata
    assert (last.prompt_token_count, last.candidates_token_count, last.total_token_count) == (20, 9, 29)
    [req] = srv.model_requests
    assert req.path == f"/v1beta/models/{GOOGLE_MODEL}:streamGenerateContent" and req.query == "alt=sse"
    assert req.stream


def test_google_sdk_function_call_reply_with_usage(scripted_server) -> None:
    srv = scripted_server([Reply(payload=VERDICT, usage=(30, 4))])
    client = google_client(srv)
    tools = [genai_types.Tool(function_declarations=[WEATHER_TOOL_GOOGLE, FINAL_RESULT_GOOGLE])]
    config = genai_types.GenerateContentConfig(tools=tools)
    resp = client.models.generate_content(model=GOOGLE_MODEL, contents="verdict?", config=config)
    [call] = resp.function_calls  # two tools, no tool config: the one named final_result is the output tool
    assert call.name == "final_result" and call.args == VERDICT
    assert resp.text is None
    assert resp.candidates[0].finish_reason == genai_types.FinishReason.STOP
    assert (resp.usage_metadata.prompt_token_count, resp.usage_metadata.total_token_count) == (30, 34)
    [req] = srv.model_requests
    assert req.tool_names() == ["get_weather", "final_result"]
    assert output_tool("google", req.body) == "final_result"


@pytest.mark.parametrize(
    ("calling", "expected"),
    [
        ({"mode": "ANY", "allowed_function_names": ["get_weather"]}, "get_weather"),
        ({"mode": "ANY", "allowed_function_names": ["final_result"]}, "final_result"),
        ({"mode": "NONE"}, None),  # function calling off: the payload comes back as JSON text
    ],
)
def test_google_sdk_tool_config_decides_the_tool(scripted_server, calling: dict, expected: str | None) -> None:
    srv = scripted_server([Reply(payload={"city": "Oslo"})])
    client = google_client(srv)
    config = genai_types.GenerateContentConfig(
        tools=[genai_types.Tool(function_declarations=[FINAL_RESULT_GOOGLE, WEATHER_TOOL_GOOGLE])],
        tool_config=genai_types.ToolConfig(function_calling_config=genai_types.FunctionCallingConfig(**calling)),
    )
    resp = client.models.generate_content(model=GOOGLE_MODEL, contents="weather?", config=config)
    if expected is None:
        assert resp.function_calls is None and json.loads(resp.text) == {"city": "Oslo"}
    else:
        assert [c.name for c in resp.function_calls] == [expected]
        assert resp.function_calls[0].args == {"city": "Oslo"}
    assert srv.model_requests[0].body["toolConfig"]["functionCallingConfig"]["mode"] == calling["mode"]


def test_google_sdk_streamed_function_call_comes_whole(scripted_server) -> None:
    srv = scripted_server([Reply(payload={"city": "Oslo", "days": 3}, tool="get_weather")], chunk_size=3)
    client = google_client(srv)
    config = genai_types.GenerateContentConfig(tools=[genai_types.Tool(function_declarations=[WEATHER_TOOL_GOOGLE])])
    chunks = list(client.models.generate_content_stream(model=GOOGLE_MODEL, contents="w", config=config))
    [chunk] = chunks
    assert [(c.name, c.args) for c in chunk.function_calls] == [("get_weather", {"city": "Oslo", "days": 3})]
    assert chunk.usage_metadata.total_token_count == 15


def test_google_sdk_response_mime_type_gets_json_text(scripted_server) -> None:
    srv = scripted_server([Reply(payload=VERDICT)])
    client = google_client(srv)
    config = genai_types.GenerateContentConfig(
        response_mime_type="application/json", response_json_schema={"type": "object"}
    )
    resp = client.models.generate_content(model=GOOGLE_MODEL, contents="verdict?", config=config)
    assert resp.function_calls is None and json.loads(resp.text) == VERDICT
    assert srv.model_requests[0].body["generationConfig"]["responseMimeType"] == "application/json"


def test_google_sdk_models_list_get_count_tokens_and_error_shape(scripted_server) -> None:
    srv = scripted_server({"gemini-a": [Fail(403)], "gemini-b": [Fail(429)]})
    client = google_client(srv)
    listed = list(client.models.list())
    assert [m.name for m in listed] == ["models/gemini-a", "models/gemini-b"]
    assert "generateContent" in listed[0].supported_actions
    assert client.models.get(model="gemini-b").name == "models/gemini-b"
    with pytest.raises(genai_errors.ClientError) as missing:
        client.models.get(model="gemini-zzz")
    assert (missing.value.code, missing.value.status) == (404, "NOT_FOUND")
    assert missing.value.message.startswith("models/gemini-zzz is not found for API version v1beta")
    assert client.models.count_tokens(model="gemini-a", contents="hello there").total_tokens > 0
    assert srv.model_requests == [] and srv.remaining() == 2  # none of these uses a step
    with pytest.raises(genai_errors.ClientError) as denied:
        client.models.generate_content(model="gemini-a", contents="hi")
    assert denied.value.code == 403
    assert denied.value.details == {
        "error": {"code": 403, "message": "The caller does not have permission", "status": "PERMISSION_DENIED"}
    }
    with pytest.raises(genai_errors.ClientError) as limited:
        client.models.generate_content(model="gemini-b", contents="hi")
    assert (limited.value.code, limited.value.status) == (429, "RESOURCE_EXHAUSTED")
    assert limited.value.details["error"]["details"] == [
        {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "0s"}
    ]
    assert "retry-after" not in limited.value.response.headers  # Gemini says it in the body
    assert [r.model for r in srv.model_requests] == ["gemini-a", "gemini-b"]  # no SDK retry, queues by path model
    assert [r.path for r in srv.requests[:3]] == [
        "/v1beta/models",
        "/v1beta/models/gemini-b",
        "/v1beta/models/gemini-zzz",
    ]


# ----------------------------------------------------------------------------------------- pydantic-ai end to end

OUTPUT_MODES = {
    "tool": lambda: Verdict,
    "native": lambda: NativeOutput(Verdict),
    "prompted": lambda: PromptedOutput(Verdict),
}


@pytest.mark.parametrize("mode", list(OUTPUT_MODES))
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_pydantic_ai_structured_output(scripted_server, protocol: str, mode: str) -> None:
    srv = scripted_server([Reply(payload=VERDICT, usage=(40, 7))])
    result = Agent(pai_model(protocol, srv), output_type=OUTPUT_MODES[mode]()).run_sync("Is it fixed?")
    assert result.output == Verdict(**VERDICT)
    assert (result.usage.input_tokens, result.usage.output_tokens) == (40, 7)
    [req] = srv.model_requests
    body = req.body
    # how pydantic-ai 2.68 asks for structured output on each protocol (documented in scripted_server.py)
    if protocol == "google":
        assert req.path == f"/v1beta/models/{GOOGLE_MODEL}:generateContent" and not req.stream
        generation = body["generationConfig"]
    if mode == "tool":
        assert req.tool_names() == ["final_result"]
        assert output_tool(protocol, body) == "final_result"
        if protocol == "google":
            assert body["toolConfig"] == {"functionCallingConfig": {"mode": "ANY"}}
            assert "responseMimeType" not in generation
        else:
            assert body["tool_choice"] == ("required" if protocol == "openai" else {"type": "any"})
            assert "response_format" not in body
    elif mode == "native":
        assert req.tool_names() == []
        if protocol == "google":
            assert generation["responseMimeType"] == "application/json"
            assert set(generation["responseJsonSchema"]["properties"]) == {"fixed", "reason"}
        elif protocol == "openai":
            assert body["response_format"]["type"] == "json_schema"
            assert body["response_format"]["json_schema"]["name"] == "Verdict"
        else:
            assert body["output_config"]["format"]["type"] == "json_schema"
            assert set(body["output_config"]["format"]["schema"]["properties"]) == {"fixed", "reason"}
    else:
        assert req.tool_names() == []
        if protocol == "google":
            assert generation["responseMimeType"] == "application/json" and "responseJsonSchema" not in generation
            assert "Always respond with a JSON object" in body["systemInstruction"]["parts"][0]["text"]
        elif protocol == "openai":
            assert body["response_format"] == {"type": "json_object"}
            assert "Always respond with a JSON object" in body["messages"][0]["content"]
        else:
            assert "output_config" not in body
            # the schema goes in the system blocks (Sonnet 4.6 also gets pydantic-ai's framing announcement there)
            assert "Always respond with a JSON object" in " ".join(block["text"] for block in body["system"])


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_pydantic_ai_run_stream_structured_output(scripted_server, protocol: str) -> None:
    srv = scripted_server([Reply(payload=VERDICT, usage=(33, 11))], chunk_size=5)
    agent = Agent(pai_model(protocol, srv), output_type=Verdict)
    with agent.run_stream_sync("Is it fixed?") as run:
        output = run.get_output()
        usage = run.usage
    assert output == Verdict(**VERDICT)
    assert (usage.input_tokens, usage.output_tokens) == (33, 11)
    [req] = srv.model_requests
    assert req.stream
    if protocol == "openai":
        assert req.body["stream_options"] == {"include_usage": True}
    if protocol == "google":
        assert req.path.endswith(":streamGenerateContent") and req.query == "alt=sse"


def test_pydantic_ai_anthropic_streams_even_agent_run_unless_max_tokens_is_set(scripted_server) -> None:
    srv = scripted_server([Reply(text="one"), Reply(text="two")])
    assert Agent(pai_model("anthropic", srv)).run_sync("hi").output == "one"
    assert Agent(pai_model("anthropic", srv, max_tokens=256)).run_sync("hi").output == "two"
    assert [r.stream for r in srv.model_requests] == [True, False]
    assert srv.model_requests[1].body["max_tokens"] == 256


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_pydantic_ai_function_tool_round_trip(scripted_server, protocol: str) -> None:
    srv = scripted_server([Reply(payload={"city": "Oslo"}, tool="get_weather"), Reply(payload=VERDICT)])
    agent = Agent(pai_model(protocol, srv), output_type=Verdict)
    seen = []

    @agent.tool_plain
    def get_weather(city: str) -> str:
        seen.append(city)
        return "sunny"

    assert agent.run_sync("go").output == Verdict(**VERDICT)
    assert seen == ["Oslo"]
    first, second = srv.model_requests
    assert sorted(first.tool_names()) == ["final_result", "get_weather"]
    assert "sunny" in second.raw_body.decode()  # the tool result went back to the model


@pytest.mark.parametrize("protocol", ["openai", "google"])
def test_pydantic_ai_fallback_chain_on_one_server_keyed_by_model(scripted_server, protocol: str) -> None:
    srv = scripted_server({"primary-model": [Fail(500)], "backup-model": [Reply(payload=VERDICT)]})
    model = FallbackModel(pai_model(protocol, srv, "primary-model"), pai_model(protocol, srv, "backup-model"))
    assert Agent(model, output_type=Verdict).run_sync("go").output == Verdict(**VERDICT)
    assert [r.model for r in srv.model_requests] == ["primary-model", "backup-model"]
    assert srv.remaining() == 0


# ------------------------------------------------------------------------------------------- errors in pydantic-ai

ERROR_TABLE = [
    (400, ModelRequestRejectedError),
    (401, ModelAuthenticationError),
    (403, ModelAuthenticationError),
    (404, ModelNotFoundError),
    (429, ModelRateLimitError),
    (500, ModelServerError),
]


@pytest.mark.parametrize(("status", "expected"), ERROR_TABLE)
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_pydantic_ai_http_errors_are_categorised(scripted_server, protocol: str, status: int, expected) -> None:
    srv = scripted_server([Fail(status)])
    with pytest.raises(expected) as info:
        Agent(pai_model(protocol, srv), output_type=Verdict).run_sync("go")
    err = info.value
    assert isinstance(err, ModelHTTPError) and err.status_code == status
    assert type(err).__name__ == expected.__name__
    if status == 429:
        assert err.retry_after == 0.0
    if protocol == "anthropic":
        assert err.body["type"] == "error"
    if protocol == "google":
        assert err.body["error"]["code"] == status
        assert err.provider_error_code == err.body["error"]["status"]  # e.g. PERMISSION_DENIED
    assert len(srv.model_requests) == 1  # ModelSettings(max_retries=0): no SDK retry


@pytest.mark.parametrize(
    ("step", "expected", "status"),
    [
        (Fail(503), ModelUnavailableError, "UNAVAILABLE"),
        # what Gemini really says when busy: pydantic-ai reads "overloaded" in the message
        (Fail(503, message="The model is overloaded. Please try again later."), ModelOverloadedError, "UNAVAILABLE"),
        # a bad Gemini key is a 400 INVALID_ARGUMENT whose ErrorInfo reason says so
        (
            Fail(400, message="API key not valid. Please pass a valid API key.",
                 details=[{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID"}]),
            ModelAuthenticationError,
            "INVALID_ARGUMENT",
        ),
        # the daily quota, told apart from a rate limit only by the QuotaFailure detail
        (
            Fail(429, details=[{"@type": "type.googleapis.com/google.rpc.QuotaFailure",
                                "violations": [{"quotaId": "GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]}]),
            ModelQuotaExceededError,
            "RESOURCE_EXHAUSTED",
        ),
        # how Gemini refuses a region: not a 403, a 400 FAILED_PRECONDITION
        (
            Fail(400, kind="FAILED_PRECONDITION", message="User location is not supported for the API use."),
            ModelRequestRejectedError,
            "FAILED_PRECONDITION",
        ),
    ],
)
def test_pydantic_ai_google_error_status_and_details_decide_the_category(
    scripted_server, step: Fail, expected, status: str
) -> None:
    srv = scripted_server([step])
    with pytest.raises(expected) as info:
        Agent(pai_model("google", srv), output_type=Verdict).run_sync("go")
    assert type(info.value).__name__ == expected.__name__
    assert info.value.status_code == step.status and info.value.body["error"]["status"] == status


def test_pydantic_ai_google_provider_retries_nothing_by_default(scripted_server) -> None:
    # unlike the openai / anthropic SDKs (2 retries by default), google-genai makes one attempt without retry_options
    srv = scripted_server([Fail(500), Reply(payload=VERDICT)])
    model = GoogleModel(GOOGLE_MODEL, provider=GoogleProvider(base_url=srv.google_base_url, api_key="x"))
    with pytest.raises(ModelServerError):
        Agent(model, output_type=Verdict).run_sync("go")
    assert len(srv.model_requests) == 1 and srv.remaining() == 1


def test_pydantic_ai_anthropic_overloaded(scripted_server) -> None:
    srv = scripted_server([Fail(529)])
    with pytest.raises(ModelOverloadedError) as info:
        Agent(pai_model("anthropic", srv)).run_sync("go")
    assert info.value.provider_error_type == "overloaded_error"


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_pydantic_ai_hang_hits_the_sdk_timeout(scripted_server, protocol: str) -> None:
    srv = scripted_server([Hang(10)])
    start = time.monotonic()
    with pytest.raises(ModelTimeoutError) as info:
        Agent(pai_model(protocol, srv, timeout=0.3)).run_sync("go")
    assert time.monotonic() - start < 3
    assert isinstance(info.value, ModelConnectionError) and not isinstance(info.value, ModelHTTPError)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_pydantic_ai_hang_hits_the_request_timeout(scripted_server, protocol: str) -> None:
    srv = scripted_server([Hang(10)])
    start = time.monotonic()
    with pytest.raises(ModelRequestTimeout) as info:
        Agent(pai_model(protocol, srv, request_timeout=0.3)).run_sync("go")
    assert time.monotonic() - start < 3
    assert info.value.timeout == 0.3


def test_hang_then_answers_when_the_client_waits(scripted_server) -> None:
    srv = scripted_server([Hang(0.3, then=Reply(text="finally"))])
    start = time.monotonic()
    assert Agent(pai_model("openai", srv, timeout=5)).run_sync("go").output == "finally"
    assert time.monotonic() - start >= 0.3


@pytest.mark.parametrize(
    ("protocol", "settings", "expected", "text"),
    [
        ("openai", {}, ModelAPIError, "Failed to decode response as JSON"),
        ("anthropic", {"max_tokens": 256}, ModelAPIError, "Failed to decode response as JSON"),
        # pydantic-ai streams Anthropic requests without max_tokens; the SSE decoder skips non-SSE lines
        ("anthropic", {}, UnexpectedModelBehavior, "Streamed response ended without content"),
        ("google", {}, ModelAPIError, "Failed to decode response as JSON"),
    ],
)
def test_pydantic_ai_garbage(scripted_server, protocol: str, settings: dict, expected, text: str) -> None:
    srv = scripted_server([Garbage()])
    with pytest.raises(expected, match=text) as info:
        Agent(pai_model(protocol, srv, **settings), output_type=Verdict).run_sync("go")
    assert not isinstance(info.value, ModelHTTPError)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_pydantic_ai_non_json_text_exhausts_output_retries(scripted_server, protocol: str) -> None:
    srv = scripted_server([Reply(text="I think it is fixed?")], repeat_last=True)
    with pytest.raises(UnexpectedModelBehavior, match="output retries"):
        Agent(pai_model(protocol, srv), output_type=NativeOutput(Verdict)).run_sync("go")
    assert len(srv.model_requests) == 2  # the first answer plus one output retry, the same step reused


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_sdk_retries_via_custom_client(scripted_server, protocol: str) -> None:
    # retry-after-ms makes the SDK's own back-off ~instant (retry-after: 0 would not: it falls back to ~0.5 s)
    srv = scripted_server([Fail(500, headers={"retry-after-ms": "1"}), Reply(payload=VERDICT)])
    if protocol == "openai":
        client = openai.AsyncOpenAI(base_url=srv.openai_base_url, api_key="x", max_retries=1, timeout=5)
        model = OpenAIChatModel(OPENAI_MODEL, provider=OpenAIProvider(openai_client=client))
    elif protocol == "google":  # google-genai ignores retry-after; its own delays are made tiny instead
        retry = genai_types.HttpRetryOptions(attempts=2, initial_delay=0.01, max_delay=0.01, jitter=0)
        provider = GoogleProvider(base_url=srv.google_base_url, api_key="x", retry_options=retry)
        model = GoogleModel(GOOGLE_MODEL, provider=provider)
    else:
        client = anthropic.AsyncAnthropic(base_url=srv.anthropic_base_url, api_key="x", max_retries=1, timeout=5)
        model = AnthropicModel(ANTHROPIC_MODEL, provider=AnthropicProvider(anthropic_client=client))
    start = time.monotonic()
    assert Agent(model, output_type=Verdict).run_sync("go").output == Verdict(**VERDICT)
    assert time.monotonic() - start < 2
    assert len(srv.model_requests) == 2


@pytest.mark.parametrize("protocol", ["anthropic", "google"])
def test_max_retries_zero_in_settings_overrides_the_client(scripted_server, protocol: str) -> None:
    srv = scripted_server([Fail(500), Reply(payload=VERDICT)])
    if protocol == "google":
        retry = genai_types.HttpRetryOptions(attempts=4, initial_delay=0.01, max_delay=0.01, jitter=0)
        provider = GoogleProvider(base_url=srv.google_base_url, api_key="x", retry_options=retry)
        model = GoogleModel(GOOGLE_MODEL, provider=provider)
    else:
        client = anthropic.AsyncAnthropic(base_url=srv.anthropic_base_url, api_key="x", max_retries=3)
        model = AnthropicModel(ANTHROPIC_MODEL, provider=AnthropicProvider(anthropic_client=client))
    with pytest.raises(ModelServerError):
        Agent(model, model_settings=ModelSettings(max_retries=0)).run_sync("go")
    assert len(srv.model_requests) == 1 and srv.remaining() == 1


# --------------------------------------------------------------------------------------------- server behaviour


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_exhausted_script_is_a_500_naming_the_request(scripted_server, protocol: str) -> None:
    srv = scripted_server([Reply(payload=VERDICT)])
    agent = Agent(pai_model(protocol, srv), output_type=Verdict)
    agent.run_sync("one")
    with pytest.raises(ModelServerError, match="script exhausted") as info:
        agent.run_sync("two")
    assert info.value.status_code == 500
    assert srv.model_requests[-1].step is None


def test_repeat_last_reuses_the_final_step(scripted_server) -> None:
    srv = scripted_server([Reply(text="a"), Reply(text="b")], repeat_last=True)
    agent = Agent(pai_model("openai", srv))
    assert [agent.run_sync("x").output for _ in range(4)] == ["a", "b", "b", "b"]


def test_records_show_whether_a_secret_left_the_process(scripted_server) -> None:
    srv = scripted_server([Reply(text="ok"), Reply(text="ok")])
    assert srv.requests == []  # nothing sent yet: provably no request at all
    agent = Agent(pai_model("openai", srv))
    agent.run_sync("the code is clean")
    assert not srv.contains("sk-live-SECRET-123")
    agent.run_sync("here is sk-live-SECRET-123")
    assert srv.contains("sk-live-SECRET-123")
    assert srv.contains("Bearer x")  # headers are searched too


def test_google_unknown_method_is_a_google_shaped_404_and_the_query_is_searched(scripted_server) -> None:
    srv = scripted_server([Reply(text="unused")])
    url = f"{srv.url}/v1beta/models/{GOOGLE_MODEL}:embedContent?key=AIza-SECRET"  # an old-style key in the query
    req = urllib.request.Request(url, data=b"{}", method="POST", headers={"content-type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(req, timeout=5)
    assert info.value.code == 404
    assert json.loads(info.value.read())["error"]["status"] == "NOT_FOUND"
    assert srv.remaining() == 1 and srv.model_requests == []
    assert srv.requests[0].protocol == "google" and srv.requests[0].query == "key=AIza-SECRET"
    assert srv.contains("AIza-SECRET")


def test_unknown_path_is_a_provider_shaped_404(scripted_server) -> None:
    srv = scripted_server([Reply(text="unused")])
    req = urllib.request.Request(f"{srv.url}/v1/embeddings", data=b"{}", method="POST")
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(req, timeout=5)
    assert info.value.code == 404
    assert json.loads(info.value.read())["error"]["type"] == "invalid_request_error"
    assert srv.remaining() == 1 and srv.requests[0].path == "/v1/embeddings"


def test_stop_cuts_a_hang_short() -> None:
    srv = ScriptedServer([Hang(60)]).start()
    client = openai.OpenAI(base_url=srv.openai_base_url, api_key="x", max_retries=0, timeout=0.2)
    with pytest.raises(openai.APITimeoutError):
        client.chat.completions.create(model=OPENAI_MODEL, messages=[{"role": "user", "content": "hi"}])
    start = time.monotonic()
    srv.stop()
    assert time.monotonic() - start < 2


def test_reply_validation() -> None:
    with pytest.raises(ValueError):
        Reply()
    with pytest.raises(ValueError):
        Reply(payload={"a": 1}, text="b")
    with pytest.raises(TypeError):
        ScriptedServer(["not a step"])  # type: ignore[list-item]
