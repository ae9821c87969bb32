"""Access tokens of the shop's customers and staff."""

import datetime
import os

import jwt

JWT_SECRET = os.environ.get("SHOP_JWT_SECRET", "shop-dev-secret-94c1e07b2a5d36f8")
JWT_ALGORITHM = "HS256"
ACCESS_TOKEN_MINUTES = 30


def create_access_token(username, is_staff=False):
    expires = datetime.datetime.now(tz=datetime.timezone.utc) + datetime.timedelta(minutes=ACCESS_TOKEN_MINUTES)
    payload = {"sub": username, "is_staff": is_staff, "exp": expires}
    return jwt.encode(payload, JWT_SECRET, algorithm=JWT_ALGORITHM)
