"""Request objects of web frameworks, as data: which of their fields and methods are untrusted input.

Names are canonical dotted names, as `flow.index.ModuleInfo.resolve` writes them. A new framework
or field is one entry here; `flow.entrypoints` says which parameters hold these objects.
"""

from __future__ import annotations

# A module global that is the current request (Flask, Quart): its type.
GLOBAL_OBJECTS: dict[str, str] = {
    "flask.request": "flask.Request",
    "flask.globals.request": "flask.Request",
    "quart.request": "flask.Request",  # the same fields
}

# Every field a client writes. Not the parsed route's own converted values (`view_args` is listed:
# Flask's converters may be plain strings), not server-side settings.
_WERKZEUG = frozenset({"args", "form", "values", "json", "cookies", "headers", "files", "data", "view_args", "path",
                       "full_path", "url", "base_url", "query_string", "stream", "environ", "authorization",
                       "referrer", "user_agent", "host", "remote_user"})
_DJANGO = frozenset({"GET", "POST", "COOKIES", "body", "FILES", "META", "headers", "path", "path_info",
                     "content_type", "content_params"})

INPUT_ATTRIBUTES: dict[str, frozenset[str]] = {
    "flask.Request": _WERKZEUG,
    "django.http.HttpRequest": _DJANGO,
    "rest_framework.request.Request": _DJANGO | {"data", "query_params"},
    # `client` is the peer's address, not text it chose: left out.
    "starlette.requests.Request": frozenset({"query_params", "path_params", "headers", "cookies", "url", "base_url"}),
    "aiohttp.web.Request": frozenset({"query", "rel_url", "match_info", "headers", "cookies", "path", "raw_path",
                                      "query_string", "content", "url", "host"}),
    "tornado.httputil.HTTPServerRequest": frozenset({"body", "arguments", "query_arguments", "body_arguments", "files",
                                                     "headers", "uri", "path", "query", "cookies", "host"}),
}

# Methods whose result is untrusted input (awaited or not).
INPUT_METHODS: dict[str, frozenset[str]] = {
    "flask.Request": frozenset({"get_json", "get_data"}),
    "django.http.HttpRequest": frozenset({"read", "readline", "readlines", "get_full_path", "build_absolute_uri"}),
    "rest_framework.request.Request": frozenset({"read", "get_full_path"}),
    "starlette.requests.Request": frozenset({"json", "form", "body", "stream"}),
    "aiohttp.web.Request": frozenset({"json", "post", "text", "read", "multipart"}),
    "tornado.web.RequestHandler": frozenset({"get_argument", "get_arguments", "get_query_argument",
                                             "get_query_arguments", "get_body_argument", "get_body_arguments",
                                             "get_cookie", "get_secure_cookie", "get_signed_cookie"}),
}

# An object's attribute that is itself a request object.
ATTRIBUTE_TYPES: dict[tuple[str, str], str] = {
    ("tornado.web.RequestHandler", "request"): "tornado.httputil.HTTPServerRequest",
    ("aiohttp.web.View", "request"): "aiohttp.web.Request",
    ("django.views.View", "request"): "django.http.HttpRequest",
    ("rest_framework.views.APIView", "request"): "rest_framework.request.Request",
}

# Other spellings of the same types.
TYPE_ALIASES: dict[str, str] = {
    "flask.wrappers.Request": "flask.Request",
    "werkzeug.wrappers.Request": "flask.Request",
    "werkzeug.Request": "flask.Request",
    "quart.Request": "flask.Request",
    "django.http.request.HttpRequest": "django.http.HttpRequest",
    "django.core.handlers.wsgi.WSGIRequest": "django.http.HttpRequest",
    "django.core.handlers.asgi.ASGIRequest": "django.http.HttpRequest",
    "rest_framework.request.Request": "rest_framework.request.Request",
    "fastapi.Request": "starlette.requests.Request",
    "fastapi.requests.Request": "starlette.requests.Request",
    "starlette.requests.Request": "starlette.requests.Request",
    "aiohttp.web_request.Request": "aiohttp.web.Request",
    "aiohttp.web.BaseRequest": "aiohttp.web.Request",
    "tornado.web.RequestHandler": "tornado.web.RequestHandler",
}
