import ssl

from ldapsync.transport import LDAPS_PORT, directory_tls_context


def test_context_is_a_client_context():
    ctx = directory_tls_context()
    assert isinstance(ctx, ssl.SSLContext)
    assert ctx.options & ssl.OP_NO_COMPRESSION


def test_default_port():
    assert LDAPS_PORT == 636
