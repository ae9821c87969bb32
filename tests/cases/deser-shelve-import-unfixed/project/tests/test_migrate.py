import shelve

from prefs.migrate import import_preferences


def test_preferences_are_imported(tmp_path):
    path = str(tmp_path / "desktop-prefs")
    with shelve.open(path) as db:
        db["theme"] = "dark"
        db["recent"] = ["a.txt", "b.txt"]
    assert import_preferences(path) == {"theme": "dark", "recent": ["a.txt", "b.txt"]}
