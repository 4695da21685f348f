from django.apps import AppConfig


class HelpdeskConfig(AppConfig):
    name = "fingerpost.helpdesk"
    label = "helpdesk"
    verbose_name = "Digital help desk"

    def ready(self) -> None:
        from django.urls import reverse

        from fingerpost.core import registry
        from fingerpost.core.registry import Audience

        from . import (
            demo,
            insights,
            panels,
            services,
            signals,  # noqa: F401 - connects the receivers
        )
        from .personal_data import HelpRequestRecords

        registry.add_personal_data(HelpRequestRecords())

        registry.add_nav_item(
            name="helpdesk.get_help",
            text="Get digital help",
            url_name="helpdesk_public:get_help",
            order=10,
            audience=Audience.SIGNED_OUT,
        )
        registry.add_nav_item(
            name="helpdesk.queue",
            text="Help requests",
            url_name="helpdesk:queue",
            order=20,
            permission="helpdesk.triage",
        )
        registry.add_nav_item(
            name="helpdesk.mine",
            text="Your requests",
            url_name="helpdesk:mine",
            order=25,
            permission="helpdesk.work_on_assigned",
        )
        registry.add_home_panel(name="helpdesk", template="helpdesk/home/panel.html", order=10)
        registry.add_dashboard_panel(
            name="helpdesk.coordinate", order=40, build=panels.coordinate_help
        )
        registry.add_dashboard_panel(name="helpdesk.help", order=41, build=panels.help_residents)
        registry.add_dashboard_panel(name="helpdesk.refer", order=50, build=panels.refer_a_resident)
        registry.add_dashboard_panel(
            name="helpdesk.residents_data", order=91, build=panels.residents_data
        )
        registry.add_timed_job(
            name="anonymise_due_requests", run=services.anonymise_due_requests, order=60
        )
        registry.add_timed_job(
            name="remind_about_waiting_requests",
            run=services.remind_about_waiting_requests,
            order=70,
        )
        registry.add_demo_step(name="helpdesk", run=demo.create_demo_data, order=30)
        registry.add_insight(
            name="helpdesk",
            title="Digital help for residents",
            order=10,
            figures=insights.figures,
        )
        registry.add_record_page(
            subject_type=services.SUBJECT,
            url=lambda reference: reverse("helpdesk:detail", args=[reference]),
        )
