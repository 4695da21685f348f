from django.urls import path

from . import assessment_views, organiser_views, public_views

app_name = "quiz"

urlpatterns = [
    # Players (no account)
    path("", public_views.join, name="join"),
    path("<str:code>/join/", public_views.nickname, name="nickname"),
    path("<str:code>/play/", public_views.play, name="play"),
    path("<str:code>/answer/", public_views.answer, name="answer"),
    path("<str:code>/state/", public_views.state, name="state"),
    path("<str:code>/mine/", public_views.mine, name="mine"),
    # Organisers
    path("manage/", organiser_views.manage, name="manage"),
    path("manage/new/", organiser_views.quiz_new, name="quiz_new"),
    path("manage/<int:quiz_id>/", organiser_views.quiz_edit, name="quiz_edit"),
    path(
        "manage/<int:quiz_id>/questions/<int:question_id>/<str:action>/",
        organiser_views.quiz_order,
        name="quiz_order",
    ),
    path("manage/<int:quiz_id>/copy/", organiser_views.quiz_copy, name="quiz_copy"),
    path("manage/<int:quiz_id>/start/", organiser_views.quiz_start, name="quiz_start"),
    path("questions/", organiser_views.question_list, name="questions"),
    path("questions/new/", organiser_views.question_new, name="question_new"),
    path("questions/<int:question_id>/", organiser_views.question_edit, name="question_edit"),
    path(
        "questions/<int:question_id>/archive/",
        organiser_views.question_archive,
        name="question_archive",
    ),
    path("present/<str:code>/", organiser_views.present, name="present"),
    path("present/<str:code>/state/", organiser_views.present_state, name="present_state"),
    path("present/<str:code>/<str:action>/", organiser_views.present_action, name="present_action"),
    path("results/<str:code>/", organiser_views.results, name="results"),
    path("results/<str:code>/answers.csv", organiser_views.results_csv, name="results_csv"),
    path(
        "results/<str:code>/answers.xlsx",
        organiser_views.results_csv,
        {"fmt": "xlsx"},
        name="results_xlsx",
    ),
    # Self-assessment
    path("assessments/", assessment_views.assessment_list, name="assessments"),
    path("assessments/compare/", assessment_views.comparison, name="comparison"),
    path("assessments/<int:assessment_id>/", assessment_views.assessment, name="assessment"),
]
