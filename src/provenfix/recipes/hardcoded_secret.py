"""Hard-coded credentials (CWE-798): a key, token or password written into the source.

Everyone who can read the code (a leaked repository, a wheel, a container image, its history) has
the credential, and it is the same in every deployment. Detects `NAME = "literal"` (in a module, a
class body such as Flask's `class Config:` or a function) where the name says it holds a secret
(`API_KEY`, `DB_PASSWORD`, `SECRET_KEY`, `GITHUB_TOKEN`, `password`), `app.config["SECRET_KEY"] =
"literal"` and literals passed as `password=`, for values that look like real credentials: not
placeholders (`"change-me"`, `"<token>"`, `""`), not field names (`"password"`), not test code.
The fix reads the value from the environment with a clear error when it is missing; the verifier
gives the variable a generated value in every run, as a deployment must.
"""

from __future__ import annotations

import ast
import hashlib
import re

from provenfix.codemods.base import Unfixable, span_of
from provenfix.flow.index import ProjectIndex
from provenfix.flow.taint import EMPTY, SETTING, Analysis, CallSite
from provenfix.model import Finding, RESERVED_NAMES, RESERVED_PREFIXES
from provenfix.recipes.base import Match, ProofPlan, Recipe, identifier_words

# The last word of the name says what it holds; `*_KEY` only after a word saying the key is secret.
SECRET_NOUNS = frozenset({"password", "passwd", "pwd", "passphrase", "secret", "token", "apikey", "credential",
                          "credentials"})
SECRET_KEY_KINDS = frozenset({"api", "secret", "private", "access", "signing", "sign", "encryption", "auth", "master",
                              "client", "app", "hmac", "jwt", "webhook"})  # not "session": `SESSION_KEY` names an entry
# Words in a value that say it is not the real thing.
PLACEHOLDER_WORDS = re.compile(r"change|example|dummy|placeholder|your|xxx|todo|fixme|replace|redacted|sample|fake|"
                               r"not[-_ ]?set|none|null|secret[-_ ]?here|insert", re.IGNORECASE)
HELPER = "_required_env"
HELPER_CODE = f'''def {HELPER}(name):
    """A credential the deployment provides: read from the environment, never written in the source."""
    import os

    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{{name}} is not set: this credential is read from the environment, not the source")
    return value
'''


def names_a_secret(name: str) -> bool:
    words = identifier_words(name)
    if not words:
        return False
    last = words[-1]
    return last in SECRET_NOUNS or (last == "key" and len(words) > 1 and words[-2] in SECRET_KEY_KINDS)


def looks_like_a_credential(value: object) -> bool:
    """A literal a person would accept as a real credential: long enough, one token, not a
    placeholder, not a word such as a form field's name (a real one mixes in digits, capitals or signs)."""
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    if not isinstance(text, str) or len(text) < 6 or re.search(r"\s", text) or len(set(text)) < 4:
        return False
    if PLACEHOLDER_WORDS.search(text) or re.search(r"[<>{}$]|\.\.\.|\*\*\*", text):
        return False
    if (re.fullmatch(r"_*[a-z]+(?:[-_.][a-z]+)*", text) or re.fullmatch(r"_*[A-Z][A-Z0-9_]*", text)
            or re.fullmatch(r"[A-Z][a-z]*(?:[-_ ]?[A-Z][a-z]+)+|[A-Z][a-z]+", text)):
        return False  # `password`, `_auth_user_id`, `API_KEY`, `X-Auth-Token`: a name (of a field, a header), not a value
    return not re.match(r"[a-z][a-z0-9+.-]*://|[/~.]", text, re.IGNORECASE)  # a URL or a path


def variable_for(name: str) -> str | None:
    """The environment variable that will hold it: the setting's own name, when a fix may set it."""
    upper = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).upper()
    if not re.fullmatch(r"[A-Z][A-Z0-9_]{0,63}", upper) or upper.startswith(RESERVED_PREFIXES) or upper in RESERVED_NAMES:
        return None
    return upper


class HardcodedSecret(Recipe):
    rule_id = "PF-SECRET"
    kind = "secret"
    call_names = frozenset({SETTING})
    every_call = True  # `password="..."` is handed to any call
    equivalent_ids = frozenset({"B105", "S105"})  # hardcoded_password_string
    # Names ending as `names_a_secret` wants them, so that no other assignment (`sort_key = ...`) is recorded.
    setting_ending = rf"(?i:{'|'.join(sorted(SECRET_NOUNS))}|(?:{'|'.join(sorted(SECRET_KEY_KINDS))})_?key)"
    helper_code = HELPER_CODE

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        if site.name == SETTING:
            return _assigned(site) if site.function is None else _local(site)
        return _passed(site)

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods.environment import read_from_environment  # LibCST loads only when a fix is made

        shown, variable = match.detail["shown"], match.detail["variable"]
        if variable is None:
            raise Unfixable(f"{shown} is not a name an environment variable may have here: "
                            "read the credential from a variable of another name by hand")
        if match.detail["how"] == "setting" and _runs_as_program(match.site.module.tree):
            raise Unfixable(f"the module also runs as a program, so its proof cannot load it: read {shown} from the "
                            "environment by hand")
        path = match.site.module.path
        assert isinstance(match.target, ast.Constant)
        return {path: read_from_environment(texts[path], span_of(match.target, texts[path]), variable, HELPER, HELPER_CODE,
                                            as_bytes=isinstance(match.target.value, bytes))}

    def environment(self, match: Match) -> list[str]:
        return [match.detail["variable"]] if match.detail["variable"] else []

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        shown, digest = match.detail["shown"], match.detail["digest"]
        if match.detail["how"] == "in function":
            return ProofPlan(
                doc=f"It calls the function as deployed and checks the code it ships holds no {shown} credential "
                    "(compared by digest, so this test does not repeat it): whoever has the code would have it.",
                payloads=['"call"'],
                setup="",
                check=(
                    "import hashlib\n\n"
                    "def shipped(code):\n"
                    "    for constant in code.co_consts:\n"
                    "        if hasattr(constant, \"co_consts\"):\n"
                    "            yield from shipped(constant)\n"
                    "        elif isinstance(constant, (str, bytes)):\n"
                    "            yield constant.encode() if isinstance(constant, str) else constant\n\n"
                    f"code = inspect.unwrap({match.detail['function']}).__code__\n"
                    f"assert all(hashlib.sha256(c).hexdigest() != {digest!r} for c in shipped(code)), "
                    f"\"the {shown} credential is written in the function's code, which everyone who can read it has\""
                ),
            )
        return ProofPlan(
            doc=f"It loads the module as a deployment does and checks the {shown} it runs with is not "
                "the one written in the source (compared by digest, so this test does not repeat it).",
            payloads=['"load"'],
            setup="",
            check=(
                "import hashlib\n"
                "loaded = results[0]\n"
                "assert not isinstance(loaded, Exception), f\"the module did not load: {loaded!r}\"\n"
                f"value = {match.detail['holder']}\n"
                "value = value.encode() if isinstance(value, str) else value\n"
                f"assert hashlib.sha256(value).hexdigest() != {digest!r}, "
                f"\"the code runs with the {shown} written in its source, which everyone who can read it has\""
            ),
        )


def _assigned(site: CallSite) -> Match | None:
    """`API_KEY = "sk_live_..."` at module level, `class Config: SECRET_KEY = "..."`, or
    `app.config["SECRET_KEY"] = "..."`."""
    func, value = site.node.func, site.node.args[0]
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    if not (isinstance(value, ast.Constant) and names_a_secret(name) and looks_like_a_credential(value.value)):
        return None
    holder = _holder(func)
    if holder is None or _in_test_class(func):
        return None
    return Match(site, EMPTY, f"`{name}` is a credential written in the source: everyone who can read the code has it",
                 value, confidence="medium", detail={"entry": "script", "how": "setting", "shown": name, "holder": holder,
                                                     "variable": variable_for(name), "digest": _digest(value.value)})


def _local(site: CallSite) -> Match | None:
    """`password = "..."` in a function, handed on to a login or a client."""
    func, value = site.node.func, site.node.args[0]
    assert isinstance(func, ast.Name)
    if not (isinstance(value, ast.Constant) and names_a_secret(func.id) and looks_like_a_credential(value.value)):
        return None
    return _in_function(site, func.id, value, f"`{func.id}` is a credential written in the source")


def _passed(site: CallSite) -> Match | None:
    """`smtp.login(user, password="...")`, `ldap3.Connection(server, password="...")` in a function."""
    if site.function is None:
        return None
    for keyword in site.node.keywords:
        value = keyword.value
        if (keyword.arg and names_a_secret(keyword.arg) and isinstance(value, ast.Constant)
                and looks_like_a_credential(value.value)):
            return _in_function(site, keyword.arg, value,
                                f"`{site.name or 'the call'}()` is given a {keyword.arg} written in the source")
    return None


def _in_function(site: CallSite, name: str, value: ast.Constant, what: str) -> Match:
    """A credential in a function's code. Its variable is the name when that says whose credential it is
    (`smtp_password` → SMTP_PASSWORD), else the module's name and it (`mailer.py`, password= → MAILER_PASSWORD)."""
    assert site.function is not None
    words = identifier_words(name)
    variable = variable_for(name if len(words) > 1 else f"{site.module.name.rsplit('.', 1)[-1]}_{name}")
    outer = site.function.qualname.split(".<locals>.")[0]
    return Match(site, EMPTY, f"{what}: everyone who can read the code has it", value, confidence="medium",
                 detail={"how": "in function", "shown": name, "variable": variable, "function": f"target.{outer}",
                         "digest": _digest(value.value)})


def _holder(func: ast.expr) -> str | None:
    """Where the proof finds the value in the module's globals once loaded."""
    if isinstance(func, ast.Name):
        return f"loaded[{func.id!r}]"
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Attribute) and isinstance(func.value.value, ast.Name):
        return f"loaded[{func.value.value.id!r}].config[{func.attr!r}]"  # `app.config["SECRET_KEY"] = ...`
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return f"loaded[{func.value.id!r}].{func.attr}"  # `class Config: SECRET_KEY = ...`
    return None


def _in_test_class(func: ast.expr) -> bool:
    """`class TestingConfig:` holds the fake credentials of the tests, not a deployment's."""
    return (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
            and not {"test", "testing", "tests"}.isdisjoint(identifier_words(func.value.id)))


def _digest(value: str | bytes) -> str:
    return hashlib.sha256(value.encode() if isinstance(value, str) else value).hexdigest()


def _runs_as_program(tree: ast.Module) -> bool:
    return any(isinstance(s, ast.If) and "__main__" in ast.unparse(s.test) for s in tree.body)
