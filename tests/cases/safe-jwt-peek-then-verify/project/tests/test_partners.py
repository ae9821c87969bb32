import jwt
import pytest

from gateway.partners import PARTNER_KEYS, partner_claims, token_header


def test_each_partner_is_checked_with_its_own_key():
    token = jwt.encode({"iss": "acme", "sub": "order-7"}, PARTNER_KEYS["acme"], algorithm="HS256", headers={"kid": "a1"})
    assert partner_claims(token)["sub"] == "order-7"
    assert token_header(token)["kid"] == "a1"


def test_a_token_signed_with_another_partners_key_is_refused():
    token = jwt.encode({"iss": "acme", "sub": "order-7"}, PARTNER_KEYS["globex"], algorithm="HS256")
    with pytest.raises(jwt.InvalidSignatureError):
        partner_claims(token)


def test_unknown_issuer():
    with pytest.raises(PermissionError):
        partner_claims(jwt.encode({"iss": "initech"}, "whatever-key-0123456789abcdefgh", algorithm="HS256"))
