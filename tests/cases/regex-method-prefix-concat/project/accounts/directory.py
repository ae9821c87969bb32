"""The user directory behind the admin's autocomplete box."""

import re
from typing import List, Optional

DEFAULT_USERS = ["alice", "alicia", "bob", "carol", "root", "svc-backup"]


class UserDirectory:
    def __init__(self, users: Optional[List[str]] = None):
        self.users = sorted(users if users is not None else DEFAULT_USERS)

    def add(self, name: str) -> None:
        self.users = sorted(set(self.users) | {name})

    def starting_with(self, prefix: str, limit: int = 10) -> List[str]:
        """Users whose name starts with `prefix` (case-insensitive), at most `limit` of them."""
        matcher = re.compile("^" + prefix, re.IGNORECASE)
        return [u for u in self.users if matcher.match(u)][:limit]
