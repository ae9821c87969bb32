import os

from service import settings


def headers():
    return {settings.API_KEY_HEADER: settings.API_KEY, "Authorization": f"{settings.TOKEN_TYPE} {settings.AUTH_TOKEN}"}


def login_form(form):
    password = form.get("password", "")
    token = "Bearer"
    api_key = os.environ["SERVICE_API_KEY"]
    return {"password": password, "scheme": token, "key": api_key}
