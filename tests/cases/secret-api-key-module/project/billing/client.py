"""Builds the requests the payment client sends."""

from billing import config


def auth_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {config.PAYMENTS_API_KEY}", "Accept": "application/json"}


def charge_request(amount_cents: int, currency: str = "eur") -> dict:
    return {
        "url": f"{config.API_BASE}/charges",
        "headers": auth_headers(),
        "json": {"amount": amount_cents, "currency": currency},
    }
