"""Session data round-trips through the browser as one cookie value."""

import base64
import pickle


def dump_session(data: dict) -> str:
    """The cookie value that stores ``data``."""
    return base64.b64encode(pickle.dumps(data)).decode("ascii")


def load_session(cookie: str) -> dict:
    """Read back the session from the cookie value the browser sent."""
    return pickle.loads(base64.b64decode(cookie))
