"""Cookies sent without Secure (CWE-614): `response.set_cookie(name, value)` over plain HTTP too.

A cookie without the Secure attribute is sent on every plain-HTTP request to the site, where
anyone on the network reads it: a session or "remember me" cookie is then a stolen login.
Detects `set_cookie` calls (Flask/Werkzeug, Django, Starlette/FastAPI, Quart, Sanic responses)
whose `secure` is missing or false (and `httponly`, for a cookie that signs the user in), and a
Django settings module or a Flask app's config switching Secure off for the session or CSRF
cookie; the fix passes `secure=True` (`httponly=True`), or sets the setting to True.
"""

from __future__ import annotations

import ast
import re

from provenfix.codemods.base import span_of
from provenfix.flow.index import ProjectIndex
from provenfix.flow.taint import EMPTY, SETTING, Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import Match, ProofPlan, Recipe, keyword_arg, setting_of

# Django settings that switch Secure off for the cookies Django sets itself → which cookie.
DJANGO_SETTINGS = {"SESSION_COOKIE_SECURE": "session", "CSRF_COOKIE_SECURE": "CSRF"}
# How a test makes Django set each cookie, through its own middleware (the session in a signed cookie:
# no database needed), leaving the cookie in `response.cookies`.
SETTING_RESPONSES = {
    "SESSION_COOKIE_SECURE": (
        "from django.contrib.sessions.middleware import SessionMiddleware\n"
        "monkeypatch.setattr(django_settings, \"SESSION_ENGINE\", \"django.contrib.sessions.backends.signed_cookies\")\n"
        "def view(request):\n"
        "    request.session[\"user\"] = \"alice\"\n"
        "    return HttpResponse(\"signed in\")\n"
        "response = SessionMiddleware(view)(RequestFactory().get(\"/\"))\n"
        "cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]"
    ),
    "CSRF_COOKIE_SECURE": (
        "from django.middleware.csrf import CsrfViewMiddleware, get_token\n"
        "def view(request):\n"
        "    get_token(request)\n"
        "    return HttpResponse(\"a form\")\n"
        "response = CsrfViewMiddleware(view)(RequestFactory().get(\"/\"))\n"
        "cookie = response.cookies[django_settings.CSRF_COOKIE_NAME]"
    ),
}
# Cookies that prove who the user is (by name); those a page's script reads on purpose (a CSRF token).
SIGNED_IN = re.compile(r"(?:^|[^a-z0-9])(?:sess|auth|token|remember|login|jwt|sid(?![a-z]))", re.I)  # not `sidebar`
SCRIPT_READ = re.compile(r"csrf|xsrf", re.I)
WEB_FRAMEWORKS = frozenset({"flask", "werkzeug", "django", "starlette", "fastapi", "quart", "sanic", "bottle", "falcon"})


class InsecureCookie(Recipe):
    rule_id = "PF-COOKIE"
    kind = "cookie"
    call_names = frozenset({"set_cookie"})
    without_input = WEB_FRAMEWORKS
    settings = frozenset(DJANGO_SETTINGS)  # SESSION_COOKIE_SECURE is Flask's name too

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        if site.name == SETTING:
            return _setting(site, analysis)
        if not (isinstance(site.node.func, ast.Attribute) and site.node.func.attr == "set_cookie"):
            return None
        if not site.module.imported_roots & WEB_FRAMEWORKS or any(k.arg is None for k in site.node.keywords):
            return None  # not a web response, or **options that may set it
        name = site.node.args[0] if site.node.args else keyword_arg(site, "key")
        name = name.value if isinstance(name, ast.Constant) and isinstance(name.value, str) else ""
        # Secure for every cookie; HttpOnly for one that proves who the user is, which no script needs to read.
        wanted = ["secure", "httponly"] if SIGNED_IN.search(name) and not SCRIPT_READ.search(name) else ["secure"]
        missing = [a for a in wanted if _off(keyword_arg(site, a))]
        if not missing:
            return None  # on, or a setting the code reads (SESSION_COOKIE_SECURE): its choice
        shown = f"`{name}` " if name else ""
        what = " and ".join({"secure": "Secure (it also travels over plain HTTP)",
                             "httponly": "HttpOnly (any script on the page can read it)"}[a] for a in missing)
        return Match(site, EMPTY, f"cookie {shown}is sent without {what}", site.node,
                     detail={"entry": "route", "missing": missing, "name": name})

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods.keywords import set_keywords, set_value  # LibCST loads only when a fix is made

        path = match.site.module.path
        if match.detail.get("entry") in ("settings", "flask-settings"):
            return {path: set_value(texts[path], span_of(match.target, texts[path]), "True")}
        return {path: set_keywords(texts[path], span_of(match.target, texts[path]), dict.fromkeys(match.detail["missing"], "True"))}

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        if match.detail.get("entry") == "settings":
            return _setting_proof(match.detail["setting"])
        if match.detail.get("entry") == "flask-settings":
            return ProofPlan(
                doc="It has Flask's own session interface save a session, with the app's config, and checks the "
                    "Set-Cookie header carries Secure.",
                payloads=['"start"'],
                setup="",
                check=(
                    "from flask import session\n"
                    "app = client.application\n"
                    "with app.test_request_context(\"/\"):\n"
                    "    session[\"user\"] = \"alice\"\n"
                    "    response = app.make_response(\"signed in\")\n"
                    "    app.session_interface.save_session(app, session, response)\n"
                    "cookies = response.headers.getlist(\"Set-Cookie\")\n"
                    "assert cookies, \"Flask set no session cookie\"\n"
                    "assert all(\"secure\" in [a.strip().lower() for a in c.split(\";\")[1:]] for c in cookies), "
                    "f\"Flask sends the session cookie without Secure: {cookies}\""
                ),
            )
        name = match.detail.get("name", "")
        return ProofPlan(
            doc="It requests the page that sets the cookie and checks every Set-Cookie header carries Secure, "
                "and HttpOnly where the cookie signs the user in.",
            payloads=['"x"'],
            setup="",
            check=(
                "def set_cookies(result):\n"
                "    if hasattr(getattr(result, \"headers\", None), \"getlist\"):  # Werkzeug\n"
                "        return result.headers.getlist(\"Set-Cookie\")\n"
                "    if hasattr(getattr(result, \"headers\", None), \"get_list\"):  # httpx (FastAPI's test client)\n"
                "        return result.headers.get_list(\"set-cookie\")\n"
                "    return [m.OutputString() for m in getattr(result, \"cookies\", {}).values()]  # Django\n"
                "cookies = [c for r in results for c in set_cookies(r)]\n"
                # This call's cookie, when its name is known: another `set_cookie` is another finding.
                f"cookies = [c for c in cookies if c.split(\"=\")[0] == {name!r}] if {name!r} else cookies\n"
                "assert cookies, f\"the page set no cookie: {results}\"\n"
                "import re\n"
                "def attributes(cookie):\n"
                "    return [a.strip().split(\"=\")[0].lower() for a in cookie.split(\";\")[1:]]\n"
                "def signs_in(cookie):\n"
                "    name = cookie.split(\"=\")[0]\n"
                f"    return re.search({SIGNED_IN.pattern!r}, name, re.I) and not re.search({SCRIPT_READ.pattern!r}, name, re.I)\n"
                "insecure = [c for c in cookies if \"secure\" not in attributes(c)]\n"
                "assert not insecure, f\"cookies sent without Secure: {insecure}\"\n"
                "readable = [c for c in cookies if signs_in(c) and \"httponly\" not in attributes(c)]\n"
                "assert not readable, f\"sign-in cookies any script can read: {readable}\""
            ),
            benign=['"x"'],
        )


def _setting(site: CallSite, analysis: Analysis) -> Match | None:
    """`SESSION_COOKIE_SECURE = False` in Django's settings, or in a Flask app's config. Both frameworks'
    own default is False too; code that says so is the finding."""
    if (setting := setting_of(site, analysis)) is None:
        return None
    name, where, value = setting
    if not (isinstance(value, ast.Constant) and value.value is False):
        return None
    if where == "django" and name in DJANGO_SETTINGS:
        return Match(site, EMPTY, f"Django sends its {DJANGO_SETTINGS[name]} cookie without the Secure attribute, "
                     "also over plain HTTP", value, detail={"entry": "settings", "setting": name})
    if where == "flask" and name == "SESSION_COOKIE_SECURE":
        return Match(site, EMPTY, "Flask sends its session cookie without the Secure attribute, also over plain HTTP",
                     value, detail={"entry": "flask-settings", "setting": name})
    return None


def _setting_proof(setting: str) -> ProofPlan:
    return ProofPlan(
        doc=f"It has Django's own middleware set the {DJANGO_SETTINGS[setting]} cookie, with the project's settings, "
            "and checks the Set-Cookie header carries Secure.",
        payloads=['"start"'],
        setup="",
        check=(
            "from django.conf import settings as django_settings\n"
            "from django.http import HttpResponse\n"
            "from django.test import RequestFactory\n"
            f"{SETTING_RESPONSES[setting]}\n"
            f"assert cookie[\"secure\"], f\"Django sends the {DJANGO_SETTINGS[setting]} cookie without Secure: {{cookie.OutputString()}}\""
        ),
    )


def _off(value: ast.expr | None) -> bool:
    """An attribute not given, or given a constant false (`secure=False`)."""
    return value is None or isinstance(value, ast.Constant) and not value.value
