from notesapp.tokens import ALPHABET, looks_like_token, new_reset_token


def test_token_shape():
    token = new_reset_token()
    assert len(token) == 32
    assert set(token) <= set(ALPHABET)
    assert looks_like_token(token)
    assert len(new_reset_token(12)) == 12


def test_tokens_differ():
    assert len({new_reset_token() for _ in range(20)}) == 20


def test_looks_like_token_rejects_garbage():
    assert not looks_like_token("short")
    assert not looks_like_token("!" * 32)
