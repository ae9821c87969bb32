import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsletter.settings")

import django  # noqa: E402

django.setup()
