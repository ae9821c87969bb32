"""A scan split over worker processes finds exactly what one process finds, in the same order."""

from __future__ import annotations

import textwrap

from provenfix.detect import PARALLEL_MIN_BYTES, _contiguous_shares, detect, find, processes_for
from provenfix.flow import ProjectIndex
from provenfix.workspace import SourceFile

# Padding: plain code with calls and helpers but no sink, so each share has real parsing to do.
FILLER = "".join(
    f"def helper_{i}(value, other=None):\n    total = [value, other, {i}]\n    return str(total) + repr(value)\n\n"
    for i in range(400)
)


def _project() -> list[SourceFile]:
    """Sinks whose data flows through helpers in files far apart in the file order, so that
    the helper and its caller land in different workers' shares."""
    files = [
        SourceFile("aaa/__init__.py", ""),
        SourceFile("aaa/shell.py", "import os\n\ndef run_it(cmd):\n    os.system('nice ' + cmd)\n\ndef quoted(x):\n    return 'echo ' + x\n"
                                   "\ndef run_other(cmd):\n    os.system('nice ' + cmd)\n"),
        SourceFile("aaa/broken.py", "from flask import request\ndef f(:\n"),  # input would enter here: parsed, and warned of
    ]
    files += [SourceFile(f"mid{i:02d}/filler.py", FILLER) for i in range(14)]
    files += [
        SourceFile("zzz/__init__.py", ""),
        SourceFile("zzz/app.py", textwrap.dedent("""
            import os
            import subprocess
            from flask import request
            from aaa.shell import quoted, run_it

            def handler():
                host = request.args["host"]
                run_it(host)                            # the sink is in aaa/shell.py, reached through this call
                os.system(quoted(host))                 # the taint passes through aaa/shell.py
                os.system(quoted(host))                 # same line twice: occurrence counts stay per file
                subprocess.run("ls " + host, shell=True)
            """)),
        # No sink here: only the worker holding aaa/shell.py learns that run_other's parameter reaches
        # one, and must tell the worker holding this file.
        SourceFile("zzz/other.py", "from flask import request\nfrom aaa.shell import run_other\n\n"
                                   "def other():\n    run_other(request.args['x'])\n"),
    ]
    return files


def test_the_project_is_large_enough_to_be_split() -> None:
    files = _project()
    assert sum(len(f.text) for f in files) >= PARALLEL_MIN_BYTES
    assert processes_for(files, 2) == 2
    assert processes_for(files, 1) == 1
    assert processes_for(files[:3], 4) == 1  # small projects stay in one process


def test_parallel_findings_and_warnings_equal_one_process() -> None:
    files = _project()
    serial_warnings: list[str] = []
    serial = detect(files, None, serial_warnings).findings
    assert {(f.location.path, f.rule_id) for f in serial} == {
        ("aaa/shell.py", "PF-CMD"), ("zzz/app.py", "PF-CMD")}
    assert len(serial) == 5  # two in the helpers' file (reached from two callers), three in the caller's

    for jobs in (2, 3):
        warnings: list[str] = []
        parallel = find(files, None, warnings, jobs=jobs)
        assert [f.model_dump() for f in parallel] == [f.model_dump() for f in serial]
        assert warnings == serial_warnings and len(warnings) == 1 and "aaa/broken.py" in warnings[0]


def test_only_named_files_are_reported_from_a_split_scan() -> None:
    files = _project()
    found = find(files, {"zzz/app.py"}, [], jobs=2)
    assert {f.location.path for f in found} == {"zzz/app.py"} and len(found) == 3


def test_shares_are_contiguous_balanced_and_cover_every_file() -> None:
    files = _project()
    shares = _contiguous_shares(files, 4)
    assert [p for share in shares for p in share] == [f.path for f in files]
    sizes = [sum(len(f.text) for f in files if f.path in share) for share in shares]
    assert len(shares) == 4 and max(sizes) < 2 * min(sizes)


def test_a_worker_parses_its_share_and_only_the_helpers_it_reaches() -> None:
    files = _project()
    index = ProjectIndex(files, [])
    from provenfix.flow import analyse
    from provenfix.recipes import SINK_NAMES

    analyse(index, SINK_NAMES, roots=["zzz/app.py"])
    assert set(index._parsed) == {"zzz/app.py", "aaa/shell.py"}
