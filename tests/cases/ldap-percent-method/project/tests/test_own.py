from people.lookup import Lookup


def test_by_mail():
    assert Lookup().by_mail("bob@example.org") == ["bob"]
    assert Lookup().by_mail("nobody@example.org") == []
