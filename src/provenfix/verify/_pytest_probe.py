"""pytest plugin loaded into every sandboxed run (as ``-p _provenfix_probe``).

It runs under the *project's* interpreter and pytest, so it only uses the standard
library and long-stable pytest hooks. It records, per test node id, a final outcome
and the type of the exception that failed it, as JSON lines appended to the file
named by PROVENFIX_PROBE_OUT (appending line by line keeps what was measured even if
the run is killed half-way). It also enforces the per-test time limit
(PROVENFIX_TEST_TIMEOUT seconds) since pytest-timeout may not be installed, and leaves
a marker file (PROVENFIX_PROBE_LIMIT) when a fork is refused for lack of processes,
so the sandbox can stop a fork bomb at once instead of waiting for the time limit.
"""

import errno
import json
import os
import signal
import sys

import pytest

_OUT = os.environ.get("PROVENFIX_PROBE_OUT", "")
_LIMIT_MARKER = os.environ.get("PROVENFIX_PROBE_LIMIT", "")
_TIMEOUT = float(os.environ.get("PROVENFIX_TEST_TIMEOUT", "0") or 0)
_GRACE_S = 1.0  # how long a test that swallowed the timeout gets before the run stops
HARD_TIMEOUT_EXIT = 70

_main_pid = os.getpid()
_tests = {}  # node id -> record being built across setup/call/teardown
_current = {"nodeid": None, "fired": 0}


class PerTestTimeout(BaseException):
    """Raised inside a test that ran past the per-test limit.

    A BaseException so that ``except Exception`` in the code under test cannot
    swallow it; pytest still reports it as the test's failure.
    """


def _emit(record):
    # Forked children of a test run pytest's machinery too; only the real session reports.
    if not _OUT or os.getpid() != _main_pid:
        return
    data = (json.dumps(record) + "\n").encode()
    fd = os.open(_OUT, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def _mark_limit():
    if not _LIMIT_MARKER:
        return
    try:
        fd = os.open(_LIMIT_MARKER, os.O_WRONLY | os.O_CREAT, 0o600)
        os.close(fd)
    except OSError:
        pass


def _watch_forks(fn):
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except OSError as exc:
            if exc.errno == errno.EAGAIN:
                _mark_limit()
            raise

    wrapper.__wrapped__ = fn
    return wrapper


def _install_fork_watch():
    for name in ("fork", "forkpty", "posix_spawn", "posix_spawnp"):
        if hasattr(os, name):
            setattr(os, name, _watch_forks(getattr(os, name)))
    try:
        import _posixsubprocess
        import subprocess
    except ImportError:
        return
    _posixsubprocess.fork_exec = _watch_forks(_posixsubprocess.fork_exec)
    if hasattr(subprocess, "_fork_exec"):
        subprocess._fork_exec = _posixsubprocess.fork_exec


def _on_alarm(signum, frame):
    _current["fired"] += 1
    if _current["fired"] == 1:
        signal.setitimer(signal.ITIMER_REAL, _GRACE_S)
        raise PerTestTimeout("test exceeded the per-test timeout of %gs" % _TIMEOUT)
    # The test swallowed the first timeout and is still running: record it and stop.
    nodeid = _current["nodeid"]
    if nodeid is not None:
        record = _tests.pop(nodeid, _new_record(nodeid))
        record.update(outcome="failed", exc="PerTestTimeout", timeout=True)
        _emit(record)
    _emit({"hard_timeout": nodeid})
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
    message = "\n[provenfix sandbox] %s ignored the per-test timeout of %gs; run stopped\n" % (nodeid, _TIMEOUT)
    os.write(2, message.encode("utf-8", "replace"))
    os._exit(HARD_TIMEOUT_EXIT)


def _new_record(nodeid):
    return {"test": nodeid, "outcome": None, "exc": None, "assertion": False, "resource": False, "timeout": False}


def _arm():
    _current["fired"] = 0
    if _TIMEOUT > 0:
        signal.setitimer(signal.ITIMER_REAL, _TIMEOUT)


def _disarm():
    if _TIMEOUT > 0:
        signal.setitimer(signal.ITIMER_REAL, 0)


def pytest_configure(config):
    if _TIMEOUT > 0:
        signal.signal(signal.SIGALRM, _on_alarm)
    _install_fork_watch()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _current["nodeid"] = item.nodeid
    yield
    _current["nodeid"] = None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    _arm()
    yield
    _disarm()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    _arm()
    yield
    _disarm()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    _arm()
    yield
    _disarm()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if call.excinfo is None or not report.failed:
        return
    record = _tests.setdefault(item.nodeid, _new_record(item.nodeid))
    exc = call.excinfo.value
    if record["exc"] is None:
        record["exc"] = type(exc).__name__
        record["assertion"] = call.when == "call" and isinstance(exc, (AssertionError, pytest.fail.Exception))
    record["resource"] = record["resource"] or isinstance(exc, MemoryError)
    record["timeout"] = record["timeout"] or isinstance(exc, PerTestTimeout)


def pytest_runtest_logreport(report):
    record = _tests.setdefault(report.nodeid, _new_record(report.nodeid))
    if report.when == "call":
        if record["outcome"] != "error":
            record["outcome"] = report.outcome
    elif report.failed:
        record["outcome"] = "error"
        record["assertion"] = False
    elif report.skipped and record["outcome"] is None:
        record["outcome"] = "skipped"


def pytest_runtest_logfinish(nodeid, location):
    record = _tests.pop(nodeid, None)
    if record is not None:
        _emit(record)


def pytest_collectreport(report):
    if report.failed:
        lines = str(report.longrepr).strip().splitlines()
        _emit({"collect_error": report.nodeid or ".", "detail": lines[-1][:300] if lines else ""})


def pytest_internalerror(excrepr, excinfo):
    _emit({"internal_error": excinfo.typename})


def pytest_sessionfinish(session, exitstatus):
    _emit({"session_end": int(exitstatus)})
