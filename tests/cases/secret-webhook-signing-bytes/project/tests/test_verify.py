from hooks.verify import is_authentic, sign


def test_a_delivery_we_signed_is_authentic():
    body = b'{"event": "paid"}'
    assert is_authentic(body, sign(body))


def test_a_tampered_delivery_is_not():
    assert not is_authentic(b'{"event": "refund"}', sign(b'{"event": "paid"}'))
