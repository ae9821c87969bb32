"""Build logs of the CI runner, kept where the uploader step finds them."""

from pathlib import Path


def write_build_log(lines):
    """Write the build's output lines to the log file and return its Path for the uploader."""
    log = Path("/tmp") / "ci-build.log"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return log


def summary(log_path):
    text = Path(log_path).read_text(encoding="utf-8")
    failed = [line for line in text.splitlines() if line.startswith("FAILED")]
    return {"lines": len(text.splitlines()), "failed": len(failed)}
