import jwt

from apiclient.session import expires_at, needs_refresh


def token(exp):
    return jwt.encode({"sub": "reporter", "exp": exp}, "server-side-key-we-never-see-0123456", algorithm="HS256")


def test_expires_at():
    assert expires_at(token(4102444800)) == 4102444800


def test_needs_refresh():
    assert needs_refresh(token(1000), now=990)
    assert not needs_refresh(token(10_000), now=990)
