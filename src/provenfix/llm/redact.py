"""Secrets out before code goes to a remote model, back in after: placeholders that keep every line where it was."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

PREFIX = "PROVENFIX_REDACTED_"
_PLACEHOLDER = re.compile(PREFIX + r"[0-9]+")
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


@dataclass(frozen=True)
class Redaction:
    text: str  # the text with every secret replaced by a placeholder
    secrets: dict[str, str]  # placeholder -> original secret
    kinds: dict[str, str]  # placeholder -> kind ("aws-access-key", "private-key", "password", ...)


def redact(text: str, *, start: int = 1, output: bool = False) -> Redaction:
    """Replace every secret in `text` by a placeholder; the same value always gets the same placeholder.

    `output`: the text is what programs printed (a test run's log), not source code, so an unquoted
    `name = value` is a value even where Python code appears in it too."""
    redactor = _Redactor(_PLACEHOLDER.findall(text), start)
    return Redaction(redactor.apply(text, _find(text, output=output)), dict(redactor.secrets), dict(redactor.kinds))


def redact_many(texts: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Redact several files with placeholders unique across all of them; returns (redacted texts by path, placeholder->secret)."""
    redactor = _Redactor([p for t in texts.values() for p in _PLACEHOLDER.findall(t)], 1)
    known = {t[s:e]: kind for t in texts.values() for s, e, kind in _find(t)}  # a secret in one file is one in all
    return {path: redactor.apply(t, _find(t, known)) for path, t in texts.items()}, dict(redactor.secrets)


def restore(text: str, secrets: dict[str, str]) -> str:
    """Put the originals back in text that came from the model (its search/replace edits, its proof test)."""
    if not secrets:
        return text
    return _PLACEHOLDER.sub(lambda m: secrets.get(m.group(0), m.group(0)), text)


class _Redactor:
    """Numbers placeholders, skipping any that already occur in the input so the round trip stays exact."""

    def __init__(self, taken: list[str], start: int) -> None:
        self.taken, self.next = set(taken), start
        self.secrets: dict[str, str] = {}
        self.kinds: dict[str, str] = {}
        self.by_value: dict[str, str] = {}

    def apply(self, text: str, spans: list[tuple[int, int, str]]) -> str:
        out, at = [], 0
        for s, e, kind in spans:
            value = text[s:e]
            placeholder = self.by_value.get(value)
            if placeholder is None:
                while (placeholder := f"{PREFIX}{self.next}") in self.taken:
                    self.next += 1
                self.next += 1
                self.by_value[value], self.secrets[placeholder], self.kinds[placeholder] = placeholder, value, kind
            out += (text[at:s], placeholder)
            at = e
        out.append(text[at:])
        return "".join(out)


# ---------------------------------------------------------------------------------------------------------------------
# Secrets recognised by their shape. Each pattern's `s` group (or the whole match) is the secret.

_B64 = "A-Za-z0-9_-"  # base64url
_AN = "A-Za-z0-9"
# Each opens on its literal (a fast scan), then looks back past it: a token starts a word, not in the middle of one.
_TOKENS: list[tuple[str, re.Pattern[str]]] = [(kind, re.compile(pattern)) for kind, pattern in [
    ("aws-access-key", rf"A(?<![{_AN}]A)(?:KIA|SIA|BIA|CCA)[A-Z0-9]{{16}}(?![{_AN}])"),
    ("github-token", rf"g(?<![{_AN}_]g)(?:h[pousr]_[{_AN}]{{30,255}}|ithub_pat_[{_AN}_]{{22,255}})(?![{_AN}_])"),
    ("anthropic-key", rf"sk-ant-(?<![{_B64}]sk-ant-)[{_B64}]{{20,}}(?![{_B64}])"),
    ("openai-key", rf"sk-(?<![{_B64}]sk-)(?!ant-)(?=[{_B64}]*[0-9])[{_B64}]{{20,}}(?![{_B64}])"),
    ("google-api-key", rf"AIza(?<![{_B64}]AIza)[{_B64}]{{35}}(?![{_B64}])"),
    ("slack-token", rf"xox(?<![{_B64}]xox)[baprs]-[{_AN}-]{{10,}}(?![{_B64}])"),
    ("slack-webhook", r"hooks\.slack\.com/services/(?P<s>[A-Za-z0-9_/-]{20,})"),
    ("stripe-key", rf"[sr]k_(?<![{_AN}_][sr]k_)(?:live|test)_[{_AN}]{{16,}}(?![{_AN}_])"),
    ("jwt", rf"eyJ(?<![{_B64}]eyJ)[{_B64}]{{5,}}\.[{_B64}]{{5,}}\.[{_B64}]*(?![{_B64}])"),
    # scheme://user:password@host -> only the password
    ("url-credentials", r"://[^\s:/@\"'<>]*+:(?P<s>[^\s@/\"'<>]++)@"),
]]
# A PEM private key: every base64 run of its body becomes a placeholder, so its lines stay lines.
_PEM_BEGIN = re.compile(r"-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----")
_PEM_END = re.compile(r"-----END [A-Z0-9 ]{0,40}PRIVATE KEY")
_PEM_MAX = 20_000  # the body of an RSA-16384 key is under 13,000 characters
_PEM_RUN = re.compile(r"(?<!\\)[A-Za-z0-9+/=]{4,}")  # not the n of a \n escape: "\\nMIIE..." keeps its "\\n"

# ---------------------------------------------------------------------------------------------------------------------
# Secrets recognised by the name they are given: `password = "..."`, `{"api_key": "..."}`, `TOKEN=...`.

_LIT = r"""(?P<pre{0}>[rRbBuUfF]{{0,2}})(?:"(?P<dv{0}>(?:[^"\\\n]|\\.)*)"|'(?P<sv{0}>(?:[^'\\\n]|\\.)*)')"""
_ASSIGN = re.compile(
    r"""(?:(?<!\w)(?P<q>["'])(?P<qn>[A-Za-z_$@][\w.\-$@ ]{0,80}?)(?P=q)\]?      # "name": / ['name'] =
         |(?<![\w.\-"'])(?P<n>[A-Za-z_$][\w.\-$]*+))                           # name =
       [ \t]*+(?::[ \t]*[A-Za-z_][\w.\[\], |]{0,60}?[ \t]*(?==))?              # name: str = ...
       (?P<op>==|!=|:=|=>|\?=|\+=|=|:)[ \t]*""" + _LIT.format(""), re.X)
# os.environ.get("API_KEY", "default-key"), os.getenv("PASSWORD", "..."), ENV.fetch("TOKEN", "...")
_DEFAULT = re.compile(r"""(?:getenv|get|setdefault|fetch|pop)\([ \t]*(?P<q>["'])(?P<n>[\w.\-]+)(?P=q)[ \t]*,[ \t]*"""
                      + _LIT.format(""))
# auth=("user", "password"), HTTPBasicAuth("user", "password")
_AUTH_PAIR = re.compile(r"(?:(?<![\w.])auth[ \t]*=[ \t]*\(|BasicAuth\(|DigestAuth\()[ \t]*" + _LIT.format("1")
                        + r"[ \t]*,[ \t]*" + _LIT.format(""))
# "host=db user=app password=hunter2", "Server=x;Password=y;", "?access_token=...&"
_INLINE = re.compile(r"""(?<=[ \t"';&?])(?P<n>[A-Za-z_][\w.\-]*)="""
                     r"""(?P<v>[^\s'";&,(){}\[\]<>$%=][^\s'";&,(){}\[\]<>$%]*)"""
                     r"""(?=[ \t]+[\w.\-]+=|["';&])""")
# --password=hunter2, --token "abc"
_FLAG = re.compile(r"""(?<![\w-])--(?P<n>[A-Za-z][\w\-]*)(?:=(?P<v>[^\s'"\\;|&)$`]+)|[ \t]+)?"""
                   r"(?(v)|" + _LIT.format("") + ")")  # after `=` an unquoted value, else a quoted one
# <password>hunter2</password>
_XML = re.compile(r"<(?P<n>[A-Za-z_][\w.\-]*)>(?P<v>[^<\n]+)</(?P=n)>")
# .env / INI / YAML / properties lines: KEY=value, key = value, key: value (unquoted)
_BARE = re.compile(r"""^[ \t]*(?:export[ \t]+|-[ \t]+)?(?P<q>["']?)(?P<n>[A-Za-z_][\w.\-]*)(?P=q)"""
                   r"""[ \t]*(?P<op>=|:)[ \t]*"""
                   r"""(?P<v>[^\s'"][^\n]*)$""", re.M)

_SPLIT = re.compile(r"[^A-Za-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_PASSWORD_WORDS = {"password", "passwd", "passphrase", "passcode", "pwd"}
_LAST_ONLY_PASSWORD = {"pass", "pw"}  # DB_PASS, smtp_pw; but not pass_rate, pw_len
_SECRET_WORDS = {"secret", "secrets", "credential", "credentials", "creds", "auth", "authorization", "privatekey",
                 "accesskey", "secretkey"}
_VERBS = {"generate", "get", "load", "create", "read", "set", "fetch", "rotate", "revoke", "validate", "verify",
          "check", "is", "has", "use", "require", "requires", "needs", "enable", "disable", "show", "hide", "prompt",
          "ask"}  # generate_private_key names a function, is_password a flag
_NOT_SECRET_TOKENS = {"page", "next", "continuation", "pagination", "resume", "sync", "cancellation", "cancel"}
_KEY_QUALIFIERS = {"access", "private", "secret", "signing", "encryption", "master", "auth"}
_STRONG_KEYS = {"private", "signing", "encryption", "master", "privatekey"}  # PRIVATE_KEY = "dev" is one
# A name ending in one of these describes a secret (where it lives, how long it is) without holding it.
_DESCRIPTORS = {
    "url", "urls", "uri", "endpoint", "path", "paths", "file", "filename", "dir", "folder", "name", "names", "field",
    "fields", "type", "types", "kind", "model", "length", "len", "size", "expiry", "expires", "expiration", "ttl",
    "timeout", "lifetime", "age", "days", "hours", "minutes", "seconds", "prefix", "suffix", "template", "label", "env",
    "var", "variable", "method", "methods", "scheme", "mode", "backend", "backends", "provider", "service", "manager",
    "class", "algorithm", "alg", "format", "policy", "param", "params", "regex", "re", "pattern", "count", "min", "max",
    "limit", "budget", "usage", "estimate", "id", "ids", "message", "msg", "error", "help", "hint", "prompt", "title",
    "description", "text", "placeholder", "column", "table", "header", "user", "username", "login", "email", "host",
    "server", "domain", "realm", "issuer", "audience", "scope", "scopes", "location", "source", "store", "version",
    "rule", "rules", "validators", "hashers", "reset", "required", "enabled", "flag", "option", "encoding", "charset",
    "begin", "end", "start",
}
_FILE_NAME = re.compile(r"(?i)\.(?:txt|json|ya?ml|pem|key|crt|cer|p12|pfx|jks|env|ini|cfg|conf|toml|py|log|csv|db|gpg"
                        r"|enc|bin)$")  # {"secret.txt": ...} names a file
_NULLISH = {"none", "null", "nil", "undefined", "true", "false", "yes", "no", "on", "off", "~", "str", "string", "int",
            "integer", "bool", "boolean", "bytes", "float", "number", "dict", "list", "object", "any", "optional",
            "secretstr", "required"}
_TEMPLATE = re.compile(r"\$\{[^}]*\}|\$[A-Za-z_]\w*|\{\{.*\}\}|\{%.*%\}|<%.*%>|%\([^)]*\)[sd]|%s|\{[A-Za-z_]?\w*\}")
# An unquoted value that is code: a call or subscript, a dotted name, an expression, an f-string, `name),`, a ClassName.
_CODE = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*[ \t]*[(\[].*|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+|[!&*|>\[{(%$].*"
                   r"|[rRbBuUfF]{1,2}[\"'].*|[A-Za-z_][\w.]*[),;]+|[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+")
_BETWEEN_STRINGS = re.compile(r"\s*[+,)\]}%;]|.*[+,(\[{]\s*$")
_AWS_SECRET = re.compile(r"[A-Za-z0-9/+]{40}")
_AWS_NAME = re.compile(r"(?i)aws|access")
_SPACE = re.compile(r"\s")
_ALNUM = re.compile(r"[A-Za-z0-9]")
_DIGIT = re.compile(r"[0-9]")
_LABEL = re.compile(r"[a-z]+(?:[_.][a-z]+)+|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")  # a field or variable name
_NOT_A_SECRET = re.compile(r"#[0-9A-Fa-f]{3,8}|\.[A-Za-z_][\w.]*")  # a colour, a relative module
_REGEX = re.compile(r"\\[wdsbWDSB]|\(\?|\[\^")
_MASK = re.compile(r"(?i)[\[<(]?(?:redacted|hidden|masked|removed|omitted|\*+|x{3,}|•+)[\]>)]?")
_URL_NO_CREDS = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s@]*")
_FS_PATH = re.compile(r"(?:~|\.{1,2})?/(?:[\w.\-]+/)*[\w.\-]+")
_SCHEME = re.compile(r"(?i)(?:bearer|basic|token|digest)[ \t]+")
# A secret this long, with letters and digits, is replaced wherever it occurs; "admin" only where it was found.
_SCRUB_MIN, _SCRUB_MAX, _SCRUB_MOST = 8, 4096, 256
_LETTER = re.compile(r"[A-Za-z]")
_COMMENT = re.compile(r"[ \t]+[#;]")
# Every name the rules above accept holds one of these (lower-cased); only lines with one are searched by them.
_NAME_WORDS = [re.compile(w) for w in ("pass", "pw", "key", "token", "secret", "cred", "auth")]
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

# Python source (as opposed to .env/INI/YAML): there an unquoted `name = value` is code, except inside a """string""".
_PYTHON = re.compile(r"^[ \t]*(?:(?:async[ \t]+)?def[ \t]+\w+[ \t]*\(|class[ \t]+\w+[ \t]*[:(]|import[ \t]+\w"
                     r"|from[ \t]+[\w.]+[ \t]+import[ \t]|return\b|@\w"
                     r"|(?:if|elif|for|while|with|try|else|except)\b[^\n]*:[ \t]*$)|\bself\.\w", re.M)
_PY_LEX = re.compile(r'''\#[^\n]*
                       |(?P<tq>"""(?:[^"\\]+|\\.|"(?!""))*(?:"""|\Z)|\'\'\'(?:[^'\\]+|\\.|'(?!''))*(?:\'\'\'|\Z))
                       |"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?''', re.X | re.S)


def _name_kind(name: str) -> tuple[str, bool] | None:
    """The kind of secret a variable/key of this name holds, and whether the name says so loudly (password, secret:
    then even a short or wordy value is one); None if the name does not say secret."""
    if _FILE_NAME.search(name):
        return None
    name = name.rsplit(".", 1)[-1]  # self.password, settings.API_KEY; but token.value is a token's value
    segs = [p.lower() for chunk in _SPLIT.split(name) for p in _CAMEL.split(chunk) if p]
    if not segs or segs[-1] in _DESCRIPTORS or segs[0] in _VERBS:
        return None
    kinds, strong = set(), False
    for i, s in enumerate(segs):
        nxt = segs[i + 1] if i + 1 < len(segs) else ""
        if s in _PASSWORD_WORDS or s.endswith(("password", "passwd")) or (not nxt and s in _LAST_ONLY_PASSWORD):
            kinds.add("password")
        elif s.endswith("apikey") or (s == "api" and nxt in ("key", "secret")):
            kinds.add("api-key")
        elif (s == "token" or s.endswith("token")) and (i == 0 or segs[i - 1] not in _NOT_SECRET_TOKENS):
            kinds.add("token")
        elif s in _SECRET_WORDS or s.endswith("secret") or (s in _KEY_QUALIFIERS and nxt == "key"):
            kinds.add("secret")
            strong = strong or "secret" in s or s in _STRONG_KEYS
    for kind in ("password", "api-key", "token", "secret"):
        if kind in kinds:
            return kind, kind == "password" or strong
    return None


def _value_span(kind: str, strong: bool, name: str, value: str, start: int, *, bare: bool, raw: bool = False,
                compare: bool = False) -> tuple[int, int] | None:
    """The part of a value given to a secret-sounding name that is the secret, or None if it is not a literal secret.
    `strong`: the name says password/secret; `raw`: an r"string"; `compare`: the value is compared with (==)."""
    if m := _SCHEME.match(value):  # "Bearer <token>": only the token
        value, start = value[m.end():], start + m.end()
    if not _ALNUM.search(value) or any(p.fullmatch(value) for p in (_TEMPLATE, _PLACEHOLDER, _MASK, _NOT_A_SECRET)):
        return None  # "***", "${DB_PASSWORD}", "[REDACTED]", "#ddd0c0", ".credentials" (a module)
    own_name = _squash(name.rsplit(".", 1)[-1])
    if kind != "password" and (not strong or len(value) >= 8) and own_name.endswith(_squash(value)):
        return None  # "client_secret": "clientSecret", _JSON_PRIVATE_KEY = "private_key": a name, not its value
    if not strong:  # a token, an API key, an auth value: a short or spaced or snake_case value is a word, not one
        if (len(value) < 6 or _SPACE.search(value) or _LABEL.fullmatch(value) or (compare and not _DIGIT.search(value))
                or raw or _REGEX.search(value)):
            return None  # token == "keyword", GRANT = "refresh_token", ENV_API_KEY = "ANTHROPIC_API_KEY", r"\w+"
    if kind != "password" and (_URL_NO_CREDS.fullmatch(value) or _FS_PATH.fullmatch(value)):
        return None  # where the secret is, not the secret
    if bare and (value.lower() in _NULLISH or _CODE.fullmatch(value) or _CODE.fullmatch(value.rstrip(";,"))):
        return None
    if not bare and _BETWEEN_STRINGS.match(value):
        return None  # the "literal" is really the code between two strings: "a=" + x + "b"
    return start, start + len(value)


def _squash(s: str) -> str:
    return s.lower().replace("_", "").replace("-", "")


def _literal(m: re.Match[str], suffix: str = "") -> tuple[str, int, bool] | None:
    """The text, start and raw-ness of the string literal matched by _LIT, or None for an f-string with a {field}."""
    group = "dv" + suffix if m.group("dv" + suffix) is not None else "sv" + suffix
    value, prefix = m.group(group), m.group("pre" + suffix).lower()
    if "f" in prefix and "{" in value:
        return None
    return value, m.start(group), "r" in prefix


class _PythonCode:
    """Whether a position is in Python code: the text is Python and the position is not in a triple-quoted string."""

    def __init__(self, text: str) -> None:
        self.text, self.looked = text, False
        self.strings: list[tuple[int, int]] | None = None  # None: not Python at all
        self.starts: list[int] = []

    def at(self, pos: int) -> bool:
        if not self.looked:  # only when a rule needs it: most texts never get here
            self.looked = True
            if _PYTHON.search(self.text):
                self.strings = [m.span("tq") for m in _PY_LEX.finditer(self.text) if m.group("tq")]
                self.starts = [s for s, _ in self.strings]
        if self.strings is None:
            return False
        i = bisect_right(self.starts, pos) - 1
        return i < 0 or self.strings[i][1] <= pos


def _pem_bodies(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text between each BEGIN ... PRIVATE KEY line and the END that follows it."""
    if "PRIVATE KEY" not in text:
        return []
    ends = [m.start() for m in _PEM_END.finditer(text)]
    bodies, i, last = [], 0, -1
    for m in _PEM_BEGIN.finditer(text):
        if m.start() < last:
            continue  # inside the previous key
        i = bisect_left(ends, m.end(), i)
        if i < len(ends) and ends[i] - m.end() <= _PEM_MAX:
            bodies.append((m.end(), ends[i]))
            last = ends[i]
    return bodies


def _bare_value(m: re.Match[str]) -> str | None:
    """The value of an unquoted `KEY=value` / `key: value` line without its trailing comment; None if it is prose."""
    value = m.group("v")
    if c := _COMMENT.search(value):
        value = value[:c.start()]
    value = value.rstrip()
    scheme = _SCHEME.match(value)
    if m.group("op") == ":" and _SPACE.search(value, scheme.end() if scheme else 0):
        return None  # `token: the token to send` is prose; a YAML secret is one word ("Basic <token>" at most)
    return value


def _lines_with_names(text: str) -> list[tuple[int, int]]:
    """(start, end) of the runs of lines that hold a word a secret's name would hold."""
    lower = text.lower()
    if len(lower) != len(text):  # a character that lower-cases to two: fall back to ASCII only
        lower = text.translate(_ASCII_LOWER)
    hits = sorted(m.start() for word in _NAME_WORDS for m in word.finditer(lower))
    blocks: list[tuple[int, int]] = []
    for at in hits:
        if blocks and at < blocks[-1][1]:
            continue
        start, end = text.rfind("\n", 0, at) + 1, text.find("\n", at)
        end = len(text) if end < 0 else end
        if blocks and start <= blocks[-1][1] + 1:
            blocks[-1] = (blocks[-1][0], end)
        else:
            blocks.append((start, end))
    return blocks


def _find(text: str, known: dict[str, str] | None = None, *, output: bool = False) -> list[tuple[int, int, str]]:
    """Sorted, non-overlapping (start, end, kind) spans of the secrets in text, and of every other occurrence of one
    of them (or of a `known` secret value -> kind) wherever it stands."""
    found: list[tuple[int, int, int, str]] = []  # start, end, priority, kind

    def add(s: int, e: int, kind: str, priority: int) -> None:
        if e > s and not _LINE_BREAK.search(text, s, e):
            found.append((s, e, priority, kind))

    for kind, pattern in _TOKENS:
        for m in pattern.finditer(text):
            s, e = m.span("s") if "s" in pattern.groupindex else m.span()
            if kind == "url-credentials" and _TEMPLATE.fullmatch(text, s, e):
                continue  # postgres://{user}:{password}@host
            add(s, e, kind, 2)
    for s, e in _pem_bodies(text):
        for run in _PEM_RUN.finditer(text, s, e):
            add(*run.span(), "private-key", 2)

    name_kinds: dict[str, tuple[str, bool] | None] = {}

    def named(name: str, value: str, start: int, raw: bool = False, *, bare: bool = False,
              compare: bool = False) -> None:
        if (found_kind := name_kinds.get(name, ())) == ():
            found_kind = name_kinds[name] = _name_kind(name)
        if not found_kind or not (span := _value_span(*found_kind, name, value, start, bare=bare, raw=raw,
                                                      compare=compare)):
            return
        kind = found_kind[0]
        if len(value) == 40 and _AWS_SECRET.fullmatch(value) and _AWS_NAME.search(name):
            add(*span, "aws-secret-key", 2)
        else:
            add(*span, kind, 1)

    python_code = _PythonCode("" if output else text)
    for ls, le in _lines_with_names(text):
        for m in _ASSIGN.finditer(text, ls, le):
            if m.group("n") and m.group("op") == ":" and python_code.at(m.start()):
                continue  # `credentials: "Credentials"` is an annotation, `{Token: "#fff"}` a dict with a variable key
            if lit := _literal(m):
                named(m.group("qn") or m.group("n"), *lit, compare=m.group("op") in ("==", "!="))
        for m in _DEFAULT.finditer(text, ls, le):
            if lit := _literal(m):
                named(m.group("n"), *lit)
        for m in _AUTH_PAIR.finditer(text, ls, le):
            if lit := _literal(m):
                named("password", *lit)
        for m in _INLINE.finditer(text, ls, le):
            named(m.group("n"), m.group("v"), m.start("v"), bare=True)
        for m in _FLAG.finditer(text, ls, le):
            if m.group("v") is not None:
                named(m.group("n"), m.group("v"), m.start("v"), bare=True)
            elif lit := _literal(m):
                named(m.group("n"), *lit)
        for m in _XML.finditer(text, ls, le):
            v = m.group("v")
            named(m.group("n"), v.strip(), m.start("v") + len(v) - len(v.lstrip()))
        for m in _BARE.finditer(text, ls, le):
            if python_code.at(m.start()):
                continue  # in Python code an unquoted value is a name; in a """string""" it may be an embedded .env
            if (value := _bare_value(m)) is not None:
                named(m.group("n"), value, m.start("v"), bare=True)
    spans = _merge(text, found)
    known = dict(known or {})
    known.update((text[s:e], kind) for s, e, kind in spans)
    again = sorted((v for v in known if _SCRUB_MIN <= len(v) <= _SCRUB_MAX and _DIGIT.search(v) and _LETTER.search(v)),
                   key=len, reverse=True)[:_SCRUB_MOST]
    for value in again:  # `token = "..."` told us the value is secret: it is as secret where no rule would see it
        at = text.find(value)
        while at >= 0:
            found.append((at, at + len(value), 0, known[value]))
            at = text.find(value, at + len(value))
    if again:
        spans = _merge(text, found)
    return spans


def _merge(text: str, found: list[tuple[int, int, int, str]]) -> list[tuple[int, int, str]]:
    """Overlapping spans become one (kind of the most specific); spans never end or start inside a digit run."""
    spans = []
    for s, e, priority, kind in found:
        while e < len(text) and text[e] in "0123456789":
            e += 1  # a placeholder followed by a digit would read as another placeholder
        while s > 0 and text[s - 1] in "0123456789":
            s -= 1
        if text.endswith(PREFIX, 0, s):
            s -= len(PREFIX)
        spans.append((s, e, priority, kind))
    spans.sort()
    merged: list[list] = []
    for s, e, priority, kind in spans:
        if merged and s < merged[-1][1]:
            last = merged[-1]
            last[1] = max(last[1], e)
            if priority > last[2]:
                last[2], last[3] = priority, kind
        else:
            merged.append([s, e, priority, kind])
    return [(s, e, kind) for s, e, _, kind in merged if not _PLACEHOLDER.fullmatch(text, s, e)]
