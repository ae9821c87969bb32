from accounts.auth import authenticate


def test_right_and_wrong_passwords():
    assert authenticate("alice", "wonderland")
    assert not authenticate("alice", "canwefixit")
