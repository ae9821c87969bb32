"""The folders a static-site build uses."""

import os
import shutil
import tempfile
from pathlib import Path


def public_dir(out_dir):
    """What the web server serves: everyone must read it."""
    static = os.path.join(out_dir, "public", "static")
    os.makedirs(static, mode=0o755, exist_ok=True)
    return static


def cache_dir(out_dir):
    cache = os.path.join(out_dir, ".cache")
    os.makedirs(cache, mode=0o777, exist_ok=True)  # the default, spelled out: the umask decides
    return cache


def spool_dir(out_dir):
    """Drop-box for render jobs of every user of the build host, like /tmp."""
    spool = Path(out_dir) / "spool"
    spool.mkdir(mode=0o1777, exist_ok=True)
    return spool


def deploy_keys_dir(out_dir):
    """Read by the deploy group's agent: group access is the point."""
    keys = os.path.join(out_dir, "deploy", "keys")
    os.makedirs(keys, 0o750, exist_ok=True)
    return keys


def secrets_dir(out_dir):
    secrets = Path(out_dir, "secrets")
    secrets.mkdir(mode=0o700, exist_ok=True)
    return secrets


def public_keys_dir(out_dir):
    """Keys visitors verify downloads with."""
    folder = Path(out_dir) / "public" / "keys"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sign_in_scratch(payload):
    """Sign with a throw-away key in a private scratch folder (mkdtemp makes it 0o700)."""
    scratch = tempfile.mkdtemp(prefix="sign-")
    try:
        keys = os.path.join(scratch, "keys")
        os.mkdir(keys)
        with open(os.path.join(keys, "payload"), "w") as fh:
            fh.write(payload)
        return len(os.listdir(keys))
    finally:
        shutil.rmtree(scratch)


def mirror_objects(out_dir, objects):
    """Lay out an object store's listing ({key: body}) as folders."""
    for key, body in objects.items():
        folder = os.path.join(out_dir, "mirror", os.path.dirname(key))
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(out_dir, "mirror", key), "w") as fh:
            fh.write(body)
    return sorted(objects)
