"""Profiles exported by the desktop client are uploaded and imported here."""

import pickle


def import_profile(stream) -> dict:
    """Read one exported profile from the uploaded file object."""
    profile = pickle.load(stream)
    if not isinstance(profile, dict):
        raise ValueError("not a profile")
    return profile
