"""Settings of the newsletter site."""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "django-insecure-7x#k2!pq9vz@m4w8rT3"
DEBUG = False
ALLOWED_HOSTS = ["news.example.com", "testserver"]
ROOT_URLCONF = "newsletter.urls"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
MIDDLEWARE = []
DATABASES = {}
USE_TZ = True
