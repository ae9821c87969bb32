"""First program inside the sandbox: apply limits, drop privileges, run the command.

Run as ``python -I -S _sandbox_init.py CONFIG_JSON -- ARGV...`` by sandbox.py, never
imported. It sticks to the standard library and plain syntax. Doing this here rather
than in a ``preexec_fn`` keeps the parent free of fork-unsafe code (it may be running
verifications in threads).

CONFIG_JSON keys:
  uid        drop to this uid/gid (or null: stay as we are)
  read_all   keep CAP_DAC_READ_SEARCH across the drop, as an ambient capability, so the
             unprivileged uid can still read an interpreter installed under a private
             home (e.g. /root/.pyenv) - reading, never writing
  rlimits    {"RLIMIT_AS": [soft, hard], ...}
  nproc      RLIMIT_NPROC, set after the drop so that it counts the sandbox's own user
  cgroup     a cgroup directory to join first (null: none)
  kill_all   only kill every process of ``uid`` and exit (the clean-up mode)
"""

import json
import os
import resource
import signal
import sys

_CAP_DAC_READ_SEARCH = 2
_PR_SET_KEEPCAPS = 8
_PR_CAP_AMBIENT = 47
_PR_CAP_AMBIENT_RAISE = 2
_LINUX_CAPABILITY_VERSION_3 = 0x20080522
_PR_SET_NO_NEW_PRIVS = 38


def _keep_read_capability(libc):
    """After setuid with KEEPCAPS: make CAP_DAC_READ_SEARCH effective, inheritable, ambient."""
    import ctypes

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

    bit = 1 << _CAP_DAC_READ_SEARCH
    data = (Data * 2)(Data(bit, bit, bit), Data(0, 0, 0))
    if libc.capset(ctypes.byref(Header(_LINUX_CAPABILITY_VERSION_3, 0)), data) != 0:
        raise OSError(ctypes.get_errno(), "capset failed")
    if libc.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_RAISE, _CAP_DAC_READ_SEARCH, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "cannot raise ambient capability")


def _drop(uid, read_all=False):
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if read_all:
        libc.prctl(_PR_SET_KEEPCAPS, 1, 0, 0, 0)
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    if read_all:
        _keep_read_capability(libc)
    # No setuid-root or file-capability binary may give the sandbox its privileges back.
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "cannot set no_new_privs")


def _lower_limit(which, soft, hard):
    """Set a limit, never above one already in force (raising a hard limit is not allowed)."""
    _, current_hard = resource.getrlimit(which)
    if current_hard != resource.RLIM_INFINITY:
        hard = min(hard, current_hard)
        soft = min(soft, hard)
    resource.setrlimit(which, (soft, hard))


def _exit_like(status):
    # Encode "killed by signal N" as 128+N, the shell convention, since pid 1 of a
    # namespace cannot re-raise the signal on itself.
    if os.WIFSIGNALED(status):
        os._exit(128 + os.WTERMSIG(status))
    os._exit(os.WEXITSTATUS(status))


def _become_sandboxed(config, argv):
    if config.get("uid") is not None:
        _drop(config["uid"], config.get("read_all", False))
    if config.get("nproc"):
        _lower_limit(resource.RLIMIT_NPROC, config["nproc"], config["nproc"])
    os.execv(argv[0], argv)


def _run(config, argv):
    if config.get("cgroup"):
        with open(os.path.join(config["cgroup"], "cgroup.procs"), "w") as f:
            f.write("0")
    for name, (soft, hard) in config.get("rlimits", {}).items():
        _lower_limit(getattr(resource, name), soft, hard)
    if os.getpid() != 1:
        _become_sandboxed(config, argv)
        return
    # As pid 1 of a fresh pid namespace we stay as a minimal init: reap orphans so
    # they do not pile up as zombies, and give the command normal signal semantics
    # (pid 1 ignores signals it has no handler for). When we exit, the kernel kills
    # everything left in the namespace.
    child = os.fork()
    if child == 0:
        try:
            _become_sandboxed(config, argv)
        except BaseException as exc:  # say why, since exec never happened
            sys.stderr.write("provenfix sandbox: cannot start %r: %s\n" % (argv[0], exc))
        os._exit(127)
    while True:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            os._exit(1)
        except InterruptedError:
            continue
        if pid == child:
            _exit_like(status)


def main():
    config = json.loads(sys.argv[1])
    if config.get("kill_all"):
        _drop(config["uid"])
        try:
            os.kill(-1, signal.SIGKILL)  # every process this uid may signal: exactly the sandbox's
        except ProcessLookupError:
            pass
        os._exit(0)
    sep = sys.argv.index("--")
    _run(config, sys.argv[sep + 1 :])


if __name__ == "__main__":
    main()
