"""Invitation tokens for joining a team."""

import hmac
import secrets


def new_invite_token() -> str:
    """A fresh URL-safe invitation token."""
    return secrets.token_urlsafe(32)


def invite_link(team: str, base_url: str = "https://example.com/join") -> tuple[str, str]:
    """Return ``(token, link)`` for an invitation into ``team``."""
    token = new_invite_token()
    return token, f"{base_url}/{team}/{token}"


def token_matches(expected: str, presented: str) -> bool:
    """Constant-time comparison of two tokens."""
    return hmac.compare_digest(expected, presented)
