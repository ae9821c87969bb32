from tabular.records import parse_line, parse_records


def test_fields_are_split_and_stripped():
    assert parse_line("alice; alice@example.org ;admin\n") == ["alice", "alice@example.org", "admin"]
    assert parse_line("bob,bob@example.org", delimiter=",") == ["bob", "bob@example.org"]


def test_records_by_column():
    text = "alice;a@example.org\n\nbob;b@example.org\n"
    assert parse_records(text, ["name", "email"]) == [
        {"name": "alice", "email": "a@example.org"},
        {"name": "bob", "email": "b@example.org"},
    ]
