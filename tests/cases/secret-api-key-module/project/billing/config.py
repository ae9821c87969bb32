"""Settings of the payment client."""

PAYMENTS_API_KEY = "pk_live_51HxQ2eLkd93JfA0qPz7Rt"
API_BASE = "https://api.payments.example/v1"
TOKEN_URL = "https://auth.payments.example/oauth/token"
PASSWORD_MIN_LENGTH = 12
