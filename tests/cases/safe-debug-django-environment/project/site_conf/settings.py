"""Settings of a small order-tracking site: debugging is switched on per machine, never committed."""

import os

SECRET_KEY = "not-a-secret-for-tests"
DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
ALLOWED_HOSTS = ["orders.example.com"]
ROOT_URLCONF = "site_conf.urls"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
MIDDLEWARE = []
DATABASES = {}
USE_TZ = True
