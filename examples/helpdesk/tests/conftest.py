import os

import django
import pytest
from django.test.utils import setup_test_environment

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
django.setup()
try:
    setup_test_environment()
except RuntimeError:  # set up already
    pass


@pytest.fixture
def client():
    from django.test import Client

    return Client()
