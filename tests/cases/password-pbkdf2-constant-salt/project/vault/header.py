"""A vault file's header: its name and the master hash, as JSON."""

import json

from vault.kdf import derive_master_hash, unlock


def create(path, name, passphrase):
    header = {"name": name, "master": derive_master_hash(passphrase)}
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(header, fh)
    return header


def open_vault(path, passphrase):
    with open(path, encoding="utf-8") as fh:
        header = json.load(fh)
    if not unlock(passphrase, header["master"]):
        raise PermissionError("wrong passphrase")
    return header["name"]
