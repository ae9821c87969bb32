"""How wizard state is packed into a resume token."""

import pickle


def encode(state: dict) -> bytes:
    return pickle.dumps(state)


def decode(blob: bytes) -> dict:
    return pickle.loads(blob)
