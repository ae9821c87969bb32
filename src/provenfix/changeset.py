"""What the verified fixes change: the files `--apply` writes, `--patch` shows and `--branch` commits.

Fixes that share a file were verified together (see remediate), so they form one group: written,
shown and committed together, with the texts that were judged together. Pure data: no I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass

from provenfix.model import Fix, Status

# path → (new text, text as scanned; None for a file the fix creates)
Files = dict[str, tuple[str, str | None]]


@dataclass(frozen=True)
class Change:
    fixes: tuple[Fix, ...]  # verified fixes, in report order
    files: Files  # their patched files (as judged) and their proof tests


def verified_changes(fixes: list[Fix], combined: dict[str, str], originals: dict[str, str]) -> list[Change]:
    """One Change per group of verified fixes that share files, in the order of the group's first fix.

    `combined` holds each patched file's final text (only the fixes whose texts were kept are in it);
    `originals` each project file's text as scanned."""
    order = {f.finding.id: i for i, f in enumerate(fixes)}
    groups: list[tuple[list[Fix], set[str]]] = []
    for fix in fixes:
        if fix.status is not Status.VERIFIED or fix.candidate is None:
            continue
        paths = {e.path for e in fix.candidate.edits if e.path in combined}
        if not paths:
            continue
        joined = [g for g in groups if g[1] & paths]
        groups = [g for g in groups if not g[1] & paths]
        groups.append(([f for g in joined for f in g[0]] + [fix], paths.union(*(g[1] for g in joined))))
    changes = []
    for members, paths in sorted(groups, key=lambda g: min(order[f.finding.id] for f in g[0])):
        members.sort(key=lambda f: order[f.finding.id])
        files: Files = {p: (combined[p], originals.get(p)) for p in sorted(paths)}
        files.update({f.candidate.proof_test.path: (f.candidate.proof_test.code, None) for f in members if f.candidate})
        changes.append(Change(tuple(members), files))
    return changes


def all_files(changes: list[Change]) -> Files:
    return {path: texts for change in changes for path, texts in change.files.items()}
