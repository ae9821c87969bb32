"""Permissive file permissions (CWE-732): files others may change, or secrets others may read.

Detects `os.chmod` / `Path.chmod` / `os.fchmod` to a mode every user may write (0o666, 0o777),
or a mode group or others may read on a file named like a secret (a private key, a token,
credentials); `os.umask()` of a mask that lets every user write what the process creates next;
and secrets written with the default mode (`open(key_file, "w")`, `os.open(token_path, flags)`
without a mode: readable by every user). The fix keeps the owner's bits and drops the others'
(0o600 for a secret, 0o755 where only writing was too open), creates secrets with mode 0o600,
and makes the umask 0o022.
Modes that are the norm are left alone: 0o755 on a script or a public folder, 0o644 on data.

Folders: a folder named for secrets (keys, tokens, credentials, `.ssh`, `private`, a `KEY_DIR`)
made by `os.makedirs` / `os.mkdir` / `Path.mkdir` with the default mode (0o777 less the umask,
usually 0o755) or an explicit mode that lets others in: other users can list it and open the
files in it, so a key written inside with the default 0o644 is theirs to read. The fix asks
for 0o700 and, where `exist_ok` may find the folder already made (with its old mode), sets
0o700 on it after the call. A mode of 0o777 alone on any other folder is not reported: it is
the call's default, and the umask (usually 0o022) takes the others' write permission away, as
it does for every folder made without a mode (a umask of 0, which would not, is reported
itself); an explicit group mode (0o750, 0o770), a sticky shared folder (0o1777), a folder under
`tempfile.mkdtemp()` or made under `os.umask(0o077)` are left alone too.
"""

from __future__ import annotations

import ast
import re
import stat

from provenfix.codemods.base import Unfixable, span_of
from provenfix.flow.index import FunctionInfo, ModuleInfo, ProjectIndex
from provenfix.flow.taint import EMPTY, Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import (
    Match, ProofPlan, Recipe, argument, assignments, keyword_arg, own_nodes, route_or_function,
)

CHMODS = {"os.chmod": 1, "os.lchmod": 1, "os.fchmod": 1}  # → the mode's position
OPENS = frozenset({"builtins.open", "io.open"})
# Words of a file's name (or of the variable holding it) that say it holds a secret.
SECRET_WORDS = frozenset({
    "secret", "secrets", "token", "credential", "credentials", "creds", "password", "passwords", "passwd",
    "apikey", "privkey", "private", "netrc", "pgpass", "htpasswd", "keystore", "keyfile", "jks", "p12", "pfx",
    "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "key", "pem",
})
# Words that say it does not: a public key, a certificate, a cache key, a tokenizer's counts.
NOT_SECRET = frozenset({
    "pub", "public", "cert", "certs", "certificate", "crt", "ca", "chain", "fullchain", "bundle", "cache", "sort",
    "hotkey", "keymap", "keyboard", "keys_pressed", "count", "counts", "vocab", "index", "csr",
    "gpg", "pgp", "asc", "keyring",  # an OpenPGP public key or keyring, which apt and others must read
})
# Folders: the mode's and `exist_ok`'s positions in the call.
MKDIRS = {"os.makedirs": (1, 2), "os.mkdir": (1, None)}
PATH_MKDIR = (0, 2)  # Path.mkdir(mode=0o777, parents=False, exist_ok=False)
# Words of a folder's name that say it holds secrets.
DIR_SECRET_WORDS = frozenset({
    "secret", "secrets", "credential", "credentials", "creds", "password", "passwords", "passwd", "private",
    "privkey", "keystore", "keys", "ssh", "gnupg", "vault", "apikey",
})
# Words that say so only beside a word for a folder (`key_dir`, `TOKEN_PATH`), not alone: a loop's
# `key`, an object store's `s3_key` name folders of anything.
DIR_KEY_WORDS = frozenset({"key", "token"})
FOLDER_WORDS = frozenset({"dir", "dirs", "directory", "folder", "path", "root", "home", "store", "storage", "location"})
FILE_WORDS = FOLDER_WORDS | {"file", "filename", "fname", "filepath"}
TEMP_DIRS = frozenset({"tempfile.mkdtemp", "tempfile.TemporaryDirectory"})  # made 0o700: nobody else gets in
# Calls whose result is a private key's bytes (cryptography, pycryptodome, paramiko).
KEY_BYTES = frozenset({"private_bytes", "export_key", "exportKey", "write_private_key", "write_private_key_file"})


def _words(text: str) -> set[str]:
    text = re.sub(r"([a-z])([A-Z])", r"\1_\2", text).lower()
    words = set(re.split(r"[^a-z0-9]+", text)) - {""}
    words |= {m for m in ("id_rsa", "id_dsa", "id_ecdsa", "id_ed25519") if m in text}
    return words


def secret_words(texts: list[str]) -> set[str]:
    """What says the file these texts name (its constant parts, the names of its variables) holds a secret.
    "key" and "token" count in a name only beside a word for a file (`key_path`, `token_file`): a loop's
    `key` over an object store's listing names files of anything."""
    each = [_words(text) for text in texts]
    if each and set().union(*each) & NOT_SECRET:
        return set()
    found: set[str] = set()
    for text, words in zip(texts, each):
        found |= words & SECRET_WORDS - DIR_KEY_WORDS
        if not text.isidentifier() or words & FILE_WORDS:
            found |= words & DIR_KEY_WORDS
    return found


def dir_secret_words(texts: list[str]) -> set[str]:
    """What says the folder these texts name holds secrets (empty when nothing does, or something
    says it is public, a cache, certificates)."""
    each = [_words(text) for text in texts]
    if each and set().union(*each) & NOT_SECRET:
        return set()
    found: set[str] = set()
    for words in each:
        found |= words & DIR_SECRET_WORDS
        if words & FOLDER_WORDS:
            found |= words & DIR_KEY_WORDS
    return found


def _mode_value(expr: ast.expr | None, module: ModuleInfo, depth: int = 0) -> int | None:
    """The integer a mode expression is, when the code makes it known: a literal, `stat.S_I*`
    flags combined with | or +, or a module-level constant of those."""
    if expr is None or depth > 4:
        return None
    if isinstance(expr, ast.Constant) and type(expr.value) is int:
        return expr.value
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.BitOr, ast.Add, ast.BitAnd)):
        left, right = _mode_value(expr.left, module, depth + 1), _mode_value(expr.right, module, depth + 1)
        if left is None or right is None:
            return None
        return left & right if isinstance(expr.op, ast.BitAnd) else left | right
    name = module.resolve(expr) if isinstance(expr, (ast.Name, ast.Attribute)) else None
    if name and name.startswith("stat.S_I") and isinstance(getattr(stat, name[5:], None), int):
        return getattr(stat, name[5:])
    if isinstance(expr, ast.Name):
        top = assignments(module.tree, expr.id, top_level=True)
        if len(top) == 1:
            return _mode_value(top[0].value, module, depth + 1)
    return None


def _path_texts(expr: ast.expr | None, fn: FunctionInfo | None, module: ModuleInfo, depth: int = 0) -> list[str]:
    """What names a path: its constant parts and the names of the variables and calls it comes from."""
    if expr is None or depth > 4:
        return []
    if isinstance(expr, ast.Constant):
        return [expr.value] if isinstance(expr.value, str) else []
    if isinstance(expr, ast.Name):
        texts = [expr.id]
        scope = fn.node if fn is not None else module.tree
        assigned = assignments(scope, expr.id)
        if fn is not None and 1 <= len(assigned) <= 4:  # every value it may hold (`keyfile = ''`, then the path)
            for assignment in filter(None, assigned):  # None: a binding whose value is unknown
                texts += _path_texts(assignment.value, fn, module, depth + 1)
        elif fn is not None and not assigned and expr.id not in fn.params:
            top = assignments(module.tree, expr.id, top_level=True)
            if len(top) == 1:
                texts += _path_texts(top[0].value, None, module, depth + 1)
        return texts
    if isinstance(expr, ast.Attribute):
        return [expr.attr] + (_path_texts(expr.value, fn, module, depth + 1) if expr.attr in ("parent",) else [])
    texts: list[str] = []
    if isinstance(expr, ast.Call):
        func = expr.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in ("expanduser", "join", "Path", "PurePath", "abspath", "realpath", "fspath", "str",
                    "with_suffix", "with_name", "joinpath", "resolve", "format"):
            for part in (*expr.args, *(k.value for k in expr.keywords)):
                texts += _path_texts(part, fn, module, depth + 1)
            if isinstance(func, ast.Attribute):
                texts += _path_texts(func.value, fn, module, depth + 1)
        return texts
    for child in ast.iter_child_nodes(expr):
        if isinstance(child, ast.expr):
            texts += _path_texts(child, fn, module, depth + 1)
    return texts


def _written_key(site: CallSite) -> bool:
    """A private key's bytes are written to the file this `open()` opens, in its `with` block."""
    fn = site.function
    if fn is None:
        return False
    for node in own_nodes(fn.node):
        if isinstance(node, (ast.With, ast.AsyncWith)) and any(item.context_expr is site.node for item in node.items):
            return any(isinstance(n, ast.Call) and isinstance(n.func, (ast.Attribute, ast.Name))
                       and (n.func.attr if isinstance(n.func, ast.Attribute) else n.func.id) in KEY_BYTES
                       for stmt in node.body for n in ast.walk(stmt))
    return False


def _reads_umask(site: CallSite) -> bool:
    """`old = os.umask(0)` with `os.umask(old)` as the next statement: the idiom that reads the umask,
    nothing is created in between."""
    fn = site.function
    assert fn is not None
    for node in [fn.node, *own_nodes(fn.node)]:
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if not isinstance(block, list):
                continue
            for stmt, after in zip(block, block[1:]):
                if isinstance(stmt, ast.Assign) and stmt.value is site.node and isinstance(stmt.targets[0], ast.Name):
                    nxt = after.value if isinstance(after, (ast.Expr, ast.Assign)) else None
                    return (isinstance(nxt, ast.Call) and site.module.resolve(nxt.func) == "os.umask" and len(nxt.args) == 1
                            and isinstance(nxt.args[0], ast.Name) and nxt.args[0].id == stmt.targets[0].id)
    return False


def _in_private_temp(path: ast.expr, site: CallSite) -> bool:
    """The folder is made inside one from `tempfile.mkdtemp()` / `TemporaryDirectory()`, which only its
    owner can enter: nothing in it is open to others, whatever its own mode."""
    fn, module = site.function, site.module
    assert fn is not None
    temp: set[str] = set()

    def from_temp(expr: ast.AST) -> bool:
        return any((isinstance(n, ast.Call) and module.resolve(n.func) in TEMP_DIRS)
                   or (isinstance(n, ast.Name) and n.id in temp) for n in ast.walk(expr))

    for _ in range(3):  # `tmp = mkdtemp()`, `base = os.path.join(tmp, "x")`, …
        for node in own_nodes(fn.node):
            if isinstance(node, ast.Assign) and from_temp(node.value):
                temp |= {t.id for t in node.targets if isinstance(t, ast.Name)}
            elif isinstance(node, ast.withitem) and isinstance(node.optional_vars, ast.Name) and from_temp(node.context_expr):
                temp.add(node.optional_vars.id)
    return from_temp(path)


def _umask_hides(site: CallSite) -> bool:
    """`os.umask(0o077)` (or stricter for group and others) comes earlier in the function: what it
    makes is the owner's only, whatever the mode asked."""
    fn = site.function
    assert fn is not None
    for node in own_nodes(fn.node):
        if (isinstance(node, ast.Call) and node.lineno < site.node.lineno and site.module.resolve(node.func) == "os.umask"
                and node.args and (mask := _mode_value(node.args[0], site.module)) is not None and mask & 0o077 == 0o077):
            return True
    return False


def _path_mkdir(site: CallSite, module: ModuleInfo) -> bool:
    """`path.mkdir(...)` of a pathlib path, by its arguments: (mode, parents, exist_ok) and nothing
    else, a mode known to be a number (an SFTP client's or a zip file's `mkdir(name, mode)` takes a name
    first)."""
    node = site.node
    if not (isinstance(node.func, ast.Attribute) and node.func.attr == "mkdir") or (site.name or "").startswith("os."):
        return False
    if site.receiver_type and not site.receiver_type.startswith("pathlib."):
        return False
    if len(node.args) > 3 or any(isinstance(a, ast.Starred) for a in node.args) or any(
            k.arg not in ("mode", "parents", "exist_ok") for k in node.keywords):
        return False
    return not node.args or _mode_value(node.args[0], module) is not None


def _creates(mode: ast.expr | None) -> bool:
    return isinstance(mode, ast.Constant) and isinstance(mode.value, str) and any(c in mode.value for c in "wax")


class FilePermissions(Recipe):
    rule_id = "PF-PERM"
    kind = "perm"
    call_names = frozenset({"chmod", "lchmod", "fchmod", "umask", "open", "mkdir", "makedirs"})
    equivalent_ids = frozenset({"B103", "S103"})
    without_input = frozenset({"os", "pathlib", "builtins"})  # `open(key_path, "w")` needs no import
    # What a module holding a finding names: a mode call, a private key's bytes, a secret's file name
    # (`id_rsa`, `"token.json"`, `key_path`). Modules merely importing `os` are not walked for it.
    without_input_text = (r"chmod|umask|mkdir|makedirs|O_CREAT|private_bytes|export_?[kK]ey|write_private_key|id_rsa|id_dsa|id_ecdsa"
                          r"|id_ed25519|\.pem\b|\.key\b|\.p12\b|\.pfx\b|keyfile|privkey|netrc|pgpass"
                          r"|(?i:key|token|secret|credentials?|password)_?(?:path|file)"
                          r"|[\"'][\w./~-]*(?i:secret|token|credential|passw)[\w.-]*[\"']")

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        if site.function is None:
            return None  # module-level code: no function a proof could call
        fn, module, node = site.function, site.module, site.node
        entry = route_or_function(site)
        # chmod: the mode, and the path it is given to.
        if site.name in CHMODS or (isinstance(node.func, ast.Attribute) and node.func.attr == "chmod"
                                   and site.name not in CHMODS and not (site.name or "").startswith("os.")):
            if site.name in CHMODS:
                found = argument(site, 1, "mode")
                path = node.args[0] if node.args else None
            else:  # Path.chmod(mode)
                found = argument(site, 0, "mode")
                path = node.func.value
            if found is None or (mode := _mode_value(found[0], module)) is None:
                return None
            secret = secret_words(_path_texts(path, fn, module)) if site.name != "os.fchmod" else set()
            if mode & 0o002:
                new = mode & 0o700 or 0o600 if secret else mode & ~0o022
                what = "every user of the machine can write to it" + (" (and read it)" if mode & 0o004 else "")
            elif secret and mode & 0o077:
                new = mode & 0o700 or 0o600
                what = f"other users can {'read' if mode & 0o044 else 'use'} this {sorted(secret)[0]} file"
            else:
                return None
            call = re.sub(r"\s+", " ", ast.get_source_segment(module.source, node) or ast.unparse(node))
            call = call if len(call) <= 60 else call[:57] + "..."
            return Match(site, EMPTY, f"`{call}`: {what}", found[0],
                         detail={"shape": "chmod", "mode": new, "mask": 0o077 if secret else 0o022, "entry": entry})
        if site.name in MKDIRS or _path_mkdir(site, module):
            return _folder(site, entry)
        if site.name == "os.umask":
            found = argument(site, 0, "mask")
            if found is None or (mask := _mode_value(found[0], module)) is None or mask & 0o002 or _reads_umask(site):
                return None
            return Match(site, EMPTY, f"`os.umask(0o{mask:03o})`: files and folders the process creates next are "
                         "writable by every user (and their default mode lets them read them)", found[0],
                         detail={"shape": "umask", "mode": mask | 0o022, "mask": 0o002, "entry": entry})
        if site.name == "os.open":
            path, flags = (node.args + [None, None])[:2] if len(node.args) >= 2 else (None, None)
            flag_names = {n.attr if isinstance(n, ast.Attribute) else n.id for n in ast.walk(flags)
                          if isinstance(n, (ast.Attribute, ast.Name))} if flags is not None else set()
            secret = secret_words(_path_texts(path, fn, module))
            if "O_CREAT" not in flag_names or not secret:
                return None
            given = argument(site, 2, "mode")
            mode = _mode_value(given[0], module) if given else 0o777
            if mode is None or not mode & 0o077:
                return None
            return Match(site, EMPTY, f"`os.open()` creates this {sorted(secret)[0]} file with mode 0o{mode:03o} less "
                         "the umask: other users can read it", given[0] if given else node,
                         detail={"shape": "os.open", "mode": 0o600, "mask": 0o077, "given": given is not None,
                                 "entry": entry})
        if site.name in OPENS:
            path = argument(site, 0, "file")
            mode = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"), None)
            if path is None or not _creates(mode) or any(k.arg in ("opener", None) for k in node.keywords):
                return None
            secret = secret_words(_path_texts(path[0], fn, module))
            if not secret and _written_key(site):
                secret = {"private key"}
            if not secret:
                return None
            return Match(site, EMPTY, f"this {sorted(secret)[0]} file is created with the default mode (0o666 less the "
                         "umask, usually 0o644): every user of the machine can read it", node,
                         confidence="medium", detail={"shape": "open", "mode": 0o600, "mask": 0o077, "entry": entry})
        return None

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        if match.detail["shape"] == "mkdir":
            from provenfix.codemods.permissions import private_folder

            path = match.site.module.path
            return {path: private_folder(texts[path], span_of(match.target, texts[path]), match.detail["mode_at"],
                                         f"0o{match.detail['mode']:03o}", chmod=match.detail["chmod"],
                                         on_receiver=match.detail["receiver"])}
        return self._rewrite_file(match, texts)

    def _rewrite_file(self, match: Match, texts: dict[str, str]) -> dict[str, str]:
        from provenfix.codemods.keywords import set_keywords, set_value  # LibCST loads only when a fix is made
        from provenfix.codemods.permissions import open_owner_only

        path = match.site.module.path
        span = span_of(match.target, texts[path])
        shape, mode = match.detail["shape"], f"0o{match.detail['mode']:03o}"
        if shape == "open":
            return {path: open_owner_only(texts[path], span)}
        if shape == "os.open" and not match.detail["given"]:
            if len(match.site.node.args) != 2:
                raise Unfixable("the call's arguments are not `os.open(path, flags)`")
            return {path: set_keywords(texts[path], span, {"mode": mode})}
        return {path: set_value(texts[path], span, mode)}

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        if match.detail["shape"] == "mkdir":
            return ProofPlan(
                doc="It calls the code with the usual umask (0o022) and checks that the folder the call makes does not "
                    "let group or other users in (mode bits 0o077), unless a folder it made above keeps them out.",
                payloads=['"provenfix"'],
                setup=FOLDER_WATCHER.replace("{SITE}", repr(_site(match))),
                before_each="watching[0] = True",
                check=(
                    "watching[0] = False\n"
                    "os.umask(previous_umask)\n"
                    "made = [p for p in dict.fromkeys(created) if os.path.isdir(p)]\n"
                    "assert made, f\"the call made no folder: {results}\"\n"
                    "mode = {p: stat.S_IMODE(os.stat(p).st_mode) for p in made}\n"
                    "# the folders the call asked for: not those makedirs makes on the way, with the default mode\n"
                    "asked = [p for p in made if not any(q.startswith(p + os.sep) for q in made)]\n"
                    "shut = [p for p in made if not mode[p] & 0o011]  # a folder others cannot pass through\n"
                    "loose = {p: oct(mode[p]) for p in asked if mode[p] & 0o077\n"
                    "         and not any(p.startswith(s + os.sep) for s in shut)}\n"
                    "assert not loose, f\"group or other users can enter these folders: {loose}\""
                ),
                benign=['"provenfix"'],
                observe="type",  # the fix changes modes only; what is written inside is often random (a new key)
            )
        mask = match.detail["mask"]
        who = "group or other users" if mask == 0o077 else "other users"
        return ProofPlan(
            doc=f"It calls the code with the usual umask (0o022) and checks that no file or folder "
                f"{'it' if match.detail['shape'] == 'umask' else 'the call'} creates or changes the mode of has a "
                f"permission bit for {who} it should not ({oct(mask)}).",
            payloads=['"provenfix"'],
            setup=WATCHER.replace("{SITE}", repr(None if match.detail["shape"] == "umask" else _site(match))),
            before_each="watching[0] = True",
            check=(
                "watching[0] = False\n"
                "os.umask(previous_umask)\n"
                f"found = {{p: stat.S_IMODE(os.stat(p).st_mode) for p in dict.fromkeys(touched) if os.path.exists(p)}}\n"
                "assert found, f\"the call made or changed no file: {results}\"\n"
                f"loose = {{p: oct(m) for p, m in found.items() if m & {oct(mask)}}}\n"
                f"assert not loose, f\"{who} have access they should not have: {{loose}}\""
            ),
            benign=['"provenfix"'],
            benign_setup="open(\"test\", \"a\").close()",
            # A secret's file is often random (a new key): its name, and what the call returns or raises, are compared.
            observe="type" if match.detail["shape"] in ("open", "os.open") else "value",
        )


# Only what the reported call does counts (a function writing a key may write a public certificate too):
# an event counts when a frame of the call's function is at the call's line, counted from the
# function's first line, which a fix inserting a helper above the function does not change. None:
# whatever the code does (after a umask, everything it creates).
SITE_FILTER = '''\
_SITE = {SITE}  # (file name, function, first and last line of the call, from the function's first line)

def _from_site():
    if _SITE is None:
        return True
    frame = sys._getframe(2)
    while frame is not None:
        code = frame.f_code
        if (code.co_name == _SITE[1] and code.co_filename.replace(os.sep, "/").endswith("/" + _SITE[0])
                and _SITE[2] <= frame.f_lineno - code.co_firstlineno <= _SITE[3]):
            return True
        frame = frame.f_back
    return False
'''


def _site(match: Match) -> tuple[str, str, int, int]:
    fn, node = match.site.function, match.site.node
    assert fn is not None
    first = min([fn.node.lineno, *(d.lineno for d in fn.node.decorator_list)])
    name = match.site.module.path.rsplit("/", 1)[-1]  # the file's name: where the project is installed may differ
    return name, fn.node.name, node.lineno - first, (node.end_lineno or node.lineno) - first + 1


# Which paths the code creates or changes the mode of, seen by an audit hook; the umask of a
# common system, whatever the runner's, so that the result does not depend on it.
WATCHER = '''\
import os
import stat
import sys

previous_umask = os.umask(0o022)
SITE_FILTER
watching, touched = [False], []
open("test", "a").close()  # a file for a parameter that names one ("test", as the call is given)

def _watch(event, args):
    if not watching[0] or not args or not isinstance(args[0], (str, bytes, os.PathLike)) or not _from_site():
        return
    if event in ("os.chmod", "os.mkdir") or (event == "open" and isinstance(args[2], int)
                                            and args[2] & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)):
        touched.append(os.path.abspath(os.fsdecode(args[0])))

sys.addaudithook(_watch)'''.replace("SITE_FILTER\n", SITE_FILTER)


# Which folders the code makes (or changes the mode of), seen by an audit hook, with the umask of
# a common system whatever the runner's.
FOLDER_WATCHER = '''\
import os
import stat
import sys

previous_umask = os.umask(0o022)
SITE_FILTER
watching, created = [False], []

def _watch(event, args):
    if (watching[0] and event in ("os.mkdir", "os.chmod") and args and isinstance(args[0], (str, bytes, os.PathLike))
            and _from_site()):
        created.append(os.path.abspath(os.fsdecode(args[0])))

sys.addaudithook(_watch)'''.replace("SITE_FILTER\n", SITE_FILTER)


def _folder(site: CallSite, entry: str) -> Match | None:
    """A folder for secrets made with a mode that lets other users in (after the usual umask)."""
    fn, module, node = site.function, site.module, site.node
    if site.name in MKDIRS:
        mode_at, exist_at = MKDIRS[site.name]
        path = node.args[0] if node.args else keyword_arg(site, "name") or keyword_arg(site, "path")
        receiver = False
    else:
        (mode_at, exist_at), path, receiver = PATH_MKDIR, node.func.value, True  # type: ignore[attr-defined]
    if path is None or isinstance(path, ast.Starred) or any(k.arg is None for k in node.keywords):
        return None
    given = argument(site, mode_at, "mode")
    mode = _mode_value(given[0], module) if given else 0o777
    if mode is None or mode & 0o1000:  # unknown, or a sticky folder shared on purpose
        return None
    usual = mode & ~0o022
    if not usual & 0o005:  # others can neither list it nor pass through it
        return None
    secret = dir_secret_words(_path_texts(path, fn, module))
    if not secret or _in_private_temp(path, site) or _umask_hides(site):
        return None
    exist = argument(site, exist_at, "exist_ok") if exist_at is not None else None
    chmod = exist is not None and not (isinstance(exist[0], ast.Constant) and not exist[0].value)
    word = sorted(secret)[0]
    made = "with the default mode (0o777 less the umask, usually 0o755)" if given is None else \
        f"with mode 0o{mode:03o}" + (f" (0o{usual:03o} under the usual umask)" if usual != mode else "")
    can = "list it, and read any file in it not made owner-only" if usual & 0o004 else \
        "read any file in it not made owner-only whose name they know or guess"
    return Match(site, EMPTY, f"this {word} folder is made {made}: other users can {can}", node, confidence="medium",
                 detail={"shape": "mkdir", "mode": 0o700, "mask": 0o077, "entry": entry, "mode_at": mode_at,
                         "chmod": chmod, "receiver": receiver})
