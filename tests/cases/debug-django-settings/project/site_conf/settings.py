"""Settings of a small order-tracking site, as committed: the developer's switches left on."""

SECRET_KEY = "not-a-secret-for-tests"
DEBUG = True
ALLOWED_HOSTS = ["orders.example.com"]
ROOT_URLCONF = "site_conf.urls"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
MIDDLEWARE = []
DATABASES = {}
USE_TZ = True
