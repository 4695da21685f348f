from django.urls import path

from . import views

app_name = "skills"

urlpatterns = [
    path("", views.start, name="start"),
    path("results/", views.results, name="results"),
    path("results/ask-for-help/", views.ask_for_help, name="ask_for_help"),
    path("results/email/", views.email_results, name="email"),
    path("<slug:page>/", views.step, name="step"),
]
