"""Settings: every credential comes from the environment; the rest only has a secret-like name."""

import os

SECRET_KEY = os.environ["SERVICE_SECRET_KEY"]
API_KEY = os.environ.get("SERVICE_API_KEY", "")
DB_PASSWORD = "change-me"  # replaced at deploy time
SMTP_PASSWORD = "<smtp password>"
AUTH_TOKEN = ""
PASSWORD_FIELD = "password"
CSRF_TOKEN = "csrf_token"
TOKEN_URL = "https://auth.example.com/oauth/token"
PASSWORD_MIN_LENGTH = 12
PASSWORD_RESET_TIMEOUT = 3600
SECRET_KEY_FALLBACKS = []
PRIVATE_KEY = "/etc/service/private.pem"
API_KEY_HEADER = "X-Api-Key"
TOKEN_TYPE = "Bearer"


class Config:
    SECRET_KEY = os.environ.get("SERVICE_SECRET_KEY", "")
    AUTH_HEADER = "X-Auth-Token"


class TestingConfig(Config):
    SECRET_KEY = "testing-only-K3y9"  # the tests' own key, never deployed
