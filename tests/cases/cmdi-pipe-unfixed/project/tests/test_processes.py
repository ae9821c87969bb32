import subprocess

from procwatch.processes import find_processes, is_running, pids


def test_pids_parses_second_column():
    lines = [
        "root         1  0.0  0.1 167000 11000 ?        Ss   10:00   0:01 /sbin/init",
        "app       4242  1.5  2.0 500000 90000 ?        Sl   10:01   1:00 python worker.py",
    ]
    assert pids(lines) == [1, 4242]


def test_finds_a_running_worker():
    worker = subprocess.Popen(["sleep", "29.4321"])
    try:
        lines = find_processes("29.4321")
        assert any("sleep 29.4321" in line for line in lines)
        assert len(pids(lines)) == len(lines)
        assert is_running("29.4321")
    finally:
        worker.kill()
        worker.wait()


def test_unknown_name_finds_nothing():
    assert find_processes("no-such-process-zz9") == []
    assert not is_running("no-such-process-zz9")
