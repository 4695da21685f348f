from django.apps import AppConfig


class ChampionsConfig(AppConfig):
    name = "fingerpost.champions"
    label = "champions"
    verbose_name = "Digital champions"

    def ready(self) -> None:
        from fingerpost.core import registry

        from . import (
            demo,
            insights,
            panels,
            personal_data,
            reminders,
            signals,  # noqa: F401 - connects the receivers
        )

        # Visitors find volunteering from the home page; the public menu stays short.
        registry.add_home_panel(name="champions", template="champions/home/panel.html", order=60)
        registry.add_nav_item(
            name="champions.workspace",
            text="Champion",
            url_name="champions:workspace",
            order=26,
            permission="champions.work_as_champion",
        )
        registry.add_nav_item(
            name="champions.coordinate",
            text="Champions",
            url_name="champions:list",
            order=27,
            permission="champions.coordinate",
        )
        registry.add_dashboard_panel(name="champions.mine", order=42, build=panels.workspace)
        registry.add_insight(
            name="champions",
            title="Digital champions",
            order=20,
            figures=insights.figures,
        )
        registry.add_dashboard_panel(name="champions.coordinate", order=43, build=panels.coordinate)
        registry.add_page_panel(
            slot="helpdesk.request",
            name="champions.matching",
            template="champions/panels/help_request.html",
            order=10,
            context=panels.help_request_panel,
        )
        registry.add_timed_job(
            name="remind_about_expiring_checks",
            run=reminders.remind_about_expiring_checks,
            order=85,
        )
        registry.add_timed_job(
            name="remind_about_quiet_assignments",
            run=reminders.remind_about_quiet_assignments,
            order=86,
        )
        registry.add_personal_data(personal_data.VolunteerOffers())
        registry.add_demo_step(name="champions", run=demo.create_demo_data, order=35)
