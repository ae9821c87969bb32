"""Where the `acmectl` command line keeps the API token of each profile (`acmectl login`)."""

import json
import os
from pathlib import Path


class CredentialStore:
    def __init__(self, config_home=None):
        base = Path(config_home or os.environ.get("ACMECTL_HOME") or ".acmectl")
        self.credentials_dir = base / "credentials"

    def save(self, profile, token):
        """Remember `token` for `profile`; return the file it is kept in."""
        self.credentials_dir.mkdir(mode=0o777, parents=True, exist_ok=True)
        path = self.credentials_dir / (profile + ".json")
        path.write_text(json.dumps({"profile": profile, "token": token}))
        return path

    def load(self, profile):
        path = self.credentials_dir / (profile + ".json")
        if not path.exists():
            return None
        return json.loads(path.read_text())["token"]

    def profiles(self):
        if not self.credentials_dir.is_dir():
            return []
        return sorted(p.stem for p in self.credentials_dir.glob("*.json"))
