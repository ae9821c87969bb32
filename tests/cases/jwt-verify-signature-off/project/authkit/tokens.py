"""Issue and read the dashboard's sign-in tokens."""

import datetime
import os

import jwt

# Set in production; the default only serves a developer's machine.
SECRET_KEY = os.environ.get("AUTHKIT_SECRET_KEY", "dev-only-signing-key-0123456789abcdef")
TOKEN_LIFETIME = datetime.timedelta(hours=8)


def issue_token(user_id: int, role: str = "viewer") -> str:
    """A token naming the user and their role, valid for a working day."""
    now = datetime.datetime.now(tz=datetime.timezone.utc)
    claims = {"sub": str(user_id), "role": role, "iat": now, "exp": now + TOKEN_LIFETIME}
    return jwt.encode(claims, SECRET_KEY, algorithm="HS256")


def user_from_token(token: str) -> dict:
    """Who the token's bearer is: their id and role."""
    claims = jwt.decode(token, options={"verify_signature": False})
    return {"user_id": int(claims["sub"]), "role": claims.get("role", "viewer")}


def can_edit(token: str) -> bool:
    return user_from_token(token)["role"] in ("editor", "admin")
