from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_index, name="list"),
    path("people/", views.people, name="people"),
    path("join/", views.join, name="join"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:membership_id>/", views.decide, name="decide"),
    path("<slug:slug>/", views.organisation_detail, name="detail"),
]
