from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fingerpost.core"
    label = "core"

    def ready(self) -> None:
        from . import choices, outbox, panels, registry, worker
        from .tasks import prune_finished_tasks

        choices.install()

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
        # Delivery: a sweep sends what is due even when no worker is running.
        registry.add_timed_job(name="send_due_messages", run=outbox.send_due_messages, order=80)
        registry.add_timed_job(
            name="wipe_old_message_content", run=outbox.wipe_old_message_content, order=91
        )
        registry.add_timed_job(name="requeue_stuck_tasks", run=worker.requeue_stuck_tasks, order=5)
        registry.add_timed_job(
            name="forget_stopped_workers", run=worker.forget_stopped_workers, order=92
        )
