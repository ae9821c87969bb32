import http.client

from payments.gateway import GatewayClient


def test_connection_targets_the_gateway():
    conn = GatewayClient(host="gw.test", timeout=5).connection()
    assert isinstance(conn, http.client.HTTPSConnection)
    assert (conn.host, conn.port, conn.timeout) == ("gw.test", 443, 5)


def test_merchant_id_kept():
    assert GatewayClient(merchant_id="M-7").merchant_id == "M-7"
