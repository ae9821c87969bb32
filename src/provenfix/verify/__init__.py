"""The verifier: runs proof tests and the project's suite in a sandbox and judges fixes.

``sandbox`` owns all process spawning; ``prove`` turns measured runs into verdicts.
"""

from provenfix.verify.prove import baseline_suite, verify_candidate, verify_together
from provenfix.verify.sandbox import (
    SandboxError,
    SandboxRun,
    copy_project,
    isolation_level,
    run_pytest,
    run_sandboxed,
)

__all__ = [
    "SandboxError",
    "SandboxRun",
    "baseline_suite",
    "copy_project",
    "isolation_level",
    "run_pytest",
    "run_sandboxed",
    "verify_candidate",
    "verify_together",
]
