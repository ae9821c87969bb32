from service import settings


def headers():
    return {settings.API_KEY_HEADER: settings.API_KEY, "Authorization": f"{settings.TOKEN_TYPE} {settings.AUTH_TOKEN}"}
