from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "fingerpost.insights"
    label = "insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        from fingerpost.core import registry

        from . import panels

        registry.add_nav_item(
            name="insights.dashboard",
            text="Insights",
            url_name="insights:dashboard",
            order=80,
            permission="insights.view_dashboard",
        )
        registry.add_dashboard_panel(name="insights", order=60, build=panels.insights)
