"""Settings of the subscription API."""

import os

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-django-key-3c9a51e8f2b7d046")
DEBUG = False
ALLOWED_HOSTS = ["localhost", "testserver"]
ROOT_URLCONF = "site_conf.urls"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
MIDDLEWARE = []
DATABASES = {}
USE_TZ = True
