from wizard.resume import make_token, resume


def test_a_token_resumes_the_wizard():
    state = {"step": 3, "answers": {"name": "ada"}}
    assert resume(make_token(state)) == state
