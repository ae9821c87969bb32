"""Cross-site scripting (CWE-79): input put into an HTML page without encoding.

`return f"<p>Hello {name}</p>"` from a Flask view sends `name` to the browser as markup, so
`<script>...</script>` in it runs in the site's origin. Detects the text a Flask/Quart/Bottle
view returns, HTML responses built with `make_response`/`Response`/`HttpResponse`/`HTMLResponse`,
and `Markup`/`mark_safe` of input; the fix HTML-escapes the input where it enters the text, so
the markup around it stays as it was.
"""

from __future__ import annotations

import ast
import re

from provenfix.codemods.base import Unfixable, span_of
from provenfix.flow.index import ProjectIndex
from provenfix.flow.taint import RESPONSE, Analysis, CallSite, taint_of
from provenfix.model import Finding
from provenfix.recipes.base import Match, ProofPlan, Recipe, bare_names, by_module, keyword_arg, module_of

RESPONSES = frozenset({
    "flask.make_response", "flask.Response", "flask.wrappers.Response", "werkzeug.wrappers.Response",
    "werkzeug.Response", "quart.Response", "quart.make_response", "django.http.HttpResponse",
    "django.http.response.HttpResponse", "starlette.responses.HTMLResponse", "fastapi.responses.HTMLResponse",
})
MARKED_SAFE = frozenset({"markupsafe.Markup", "flask.Markup", "jinja2.Markup", "django.utils.safestring.mark_safe",
                         "django.utils.safestring.SafeString"})
MADE_RESPONSES = frozenset(f"{name}()" for name in RESPONSES | MARKED_SAFE)
TYPE_KEYWORDS = ("mimetype", "content_type", "media_type")
# Templates given as text to render, and a value the text marks safe (`{{ bio|safe }}`): escaping is off for it.
STRING_TEMPLATES = frozenset({"flask.render_template_string", "flask.templating.render_template_string",
                              "quart.render_template_string"})
MARKED_SAFE_IN_TEMPLATE = re.compile(r"\{\{-?\s*(\w+)\s*\|\s*safe\s*-?\}\}")
# Jinja2 templates (made by an environment, or directly) whose `render` output is the page.
ENVIRONMENTS = frozenset({"jinja2.Environment", "jinja2.environment.Environment"})
DIRECT_TEMPLATES_NAMES = ("jinja2.Template", "jinja2.environment.Template")
DIRECT_TEMPLATES = tuple(f"{name}()" for name in DIRECT_TEMPLATES_NAMES)
HTML_TEMPLATES = (*(f"{env}().{method}()" for env in ENVIRONMENTS for method in ("get_template", "from_string",
                                                                                  "select_template")), *DIRECT_TEMPLATES)
PAYLOADS = ("<script>alert('provenfix')</script>", '"><img src=x onerror=alert(1)>')


class CrossSiteScripting(Recipe):
    rule_id = "PF-XSS"
    kind = "xss"
    call_names = bare_names(RESPONSES | MARKED_SAFE | STRING_TEMPLATES) | {"render"}
    stand_ins = frozenset({RESPONSE})
    escapes_at_splice = True
    equivalent_ids = frozenset({"B308", "B703", "B704", "S308", "S704"})
    sanitizers = frozenset({
        "html.escape", "markupsafe.escape", "flask.escape", "jinja2.escape", "werkzeug.utils.escape",
        "django.utils.html.escape", "django.utils.html.conditional_escape", "django.utils.html.format_html",
        "django.utils.html.strip_tags", "bleach.clean", "nh3.clean", "xml.sax.saxutils.escape", "cgi.escape",
        "urllib.parse.quote", "urllib.parse.quote_plus", "urllib.parse.urlencode",
        # Pages rendered from templates escape what they are given; JSON is no HTML.
        "flask.render_template", "flask.templating.render_template", "quart.render_template",
        "flask.render_template_string", "quart.render_template_string",  # PF-SSTI owns a template built from input
        "django.shortcuts.render", "django.template.loader.render_to_string", "flask.jsonify", "quart.jsonify",
        # Responses that are no page built from the input: a file, a redirect (its body escapes the URL).
        "flask.send_file", "flask.send_from_directory", "flask.redirect", "werkzeug.utils.redirect", "flask.url_for",
        # What another class's sink returns is that class's finding (eval, a deserializer), or data
        # the query selected from the application's own store, not the input's text.
        "builtins.eval", "builtins.exec", "pickle.loads", "pickle.load", "yaml.load", "yaml.unsafe_load",
        "elementpath.select", "elementpath.iter_select", "os.popen", "subprocess.check_output", "subprocess.getoutput",
        "subprocess.getstatusoutput", "subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.Popen",
        "os.system", "builtins.open", "io.open", "codecs.open", "os.listdir", "django.shortcuts.get_object_or_404",
        "django.shortcuts.get_list_or_404",
    })
    sanitizing_methods = frozenset({"xpath", "fetchall", "fetchone", "fetchmany", "read_text", "read_bytes"})
    # A project's own encoder, by the names encoders go by: OWASP's `escape_for_html`, `html_escape`.
    project_sanitizers = frozenset({"escape_html", "escape_for_html", "html_escape", "htmlescape", "escape_xml",
                                    "htmlspecialchars", "sanitize_html"})

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        if getattr(site.node.func, "attr", None) == "render" and (site.receiver_type or "").startswith(HTML_TEMPLATES):
            return self._unescaped_template(site)
        if site.name in STRING_TEMPLATES:
            return self._marked_safe_in_template(site)
        if site.name == RESPONSE or site.name in RESPONSES or site.name in MARKED_SAFE:
            if not site.node.args or isinstance(site.node.args[0], ast.Starred) or not _html(site):
                return None
            node, value = site.node.args[0], site.args[0]
        else:
            return None
        if site.name == RESPONSE and value.type in MADE_RESPONSES:
            return None  # a response or markup object: judged where it was made
        if isinstance(node, ast.Tuple) and node.elts and value.items is not None:
            node, value = node.elts[0], value.items[0]  # (body, status, headers): the body is the page
        if value.items is not None or value.entries is not None:
            return None  # a list or dict: sent as JSON
        if not value.tainted(self.kind):
            return None
        if site.name not in MARKED_SAFE and not any(o.built for o in value.origins_for(self.kind)):
            return None  # a page is text the view assembles; what an unknown call returned may be no text at all
        what = "marked safe" if site.name in MARKED_SAFE else "sent in an HTML page"
        # Where the input enters the text; none recorded when the whole body is the input.
        return Match(site, value, f"input is {what} without HTML encoding", value.splices[0] if value.splices else node,
                     detail={"splices": value.splices})

    def _unescaped_template(self, site: CallSite) -> Match | None:
        """`env.get_template("page.html").render(name=x)` of a Jinja2 environment made without autoescape
        (its default): every value goes into the HTML as it came."""
        values = [v for v in (*site.args, *site.keywords.values()) if v.tainted(self.kind)]
        made = _template_maker(site)
        if not values or made is None or not _renders_html(site):
            return None
        switch = next((k.value for k in made.keywords if k.arg == "autoescape"), None)
        if switch is not None and not (isinstance(switch, ast.Constant) and not switch.value):
            return None  # autoescape on, or chosen per template (`select_autoescape()`)
        return Match(site, taint_of(values), "input is rendered into an HTML template whose environment escapes nothing "
                     "(Jinja2's autoescape is off)", made, detail={"autoescape": True})

    def _marked_safe_in_template(self, site: CallSite) -> Match | None:
        """`render_template_string("<p>{{ bio|safe }}</p>", bio=x)`: the template itself turns escaping off
        for a value that is input."""
        template = site.node.args[0] if site.node.args else None
        if isinstance(template, ast.Name):  # a module-level constant: `PAGE = "<p>{{ bio|safe }}</p>"`
            template = _assigned(site.module.tree.body, template)
        if not (isinstance(template, ast.Constant) and isinstance(template.value, str)):
            return None  # a template built from input is PF-SSTI's
        unescaped = set(MARKED_SAFE_IN_TEMPLATE.findall(template.value))
        spliced = [(k.value, site.keywords[k.arg]) for k in site.node.keywords
                   if k.arg in unescaped and site.keywords[k.arg].tainted(self.kind)]
        if not spliced:
            return None
        return Match(site, taint_of(v for _, v in spliced), "input is marked safe in the template (`|safe`) and reaches "
                     "the page without HTML encoding", spliced[0][0], detail={"splices": tuple(n for n, _ in spliced)})

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods.escape import escape_at  # LibCST loads only when a fix is made

        if match.detail.get("autoescape"):
            from provenfix.codemods.keywords import set_keywords

            path = module_of(match.target, index, match.site.module).path
            return {path: set_keywords(texts[path], span_of(match.target, texts[path]), {"autoescape": "True"})}

        nodes = match.detail["splices"] or (match.target,)
        if not match.detail["splices"] and all(o.built for o in match.value.origins):
            raise Unfixable("the page is built from input in a way ProvenFix cannot follow to where the input enters it")
        return {path: escape_at(texts[path], [span_of(n, texts[path]) for n in found], "html", "escape", "escape_html")
                for path, found in by_module(list(nodes), index, match.site.module).items()}

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        return ProofPlan(
            doc="It sends markup (a script element, an attribute breaking out into an img tag) and checks the page "
                "never holds it as markup.",
            payloads=[repr(p) for p in PAYLOADS],
            setup="",
            check=(
                "def page(result):\n"
                "    if hasattr(result, \"get_data\"):\n"
                "        return result.get_data(as_text=True)\n"
                "    body = getattr(result, \"content\", getattr(result, \"body\", None))\n"
                "    if isinstance(body, bytes):\n"
                "        return body.decode(\"utf-8\", \"replace\")\n"
                "    return str(result)\n"
                f"assert not any(p in page(r) for r in results for p in {list(PAYLOADS)!r}), "
                "\"input reached the page as markup\""
            ),
            benign=['"Ada Lovelace"', '"shoes"'],
        )


def _template_maker(site: CallSite) -> ast.Call | None:
    """The one `jinja2.Environment(...)` (or `jinja2.Template(...)`) call of the module that made the
    template rendered at `site`; None when there are several to choose from."""
    wanted = ENVIRONMENTS if not site.receiver_type.startswith(DIRECT_TEMPLATES) else frozenset(DIRECT_TEMPLATES_NAMES)
    made = [n for n in ast.walk(site.module.tree) if isinstance(n, ast.Call) and site.module.resolve(n.func) in wanted]
    return made[0] if len(made) == 1 else None


def _renders_html(site: CallSite) -> bool:
    """The template is HTML: named `*.html`/`*.htm`/`*.xml`/`*.jinja`, or its text holds markup."""
    receiver = site.node.func.value  # type: ignore[attr-defined]
    if isinstance(receiver, ast.Name) and site.function is not None:  # `t = env.get_template(...)` earlier
        receiver = _assigned(ast.walk(site.function.node), receiver)
    source = receiver.args[0] if isinstance(receiver, ast.Call) and receiver.args else None
    text = source.value if isinstance(source, ast.Constant) and isinstance(source.value, str) else ""
    return text.lower().endswith((".html", ".htm", ".xml", ".jinja", ".j2")) or "<" in text


def _assigned(statements, name: ast.Name) -> ast.expr:
    """What the first `name = ...` among `statements` assigns; `name` itself when none does."""
    return next((s.value for s in statements if isinstance(s, ast.Assign)
                 and [ast.unparse(t) for t in s.targets] == [name.id]), name)


def _html(site: CallSite) -> bool:
    """The response is HTML: no content type given (HTML is every one's default), or one naming html."""
    for keyword in TYPE_KEYWORDS:
        given = keyword_arg(site, keyword)
        if given is not None:
            return not isinstance(given, ast.Constant) or "html" in str(given.value).lower()
    return True
