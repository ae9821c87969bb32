from licensing.signer import LicenseSigner, verify


def test_signed_licence_verifies():
    signer = LicenseSigner()
    public = signer.rotate()
    signed = signer.sign({"user": "acme", "seats": 5})
    assert verify(public, signed)


def test_tampered_licence_fails():
    signer = LicenseSigner()
    public = signer.rotate()
    signed = signer.sign({"user": "acme", "seats": 5})
    signed["licence"]["seats"] = 500
    assert not verify(public, signed)
