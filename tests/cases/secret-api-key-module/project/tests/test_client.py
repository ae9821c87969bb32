from billing.client import charge_request


def test_a_charge_is_sent_with_a_bearer_key():
    request = charge_request(1250)
    assert request["url"].endswith("/charges")
    assert request["headers"]["Authorization"].startswith("Bearer ")
    assert len(request["headers"]["Authorization"]) > len("Bearer ")
    assert request["json"] == {"amount": 1250, "currency": "eur"}
