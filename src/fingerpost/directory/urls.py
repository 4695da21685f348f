from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.find_help, name="find_help"),
    path("ask-for-help/", views.ask_for_help, name="ask_for_help"),
    path("places/<slug:slug>/", views.location, name="location"),
    path("e-books/", views.ebooks, name="ebooks"),
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/<slug:slug>/", views.manage_location, name="manage_location"),
    path("manage/<slug:slug>/confirm/", views.confirm_location, name="confirm_location"),
    path("manage/<slug:slug>/hours/", views.manage_hours, name="manage_hours"),
    path("manage/<slug:slug>/changes/", views.add_exception, name="add_exception"),
    path(
        "manage/<slug:slug>/changes/<int:pk>/remove/",
        views.remove_exception,
        name="remove_exception",
    ),
]
