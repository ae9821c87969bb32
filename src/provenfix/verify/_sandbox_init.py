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
  fs         make the host read-only in our (fresh, see sandbox.py) mount namespace:
             {"writable": [paths], "readable": [paths], "private": [dirs], "tmp_bytes": n}:
             everything is remounted read-only, each private dir (/tmp, /dev/shm) gets an
             empty tmpfs of n bytes, and the listed paths are bound back at the same place
             (``readable`` ones stay read-only: what the run needs from the private dirs)
  drop_caps  keep no capability at all (for a run that stays uid 0, inside or outside a
             user namespace, so that it cannot undo ``fs``)
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
_PR_CAPBSET_DROP = 24
_PR_CAP_AMBIENT_CLEAR_ALL = 4

_MS_NOSUID = 2
_MS_NODEV = 4
_MS_BIND = 4096
_MS_REC = 16384
_MS_PRIVATE = 1 << 18
_MOUNT_ATTR_RDONLY = 1
_AT_FDCWD = -100
_AT_RECURSIVE = 0x8000
_SYS_MOUNT_SETATTR = 442  # the same number on every architecture (Linux >= 5.12)


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


def _checked(result, what):
    import ctypes

    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, "%s: %s" % (what, os.strerror(errno)))


def _capset_nothing(libc):
    import ctypes

    header = (ctypes.c_uint32 * 2)(_LINUX_CAPABILITY_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()
    _checked(libc.capset(header, data), "capset")


def _drop_capabilities():
    """Lose every capability for good: the bounding set too, so exec as uid 0 gains none back."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    with open("/proc/sys/kernel/cap_last_cap") as f:
        last = int(f.read())
    for cap in range(last + 1):
        _checked(libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0), "drop capability %d" % cap)
    libc.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    _capset_nothing(libc)
    _checked(libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")


def _ancestors(path):
    parts = path.strip("/").split("/")[:-1]
    return ["/" + "/".join(parts[: i + 1]) for i in range(len(parts))]


def _lock_filesystem(fs):
    """Host read-only, private /tmp and /dev/shm, the listed paths bound back (see CONFIG_JSON)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)

    class MountAttr(ctypes.Structure):
        _fields_ = [(name, ctypes.c_uint64) for name in ("attr_set", "attr_clr", "propagation", "userns_fd")]

    def mount_setattr(path, attr):
        long = ctypes.c_long
        result = libc.syscall(
            long(_SYS_MOUNT_SETATTR), long(_AT_FDCWD), ctypes.c_char_p(path.encode()), long(_AT_RECURSIVE),
            ctypes.byref(attr), ctypes.c_size_t(ctypes.sizeof(attr)),
        )
        _checked(result, "mount_setattr %s" % path)

    cwd = os.getcwd()
    # Hold on to what must stay reachable before anything is hidden or made read-only.
    exposed = []
    for writable, key in ((False, "readable"), (True, "writable")):
        for path in fs.get(key, []):
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            parents = [(p, os.stat(p).st_mode & 0o7777) for p in _ancestors(path)]
            exposed.append((path, writable, fd, os.path.isdir(path), parents))
    # Every mount read-only, recursively, with no propagation to or from the host.
    mount_setattr("/", MountAttr(attr_set=_MOUNT_ATTR_RDONLY, propagation=_MS_PRIVATE))
    data = ("mode=1777,size=%d" % fs["tmp_bytes"]).encode()
    for path in fs["private"]:
        if os.path.isdir(path):
            _checked(libc.mount(b"tmpfs", path.encode(), b"tmpfs", _MS_NOSUID | _MS_NODEV, data), "tmpfs " + path)
    for path, writable, fd, is_dir, parents in exposed:
        for parent, mode in parents:
            if not os.path.isdir(parent):  # under a private tmpfs: mirror the host's directory
                os.mkdir(parent)
                os.chmod(parent, mode)
        if not os.path.lexists(path):
            if is_dir:
                os.mkdir(path)
            else:
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        source = ("/proc/self/fd/%d" % fd).encode()
        _checked(libc.mount(source, path.encode(), None, _MS_BIND | _MS_REC, None), "bind " + path)
        if writable:
            mount_setattr(path, MountAttr(attr_clr=_MOUNT_ATTR_RDONLY))
        os.close(fd)
    os.chdir(cwd)  # through the new mounts: the old cwd is on the now read-only one


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
    elif config.get("drop_caps"):
        _drop_capabilities()
    if config.get("nproc"):
        _lower_limit(resource.RLIMIT_NPROC, config["nproc"], config["nproc"])
    os.execv(argv[0], argv)


def _run(config, argv):
    if config.get("cgroup"):
        with open(os.path.join(config["cgroup"], "cgroup.procs"), "w") as f:
            f.write("0")
    if config.get("fs"):
        _lock_filesystem(config["fs"])
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
