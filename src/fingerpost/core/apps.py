from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fingerpost.core"
    label = "core"

    def ready(self) -> None:
        from . import panels, registry
        from .tasks import prune_finished_tasks

        registry.add_nav_item(
            name="core.dashboard", text="Your work", url_name="core:dashboard", order=0
        )
        registry.add_nav_item(
            name="core.account", text="Account", url_name="account_email", order=90
        )
        registry.add_nav_item(
            name="core.admin",
            text="Admin",
            url_name="admin:index",
            order=95,
            permission="accounts.use_admin_site",
        )
        registry.add_dashboard_panel(
            name="core.operate", order=90, build=panels.operate_the_service
        )
        registry.add_dashboard_panel(name="core.account", order=100, build=panels.your_account)
        registry.add_timed_job(name="prune_finished_tasks", run=prune_finished_tasks, order=90)
