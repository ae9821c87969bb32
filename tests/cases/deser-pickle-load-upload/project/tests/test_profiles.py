import io
import pickle

from profiles.importer import import_profile


def test_an_exported_profile_is_imported():
    exported = io.BytesIO(pickle.dumps({"name": "ada", "theme": "dark"}))
    assert import_profile(exported) == {"name": "ada", "theme": "dark"}
