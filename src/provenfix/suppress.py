"""In-source suppressions: `# nosec [Bxxx]`, `# noqa: Sxxx`, `# provenfix: ignore[RULE] reason`."""

from __future__ import annotations

import re

NOSEC = re.compile(r"#\s*nosec\b:?\s*([A-Z0-9, ]*)", re.IGNORECASE)
NOQA = re.compile(r"#\s*noqa\b(?::\s*([A-Z0-9, ]+))?", re.IGNORECASE)
PROVENFIX = re.compile(r"#\s*provenfix:\s*ignore(?:\[([A-Z0-9\-, ]+)\])?\s*(.*)", re.IGNORECASE)


def suppression_for(rule_id: str, ids: frozenset[str], lines: list[str], start: int, end: int) -> str | None:
    """The suppression comment on the sink's lines that silences `rule_id`, or its Bandit/Ruff
    equivalents `ids`, if any."""
    for text in lines[start - 1 : end]:
        if m := PROVENFIX.search(text):
            rules = {r.strip().upper() for r in (m.group(1) or "").split(",") if r.strip()}
            if not rules or rule_id in rules:
                return f"provenfix: ignore{f'[{m.group(1)}]' if m.group(1) else ''} {m.group(2).strip()}".strip()
        if m := NOSEC.search(text):
            listed = {t.strip().upper() for t in re.split(r"[ ,]+", m.group(1) or "") if t.strip()}
            if not listed or listed & ids:
                return m.group(0).strip()
        if m := NOQA.search(text):
            listed = {t.strip().upper() for t in re.split(r"[ ,]+", m.group(1) or "") if t.strip()}
            if listed & ids:
                return m.group(0).strip()
    return None
