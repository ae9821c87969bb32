"""Device settings are backed up as pickles and restored from an upload.

Only plain values may come back: the unpickler refuses every global but a few builtins.
"""

import io
import pickle

SAFE_BUILTINS = {"dict", "list", "tuple", "set", "str", "int", "float", "bool"}


class SettingsUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if module == "builtins" and name in SAFE_BUILTINS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"global {module}.{name} is forbidden")


def backup(settings: dict) -> bytes:
    return pickle.dumps(settings)


def restore(upload: bytes) -> dict:
    """The settings an uploaded backup holds."""
    return SettingsUnpickler(io.BytesIO(upload)).load()
