"""Plug-ins for verifying imported accounts; which one runs is configuration."""

import hashlib
import hmac


class BasePasswordHasher:
    algorithm = ""

    def verify(self, password, encoded):
        return hmac.compare_digest(self.encode(password), encoded)


class UnsaltedSHA1PasswordHasher(BasePasswordHasher):
    """Accounts imported from the old forum; upgraded to scrypt at their next sign-in."""

    algorithm = "unsalted_sha1"

    def encode(self, password):
        return "sha1$$" + hashlib.sha1(password.encode()).hexdigest()
