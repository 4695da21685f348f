from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_index, name="list"),
    path("people/", views.people, name="people"),
    path("<slug:slug>/", views.organisation_detail, name="detail"),
]
