"""Settings of a small Django site."""

SECRET_KEY = "not-a-secret-for-tests"
DEBUG = False
ALLOWED_HOSTS = ["localhost"]
ROOT_URLCONF = "site_conf.urls"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions"]
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]
DATABASES = {}
USE_TZ = True
