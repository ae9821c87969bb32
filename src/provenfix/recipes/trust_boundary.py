"""Trust boundary violation (CWE-501): request data stored in the session as it came.

What is in the session is what the application later trusts as its own (`session["role"]`,
`session["user_id"]`): request data stored there unvalidated lets the client decide it. Detects
`session[key] = value` and `session.update(...)`/`setdefault(...)` on Flask's and Django's
sessions where the key or the value comes from the request. Reported unfixed: which values are
valid is the application's rule (an allow-list, a type, the user's own records), not a rewrite's.
"""

from __future__ import annotations

from provenfix.codemods.base import Unfixable
from provenfix.flow.index import ProjectIndex
from provenfix.flow.taint import SESSION_STORE, SESSIONS, Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import Match, ProofPlan, Recipe

SESSION_METHODS = frozenset({"update", "setdefault"})
WHY = ("which values may enter the session is the application's rule (an allow-list, a type, the user's own "
       "records): check the value against it before storing it")


class TrustBoundary(Recipe):
    rule_id = "PF-TRUST"
    kind = "trust"
    call_names = SESSION_METHODS
    stand_ins = frozenset({SESSION_STORE})
    reports_pass_through = True
    # What a query returns is the application's own record (a login check's user id), not request data.
    sanitizing_methods = frozenset({"fetchone", "fetchall", "fetchmany", "scalar", "scalar_one", "first", "one"})

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        name = site.name or ""
        stores = name == SESSION_STORE or (name.rpartition(".")[0] in SESSIONS and name.rpartition(".")[2] in SESSION_METHODS)
        if not stores:
            return None
        tainted = [v for v in (*site.args, *site.keywords.values()) if v.tainted(self.kind)]
        if not tainted:
            return None
        value = tainted[0]
        for more in tainted[1:]:
            value = value | more
        return Match(site, value, "request data is stored in the session without validation", site.node,
                     detail={"unfixable": WHY})

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        raise Unfixable(WHY)

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        raise Unfixable(WHY)  # never asked: there is no rewrite to prove
