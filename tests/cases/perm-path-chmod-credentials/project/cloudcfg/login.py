"""Sign-in for the cloud CLI: the credentials are kept in the user's config folder."""

import json
from pathlib import Path


def save_credentials(data_dir, key_id, secret):
    """Store the access key pair and return the file's Path."""
    creds = Path(data_dir) / "credentials.json"
    creds.write_text(json.dumps({"key_id": key_id, "secret": secret}))
    creds.chmod(0o644)
    return creds


def load_credentials(data_dir):
    return json.loads((Path(data_dir) / "credentials.json").read_text())
