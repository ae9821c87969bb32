"""What a model must answer, as schemas the client validates (a malformed reply is sent back with
the validation error). There is deliberately no field for a status: only the verifier decides
whether a fix is verified, whatever a reply claims."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Reply(BaseModel):
    model_config = ConfigDict(extra="ignore")  # unknown keys (e.g. "verified": true) carry no weight


class Edit(_Reply):
    path: str = Field(description="file to change, exactly as given in the prompt")
    search: str = Field(description="exact text copied from that file, long enough to occur once")
    replace: str = Field(description="the text that takes its place")


class ModelExplanation(_Reply):
    summary: str = Field(description="what is wrong, in one or two sentences")
    impact: str = Field(description="what an attacker or a user gets because of it")
    fix_rationale: str = Field(description="why the change fixes it")
    references: list[str] = Field(default_factory=list, description="CWE or documentation URLs")


class BugFix(_Reply):
    finding_id: str | None = Field(None, description="the id of the static finding this bug is, when it is one of them")
    title: str = Field(description="short name of the bug, e.g. 'missing ownership check'")
    cwe: int = Field(description="the CWE number that fits best, e.g. 639 for a missing ownership check")
    severity: Literal["low", "medium", "high", "critical"] = "medium"
    path: str = Field(description="file holding the bug")
    line: int = Field(description="line number of the bug in that file")
    explanation: ModelExplanation
    edits: list[Edit] = Field(description="search/replace edits that fix the bug")
    proof_test: str = Field(description="a complete pytest module that fails on the current code "
                                        "because of this bug and passes once it is fixed")


class Review(_Reply):
    bugs: list[BugFix] = Field(default_factory=list, description="each real bug, with its fix and proof test")
