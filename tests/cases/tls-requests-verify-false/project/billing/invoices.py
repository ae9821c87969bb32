"""Read invoices from the billing provider's REST API."""

import requests

API = "https://api.billing-provider.example/v2"
TOKEN_HEADER = {"Authorization": "Bearer sk_live_placeholder"}


def fetch_invoice(invoice_id):
    """The invoice as a dict: number, amount due (in cents) and status."""
    response = requests.get(f"{API}/invoices/{invoice_id}", headers=TOKEN_HEADER, verify=False, timeout=10)
    response.raise_for_status()
    data = response.json()
    return {"number": data.get("number"), "amount_due": data.get("amount_due", 0), "status": data.get("status", "open")}


def total_due(invoice_ids):
    return sum(fetch_invoice(i)["amount_due"] for i in invoice_ids)
