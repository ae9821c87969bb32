"""Unsafe deserialization (CWE-502): pickle and its kin rebuild any object the data names.

Detects `pickle`, `dill`, `marshal`, `shelve`, `jsonpickle`, `joblib`, `pandas.read_pickle`,
`numpy.load(allow_pickle=True)` and `torch.load` (without `weights_only=True`) on data from input.
Reported unfixed: these formats have no safe mode for untrusted data, so the fix is a change of
format (JSON) or of trust (a signature checked before loading), which is the maintainer's choice.
"""

from __future__ import annotations

from provenfix.codemods.base import Unfixable
from provenfix.flow.index import ProjectIndex
from provenfix.flow.taint import Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import Recipe, Match, ProofPlan, bare_names, is_true, keyword_arg, user_controlled

LOADERS = frozenset({
    *(f"{module}.{name}" for module in ("pickle", "_pickle", "cPickle", "dill", "cloudpickle")
      for name in ("loads", "load", "Unpickler")),
    "marshal.loads", "marshal.load", "shelve.open", "jsonpickle.decode", "jsonpickle.unpickler.decode",
    "joblib.load", "pandas.read_pickle", "torch.load",
})
OPT_IN = {"numpy.load": "allow_pickle"}  # unsafe only when this keyword is True
OPT_OUT = {"torch.load": "weights_only"}  # safe when this keyword is True
WHY = ("this format rebuilds any object the data names, and has no safe mode for untrusted data: "
       "load JSON instead, or check a signature (hmac) before loading")


class UnsafeDeserialization(Recipe):
    rule_id = "PF-DESER"
    kind = "deser"
    call_names = bare_names(LOADERS | set(OPT_IN))
    equivalent_ids = frozenset({"B301", "B302", "B614", "S301", "S302"})
    reports_pass_through = True

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        if site.name in OPT_IN:
            if not is_true(keyword_arg(site, OPT_IN[site.name])):
                return None
        elif site.name not in LOADERS or is_true(keyword_arg(site, OPT_OUT.get(site.name, ""))):
            return None
        value = site.args[0] if site.args else next(iter(site.keywords.values()), None)
        if value is None or not user_controlled(value, self.kind):
            return None
        return Match(site, value, f"`{site.name}()` rebuilds objects from data an attacker controls", site.node)

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        raise Unfixable(WHY)

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        raise Unfixable(WHY)  # never asked: there is no rewrite to prove
