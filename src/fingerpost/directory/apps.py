from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "fingerpost.directory"
    label = "directory"
    verbose_name = "Where to get help"

    def ready(self) -> None:
        from fingerpost.core import registry
        from fingerpost.core.registry import Audience

        from . import demo, panels, services

        registry.add_nav_item(
            name="directory.find_help",
            text="Find help near you",
            url_name="directory:find_help",
            order=15,
            audience=Audience.EVERYONE,
        )
        registry.add_home_panel(name="directory", template="directory/home/panel.html", order=15)
        registry.add_page_panel(
            slot="organisations.detail",
            name="directory.locations",
            template="directory/panels/organisation.html",
            order=20,
            context=panels.organisation_locations,
        )
        registry.add_dashboard_panel(
            name="directory.locations", order=45, build=panels.keep_locations_current
        )
        registry.add_timed_job(
            name="remind_about_stale_locations",
            run=services.remind_about_stale_locations,
            order=80,
        )
        registry.add_demo_step(name="directory", run=demo.create_demo_data, order=50)
