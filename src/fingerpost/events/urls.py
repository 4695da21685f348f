from django.urls import path

from . import calendar_views, organiser_views, public_views

app_name = "events"

urlpatterns = [
    # Public: find an event and book without an account.
    path("", public_views.event_list, name="list"),
    path("calendar.ics", calendar_views.events_feed, name="feed"),
    path("<int:pk>/", public_views.event_detail, name="detail"),
    path("<int:pk>/event.ics", calendar_views.event_ics_file, name="ics"),
    path("<int:pk>/book/", public_views.book_details, name="book"),
    path("<int:pk>/book/start-again/", public_views.book_start_again, name="book_start_again"),
    path("<int:pk>/book/questions/", public_views.book_questions, name="book_questions"),
    path("<int:pk>/book/check/", public_views.book_check, name="book_check"),
    path("bookings/<str:token>/", public_views.manage_booking, name="manage_booking"),
    path("bookings/<str:reference>/done/", public_views.booking_done, name="booking_done"),
    path("bookings/<str:token>/feedback/", public_views.feedback, name="feedback"),
    # Organisers.
    path("manage/", organiser_views.manage_list, name="manage_list"),
    path("manage/new/", organiser_views.event_create, name="create"),
    path("manage/<int:pk>/", organiser_views.event_overview, name="overview"),
    path("manage/<int:pk>/edit/", organiser_views.event_edit, name="edit"),
    path("manage/<int:pk>/publish/", organiser_views.event_publish, name="publish"),
    path("manage/<int:pk>/cancel/", organiser_views.event_cancel, name="cancel"),
    path("manage/<int:pk>/copy/", organiser_views.event_copy, name="copy"),
    path("manage/<int:pk>/repeat/", organiser_views.event_repeat, name="repeat"),
    path("manage/<int:pk>/questions/", organiser_views.questions, name="questions"),
    path(
        "manage/<int:pk>/feedback-questions/",
        organiser_views.feedback_questions,
        name="feedback_questions",
    ),
    path("manage/<int:pk>/attendees/", organiser_views.attendees, name="attendees"),
    path("manage/<int:pk>/attendees.<str:fmt>", organiser_views.attendees_export, name="export"),
    path("manage/<int:pk>/waiting-list/", organiser_views.waiting_list, name="waiting_list"),
    path("manage/<int:pk>/check-in/", organiser_views.check_in, name="check_in"),
    path(
        "manage/<int:pk>/check-in/<str:reference>/",
        organiser_views.check_in_scan,
        name="check_in_scan",
    ),
    path("manage/<int:pk>/walk-in/", organiser_views.walk_in, name="walk_in"),
    path("manage/<int:pk>/feedback/", organiser_views.feedback_results, name="feedback_results"),
    path(
        "manage/<int:pk>/feedback.<str:fmt>",
        organiser_views.feedback_export,
        name="feedback_export",
    ),
]
