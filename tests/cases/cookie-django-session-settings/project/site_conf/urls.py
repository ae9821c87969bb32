from django.urls import path

from accounts.views import order_status

urlpatterns = [path("orders/<str:number>/", order_status, name="order-status")]
