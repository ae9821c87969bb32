from django.urls import path

from api.views import profile

urlpatterns = [path("api/profile/", profile, name="profile")]
