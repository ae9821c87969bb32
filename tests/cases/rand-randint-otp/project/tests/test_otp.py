from mfa.otp import generate_otp, issue_otp, verify_otp


def test_code_is_six_digits():
    for _ in range(50):
        code = generate_otp()
        assert len(code) == 6 and code.isdigit()
        assert 100000 <= int(code) <= 999999


def test_issue_and_verify():
    pending = {}
    code = issue_otp(pending, "alice")
    assert verify_otp(pending, "alice", code)
    assert not verify_otp(pending, "alice", code), "codes are single-use"


def test_wrong_code_rejected():
    pending = {"alice": "123456"}
    assert not verify_otp(pending, "alice", "654321")
