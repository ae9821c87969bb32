import os
import pickle

import pytest

from sync.restore import backup, restore


def test_settings_come_back():
    settings = {"theme": "dark", "volume": 7, "devices": ["phone", "laptop"]}
    assert restore(backup(settings)) == settings


def test_a_global_is_refused():
    class Evil:
        def __reduce__(self):
            return (os.getcwd, ())

    with pytest.raises(pickle.UnpicklingError):
        restore(pickle.dumps(Evil()))
