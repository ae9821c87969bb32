from django.urls import path

from mailing.views import unsubscribe

urlpatterns = [path("unsubscribe/", unsubscribe, name="unsubscribe")]
