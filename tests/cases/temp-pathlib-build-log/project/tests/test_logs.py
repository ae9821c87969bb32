from pathlib import Path

from cibuild.logs import summary, write_build_log


def test_log_is_written_and_summarised():
    log = write_build_log(["collected 3 items", "PASSED test_a", "FAILED test_b"])
    try:
        assert isinstance(log, Path) and log.name.endswith(".log")
        assert summary(log) == {"lines": 3, "failed": 1}
    finally:
        log.unlink()
