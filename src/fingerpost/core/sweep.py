"""Time-based housekeeping that must happen even if a deferred task was lost:
expired offers, reminders, feedback requests and retention jobs. Each app
registers its jobs (`registry.add_timed_job`); `fingerpost sweep` runs them
all. Schedule it from cron every few minutes. Each job is idempotent."""

from . import registry


def run_sweep() -> dict[str, int]:
    return {job.name: job.run() for job in registry.timed_jobs()}
