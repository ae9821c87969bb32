"""Open redirect (CWE-601): a redirect whose target comes from the request.

`redirect(request.args["next"])` sends a user who followed a link to the attacker's site,
from a page on ours: the classic phishing step after a login. Detects redirects in Flask,
Quart, Werkzeug, Django, Starlette/FastAPI and Sanic whose target carries input; rewrites the
target to pass only paths on the same site.
"""

from __future__ import annotations

from provenfix.codemods.base import span_of
from provenfix.flow.index import ProjectIndex
from provenfix.flow.taint import Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import Match, ProofPlan, Recipe, argument, bare_names, input_picks_host

# Redirect call → the keyword its target may be passed as.
REDIRECTS = {
    "flask.redirect": "location", "flask.helpers.redirect": "location", "quart.redirect": "location",
    "werkzeug.utils.redirect": "location", "django.shortcuts.redirect": "to",
    "django.http.HttpResponseRedirect": "redirect_to", "django.http.HttpResponsePermanentRedirect": "redirect_to",
    "django.http.response.HttpResponseRedirect": "redirect_to",
    "starlette.responses.RedirectResponse": "url", "fastapi.responses.RedirectResponse": "url",
    "sanic.response.redirect": "to",
}
EVIL = "evil.example"
HELPER = "_same_site_url"
HELPER_CODE = '''\
def _same_site_url(target, fallback="/"):
    """`target` when it is a path on this site, else `fallback`: browsers go to another site for a
    scheme (`https:`, `javascript:`), a host (`//host`) and what they read as one (`/\\\\host`, tabs or
    newlines inside, leading spaces)."""
    from urllib.parse import urlsplit

    seen = "".join(ch for ch in str(target or "") if ch not in "\\t\\r\\n").replace("\\\\", "/")
    seen = seen.lstrip("".join(map(chr, range(33))))
    parts = urlsplit(seen)
    if parts.scheme or parts.netloc or seen.startswith("//"):
        return fallback
    return target
'''


class OpenRedirect(Recipe):
    rule_id = "PF-REDIRECT"
    kind = "redirect"
    call_names = bare_names(frozenset(REDIRECTS))
    # A URL the framework builds from a route name goes to this site, whatever its arguments.
    sanitizers = frozenset({"flask.url_for", "quart.url_for", "django.urls.reverse", "django.shortcuts.reverse",
                            "urllib.parse.urlencode", "django.utils.http.urlencode"})
    guard_calls = frozenset({"django.utils.http.url_has_allowed_host_and_scheme", "django.utils.http.is_safe_url"})
    helper_code = HELPER_CODE
    # The path the server routed this request by is a path on this site (Django escapes a leading `//`).
    safe_request_fields = frozenset({"path", "path_info", "full_path", "get_full_path", "get_full_path_info",
                                     "build_absolute_uri", "get_host", "url", "base_url", "url_root", "host_url"})

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        if site.name not in REDIRECTS or (target := argument(site, 0, REDIRECTS[site.name])) is None:
            return None
        node, value = target
        if not value.tainted(self.kind):
            return None
        if not input_picks_host(value):
            return None  # input inside a URL the code builds (`reverse(...) + "?" + query`): the code chose where it starts
        return Match(site, value, "the redirect target comes from the request and may name another site", node)

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods.wrap import wrap_in_helper  # LibCST loads only when a fix is made

        path = match.site.module.path
        return {path: wrap_in_helper(texts[path], [span_of(match.target, texts[path])], HELPER, HELPER_CODE)}

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        return ProofPlan(
            doc="It asks to be redirected to another host (`//host`, a scheme, `/\\host`, `https:host`) and checks "
                "every Location header stays on this site.",
            payloads=[f'"//{EVIL}/landing"', f'"https://{EVIL}/landing"', f'"/\\\\{EVIL}/landing"', f'"https:{EVIL}"'],
            setup="",
            check=(
                "from urllib.parse import urlsplit\n"
                "def destination_host(result):\n"
                "    \"\"\"The host a browser goes to after this response, read as a browser reads it: '' for this site.\"\"\"\n"
                "    headers = getattr(result, \"headers\", None)\n"
                "    location = str(headers.get(\"Location\", \"\") if headers is not None else \"\")\n"
                "    location = \"\".join(ch for ch in location if ch not in \"\\t\\r\\n\").replace(\"\\\\\", \"/\").lstrip()\n"
                "    if location.startswith(\"//\"):\n"
                "        location = \"http:\" + location\n"
                "    parts = urlsplit(location)\n"
                "    if parts.scheme and not parts.netloc:  # `https:host` from a page on http goes to `host`\n"
                "        return parts.path.split(\"/\")[0]\n"
                "    return parts.hostname or \"\"\n"
                "hosts = [destination_host(r) for r in results]\n"
                "assert all(host in (\"\", \"localhost\") for host in hosts), f\"a redirect sent the browser to another host: {hosts}\""
            ),
            benign=['"/dashboard"', '"/search?q=shoes"'],
        )

