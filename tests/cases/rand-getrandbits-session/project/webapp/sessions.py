"""Server-side session storage keyed by an opaque session id cookie."""

import random
import time


class SessionStore:
    """In-memory session store; one instance per worker process."""

    def __init__(self, ttl_seconds: int = 3600) -> None:
        self.ttl_seconds = ttl_seconds
        self._sessions: dict[str, tuple[float, dict]] = {}

    def new_session_id(self) -> str:
        """Return a new 128-bit session id as 32 hex digits."""
        return "%032x" % random.getrandbits(128)

    def create(self, data: dict) -> str:
        """Store ``data`` under a new session id and return the id."""
        session_id = self.new_session_id()
        self._sessions[session_id] = (time.monotonic() + self.ttl_seconds, dict(data))
        return session_id

    def get(self, session_id: str) -> dict | None:
        """Return the session data, or None when unknown or expired."""
        entry = self._sessions.get(session_id)
        if entry is None:
            return None
        expires, data = entry
        if time.monotonic() > expires:
            del self._sessions[session_id]
            return None
        return data
