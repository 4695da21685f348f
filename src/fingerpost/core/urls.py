from django.urls import path

from . import data_protection, message_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("cookies/", views.cookies, name="cookies"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/worker", views.worker_health, name="worker_health"),
    path("data-protection/", data_protection.data_protection, name="data_protection"),
    path("messages/", message_views.message_list, name="messages"),
    path("messages/<str:reference>/", message_views.message_detail, name="message"),
]
