import ssl

from metrics.push import collector_context


def test_context_verifies_and_needs_tls12():
    ctx = collector_context()
    assert ctx.verify_mode == ssl.CERT_REQUIRED
    assert ctx.minimum_version == ssl.TLSVersion.TLSv1_2
