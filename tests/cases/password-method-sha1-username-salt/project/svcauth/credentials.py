"""Service-account credentials, persisted as a JSON file of base64 digests."""

import base64
import hashlib
import hmac
import json
from pathlib import Path


class CredentialStore:
    def __init__(self, path=None):
        self.path = Path(path) if path else None
        self._records = {}
        if self.path is not None and self.path.exists():
            self._records = json.loads(self.path.read_text())

    def digest_for(self, account: str, password: str) -> bytes:
        # The account name makes digests of one password differ between accounts.
        return hashlib.sha1(f"{account}:{password}".encode("utf-8")).digest()

    def set_password(self, account: str, password: str) -> None:
        self._records[account] = base64.b64encode(self.digest_for(account, password)).decode("ascii")
        self._save()

    def verify(self, account: str, password: str) -> bool:
        stored = self._records.get(account)
        if stored is None:
            return False
        return hmac.compare_digest(self.digest_for(account, password), base64.b64decode(stored))

    def record(self, account: str) -> str:
        return self._records[account]

    def _save(self) -> None:
        if self.path is not None:
            self.path.write_text(json.dumps(self._records, indent=2, sort_keys=True))
