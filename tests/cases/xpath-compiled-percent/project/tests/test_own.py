from library.catalog import titles_by


def test_titles_of_an_author():
    assert titles_by("Le Guin") == ["The Dispossessed", "The Lathe of Heaven"]
    assert titles_by("Lem") == ["Solaris"]


def test_unknown_author():
    assert titles_by("Nobody") == []
