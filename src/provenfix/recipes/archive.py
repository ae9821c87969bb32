"""Archive extraction (CWE-22): a tar archive from input extracted without a filter.

A member named `../../.bashrc` or `/etc/cron.d/x`, a symlink pointing outside, or a device file
lands wherever its name says when `TarFile.extractall()` runs without `filter=` (Python before
3.14 trusts the archive fully). Detects `extractall`/`extract` of a tar archive that comes from
input; the fix passes `filter="data"`, which refuses members that leave the destination and
strips what a data archive does not need (Python 3.11.4+, 3.10.12+, 3.9.17+, 3.8.17+).
"""

from __future__ import annotations

import ast

from provenfix.codemods.base import span_of
from provenfix.flow.index import ProjectIndex
from provenfix.flow.taint import Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import Match, ProofPlan, Recipe, keyword_arg

METHODS = frozenset({"extractall", "extract"})
TRUSTING = ("fully_trusted", "tarfile.fully_trusted_filter")
ESCAPED = "provenfix-escaped.txt"


class ArchiveExtraction(Recipe):
    rule_id = "PF-TAR"
    kind = "archive"
    call_names = METHODS
    reports_pass_through = True  # the archive is what the caller hands over, whole
    equivalent_ids = frozenset({"B202", "S202"})  # tarfile_unsafe_members

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        if not (isinstance(site.node.func, ast.Attribute) and site.node.func.attr in METHODS):
            return None
        if not (site.receiver_type or "").startswith(("tarfile.open(", "tarfile.TarFile(")):
            return None
        given = keyword_arg(site, "filter")
        if given is not None and not (isinstance(given, ast.Constant) and given.value == "fully_trusted") \
                and site.module.resolve(given) not in TRUSTING:
            return None
        if not site.receiver.tainted(self.kind):
            return None
        return Match(site, site.receiver, "a tar archive from input is extracted without a filter: its members can "
                                          "land outside the destination", site.node)

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods.keywords import set_keywords  # LibCST loads only when a fix is made

        path = match.site.module.path
        return {path: set_keywords(texts[path], span_of(match.target, texts[path]), {"filter": '"data"'})}

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        return ProofPlan(
            doc="It extracts an archive whose members are named `../` and absolute paths and checks no file landed "
                "outside the destination.",
            # Plain and gzipped, so that whichever mode the code opens it in, one of them reads. The
            # absolute name comes first: a `../` name in a destination not yet created stops the
            # extraction with an error before anything is written.
            payloads=["make_archive(tmp_path)", "make_archive(tmp_path, gz=True)"],
            setup=(
                "import io, tarfile\n"
                "outside = [tmp_path, tmp_path.parent]\n"
                "def make_archive(folder, benign=False, gz=False):\n"
                "    path = folder / (\"notes.tar\" if benign else \"payload.tar\" + \".gz\" * gz)\n"
                f"    names = [\"notes.txt\"] if benign else [str(tmp_path.parent / \"abs-{ESCAPED}\"), \"../{ESCAPED}\"]\n"
                "    with tarfile.open(path, \"w:gz\" if gz else \"w\") as archive:\n"
                "        for name in names:\n"
                "            info = tarfile.TarInfo(name)\n"
                "            info.size = 7\n"
                "            archive.addfile(info, io.BytesIO(b\"escaped\"))\n"
                "    return str(path)\n"
                "for folder in outside:\n"
                f"    for name in ({ESCAPED!r}, \"abs-{ESCAPED}\"):\n"
                "        (folder / name).unlink(missing_ok=True)"
            ),
            check=(
                f"landed = [str(f / n) for f in outside for n in ({ESCAPED!r}, \"abs-{ESCAPED}\") if (f / n).exists()]\n"
                "assert not landed, f\"archive members were written outside the destination: {landed}\""
            ),
            benign=["make_archive(tmp_path, benign=True)"],
        )
