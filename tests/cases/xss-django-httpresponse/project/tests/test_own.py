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


def test_search_lists_matching_posts():
    body = Client().get("/blog/search/", {"q": "django"}).content.decode()
    assert body == "<h1>Posts about django</h1><ul><li>Hello Django</li></ul>"
