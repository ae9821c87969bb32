"""A scripted model-provider HTTP server for tests, speaking the real OpenAI, Anthropic and Gemini wire protocols.

The client under test is the *real* client (pydantic-ai, the official ``openai``, ``anthropic`` and ``google-genai``
SDKs); only the provider is replaced. One server answers all three protocols, chosen by path:

=============================================  ================================================================
``POST /v1/chat/completions``                  OpenAI chat completions, plain JSON or SSE (``"stream": true``)
``POST /v1/messages``                          Anthropic messages, plain JSON or SSE (``"stream": true``)
``POST /v1/messages/count_tokens``             Anthropic token count (``{"input_tokens": N}``, uses no step)
``GET  /v1/models``                            model list, OpenAI shape, or Anthropic shape when the request carries
                                               an ``anthropic-version`` header (as the Anthropic SDK always does)
``POST /v1beta/models/M:generateContent``      Gemini ``generateContent`` for model ``M`` (from the path), plain JSON
``POST /v1beta/models/M:streamGenerateContent  Gemini streamed, SSE ``data: {...}`` chunks (google-genai always
?alt=sse``                                     adds ``?alt=sse``; kept in ``RecordedRequest.query``)
``POST /v1beta/models/M:countTokens``          Gemini token count (``{"totalTokens": N}``, uses no step)
``GET  /v1beta/models``                        Gemini model list, ``{"models": [{"name": "models/<id>", ...}]}``
``GET  /v1beta/models/M``                      one Gemini model, or 404 ``NOT_FOUND`` when ``M`` is not in ``models``
anything else                                  404 in the provider's error shape (uses no step)
=============================================  ================================================================

(Gemini paths are also answered under ``/v1`` and ``/v1alpha``, the SDK's other ``api_version`` values.)

Usage::

    from .scripted_server import Fail, Garbage, Hang, Reply, ScriptedServer   # from tests/llm/
    # from llm.scripted_server import ...   # from another tests/ sub-package (pytest puts tests/ on sys.path)

    with ScriptedServer([Reply(payload={"verdict": "fixed"}), Fail(429)]) as srv:
        OpenAIProvider(base_url=srv.openai_base_url, api_key="x")      # f"{srv.url}/v1"
        AnthropicProvider(base_url=srv.anthropic_base_url, api_key="x")  # srv.url
        GoogleProvider(base_url=srv.google_base_url, api_key="x")        # srv.url (the SDK adds /v1beta/...)
        genai.Client(api_key="x", http_options=types.HttpOptions(base_url=srv.url))   # google-genai directly
        ...
        assert srv.model_requests[0].model == "gpt-4o"    # body["model"], or the model of a Gemini path
        assert not srv.contains("sk-secret")          # the secret never left the process
        assert srv.remaining() == 0                   # every scripted step was used

Or use the pytest fixture ``scripted_server`` (import it into a test module or conftest:
``from .scripted_server import scripted_server  # noqa: F401``); it is a factory, ``scripted_server([...], **kw)``,
whose servers are stopped at teardown.

Script
------
Each *model request* (POST to chat/completions, messages, or a Gemini ``generateContent`` /
``streamGenerateContent``) consumes one step, in order:

* ``Reply(payload={...})`` - a structured answer; the server picks the wire shape from the request (see below).
  ``Reply(text="...")`` sends the text as-is (garbage / non-JSON answers). ``usage=(input, output)`` tokens.
  ``Reply(payload=..., tool="name")`` forces a call of that tool (e.g. a function tool of the agent).
* ``Fail(status, kind=None, message=None)`` - an HTTP error in the provider's own error body. ``kind`` is the
  Anthropic ``error.type`` / OpenAI ``error.type``; defaults follow the status (see ``_ANTHROPIC_KINDS`` and
  ``_OPENAI_KINDS``, e.g. 401 -> OpenAI code ``invalid_api_key``, 404 -> ``model_not_found``). A 429 carries
  ``retry-after: 0``. Extra ``headers`` may be given.
  Gemini: ``{"error": {"code": 403, "message": "...", "status": "PERMISSION_DENIED"}}``; ``kind`` is ``error.status``
  (default from ``_GOOGLE_STATUSES``: 400 INVALID_ARGUMENT, 401 UNAUTHENTICATED, 403 PERMISSION_DENIED, 404
  NOT_FOUND, 429 RESOURCE_EXHAUSTED, 500 INTERNAL, 503 UNAVAILABLE, else UNKNOWN) and ``details`` is
  ``error.details``. A Gemini 429 carries no header but a ``google.rpc.RetryInfo`` detail ``retryDelay: "0s"``,
  as Gemini does; a 404 says ``models/{model} is not found for API version v1beta, ...`` like the real API.
* ``Hang(seconds, then=None)`` - sleeps before answering (client timeouts), then answers with ``then`` (default a
  short text reply). ``stop()`` cuts every hang short, so a hanging step never delays the end of a test.
* ``Garbage(body, content_type="application/json")`` - a 200 whose body is not valid JSON / not the protocol.

A script is either a list (one queue for the whole server) or a dict ``{model name: [steps]}`` so that one server
can stand in for several models of a fallback chain (Gemini: the ``M`` of the path, without ``models/``); key
``"*"`` is the queue for models not named. (Starting two servers works just as well.)

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
   Gemini: ``tools[].functionDeclarations[].name``; the tool ``toolConfig.functionCallingConfig.
   allowedFunctionNames`` names if it lists one, else the same rule; ``mode: NONE`` means no call (rule 3). Reply =
   ``parts: [{"functionCall": {"name", "args": payload}}]`` (``finishReason: STOP``, as Gemini sends for calls too).
2. OpenAI ``response_format`` of type ``json_schema`` or ``json_object``, Gemini ``generationConfig.
   responseMimeType: "application/json"`` (with or without ``responseJsonSchema``): content = the payload as JSON
   text.
3. Otherwise (also Anthropic ``output_format`` / ``output_config`` native output, and prompted output): text
   content = the payload as JSON text.

Gemini replies: ``{"candidates": [{"content": {"role": "model", "parts": [...]}, "finishReason": "STOP", "index": 0}],
"usageMetadata": {"promptTokenCount": N, "candidatesTokenCount": M, "totalTokenCount": N+M}, "modelVersion": model,
"responseId": ...}``. Streamed: one chunk per ``chunk_size`` characters of text (a function call comes whole in one
chunk, as Gemini sends it); earlier chunks carry ``usageMetadata`` with the prompt count only, the last one
``finishReason`` and the full usage (pydantic-ai takes each chunk's usage as cumulative).

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

What pydantic-ai 2.68 ``GoogleModel`` (google-genai 2.34, ``vertexai=False``) sends:

* ``POST {base_url}/v1beta/models/{model}:generateContent``; ``run_stream`` & co. use
  ``:streamGenerateContent?alt=sse``. Headers: ``x-goog-api-key: <key>``, ``x-goog-api-client``, ``user-agent``
  ending in ``pydantic-ai/2.68.0``, and ``x-server-timeout: 1200``. Body keys are camelCase (``contents``,
  ``systemInstruction``, ``tools``, ``toolConfig``, ``generationConfig``) except the function declarations'
  ``parameters_json_schema``. ``generationConfig`` always has ``responseModalities: ["TEXT"]``.
* default ``output_type=Model``: ``tools=[{"functionDeclarations": [{"name": "final_result", ...}]}]`` (function
  tools of the agent in the same list) and ``toolConfig={"functionCallingConfig": {"mode": "ANY"}}``, no
  ``allowedFunctionNames``.
* ``NativeOutput(Model)``: no tools; ``generationConfig.responseMimeType="application/json"`` and
  ``responseJsonSchema`` (with ``title``).
* ``PromptedOutput(Model)``: no tools; the schema in ``systemInstruction``, *and* ``responseMimeType=
  "application/json"`` without a schema.
* Function results go back as ``{"functionResponse": {"id", "name", "response": {"return_value": ...}}}`` parts; the
  model's earlier ``functionCall`` is replayed with a pydantic-ai ``id`` and a placeholder ``thoughtSignature``.

pydantic-ai 2.68: status -> exception (all three protocols, ``max_retries=0``)
-----------------------------------------------------------------------------
Every HTTP failure is a ``ModelHTTPError`` *and* an instance of its category (``ModelHTTPError.for_category``;
``type(e).__name__`` is the category's name). For Gemini pydantic-ai decides from ``error.status`` (and
``details``) first, then from the HTTP status; the defaults above give the same classes as the other protocols:

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
``Fail(503, message="The model   Gemini: ``ModelOverloadedError`` (pydantic-ai reads "overloaded" in the message;
is overloaded. ...")``           Gemini's real 503 text), plain ``Fail(503)``: ``ModelUnavailableError``
Gemini ``Fail(400, details=      ``ModelAuthenticationError``: a bad Gemini key is a 400 ``INVALID_ARGUMENT``
[{"reason":"API_KEY_INVALID"}])``  whose ``google.rpc.ErrorInfo`` reason is ``API_KEY_INVALID``
Gemini ``Fail(429, details=      ``ModelQuotaExceededError`` (a daily quota: a ``google.rpc.QuotaFailure`` whose
[QuotaFailure ...PerDay...])``   ``quotaId`` says ``PerDay``); without it ``ModelRateLimitError``,
                                 ``retry_after == 0.0`` read from the ``RetryInfo`` detail
Gemini ``Fail(400, kind="FAILED  ``ModelRequestRejectedError`` -- how Gemini really refuses a region ("User
_PRECONDITION")``                location is not supported for the API use."); with "billing" in the message
                                 ``ModelQuotaExceededError``
``Hang`` > ``timeout``           ``ModelTimeoutError`` (a ``ModelConnectionError``; not a ModelHTTPError)
``Hang`` > ``request_timeout``   ``ModelRequestTimeout`` (pydantic-ai's own deadline over all attempts)
``Garbage()`` (not JSON)         ``ModelAPIError`` "Failed to decode response as JSON" (OpenAI; Anthropic
                                 non-streamed; Gemini streamed or not) -- but a *streamed* Anthropic request
                                 (the default, see above) skips the non-SSE lines:
                                 ``UnexpectedModelBehavior`` "Streamed response ended without content or
                                 tool calls"
``Garbage('{"foo": 1}')``        OpenAI: ``UnexpectedModelBehavior`` "Invalid response from openai chat
                                 completions endpoint"; Anthropic non-streamed: a bare ``TypeError`` (!);
                                 Gemini: an empty response, retried as output: ``UnexpectedModelBehavior``
                                 "Exceeded maximum output retries" after 2 requests
``Garbage(..., "text/plain")``   OpenAI: ``UnexpectedModelBehavior`` "... expected JSON data"; Anthropic
                                 non-streamed: ``ModelAPIError`` "Expected a JSON response"; Gemini:
                                 ``ModelAPIError`` "Failed to decode response as JSON"
``Reply(text="not json")``       ``UnexpectedModelBehavior`` "Exceeded maximum output retries" (after the
                                 output retry; each retry is one more model request / step)
script exhausted                 ``ModelServerError`` (500, message "scripted_server: script exhausted")
===============================  ======================================================================

Timeouts and retries in pydantic-ai 2.68 (OpenAI and Anthropic alike; Gemini below)
------------------------------------------------------------------------------------
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
* Gemini (``GoogleModel``): ``ModelSettings(timeout=...)`` and ``request_timeout`` behave as above
  (``ModelTimeoutError`` / ``ModelRequestTimeout``). But google-genai does **not** retry unless told to: a
  ``GoogleProvider`` without ``retry_options`` makes exactly one attempt, whatever the status. Retries come from
  ``GoogleProvider(retry_options=HttpRetryOptions(attempts=N, initial_delay=0.01, max_delay=0.01, jitter=0))``
  (``attempts`` counts the first request; 408/429/5xx by default) or ``ModelSettings(max_retries=N)`` (per request:
  ``attempts=N+1`` with the provider's delays, else the SDK's 1 s initial back-off with up to 1 s of jitter --
  slow in tests). ``ModelSettings(max_retries=0)`` wins over the provider's ``retry_options``. The SDK's back-off
  ignores ``retry-after`` and ``RetryInfo``.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import unquote

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

WireProtocol = Literal["openai", "anthropic", "google"]

# Gemini API paths, as google-genai builds them: f"{base_url}/{api_version}/models/{model}:{method}"
_GOOGLE_CALL = re.compile(r"/(v1|v1beta|v1alpha)/((?:models|tunedModels)/([^/:]+)):([A-Za-z]+)")
_GOOGLE_GENERATE = ("generateContent", "streamGenerateContent")
_GOOGLE_MODELS = re.compile(r"/(v1|v1beta|v1alpha)/models(?:/([^/:]+))?")


def _google_call(path: str) -> tuple[str, str, str] | None:
    """``(api_version, model id, method)`` of a Gemini model call path, or None."""
    m = _GOOGLE_CALL.fullmatch(path)
    return (m.group(1), m.group(3), m.group(4)) if m else None


def _is_model_request(method: str, path: str) -> bool:
    """A request that consumes a script step: a chat completion, a message, or a Gemini generateContent."""
    if method != "POST":
        return False
    if path in ("/v1/chat/completions", "/v1/messages"):
        return True
    call = _google_call(path)
    return call is not None and call[2] in _GOOGLE_GENERATE


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
    details: Sequence[Mapping[str, Any]] | None = None  # Gemini ``error.details``; None: the status's default


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
    query: str = ""  # the query string, without "?" (Gemini streams: "alt=sse")

    @property
    def model(self) -> str | None:
        """The model asked for: ``body["model"]`` (OpenAI, Anthropic) or the ``models/{model}`` of a Gemini path."""
        if self.protocol == "google":
            call = _google_call(self.path)
            return call[1] if call else None
        return self.body.get("model") if isinstance(self.body, dict) else None

    @property
    def stream(self) -> bool:
        if self.protocol == "google":
            call = _google_call(self.path)
            return call is not None and call[2] == "streamGenerateContent"
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

# status -> google.rpc.Code name, as generativelanguage.googleapis.com sends it in error.status
_GOOGLE_STATUSES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    499: "CANCELLED",
    500: "INTERNAL",
    501: "NOT_IMPLEMENTED",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}

# what Gemini says (its 503 text is usually "The model is overloaded. ...", which pydantic-ai would make a
# ModelOverloadedError: script that message explicitly when wanted)
_GOOGLE_MESSAGES = {
    400: "Request contains an invalid argument.",
    401: "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other "
    "valid authentication credential.",
    403: "The caller does not have permission",
    429: "Resource has been exhausted (e.g. check quota).",
    500: "An internal error has occurred. Please retry or report in "
    "https://developers.generativeai.google/guide/troubleshooting",
    503: "The service is currently unavailable.",
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


def _google_error_body(
    status: int,
    kind: str | None,
    message: str | None,
    model: str | None,
    details: Sequence[Mapping[str, Any]] | None = None,
    api_version: str = "v1beta",
) -> dict:
    if message is None:
        if status == 404 and model:  # pydantic-ai recognises this wording (it suggests a known model id)
            message = (
                f"models/{model} is not found for API version {api_version}, or is not supported for "
                "generateContent. Call ListModels to see the list of available models and their supported methods."
            )
        else:
            message = _GOOGLE_MESSAGES.get(status) or _DEFAULT_MESSAGES.get(status, f"Scripted error {status}.")
    if details is None and status == 429:  # Gemini says how long to wait in the body, not in a retry-after header
        details = [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "0s"}]
    status_name = kind or _GOOGLE_STATUSES.get(status, "UNKNOWN")
    error: dict[str, Any] = {"code": status, "message": message, "status": status_name}
    if details:
        error["details"] = [dict(d) for d in details]
    return {"error": error}


def _error_body(
    protocol: WireProtocol, status: int, kind: str | None, message: str | None, model: str | None
) -> dict:
    if protocol == "google":
        return _google_error_body(status, kind, message, model)
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


def _get(obj: Any, camel: str, snake: str) -> Any:
    """A Gemini body field: the SDK sends camelCase; snake_case is accepted too (a hand-written request)."""
    if not isinstance(obj, dict):
        return None
    return obj[camel] if camel in obj else obj.get(snake)


def _google_calling_config(body: Mapping[str, Any]) -> dict:
    cfg = _get(_get(body, "toolConfig", "tool_config"), "functionCallingConfig", "function_calling_config")
    return cfg if isinstance(cfg, dict) else {}


def _tool_names(protocol: WireProtocol | None, body: Mapping[str, Any]) -> list[str]:
    names = []
    for tool in body.get("tools") or []:
        if not isinstance(tool, dict):
            continue
        if protocol == "google":  # tools[].functionDeclarations[].name (other tools: googleSearch, codeExecution...)
            decls = _get(tool, "functionDeclarations", "function_declarations") or []
            names.extend(d["name"] for d in decls if isinstance(d, dict) and isinstance(d.get("name"), str))
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
    if protocol == "google":  # toolConfig.functionCallingConfig {mode: ANY | VALIDATED | AUTO, allowedFunctionNames}
        allowed = _get(_google_calling_config(body), "allowedFunctionNames", "allowed_function_names")
        if isinstance(allowed, list) and len(allowed) == 1 and isinstance(allowed[0], str):
            return allowed[0]
        return None
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
    if protocol == "google" and str(_google_calling_config(body).get("mode", "")).upper() == "NONE":
        return None  # function calling switched off: the model answers in text
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


def _google_parts(ans: _Answer, text: str | None = None) -> list[dict]:
    if ans.tool_name is not None:
        return [{"functionCall": {"name": ans.tool_name, "args": json.loads(ans.tool_args or "{}")}}]
    return [{"text": ans.text if text is None else text}]


def _google_usage(ans: _Answer, final: bool = True) -> dict:
    i, o = ans.usage
    if not final:  # Gemini's earlier stream chunks count the prompt only; each chunk's usage replaces the last
        return {"promptTokenCount": i, "totalTokenCount": i}
    return {"promptTokenCount": i, "candidatesTokenCount": o, "totalTokenCount": i + o}


def _google_response(ans: _Answer, model: str, rid: str) -> dict:
    return {
        "candidates": [{"content": {"role": "model", "parts": _google_parts(ans)}, "finishReason": "STOP", "index": 0}],
        "usageMetadata": _google_usage(ans),
        "modelVersion": model,
        "responseId": rid,
    }


def _google_chunks(ans: _Answer, model: str, rid: str, size: int) -> Iterator[dict]:
    """streamGenerateContent: text in pieces, a function call whole (Gemini never splits its arguments); the last
    chunk carries ``finishReason`` and the full usage."""
    pieces: list[str | None] = [None] if ans.tool_name is not None else list(_pieces(ans.text or "", size))
    for k, piece in enumerate(pieces):
        last = k == len(pieces) - 1
        candidate: dict[str, Any] = {"content": {"role": "model", "parts": _google_parts(ans, piece)}, "index": 0}
        if last:
            candidate["finishReason"] = "STOP"
        yield {
            "candidates": [candidate],
            "usageMetadata": _google_usage(ans, final=last),
            "modelVersion": model,
            "responseId": rid,
        }


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
        if path.startswith(("/v1beta/", "/v1alpha/")) or path in ("/v1beta", "/v1alpha") or _google_call(path):
            return "google"
        if path.startswith("/v1/messages") or "anthropic-version" in self.headers:
            return "anthropic"
        if "x-goog-api-key" in self.headers:  # google-genai on api_version="v1": GET /v1/models
            return "google"
        return "openai"

    # -- entry points

    def do_GET(self) -> None:  # noqa: N802
        self._handle("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._handle("POST")

    def _handle(self, method: str) -> None:
        srv = self.server.owner
        raw_path, _, query = self.path.partition("?")
        path = unquote(raw_path).rstrip("/")
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
            query=query,
        )
        n = srv._record(rec)
        self._request_id = f"req_scripted_{n}"
        try:
            if protocol == "google":
                self._google(method, path, rec, body, n)
            elif method == "GET" and path == "/v1/models":
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

    def _google(self, method: str, path: str, rec: RecordedRequest, body: Any, n: int) -> None:
        """The Gemini API: generateContent, streamGenerateContent, countTokens, and the model list / one model."""
        srv = self.server.owner
        call = _google_call(path)
        listing = _GOOGLE_MODELS.fullmatch(path)
        if method == "POST" and call and call[2] in (*_GOOGLE_GENERATE, "countTokens"):
            version, model, what = call
            if not isinstance(body, dict):
                msg = "Invalid JSON payload received."
                self._send_json(400, _google_error_body(400, None, msg, model, api_version=version))
            elif what == "countTokens":
                self._send_json(200, {"totalTokens": max(1, len(rec.raw_body) // 4)})
            else:
                self._model_request(rec, "google", body, n)
        elif method == "GET" and listing and listing.group(2) is None:
            self._send_json(200, srv._models_listing("google"))
        elif method == "GET" and listing and listing.group(2) in srv.models:
            self._send_json(200, _google_model_info(listing.group(2)))
        elif method == "GET" and listing:
            self._send_json(404, _google_error_body(404, None, None, listing.group(2), api_version=listing.group(1)))
        else:
            self._send_json(404, _google_error_body(404, None, f"Unknown path: {method} {path}", None))

    def _model_request(self, rec: RecordedRequest, protocol: WireProtocol, body: dict, n: int) -> None:
        srv = self.server.owner
        model = str(rec.model or "")
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
            if protocol == "google":
                version = (_google_call(rec.path) or ("v1beta",))[0]
                err = _google_error_body(step.status, step.kind, step.message, model, step.details, version)
            else:
                if step.status == 429:
                    headers.setdefault("retry-after", "0")
                err = _error_body(protocol, step.status, step.kind, step.message, model)
            self._send_json(step.status, err, headers)
            return
        if isinstance(step, Garbage):
            data = step.body.encode() if isinstance(step.body, str) else step.body
            self._send(200, data, step.content_type)
            return
        assert isinstance(step, Reply), step
        ans = _resolve(step, protocol, body)
        if protocol == "openai":
            self._openai_reply(ans, body, model, n)
        elif protocol == "google":
            self._google_reply(ans, rec, model, n)
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

    def _google_reply(self, ans: _Answer, rec: RecordedRequest, model: str, n: int) -> None:
        rid = f"scripted-response-{n}"
        if not rec.stream:
            self._send_json(200, _google_response(ans, model, rid))
            return
        self._start_stream()
        for c in _google_chunks(ans, model, rid, self.server.owner.chunk_size):
            self._chunk(b"data: " + json.dumps(c).encode() + b"\r\n\r\n")
        self._end_stream()


def _google_model_info(model: str) -> dict:
    return {
        "name": f"models/{model}",
        "version": "001",
        "displayName": model,
        "description": "A scripted model.",
        "inputTokenLimit": 1048576,
        "outputTokenLimit": 65536,
        "supportedGenerationMethods": ["generateContent", "countTokens"],
    }


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
        """``http://127.0.0.1:PORT``: the Anthropic and Gemini base URL."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def openai_base_url(self) -> str:
        return f"{self.url}/v1"

    @property
    def anthropic_base_url(self) -> str:
        return self.url

    @property
    def google_base_url(self) -> str:
        """The Gemini base URL: the SDK appends ``/v1beta/models/...`` itself."""
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
        """Requests to chat/completions, messages or generateContent (the ones that consume steps), in arrival order."""
        with self._lock:
            return [r for r in self.requests if _is_model_request(r.method, r.path)]

    def contains(self, needle: str | bytes) -> bool:
        """Whether ``needle`` appears anywhere in any request received: path, query, header names and values, body."""
        text = needle.encode() if isinstance(needle, str) else needle
        with self._lock:
            for r in self.requests:
                blob = b"\n".join(
                    [
                        r.path.encode(),
                        r.query.encode(),  # an API key may travel as ?key=...
                        *(f"{k}: {v}".encode() for k, v in r.headers.items()),
                        r.raw_body,
                    ]
                )
                if text in blob:
                    return True
        return False

    def _models_listing(self, protocol: WireProtocol) -> dict:
        if protocol == "google":
            return {"models": [_google_model_info(m) for m in self.models]}
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
