"""A scripted model-provider HTTP server for tests, speaking the real OpenAI and Anthropic wire protocols.

The client under test is the *real* client (pydantic-ai, the official ``openai`` and ``anthropic`` SDKs); only the
provider is replaced. One server answers both protocols, chosen by path:

========================================  =====================================================================
``POST /v1/chat/completions``             OpenAI chat completions, plain JSON or SSE (``"stream": true``)
``POST /v1/messages``                     Anthropic messages, plain JSON or SSE (``"stream": true``)
``POST /v1/messages/count_tokens``        Anthropic token count (answers ``{"input_tokens": N}``, uses no step)
``GET  /v1/models``                       model list, OpenAI shape, or Anthropic shape when the request carries
                                          an ``anthropic-version`` header (as the Anthropic SDK always does)
anything else                             404 in the provider's error shape (uses no step)
========================================  =====================================================================

Usage::

    from .scripted_server import Fail, Garbage, Hang, Reply, ScriptedServer   # from tests/llm/
    # from llm.scripted_server import ...   # from another tests/ sub-package (pytest puts tests/ on sys.path)

    with ScriptedServer([Reply(payload={"verdict": "fixed"}), Fail(429)]) as srv:
        OpenAIProvider(base_url=srv.openai_base_url, api_key="x")      # f"{srv.url}/v1"
        AnthropicProvider(base_url=srv.anthropic_base_url, api_key="x")  # srv.url
        ...
        assert srv.model_requests[0].body["model"] == "gpt-4o"
        assert not srv.contains("sk-secret")          # the secret never left the process
        assert srv.remaining() == 0                   # every scripted step was used

Or use the pytest fixture ``scripted_server`` (import it into a test module or conftest:
``from .scripted_server import scripted_server  # noqa: F401``); it is a factory, ``scripted_server([...], **kw)``,
whose servers are stopped at teardown.

Script
------
Each *model request* (POST to chat/completions or messages) consumes one step, in order:

* ``Reply(payload={...})`` - a structured answer; the server picks the wire shape from the request (see below).
  ``Reply(text="...")`` sends the text as-is (garbage / non-JSON answers). ``usage=(input, output)`` tokens.
  ``Reply(payload=..., tool="name")`` forces a call of that tool (e.g. a function tool of the agent).
* ``Fail(status, kind=None, message=None)`` - an HTTP error in the provider's own error body. ``kind`` is the
  Anthropic ``error.type`` / OpenAI ``error.type``; defaults follow the status (see ``_ANTHROPIC_KINDS`` and
  ``_OPENAI_KINDS``, e.g. 401 -> OpenAI code ``invalid_api_key``, 404 -> ``model_not_found``). A 429 carries
  ``retry-after: 0``. Extra ``headers`` may be given.
* ``Hang(seconds, then=None)`` - sleeps before answering (client timeouts), then answers with ``then`` (default a
  short text reply). ``stop()`` cuts every hang short, so a hanging step never delays the end of a test.
* ``Garbage(body, content_type="application/json")`` - a 200 whose body is not valid JSON / not the protocol.

A script is either a list (one queue for the whole server) or a dict ``{model name: [steps]}`` so that one server
can stand in for several models of a fallback chain; key ``"*"`` is the queue for models not named. (Starting two
servers works just as well.)

When a queue runs out the server answers **HTTP 500 "scripted_server: script exhausted"** in the provider's error
shape (so an unexpected extra request fails loudly instead of silently reusing an answer), unless the server was
made with ``repeat_last=True``, in which case the last step of that queue is reused forever. Note a 500 is retried
by the SDKs unless retries are off (see below), and pydantic-ai raises it as ``ModelServerError``.

Structured output: which wire shape a ``Reply(payload=...)`` gets
------------------------------------------------------------------
1. The request has ``tools`` (OpenAI ``tools[].function.name``, Anthropic ``tools[].name``): the output tool is the
   one ``tool_choice`` names (OpenAI ``{"type":"function","function":{"name"}}`` or an ``allowed_tools`` choice
   listing one tool; Anthropic ``{"type":"tool","name"}``), else the only tool, else the first tool whose name
   starts with ``final_result``. Reply = a call of that tool with the payload as arguments
   (``finish_reason="tool_calls"`` / ``stop_reason="tool_use"``).
2. OpenAI ``response_format`` of type ``json_schema`` or ``json_object``: content = the payload as JSON text.
3. Otherwise (also Anthropic ``output_format`` / ``output_config`` native output, and prompted output): text
   content = the payload as JSON text.

What pydantic-ai 2.68 sends (seen through this server; asserted in test_scripted_server.py):

* default ``output_type=Model`` (tool output): one tool named ``final_result``; OpenAI ``tool_choice="required"``,
  Anthropic ``tool_choice={"type": "any"}``. No ``response_format``.
* ``NativeOutput(Model)``: no tools; OpenAI ``response_format={"type": "json_schema", "json_schema": {"name":
  "Model", "schema": ..., "strict": ...}}``; Anthropic ``output_config={"format": {"type": "json_schema",
  "schema": ...}}`` (not the older ``output_format``).
* ``PromptedOutput(Model)``: no tools; the schema goes into the system prompt ("Always respond with a JSON object
  that's compatible with this schema: ..."); on OpenAI it *also* sends ``response_format={"type": "json_object"}``.
* ``AnthropicModel`` sends ``"stream": true`` even for a plain ``agent.run()`` unless ``max_tokens`` is set in the
  model settings (the SDK refuses a non-streamed request whose default max_tokens could exceed 10 minutes, and
  pydantic-ai then streams). ``OpenAIChatModel`` streams only for ``run_stream`` & co., with
  ``stream_options={"include_usage": true}``.
* The ``anthropic`` 2.12 SDK sends the key as ``authorization: Bearer <key>``, not ``x-api-key``.

pydantic-ai 2.68: status -> exception (both protocols, ``max_retries=0``)
-----------------------------------------------------------------------
Every HTTP failure is a ``ModelHTTPError`` *and* an instance of its category (``ModelHTTPError.for_category``;
``type(e).__name__`` is the category's name):

===============================  ======================================================================
scripted step                    exception raised by ``agent.run(...)``
===============================  ======================================================================
``Fail(400)``                    ``ModelRequestRejectedError``
``Fail(401)``, ``Fail(403)``     ``ModelAuthenticationError`` (a ``ModelRequestRejectedError``)
``Fail(404)``                    ``ModelNotFoundError`` (a ``ModelRequestRejectedError``)
``Fail(429)``                    ``ModelRateLimitError``, ``retry_after == 0.0``
``Fail(500)``                    ``ModelServerError``
``Fail(503)``                    ``ModelUnavailableError``
``Fail(529)``                    ``ModelOverloadedError`` (a ``ModelUnavailableError``)
``Hang`` > ``timeout``           ``ModelTimeoutError`` (a ``ModelConnectionError``; not a ModelHTTPError)
``Hang`` > ``request_timeout``   ``ModelRequestTimeout`` (pydantic-ai's own deadline over all attempts)
``Garbage()`` (not JSON)         ``ModelAPIError`` "Failed to decode response as JSON" (OpenAI; Anthropic
                                 non-streamed) -- but a *streamed* Anthropic request (the default, see
                                 above) skips the non-SSE lines: ``UnexpectedModelBehavior`` "Streamed
                                 response ended without content or tool calls"
``Garbage('{"foo": 1}')``        OpenAI: ``UnexpectedModelBehavior`` "Invalid response from openai chat
                                 completions endpoint"; Anthropic non-streamed: a bare ``TypeError`` (!)
``Garbage(..., "text/plain")``   OpenAI: ``UnexpectedModelBehavior`` "... expected JSON data"; Anthropic
                                 non-streamed: ``ModelAPIError`` "Expected a JSON response"
``Reply(text="not json")``       ``UnexpectedModelBehavior`` "Exceeded maximum output retries" (after the
                                 output retry; each retry is one more model request / step)
script exhausted                 ``ModelServerError`` (500, message "scripted_server: script exhausted")
===============================  ======================================================================

Timeouts and retries in pydantic-ai 2.68 (OpenAI and Anthropic alike)
---------------------------------------------------------------------
* Per-request settings: ``ModelSettings(timeout=0.5, max_retries=0)`` on the model (``settings=``), the agent
  (``model_settings=``) or the run. ``timeout`` is the SDK's per-attempt timeout -> ``ModelTimeoutError``;
  ``request_timeout`` is pydantic-ai's deadline over all attempts -> ``ModelRequestTimeout``. ``max_retries`` is
  forwarded to the SDK client (``client.with_options(max_retries=...)``), ``0`` = one attempt.
* Or on the client: ``OpenAIProvider(openai_client=openai.AsyncOpenAI(base_url=..., api_key="x", max_retries=0,
  timeout=2.0))`` and ``AnthropicProvider(anthropic_client=anthropic.AsyncAnthropic(base_url=..., api_key="x",
  max_retries=0, timeout=2.0))``. ``ModelSettings(max_retries=...)`` wins over the client's own value.
* Without either, the SDKs retry 2 times with back-off of ~0.5-8 s, which makes error tests slow.
  ``retry-after: 0`` is *not* "retry now" to the SDKs (they honour only a retry-after above 0 -- openai also
  at most 120 s -- and otherwise back off); to exercise real SDK retries quickly, script
  ``Fail(500, headers={"retry-after-ms": "1"})``.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

__all__ = [
    "Fail",
    "Garbage",
    "Hang",
    "RecordedRequest",
    "Reply",
    "ScriptedServer",
    "Step",
    "WireProtocol",
    "output_tool",
    "scripted_server",
]

WireProtocol = Literal["openai", "anthropic"]


# --------------------------------------------------------------------------------------------------------- steps


@dataclass(frozen=True)
class Reply:
    """A successful answer: ``payload`` (structured, shaped after the request) or ``text`` (sent as-is)."""

    payload: Mapping[str, Any] | None = None
    text: str | None = None
    usage: tuple[int, int] = (10, 5)
    tool: str | None = None

    def __post_init__(self) -> None:
        if (self.payload is None) == (self.text is None):
            raise ValueError("Reply needs exactly one of payload= or text=")
        if self.tool is not None and self.payload is None:
            raise ValueError("Reply(tool=...) needs payload= (the tool arguments)")


@dataclass(frozen=True)
class Fail:
    """An HTTP error in the provider's error body shape."""

    status: int
    kind: str | None = None
    message: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Hang:
    """Sleep ``seconds`` before answering with ``then`` (default: a short text reply)."""

    seconds: float
    then: Reply | Fail | Garbage | None = None


@dataclass(frozen=True)
class Garbage:
    """A 200 whose body is not valid JSON / not the protocol."""

    body: str | bytes = "<html><body>502 Bad Gateway (not JSON)</body></html>"
    content_type: str = "application/json"


Step = Reply | Fail | Hang | Garbage


@dataclass
class RecordedRequest:
    """One request the server received, whatever it was."""

    method: str
    path: str
    headers: dict[str, str]  # keys lower-cased
    raw_body: bytes
    body: Any  # parsed JSON, or None when there was no body / it was not JSON
    protocol: WireProtocol | None
    step: Step | None = None  # the scripted step used, None when none was (GET /v1/models, count_tokens, exhausted)

    @property
    def model(self) -> str | None:
        return self.body.get("model") if isinstance(self.body, dict) else None

    @property
    def stream(self) -> bool:
        return bool(isinstance(self.body, dict) and self.body.get("stream"))

    def tool_names(self) -> list[str]:
        return _tool_names(self.protocol, self.body) if isinstance(self.body, dict) else []


# ----------------------------------------------------------------------------------------------- error defaults

_ANTHROPIC_KINDS = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}

# status -> (error.type, error.code), as api.openai.com sends them
_OPENAI_KINDS: dict[int, tuple[str, str | None]] = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("invalid_request_error", "unsupported_country_region_territory"),
    404: ("invalid_request_error", "model_not_found"),
    429: ("requests", "rate_limit_exceeded"),
    500: ("server_error", None),
    503: ("server_error", None),
}

_DEFAULT_MESSAGES = {
    400: "Invalid request.",
    401: "Incorrect API key provided.",
    403: "Request not allowed.",
    404: "The model does not exist or you do not have access to it.",
    429: "Rate limit reached. Please try again later.",
    500: "The server had an error while processing your request.",
    529: "Overloaded",
}


def _error_body(
    protocol: WireProtocol, status: int, kind: str | None, message: str | None, model: str | None
) -> dict:
    if message is None:
        if protocol == "anthropic" and status == 404 and model:
            message = f"model: {model}"  # what Anthropic really says for an unknown model
        else:
            message = _DEFAULT_MESSAGES.get(status, f"Scripted error {status}.")
    if protocol == "anthropic":
        default = _ANTHROPIC_KINDS.get(status) or ("api_error" if status >= 500 else "invalid_request_error")
        return {"type": "error", "error": {"type": kind or default, "message": message}}
    default_type, code = _OPENAI_KINDS.get(status) or (
        ("server_error", None) if status >= 500 else ("invalid_request_error", None)
    )
    return {"error": {"message": message, "type": kind or default_type, "param": None, "code": code}}


# --------------------------------------------------------------------------------------------- request analysis


def _tool_names(protocol: WireProtocol | None, body: Mapping[str, Any]) -> list[str]:
    names = []
    for tool in body.get("tools") or []:
        if not isinstance(tool, dict):
            continue
        if protocol == "openai":
            fn = tool.get("function")
            name = fn.get("name") if isinstance(fn, dict) else None
        else:
            name = tool.get("name")
        if isinstance(name, str):
            names.append(name)
    return names


def _chosen_tool(protocol: WireProtocol, body: Mapping[str, Any]) -> str | None:
    """The name of the tool ``tool_choice`` forces, if it names exactly one."""
    choice = body.get("tool_choice")
    if not isinstance(choice, dict):
        return None
    if protocol == "anthropic":
        return choice.get("name") if choice.get("type") == "tool" else None
    if choice.get("type") == "function" and isinstance(choice.get("function"), dict):
        return choice["function"].get("name")
    if choice.get("type") == "allowed_tools":
        allowed = choice.get("allowed_tools") or {}
        tools = allowed.get("tools") if isinstance(allowed, dict) else None
        if isinstance(tools, list) and len(tools) == 1 and isinstance(tools[0], dict):
            fn = tools[0].get("function")
            return fn.get("name") if isinstance(fn, dict) else tools[0].get("name")
    return None


def output_tool(protocol: WireProtocol, body: Mapping[str, Any]) -> str | None:
    """The tool a structured reply should call, per the rule in the module docstring, or None for a text reply."""
    names = _tool_names(protocol, body)
    if not names:
        return None
    chosen = _chosen_tool(protocol, body)
    if chosen:
        return chosen
    if len(names) == 1:
        return names[0]
    return next((n for n in names if n.startswith("final_result")), None)


@dataclass
class _Answer:
    """What a Reply resolves to for one request: text content, or one tool call."""

    text: str | None
    tool_name: str | None
    tool_args: str | None
    usage: tuple[int, int]


def _resolve(reply: Reply, protocol: WireProtocol, body: Mapping[str, Any]) -> _Answer:
    if reply.text is not None:
        return _Answer(reply.text, None, None, reply.usage)
    payload_json = json.dumps(reply.payload)
    tool = reply.tool or output_tool(protocol, body)
    if tool:
        return _Answer(None, tool, payload_json, reply.usage)
    # response_format json_schema/json_object or plain text: either way the content is the JSON text
    return _Answer(payload_json, None, None, reply.usage)


def _pieces(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


# ---------------------------------------------------------------------------------------------- wire encoders


def _openai_completion(ans: _Answer, model: str, rid: str, created: int, call_id: str) -> dict:
    message: dict[str, Any] = {"role": "assistant", "content": ans.text, "refusal": None}
    finish = "stop"
    if ans.tool_name is not None:
        message["tool_calls"] = [
            {"id": call_id, "type": "function", "function": {"name": ans.tool_name, "arguments": ans.tool_args}}
        ]
        finish = "tool_calls"
    i, o = ans.usage
    return {
        "id": rid,
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish}],
        "usage": {"prompt_tokens": i, "completion_tokens": o, "total_tokens": i + o},
        "system_fingerprint": "fp_scripted",
    }


def _openai_chunks(
    ans: _Answer, model: str, rid: str, created: int, call_id: str, include_usage: bool, size: int
) -> Iterator[dict]:
    def chunk(delta: dict, finish: str | None = None) -> dict:
        c = {
            "id": rid,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "system_fingerprint": "fp_scripted",
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        }
        if include_usage:
            c["usage"] = None
        return c

    if ans.tool_name is not None:
        yield chunk(
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "index": 0,
                        "id": call_id,
                        "type": "function",
                        "function": {"name": ans.tool_name, "arguments": ""},
                    }
                ],
            }
        )
        for piece in _pieces(ans.tool_args or "", size):
            yield chunk({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]})
        yield chunk({}, "tool_calls")
    else:
        yield chunk({"role": "assistant", "content": "", "refusal": None})
        for piece in _pieces(ans.text or "", size):
            yield chunk({"content": piece})
        yield chunk({}, "stop")
    if include_usage:
        i, o = ans.usage
        yield {
            "id": rid,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "system_fingerprint": "fp_scripted",
            "choices": [],
            "usage": {"prompt_tokens": i, "completion_tokens": o, "total_tokens": i + o},
        }


def _anthropic_message(ans: _Answer, model: str, rid: str, call_id: str) -> dict:
    if ans.tool_name is not None:
        content = [{"type": "tool_use", "id": call_id, "name": ans.tool_name, "input": json.loads(ans.tool_args)}]
        stop = "tool_use"
    else:
        content = [{"type": "text", "text": ans.text}]
        stop = "end_turn"
    i, o = ans.usage
    return {
        "id": rid,
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": {
            "input_tokens": i,
            "output_tokens": o,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
        },
    }


def _anthropic_events(ans: _Answer, model: str, rid: str, call_id: str, size: int) -> Iterator[tuple[str, dict]]:
    i, o = ans.usage
    yield "message_start", {
        "type": "message_start",
        "message": {
            "id": rid,
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {
                "input_tokens": i,
                "output_tokens": 1,
                "cache_creation_input_tokens": 0,
                "cache_read_input_tokens": 0,
            },
        },
    }
    if ans.tool_name is not None:
        block = {"type": "tool_use", "id": call_id, "name": ans.tool_name, "input": {}}
        deltas = [{"type": "input_json_delta", "partial_json": p} for p in _pieces(ans.tool_args or "", size)]
        stop = "tool_use"
    else:
        block = {"type": "text", "text": ""}
        deltas = [{"type": "text_delta", "text": p} for p in _pieces(ans.text or "", size)]
        stop = "end_turn"
    yield "content_block_start", {"type": "content_block_start", "index": 0, "content_block": block}
    yield "ping", {"type": "ping"}
    for delta in deltas:
        yield "content_block_delta", {"type": "content_block_delta", "index": 0, "delta": delta}
    yield "content_block_stop", {"type": "content_block_stop", "index": 0}
    yield "message_delta", {
        "type": "message_delta",
        "delta": {"stop_reason": stop, "stop_sequence": None},
        "usage": {"output_tokens": o},
    }
    yield "message_stop", {"type": "message_stop"}


# ----------------------------------------------------------------------------------------------------- server


class _ClientGone(Exception):
    pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive like a real API; streams use chunked transfer encoding
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet in tests
        pass

    # -- plumbing

    def _read_body(self) -> bytes:
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length else b""

    def _write(self, data: bytes) -> None:
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, OSError) as e:
            self.close_connection = True
            raise _ClientGone from e

    def _send(self, status: int, body: bytes, content_type: str, headers: Mapping[str, str] = {}) -> None:
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(body)))
        for k, v in self._id_headers().items():
            self.send_header(k, v)
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self._write(body)

    def _send_json(self, status: int, obj: Any, headers: Mapping[str, str] = {}) -> None:
        self._send(status, json.dumps(obj).encode(), "application/json", headers)

    def _start_stream(self) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/event-stream; charset=utf-8")
        self.send_header("cache-control", "no-cache")
        self.send_header("transfer-encoding", "chunked")
        for k, v in self._id_headers().items():
            self.send_header(k, v)
        self.end_headers()

    def _chunk(self, data: bytes) -> None:
        self._write(b"%x\r\n%s\r\n" % (len(data), data))

    def _end_stream(self) -> None:
        self._write(b"0\r\n\r\n")

    def _id_headers(self) -> dict[str, str]:
        rid = getattr(self, "_request_id", "req_scripted")
        return {"x-request-id": rid, "request-id": rid}

    def _protocol_for(self, path: str) -> WireProtocol:
        if path.startswith("/v1/messages") or "anthropic-version" in self.headers:
            return "anthropic"
        return "openai"

    # -- entry points

    def do_GET(self) -> None:  # noqa: N802
        self._handle("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._handle("POST")

    def _handle(self, method: str) -> None:
        srv = self.server.owner
        path = self.path.split("?", 1)[0].rstrip("/")
        raw = self._read_body() if method == "POST" else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        protocol = self._protocol_for(path)
        rec = RecordedRequest(
            method=method,
            path=path,
            headers={k.lower(): v for k, v in self.headers.items()},
            raw_body=raw,
            body=body,
            protocol=protocol,
        )
        n = srv._record(rec)
        self._request_id = f"req_scripted_{n}"
        try:
            if method == "GET" and path == "/v1/models":
                self._send_json(200, srv._models_listing(protocol))
            elif method == "POST" and path == "/v1/messages/count_tokens":
                self._send_json(200, {"input_tokens": max(1, len(raw) // 4)})
            elif method == "POST" and path in ("/v1/chat/completions", "/v1/messages") and isinstance(body, dict):
                self._model_request(rec, protocol, body, n)
            else:
                status = 400 if method == "POST" and path in ("/v1/chat/completions", "/v1/messages") else 404
                msg = "Request body is not JSON." if status == 400 else f"Unknown path: {method} {path}"
                self._send_json(status, _error_body(protocol, status, None, msg, None))
        except _ClientGone:
            pass

    def _model_request(self, rec: RecordedRequest, protocol: WireProtocol, body: dict, n: int) -> None:
        srv = self.server.owner
        model = str(body.get("model") or "")
        step = srv._next_step(model)
        rec.step = step
        if step is None:
            msg = f"scripted_server: script exhausted (request #{n}, model {model!r})"
            self._send_json(500, _error_body(protocol, 500, None, msg, model))
            return
        if isinstance(step, Hang):
            srv._stopping.wait(step.seconds)
            step = step.then or Reply(text="(late reply after Hang)")
        if isinstance(step, Fail):
            headers = dict(step.headers)
            if step.status == 429:
                headers.setdefault("retry-after", "0")
            self._send_json(step.status, _error_body(protocol, step.status, step.kind, step.message, model), headers)
            return
        if isinstance(step, Garbage):
            data = step.body.encode() if isinstance(step.body, str) else step.body
            self._send(200, data, step.content_type)
            return
        assert isinstance(step, Reply), step
        ans = _resolve(step, protocol, body)
        if protocol == "openai":
            self._openai_reply(ans, body, model, n)
        else:
            self._anthropic_reply(ans, body, model, n)

    def _openai_reply(self, ans: _Answer, body: dict, model: str, n: int) -> None:
        rid, call_id, created = f"chatcmpl-scripted{n}", f"call_scripted{n}", int(time.time())
        if not body.get("stream"):
            self._send_json(200, _openai_completion(ans, model, rid, created, call_id))
            return
        opts = body.get("stream_options")
        include_usage = isinstance(opts, dict) and bool(opts.get("include_usage"))
        self._start_stream()
        for c in _openai_chunks(ans, model, rid, created, call_id, include_usage, self.server.owner.chunk_size):
            self._chunk(b"data: " + json.dumps(c).encode() + b"\n\n")
        self._chunk(b"data: [DONE]\n\n")
        self._end_stream()

    def _anthropic_reply(self, ans: _Answer, body: dict, model: str, n: int) -> None:
        rid, call_id = f"msg_scripted{n}", f"toolu_scripted{n}"
        if not body.get("stream"):
            self._send_json(200, _anthropic_message(ans, model, rid, call_id))
            return
        self._start_stream()
        for event, data in _anthropic_events(ans, model, rid, call_id, self.server.owner.chunk_size):
            self._chunk(f"event: {event}\ndata: {json.dumps(data)}\n\n".encode())
        self._end_stream()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # keep-alive connection threads must not block server_close()
    block_on_close = False
    owner: ScriptedServer


class ScriptedServer:
    """The scripted provider. Start with ``with ScriptedServer(script) as srv:`` or ``start()`` / ``stop()``."""

    def __init__(
        self,
        script: Sequence[Step] | Mapping[str, Sequence[Step]] = (),
        *,
        repeat_last: bool = False,
        chunk_size: int = 7,
        models: Sequence[str] | None = None,
    ) -> None:
        if isinstance(script, Mapping):
            self._queues: dict[str, list[Step]] = {k: list(v) for k, v in script.items()}
        else:
            self._queues = {"*": list(script)}
        for steps in self._queues.values():
            for s in steps:
                if not isinstance(s, (Reply, Fail, Hang, Garbage)):
                    raise TypeError(f"not a script step: {s!r}")
        self._last: dict[str, Step] = {}
        self.repeat_last = repeat_last
        self.chunk_size = max(1, chunk_size)
        self.models = list(models) if models else [k for k in self._queues if k != "*"] or ["scripted-model"]
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._counter = itertools.count(1)
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle

    def start(self) -> ScriptedServer:
        if self._httpd is not None:
            return self
        self._stopping.clear()
        httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        httpd.owner = self
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), name="scripted-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._stopping.set()  # wake every Hang
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> ScriptedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- addresses

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("ScriptedServer is not running")
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``: the Anthropic base URL."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def openai_base_url(self) -> str:
        return f"{self.url}/v1"

    @property
    def anthropic_base_url(self) -> str:
        return self.url

    # -- script

    def add(self, *steps: Step, model: str = "*") -> None:
        """Append steps to a queue (the whole server's, or one model's)."""
        with self._lock:
            self._queues.setdefault(model, []).extend(steps)

    def remaining(self, model: str | None = None) -> int:
        """Steps not yet used (in one model's queue, or in all queues)."""
        with self._lock:
            if model is not None:
                return len(self._queues.get(model, []))
            return sum(len(q) for q in self._queues.values())

    def _next_step(self, model: str) -> Step | None:
        with self._lock:
            key = model if model in self._queues else "*"
            queue = self._queues.get(key)
            if queue:
                step = queue.pop(0)
                self._last[key] = step
                return step
            if self.repeat_last and key in self._last:
                return self._last[key]
            return None

    # -- records

    def _record(self, rec: RecordedRequest) -> int:
        with self._lock:
            self.requests.append(rec)
            return next(self._counter)

    @property
    def model_requests(self) -> list[RecordedRequest]:
        """Requests to chat/completions or messages (the ones that consume steps), in arrival order."""
        with self._lock:
            return [
                r for r in self.requests if r.method == "POST" and r.path in ("/v1/chat/completions", "/v1/messages")
            ]

    def contains(self, needle: str | bytes) -> bool:
        """Whether ``needle`` appears anywhere in any request received: path, header names and values, or body."""
        text = needle.encode() if isinstance(needle, str) else needle
        with self._lock:
            for r in self.requests:
                blob = b"\n".join(
                    [r.path.encode(), *(f"{k}: {v}".encode() for k, v in r.headers.items()), r.raw_body]
                )
                if text in blob:
                    return True
        return False

    def _models_listing(self, protocol: WireProtocol) -> dict:
        if protocol == "anthropic":
            data = [
                {"type": "model", "id": m, "display_name": m, "created_at": "2025-01-01T00:00:00Z"}
                for m in self.models
            ]
            return {"data": data, "has_more": False, "first_id": self.models[0], "last_id": self.models[-1]}
        return {
            "object": "list",
            "data": [{"id": m, "object": "model", "created": 0, "owned_by": "scripted"} for m in self.models],
        }


try:  # the fixture only where pytest is importable (it always is in this test suite)
    import pytest

    @pytest.fixture
    def scripted_server() -> Iterator[Any]:
        """A factory fixture: ``srv = scripted_server([Reply(...)], **kw)``; every server is stopped at teardown."""
        started: list[ScriptedServer] = []

        def make(script: Sequence[Step] | Mapping[str, Sequence[Step]] = (), **kw: Any) -> ScriptedServer:
            srv = ScriptedServer(script, **kw).start()
            started.append(srv)
            return srv

        yield make
        for srv in started:
            srv.stop()

except ImportError:  # pragma: no cover
    pass
