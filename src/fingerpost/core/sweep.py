"""Time-based housekeeping that must happen even if a deferred task was lost:
expired offers, reminders, feedback requests and retention jobs.
`fingerpost sweep` runs every step; schedule it from cron every few minutes.
Each step is idempotent."""

from collections.abc import Callable
from importlib import import_module

SWEEP_STEPS = [
    "fingerpost.events.services.expire_due_offers",
    "fingerpost.events.notifications.send_due_reminders",
    "fingerpost.events.notifications.send_due_feedback_requests",
    "fingerpost.helpdesk.services.anonymise_due_requests",
    "fingerpost.helpdesk.services.remind_about_waiting_requests",
    "fingerpost.core.tasks.prune_finished_tasks",
    "fingerpost.core.outbox.send_due_messages",
    "fingerpost.core.outbox.wipe_old_message_content",
    "fingerpost.core.worker.requeue_stuck_tasks",
    "fingerpost.core.worker.forget_stopped_workers",
]


def run_sweep() -> dict[str, int]:
    results: dict[str, int] = {}
    for path in SWEEP_STEPS:
        module, name = path.rsplit(".", 1)
        step: Callable[[], int] = getattr(import_module(module), name)
        results[name] = step()
    return results
