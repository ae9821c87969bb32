"""A tiny user store: register and authenticate."""

from accounts.passwords import check_password, hash_password


class UserStore:
    def __init__(self):
        self.users = {}

    def register(self, username: str, password: str) -> None:
        if username in self.users:
            raise ValueError("username taken")
        if len(password) < 8:
            raise ValueError("password too short")
        self.users[username] = hash_password(password)

    def authenticate(self, username: str, password: str) -> bool:
        stored = self.users.get(username)
        return stored is not None and check_password(password, stored)
