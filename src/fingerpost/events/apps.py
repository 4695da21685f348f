from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "fingerpost.events"
    label = "events"

    def ready(self) -> None:
        from fingerpost.core import registry
        from fingerpost.core.registry import Audience

        from . import demo, insights, notifications, panels, services
        from .personal_data import BookingRecords

        registry.add_personal_data(BookingRecords())

        registry.add_nav_item(
            name="events.list",
            text="Events",
            url_name="events:list",
            order=40,
            audience=Audience.EVERYONE,
        )
        registry.add_nav_item(
            name="events.manage",
            text="Manage events",
            url_name="events:manage_list",
            order=45,
            permission="events.manage_event",
        )
        registry.add_home_panel(name="events", template="events/home/panel.html", order=20)
        registry.add_dashboard_panel(name="events", order=20, build=panels.events)
        registry.add_dashboard_panel(name="events.run", order=30, build=panels.run_events)
        registry.add_timed_job(name="expire_due_offers", run=services.expire_due_offers, order=10)
        registry.add_timed_job(
            name="send_due_reminders", run=notifications.send_due_reminders, order=20
        )
        registry.add_timed_job(
            name="send_due_feedback_requests",
            run=notifications.send_due_feedback_requests,
            order=30,
        )
        registry.add_demo_step(name="events", run=demo.create_demo_data, order=20)
        registry.add_insight(
            name="events",
            title="Events and attendance",
            order=30,
            figures=insights.figures,
            by_area=False,
            note="Events are counted by the organisation that runs them, not by area.",
        )

        from . import tasks  # noqa: F401 - connects the receivers that schedule deferred tasks
