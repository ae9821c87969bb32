from accounts.auth import authenticate


def test_right_password():
    assert authenticate("alice", "wonderland") == "admin"
    assert authenticate("bob", "builder") == "staff"


def test_wrong_password():
    assert authenticate("alice", "builder") is None
