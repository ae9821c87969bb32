from authkit.tokens import can_edit, issue_token, user_from_token


def test_round_trip():
    assert user_from_token(issue_token(42, "editor")) == {"user_id": 42, "role": "editor"}


def test_viewer_cannot_edit():
    assert not can_edit(issue_token(7))
    assert can_edit(issue_token(7, "admin"))
