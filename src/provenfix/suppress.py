"""In-source suppressions: `# nosec [Bxxx]`, `# noqa: Sxxx`, `# provenfix: ignore[RULE] reason`."""

from __future__ import annotations

import re

# Bandit test ids and their flake8-bandit (ruff S) twins, per ProvenFix rule.
EQUIVALENT_IDS = {
    "PF-CMD": {"B602", "B605", "B604", "B607", "B609", "S602", "S605", "S604", "S607", "S609"},
    "PF-SQL": {"B608", "S608"},
    "PF-YAML": {"B506", "S506"},
    "PF-CODE": {"B307", "B102", "S307", "S102"},
    "PF-PATH": set(),
    "PF-RAND": {"B311", "S311"},
    "PF-DESER": {"B301", "B302", "B614", "S301", "S302"},
}
NOSEC = re.compile(r"#\s*nosec\b:?\s*([A-Z0-9, ]*)", re.IGNORECASE)
NOQA = re.compile(r"#\s*noqa\b(?::\s*([A-Z0-9, ]+))?", re.IGNORECASE)
PROVENFIX = re.compile(r"#\s*provenfix:\s*ignore(?:\[([A-Z0-9\-, ]+)\])?\s*(.*)", re.IGNORECASE)


def suppression_for(rule_id: str, lines: list[str], start: int, end: int) -> str | None:
    """The suppression comment on the sink's lines that silences `rule_id`, if any."""
    ids = EQUIVALENT_IDS.get(rule_id, set())
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
