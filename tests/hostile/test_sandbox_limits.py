"""A hostile test suite that spreads its memory over forks, or fills the run's own copy (which
lives on the host's /dev/shm): the run as a whole is bounded, not each process alone."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from provenfix.verify import _cgroup
from provenfix.verify.sandbox import isolation_level, run_pytest

from .conftest import write_tree

pytestmark = pytest.mark.skipif(_cgroup.parent_for("memory") is None, reason="no memory cgroup can be made here")

FORKS = '''
import os, time

def test_four_forks_of_200_mb_each_fit_in_the_run():
    children = []
    for _ in range(4):
        pid = os.fork()
        if pid == 0:
            block = b"x" * (200 * 1024 * 1024)  # touched, not just reserved
            time.sleep(3)
            os._exit(0 if block else 1)
        children.append(pid)
    statuses = [os.waitpid(pid, 0)[1] for pid in children]
    assert statuses == [0, 0, 0, 0], statuses
'''

FILL = '''
def test_the_copy_takes_600_mb_of_the_hosts_memory():
    for n in range(3):
        with open(f"fill-{n}.bin", "wb") as f:
            for _ in range(200):
                f.write(b"x" * (1024 * 1024))
'''


def test_the_memory_limit_holds_for_the_run_not_each_process(tmp_path: Path) -> None:
    assert "cgroup memory limit" in isolation_level(sys.executable)
    project = write_tree(tmp_path / "proj", {"tests/test_forks.py": FORKS})
    # Each child stays well under the per-process address-space limit; together they do not fit.
    run = run_pytest(project, ["tests/test_forks.py"], python=sys.executable, memory_mb=512, timeout_s=60)
    assert run.outcome != "passed", run.output_tail
    roomy = run_pytest(project, ["tests/test_forks.py"], python=sys.executable, memory_mb=2048, timeout_s=60)
    assert roomy.outcome == "passed", roomy.output_tail  # the same test fits a run that has the room


def test_files_written_into_the_copy_count_against_the_run(tmp_path: Path) -> None:
    project = write_tree(tmp_path / "proj", {"tests/test_fill.py": FILL})
    run = run_pytest(project, ["tests/test_fill.py"], python=sys.executable, memory_mb=384, timeout_s=60)
    assert run.outcome != "passed", run.output_tail
