from accounts.directory import UserDirectory


def test_prefix_completion():
    directory = UserDirectory()
    assert directory.starting_with("ali") == ["alice", "alicia"]
    assert directory.starting_with("B") == ["bob"]
    assert directory.starting_with("zed") == []


def test_limit_and_added_users():
    directory = UserDirectory(["ann", "anna"])
    directory.add("annabel")
    assert directory.starting_with("ann", limit=2) == ["ann", "anna"]
