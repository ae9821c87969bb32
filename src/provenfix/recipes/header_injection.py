"""HTTP response splitting (CWE-113): input with a line break put into a response header.

`response.headers["Content-Disposition"] = f"attachment; filename={name}"` ends the header at a
CR/LF in `name`; what follows is sent as headers the code never set (a `Set-Cookie` fixing the
victim's session) or as the start of the body. Starlette and FastAPI responses pass header values
as they are, so the app itself sends the split header. Flask (Werkzeug) and Django refuse such a
value with an error before sending, so their headers are not reported. The fix refuses a value
holding a line break, as those frameworks do.
"""

from __future__ import annotations

import ast

from provenfix.codemods.base import Unfixable, span_of
from provenfix.flow.index import ProjectIndex
from provenfix.flow.taint import HEADER_STORE, Analysis, CallSite, Value, taint_of
from provenfix.model import Finding
from provenfix.recipes.base import Match, ProofPlan, Recipe, argument, by_module

RESPONSE_CLASSES = ("Response", "HTMLResponse", "PlainTextResponse", "JSONResponse", "ORJSONResponse",
                    "UJSONResponse", "RedirectResponse", "StreamingResponse", "FileResponse")
# Response classes whose headers go out as given (`headers` is their third parameter).
RESPONSES = frozenset({f"{module}.{cls}" for module in ("starlette.responses", "fastapi.responses")
                       for cls in RESPONSE_CLASSES} | {"fastapi.Response"})
INJECTED = "X-Injected"
PAYLOADS = (f"x\r\n{INJECTED}: 1", f"x\n{INJECTED}: 1", "x\r\nSet-Cookie: session=attacker")
HELPER = "_header_value"
HELPER_CODE = '''\
def _header_value(value):
    """`value` as the text of one header, refused (ValueError) when it holds a line break: a CR or
    LF ends the header, and what follows would be sent as headers the code never set."""
    text = str(value)
    if "\\r" in text or "\\n" in text:
        raise ValueError(f"refused header value {text!r}: it holds a line break")
    return text
'''


class HeaderInjection(Recipe):
    rule_id = "PF-HEADER"
    kind = "header"
    call_names = frozenset(RESPONSE_CLASSES)
    stand_ins = frozenset({HEADER_STORE})
    # Encoders whose output holds no CR or LF.
    sanitizers = frozenset({"urllib.parse.quote", "urllib.parse.quote_plus", "urllib.parse.urlencode",
                            "base64.b64encode", "base64.urlsafe_b64encode", "json.dumps", "builtins.repr"})
    helper_code = HELPER_CODE
    line_breaks_cleared_is_safe = True

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        if site.name == HEADER_STORE and (site.receiver_type or "").startswith(tuple(RESPONSES)):
            values = [(site.node.args[1], site.args[1])]
        elif site.name in RESPONSES and (headers := argument(site, 2, "headers")) is not None:
            values = _header_values(*headers)
        else:
            return None
        tainted = [(node, value) for node, value in values if value.tainted(self.kind)]
        if not tainted:
            return None
        node, value = tainted[0]
        return Match(site, taint_of(v for _, v in tainted), "input goes into a response header as it came: a line "
                     "break in it adds headers of the sender's choosing", node or site.node,
                     detail={"targets": [n for n, _ in tainted]})

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods.wrap import wrap_in_helper  # LibCST loads only when a fix is made

        targets = match.detail["targets"]
        if any(t is None or isinstance(t, ast.Subscript) for t in targets):
            raise Unfixable("the header value is not one expression ProvenFix can pass through a check")
        return {path: wrap_in_helper(texts[path], [span_of(t, texts[path]) for t in nodes], HELPER, HELPER_CODE)
                for path, nodes in by_module(targets, index, match.site.module).items()}

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        return ProofPlan(
            doc="It sends a value with CR/LF and a header after it, and checks the response carries no header "
                "the code did not set and no header value holding a line break.",
            payloads=[repr(p) for p in PAYLOADS],
            setup="",
            check=(
                "def header_items(result):\n"
                "    headers = getattr(result, \"headers\", None)\n"
                "    if headers is None:\n"
                "        return []\n"
                "    items = headers.multi_items() if hasattr(headers, \"multi_items\") else headers.items()\n"
                "    return [(str(k), str(v)) for k, v in items]\n"
                "sent = [item for r in results for item in header_items(r)]\n"
                f"split = [(k, v) for k, v in sent if k.lower() == {INJECTED.lower()!r} or \"\\r\" in v or \"\\n\" in v]\n"
                "assert not split, f\"input split a response header: {split}\""
            ),
            benign=['"en-GB"', '"report-2024.csv"'],
        )


def _header_values(node: ast.expr, value: Value) -> list[tuple[ast.expr | None, Value]]:
    """The values of a `headers=` argument: each of a dict literal's; None for a mapping made elsewhere."""
    if isinstance(node, ast.Dict) and value.entries is not None and len(node.keys) == len(value.entries):
        return [(v, entry) for v, (_, entry) in zip(node.values, value.entries)]
    return [(None, value)]
