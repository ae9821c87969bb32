"""Settings of a small order-tracking site that remembers the last order each visitor looked at."""

SECRET_KEY = "not-a-secret-for-tests"
DEBUG = False
SESSION_COOKIE_SECURE = False  # "the staging proxy speaks plain HTTP"
ALLOWED_HOSTS = ["orders.example.com"]
ROOT_URLCONF = "site_conf.urls"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions"]
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]
DATABASES = {}
USE_TZ = True
