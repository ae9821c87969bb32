"""Files the deploy tool writes: hook scripts, keys, reports."""

import json
import os
import stat
from pathlib import Path


def write_hook(folder, body):
    """A git hook must be executable by whoever runs git."""
    script = os.path.join(folder, "post-receive.sh")
    with open(script, "w") as fh:
        fh.write("#!/bin/sh\n" + body + "\n")
    os.chmod(script, 0o755)
    return script


def write_key_pair(folder, private_pem, public_line):
    private = Path(folder) / "deploy_key"
    fd = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(private_pem)
    os.chmod(private, stat.S_IRUSR | stat.S_IWUSR)
    public = Path(folder) / "deploy_key.pub"
    with open(public, "w") as fh:
        fh.write(public_line)
    public.chmod(0o644)
    return private, public


def write_report(folder, rows):
    path = os.path.join(folder, "report.json")
    with open(path, "w") as fh:
        json.dump(rows, fh)
    os.chmod(path, 0o644)
    return path


def write_cache_key(folder, digest):
    """The cache key of the last build: a hash of its inputs, not a secret."""
    with open(os.path.join(folder, "cache_key.txt"), "w") as fh:
        fh.write(digest)


def write_vocab(folder, token_counts):
    with open(os.path.join(folder, "token_counts.json"), "w") as fh:
        json.dump(token_counts, fh)


def private_workspace(folder):
    previous = os.umask(0o077)
    try:
        os.makedirs(os.path.join(folder, "work"), exist_ok=True)
    finally:
        os.umask(previous)
