"""Navigation helpers shared by the views."""

from flask import request


def back_url(default="/"):
    """Where the user came from: the `back` parameter, else `default`."""
    return request.values.get("back") or default
