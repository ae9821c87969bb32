import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_conf.settings")

import django  # noqa: E402

django.setup()

from django.test.utils import setup_test_environment  # noqa: E402

try:
    setup_test_environment()
except RuntimeError:
    pass
