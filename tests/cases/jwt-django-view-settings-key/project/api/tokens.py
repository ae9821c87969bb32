"""Tokens the mobile app receives after signing in."""

import datetime

import jwt
from django.conf import settings


def make_token(username):
    expires = datetime.datetime.now(tz=datetime.timezone.utc) + datetime.timedelta(days=7)
    return jwt.encode({"sub": username, "exp": expires}, settings.SECRET_KEY, algorithm="HS256")
