from django.urls import path

from . import public_views

app_name = "helpdesk_public"

urlpatterns = [
    path("", public_views.get_help, name="get_help"),
    path("ask/check/", public_views.check, name="check"),
    path("ask/done/", public_views.done, name="done"),
    path("ask/start-again/", public_views.start_again, name="start_again"),
    path("ask/<slug:step>/", public_views.step, name="step"),
    path("status/<str:token>/", public_views.status, name="status"),
]
