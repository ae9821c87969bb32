import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_conf.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

try:
    setup_test_environment()
except RuntimeError:
    pass


def test_logout_returns_to_the_page_asked_for():
    response = Client().get("/logout/", {"next": "/account/orders/"})
    assert response.status_code == 302 and response.headers["Location"] == "/account/orders/"
