from django.urls import path

from helpdesk import views

urlpatterns = [
    path("search/", views.search, name="search"),
    path("logout/", views.logout_view, name="logout"),
    path("tickets/import/", views.import_tickets, name="import-tickets"),
    path("theme/", views.choose_theme, name="theme"),
    path("attachments/", views.attachment, name="attachment"),
    path("integrations/status/", views.integration_status, name="integration-status"),
    path("agents/sign-in/", views.agent_sign_in, name="agent-sign-in"),
]
