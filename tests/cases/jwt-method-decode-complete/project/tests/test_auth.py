import jwt
import pytest

from billing.auth import TokenService


def test_issued_scopes_come_back():
    service = TokenService()
    token = service.issue("reports-bot", ["invoices:read", "customers:read"])
    assert service.scopes_for(token) == {"invoices:read", "customers:read"}
    assert service.allows(token, "invoices:read")
    assert not service.allows(token, "refunds:write")


def test_token_without_subject_is_refused():
    service = TokenService()
    token = jwt.encode({"scope": "invoices:read"}, service.secret, algorithm="HS512")
    with pytest.raises(jwt.MissingRequiredClaimError):
        service.scopes_for(token)
