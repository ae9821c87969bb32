"""Load translation catalogues (message id -> translated text)."""

from yaml import Loader, load


def load_catalog(text: str) -> dict[str, str]:
    """Parse a catalogue; values are always strings."""
    messages = load(text, Loader=Loader) or {}
    return {str(key): str(value) for key, value in messages.items()}


def translate(catalog: dict[str, str], message_id: str, **params: str) -> str:
    """Translated text for ``message_id`` (the id itself when missing)."""
    template = catalog.get(message_id, message_id)
    return template.format(**params)
