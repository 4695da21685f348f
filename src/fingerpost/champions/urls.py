from django.urls import path

from . import public_views, views

app_name = "champions"

urlpatterns = [
    # Offering to volunteer (no account).
    path("volunteer/", public_views.start, name="volunteer_start"),
    path("volunteer/check/", public_views.check, name="volunteer_check"),
    path("volunteer/done/", public_views.done, name="volunteer_done"),
    path("volunteer/<slug:step>/", public_views.step, name="volunteer_step"),
    # A champion's own workspace.
    path("workspace/", views.workspace, name="workspace"),
    path("workspace/<str:reference>/", views.request_page, name="request"),
    path("workspace/<str:reference>/accept/", views.accept, name="accept"),
    path("workspace/<str:reference>/decline/", views.decline, name="decline"),
    path("workspace/<str:reference>/session/", views.log_session, name="log_session"),
    path("workspace/<str:reference>/close/", views.close, name="close"),
    path("me/", views.my_profile, name="my_profile"),
    path("me/pause/", views.pause, name="pause"),
    path("me/hours/", views.my_hours, name="my_hours"),
    path("me/certificates/<int:hours>/", views.my_certificate, name="my_certificate"),
    # Coordinators.
    path("", views.champion_list, name="list"),
    path("set-up/", views.set_up, name="set_up"),
    path("propose/", views.propose, name="propose"),
    path("match/<str:reference>/", views.suggestions, name="suggestions"),
    path("offers/", views.interests, name="interests"),
    path("offers/<int:pk>/", views.interest, name="interest"),
    path("hours/", views.hours, name="hours"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/training/", views.add_training, name="add_training"),
    path("<int:pk>/checks/", views.add_check, name="add_check"),
    path("<int:pk>/certificates/<int:hours>/", views.certificate, name="certificate"),
]
