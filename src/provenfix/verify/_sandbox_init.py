"""First program inside the sandbox: apply limits, drop privileges, run the command.

Run as ``python -I -S _sandbox_init.py CONFIG_JSON -- ARGV...`` by sandbox.py, never
imported. It sticks to the standard library and plain syntax. Doing this here rather
than in a ``preexec_fn`` keeps the parent free of fork-unsafe code (it may be running
verifications in threads).

CONFIG_JSON keys:
  uid        drop to this uid/gid (or null: stay as we are), with an empty bounding set
             and no_new_privs: nothing the run executes can gain a capability back
  rlimits    {"RLIMIT_AS": [soft, hard], ...}
  nproc      RLIMIT_NPROC, set after the drop so that it counts the sandbox's own user
  cgroups    cgroup directories to join first (null or []: none)
  fs         build the run's view of the host in our (fresh, see sandbox.py) mount namespace
             (see _view.py): {"writable": [paths], "readable": [paths], "private": [dirs],
             "hidden": [dirs], "tmp_bytes": n}: everything is remounted read-only, each
             private dir (/tmp, /dev/shm) gets an empty tmpfs of n bytes, each hidden dir an
             empty read-only one (/home, /root, /run, /var, /etc, /dev, ...), and the listed
             paths are bound back at the same place (``readable`` ones read-only)
  drop_caps  keep no capability at all (for a run that stays uid 0, inside or outside a
             user namespace, so that it cannot undo ``fs``)
  kill_all   only kill every process of ``uid`` and exit (the clean-up mode)
"""

import json
import os
import resource
import signal
import sys

_PR_CAP_AMBIENT = 47
_LINUX_CAPABILITY_VERSION_3 = 0x20080522
_PR_SET_NO_NEW_PRIVS = 38
_PR_CAPBSET_DROP = 24
_PR_CAP_AMBIENT_CLEAR_ALL = 4

_MS_RDONLY = 1
_MS_NOSUID = 2
_MS_NODEV = 4
_MS_REMOUNT = 32
_MS_BIND = 4096
_MS_REC = 16384
_MS_PRIVATE = 1 << 18
_MOUNT_ATTR_RDONLY = 1
_AT_FDCWD = -100
_AT_RECURSIVE = 0x8000
_SYS_MOUNT_SETATTR = 442  # the same number on every architecture (Linux >= 5.12)


def _drop(uid):
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    _drop_bounding_set(libc)
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)  # clears the permitted, effective and ambient sets
    # No setuid-root or file-capability binary may give the sandbox its privileges back.
    _checked(libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")


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


def _drop_bounding_set(libc):
    with open("/proc/sys/kernel/cap_last_cap") as f:
        last = int(f.read())
    for cap in range(last + 1):
        _checked(libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0), "drop capability %d" % cap)


def _drop_capabilities():
    """Lose every capability for good: the bounding set too, so exec as uid 0 gains none back."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    _drop_bounding_set(libc)
    libc.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    _capset_nothing(libc)
    _checked(libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")


def _ancestors(path):
    parts = path.strip("/").split("/")[:-1]
    return ["/" + "/".join(parts[: i + 1]) for i in range(len(parts))]


def _lock_filesystem(fs):
    """Host read-only and mostly hidden, private /tmp and /dev/shm, the listed paths bound back (see CONFIG_JSON)."""
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
            exposed.append((path, writable, fd, os.path.isdir(path)))
    # Every mount read-only, recursively, with no propagation to or from the host.
    mount_setattr("/", MountAttr(attr_set=_MOUNT_ATTR_RDONLY, propagation=_MS_PRIVATE))
    hidden = [p for p in fs.get("hidden", []) if os.path.isdir(p) and not os.path.islink(p)]
    for path in fs.get("hidden", []):
        if os.path.isfile(path) and not os.path.islink(path):  # a file at / shows as empty
            _checked(libc.mount(b"/dev/null", path.encode(), None, _MS_BIND, None), "hide " + path)
    for path in hidden:
        _checked(libc.mount(b"tmpfs", path.encode(), b"tmpfs", _MS_NOSUID | _MS_NODEV, b"mode=755,size=1m"),
                 "hide " + path)
    data = ("mode=1777,size=%d" % fs["tmp_bytes"]).encode()
    for path in fs["private"]:
        if not os.path.isdir(path):  # e.g. /dev/shm, once /dev is hidden
            os.makedirs(path)
        _checked(libc.mount(b"tmpfs", path.encode(), b"tmpfs", _MS_NOSUID | _MS_NODEV, data), "tmpfs " + path)
    for path, writable, fd, is_dir in exposed:
        for parent in _ancestors(path):
            if not os.path.isdir(parent):  # under a hidden or private tmpfs: traversable, nothing more
                os.mkdir(parent)
                os.chmod(parent, 0o755)
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
    for path in hidden:  # the tmpfs itself read-only; what is bound under it keeps its own mode
        _checked(libc.mount(None, path.encode(), None, _MS_REMOUNT | _MS_BIND | _MS_RDONLY, None), "lock " + path)
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
        _drop(config["uid"])
    elif config.get("drop_caps"):
        _drop_capabilities()
    if config.get("nproc"):
        _lower_limit(resource.RLIMIT_NPROC, config["nproc"], config["nproc"])
    os.execv(argv[0], argv)


def _run(config, argv):
    for cgroup in config.get("cgroups") or ():
        with open(os.path.join(cgroup, "cgroup.procs"), "w") as f:
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
