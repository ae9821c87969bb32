"""Jobs travel over the message queue as pickled dictionaries."""

import io
import pickle


def encode_message(job: dict) -> bytes:
    return pickle.dumps(job)


def decode_message(message: bytes) -> dict:
    """The job a queue message carries."""
    return pickle.Unpickler(io.BytesIO(message)).load()
