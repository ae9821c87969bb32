"""Access tokens of the API client, cached between runs."""

import json
import os
import time


class TokenCache:
    def __init__(self, data_dir="."):
        self.data_dir = data_dir

    def save(self, access_token, expires_at):
        """Cache the token until `expires_at` (seconds since the epoch); return the file's path."""
        token_path = os.path.join(self.data_dir, "access_token.json")
        fd = os.open(token_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        with os.fdopen(fd, "w") as fh:
            json.dump({"token": access_token, "expires_at": expires_at}, fh)
        return token_path

    def load(self, now=None):
        try:
            with open(os.path.join(self.data_dir, "access_token.json")) as fh:
                cached = json.load(fh)
        except FileNotFoundError:
            return None
        return cached["token"] if cached["expires_at"] > (time.time() if now is None else now) else None
