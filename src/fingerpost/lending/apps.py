from django.apps import AppConfig


class LendingConfig(AppConfig):
    name = "fingerpost.lending"
    label = "lending"
    verbose_name = "Device lending"

    def ready(self) -> None:
        from django.urls import reverse

        from fingerpost.core import registry

        from . import demo, insights, panels, services
        from .personal_data import BorrowerRecords

        registry.add_nav_item(
            name="lending.staff",
            text="Lending",
            url_name="lending:overview",
            order=30,
            permission="lending.manage",
        )
        registry.add_home_panel(name="lending", template="lending/home/panel.html", order=17)
        registry.add_dashboard_panel(name="lending.lend", order=46, build=panels.lend_devices)
        registry.add_insight(
            name="lending",
            title="Device lending",
            order=25,
            figures=insights.figures,
            by_area=False,
            note="Loans are counted by the branch that lent the device, not by area.",
        )
        registry.add_page_panel(
            slot="helpdesk.request",
            name="lending.loans",
            template="lending/panels/help_request.html",
            order=30,
            context=panels.help_request_loans,
        )
        registry.add_timed_job(name="lending_expire_holds", run=services.expire_holds, order=55)
        registry.add_timed_job(
            name="lending_due_reminders", run=services.send_due_reminders, order=72
        )
        registry.add_timed_job(
            name="lending_overdue_notices", run=services.send_overdue_notices, order=73
        )
        registry.add_timed_job(
            name="lending_anonymise_borrowers", run=services.anonymise_lapsed_borrowers, order=61
        )
        registry.add_demo_step(name="lending", run=demo.create_demo_data, order=60)
        registry.add_personal_data(BorrowerRecords())
        registry.add_record_page(
            subject_type=services.SUBJECT,
            url=lambda reference: reverse("lending:borrower", args=[reference]),
        )
