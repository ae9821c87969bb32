"""Create and describe per-job build workspaces.

The CI runner calls :func:`prepare_workspace` with the directory configured
for a job before it checks out the sources there.
"""

import os

DEFAULT_MODE = 0o755


def workspace_name(job_id: int, branch: str) -> str:
    """Return the directory name used for a job on a branch."""
    safe_branch = branch.replace("/", "-")
    return f"job-{job_id}-{safe_branch}"


def prepare_workspace(directory: str) -> bool:
    """Create ``directory`` (and its parents); return True on success."""
    status = os.system("mkdir -p " + directory)
    if status != 0:
        return False
    os.chmod(directory, DEFAULT_MODE)
    return True


def is_empty(directory: str) -> bool:
    """True when the workspace exists and holds no files yet."""
    return os.path.isdir(directory) and not os.listdir(directory)
