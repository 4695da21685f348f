from django.apps import AppConfig


class QuizConfig(AppConfig):
    name = "fingerpost.quiz"
    label = "quiz"
    verbose_name = "Service Standard quiz"

    def ready(self) -> None:
        from fingerpost.core import registry

        from . import demo, panels
        from .personal_data import QuizPlayerRecords
        from .services import retention

        # Players come from the join link or QR code on the big screen (and the
        # home page); the navigation item is the organisers' way in.
        registry.add_nav_item(
            name="quiz.manage",
            text="Quiz",
            url_name="quiz:manage",
            order=60,
            permission="quiz.run_quiz",
        )
        registry.add_home_panel(name="quiz", template="quiz/home/panel.html", order=30)
        registry.add_dashboard_panel(name="quiz", order=40, build=panels.quiz)
        registry.add_demo_step(name="quiz", run=demo.create_demo_data, order=60)
        registry.add_record_page(subject_type="quiz_session", url=panels.session_page)
        registry.add_personal_data(QuizPlayerRecords())
        registry.add_timed_job(
            name="quiz_anonymise_players", run=retention.anonymise_ended_sessions, order=62
        )
