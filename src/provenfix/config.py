"""`[tool.provenfix]` in the project's pyproject.toml: every key ProvenFix reads, in one place.

`KEYS` is the one list: `provenfix init` writes it as a commented section, and loading a project
names each key not in it in one warning line. The section is the scanned project's, so its text
is untrusted: a key shown in a warning is clipped and its control characters escaped.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from provenfix.errors import UsageError

PYPROJECT = "pyproject.toml"


@dataclass(frozen=True)
class Key:
    name: str
    default: str  # as TOML: what leaving the key out means
    comment: str  # one line


KEYS: tuple[Key, ...] = (
    Key("sources", '["web"]',
        'What is untrusted input: "web" (request data), "cli" (command line), "env" (environment).'),
    Key("entry", '"entry-points"',
        '"entry-points", or "public-api" for a library: its public functions\' parameters are input too.'),
    Key("test-command", '"pytest"',
        "How the project's own tests run (the pytest arguments are kept), e.g. \"pytest -x tests\"."),
    Key("models", "[]",
        "Models this project asks for: used only for names your own config's project-models allows."),
    Key("allow-remote", "true",
        "false: refuse any model not on loopback or a host you trust (a project can only make this stricter)."),
)

# Read from your own config only (~/.config/provenfix/config.toml): a project's would loosen your policy,
# so it is ignored with a notice of its own (llm/configure.py), not reported as unknown.
USER_ONLY: tuple[str, ...] = ("trusted-hosts", "prices", "project-models")

_KNOWN = frozenset(k.name for k in KEYS) | frozenset(USER_ONLY)


def section() -> str:
    """The commented `[tool.provenfix]` section `init` appends: every key at its default, commented out."""
    lines = ["[tool.provenfix]", "# Every key ProvenFix reads, at its default; uncomment one to change it."]
    for key in KEYS:
        lines += [f"# {key.comment}", f"# {key.name} = {key.default}"]
    return "\n".join(lines) + "\n"


def unknown_keys(config: object) -> list[str]:
    """One warning line per key of `[tool.provenfix]` that ProvenFix does not read."""
    if not isinstance(config, dict):
        return [f"[tool.provenfix] in {PYPROJECT} is not a table (ignored)"]
    names = sorted(str(k) for k in config if k not in _KNOWN)
    return [f"unknown key [tool.provenfix] {_shown(name)} (ignored{_hint(name)})" for name in names]


def init(root: Path) -> Path:
    """Append the commented section to `root`/pyproject.toml, creating the file if there is none.

    Refuses (UsageError, one line) when the section is there already, the file is not TOML or is a
    symlink; the write is atomic and never through a symlink (`apply_changes`)."""
    if not root.is_dir():
        raise UsageError(f"{root}: not a folder")
    path = root / PYPROJECT
    if path.is_symlink():
        raise UsageError(f"{path}: is a symlink; provenfix init never writes through one")
    old: str | None = None
    if path.exists():
        try:
            old = path.read_bytes().decode("utf-8")  # as written: apply_changes compares it byte for byte
            tool = tomllib.loads(old).get("tool", {})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise UsageError(f"{path}: cannot read it as TOML ({_reason(exc)}); nothing written") from None
        if isinstance(tool, dict) and "provenfix" in tool:
            raise UsageError(f"{path}: already has a [tool.provenfix] section; nothing written")
    from provenfix.apply import apply_changes  # here: apply imports workspace, which imports this module

    new = (old.rstrip("\n") + "\n\n" if old and old.strip() else "") + section()
    done = apply_changes(root, {PYPROJECT: (new, old)})
    problems = [*done.refused, *([done.failed] if done.failed else [])]
    if problems:
        raise UsageError(f"{path}: {problems[0].removeprefix('not applied: ')}")
    return path


def _shown(name: str, limit: int = 60) -> str:
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _hint(name: str) -> str:
    close = difflib.get_close_matches(name, sorted(_KNOWN), n=1)
    return f"; did you mean {close[0]}?" if close else ""


def _reason(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or str(exc).splitlines()[0]
