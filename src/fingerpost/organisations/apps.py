from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "fingerpost.organisations"
    label = "organisations"

    def ready(self) -> None:
        from fingerpost.core import registry
        from fingerpost.core.registry import Audience

        from . import demo, panels, signals  # noqa: F401 - connects the receivers

        registry.add_nav_item(
            name="organisations.list",
            text="Organisations",
            url_name="organisations:list",
            order=60,
            audience=Audience.EVERYONE,
        )
        registry.add_nav_item(
            name="organisations.people",
            text="People",
            url_name="organisations:people",
            order=65,
            permission="organisations.view_people",
        )
        registry.add_nav_item(
            name="organisations.approvals",
            text="Approvals",
            url_name="organisations:approvals",
            order=66,
            permission="organisations.approve_members",
        )
        registry.add_dashboard_panel(name="organisations", order=10, build=panels.the_network)
        registry.add_dashboard_panel(
            name="organisations.membership", order=5, build=panels.your_membership
        )
        # First: every other app's demo data needs the organisations and accounts.
        registry.add_demo_step(name="organisations", run=demo.create_demo_data, order=10)
