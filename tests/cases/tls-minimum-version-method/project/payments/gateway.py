"""Client of the acquiring bank's payment gateway."""

import http.client
import json
import ssl


class GatewayClient:
    def __init__(self, host="gateway.example-bank.com", merchant_id="M-1001", timeout=15):
        self.host = host
        self.merchant_id = merchant_id
        self.timeout = timeout

    def connection(self):
        """An HTTPS connection to the gateway (its old load balancer once spoke TLS 1.0 only)."""
        ctx = ssl.create_default_context()
        ctx.minimum_version = ssl.TLSVersion.TLSv1
        return http.client.HTTPSConnection(self.host, 443, timeout=self.timeout, context=ctx)

    def authorize(self, amount_cents, card_token):
        conn = self.connection()
        body = json.dumps({"merchant": self.merchant_id, "amount": amount_cents, "card": card_token})
        conn.request("POST", "/v2/authorize", body=body, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        try:
            return json.loads(response.read().decode("utf-8"))
        finally:
            conn.close()
