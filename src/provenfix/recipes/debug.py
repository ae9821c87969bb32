"""Debug mode in production (CWE-489): `app.run(debug=True)` or `DEBUG = True` committed to the code.

Flask's debug mode serves the Werkzeug debugger: any exception page then offers a Python console
in the browser, guarded only by a PIN printed on the server's console and derived from values an
attacker who can read a few files can compute. Django's shows every visitor the settings, the
URL patterns and, on an error, the code and local variables of each frame. Detects `run(debug=True)`
on a Flask or Quart app and `DEBUG = True` in a Django settings module; the fix reads the switch
from the environment (`FLASK_DEBUG=1`, `DJANGO_DEBUG=1`), off by default.
"""

from __future__ import annotations

import ast

from provenfix.codemods.base import span_of
from provenfix.flow.index import ProjectIndex
from provenfix.flow.taint import EMPTY, SETTING, Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import FLASK_APPS, Match, ProofPlan, Recipe, is_true, keyword_arg, setting_of

SWITCH = '{os}.environ.get("FLASK_DEBUG") == "1"'
DJANGO_SWITCH = '{os}.environ.get("DJANGO_DEBUG") == "1"'


class DebugMode(Recipe):
    rule_id = "PF-DEBUG"
    kind = "debug"
    call_names = frozenset({"run"})
    without_input = frozenset({"flask", "quart"})
    equivalent_ids = frozenset({"B201", "S201"})  # flask_debug_true
    settings = frozenset({"DEBUG"})

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        if site.name == SETTING:
            if (setting := setting_of(site, analysis)) is None or setting[:2] != ("DEBUG", "django") or not is_true(setting[2]):
                return None
            return Match(site, EMPTY, "Django runs with DEBUG on: error pages show every visitor the settings, "
                         "the URL patterns and the code", setting[2], detail={"entry": "settings"})
        if not (isinstance(site.node.func, ast.Attribute) and site.node.func.attr == "run"):
            return None
        if not _is_app(site) or not is_true(keyword_arg(site, "debug")):
            return None
        return Match(site, EMPTY, "the app runs with the debugger on, a Python console for anyone who triggers an error",
                     site.node, detail={"entry": "script" if site.function is None else "function"})

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods.keywords import set_keywords, set_value  # LibCST loads only when a fix is made

        path = match.site.module.path
        span = span_of(match.target, texts[path])
        if match.detail["entry"] == "settings":
            return {path: set_value(texts[path], span, DJANGO_SWITCH, modules=("os",))}
        return {path: set_keywords(texts[path], span, {"debug": SWITCH}, modules=("os",))}

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        if match.detail["entry"] == "settings":
            return ProofPlan(
                doc="It requests a page that does not exist, as any visitor can, and checks the answer is no debug "
                    "page listing the URL patterns and naming the settings.",
                payloads=['"start"'],
                setup="monkeypatch.delenv(\"DJANGO_DEBUG\", raising=False)",
                check=(
                    "pages = [getattr(r, \"content\", b\"\").decode(\"utf-8\", \"replace\") for r in results]\n"
                    "assert all(getattr(r, \"status_code\", None) == 404 for r in results), f\"no 404 page: {results}\"\n"
                    "assert not any(\"DEBUG = True\" in page for page in pages), \"the 404 page is Django's debug page\""
                ),
            )
        return ProofPlan(
            doc="It starts the app as it is started in production (no FLASK_DEBUG), with the server replaced by a "
                "recorder, and checks the debugger is off.",
            payloads=['"start"'],
            setup=(
                "import flask\n"
                "runs = []\n"
                "monkeypatch.delenv(\"FLASK_DEBUG\", raising=False)\n"
                "monkeypatch.setattr(flask.Flask, \"run\", lambda self, *args, **kwargs: runs.append(kwargs))"
            ),
            check=(
                "assert runs, f\"the app was not started: {results}\"\n"
                "assert not any(r.get(\"debug\") for r in runs), \"the app runs with the debugger on\""
            ),
        )


def _is_app(site: CallSite) -> bool:
    """The receiver is a Flask or Quart app: a local or module-level `app = Flask(...)`."""
    return (site.receiver_type or "").startswith(FLASK_APPS)
