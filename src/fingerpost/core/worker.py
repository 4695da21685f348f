"""`fingerpost worker`: django-tasks-db's worker, which also sends the outbox
(core/outbox.py), takes back work from workers that died, writes a heartbeat
for /healthz/worker, and waits out database outages instead of exiting."""

import contextlib
import logging
import os
import socket
import time
from datetime import timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from . import outbox
from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
HEARTBEAT_EVERY = timedelta(seconds=5)
STUCK_TASK_CHECK_EVERY = timedelta(seconds=30)
OUTAGE_WAIT_LONGEST = 30.0


class DeliveringWorker(Worker):
    """Each turn of the loop: heartbeat, send the due messages, then run one task."""

    def run(self) -> None:
        logger.info("Worker %s starting", self.worker_id)
        if self.startup_delay and self.interval:
            time.sleep(min(self.interval, 1.0) * (os.getpid() % 100) / 100)
        self._last_heartbeat = timezone.now() - HEARTBEAT_EVERY
        self._last_stuck_check = timezone.now() - STUCK_TASK_CHECK_EVERY
        self._down_since: float | None = None
        self._claims_released = False
        while self.running:
            try:
                did_work = self.turn()
            except DATABASE_ERRORS as exc:
                self._database_unavailable(exc)
                continue
            if self._down_since is not None:
                logger.warning(
                    "Database reachable again after %.1f s; worker %s carries on",
                    time.monotonic() - self._down_since,
                    self.worker_id,
                )
                self._down_since = None
            if did_work is None:  # --batch with nothing left, or --max-tasks reached
                return
            if self.running and not did_work:
                time.sleep(self.interval)

    def turn(self) -> bool | None:
        """One pass; True if anything was done, None when the worker should stop."""
        close_old_connections()
        if not self._claims_released:
            # Whatever this worker id held before (a previous run that was
            # killed, or this one before an outage) is no longer being sent.
            released = outbox.release_claims_of(self.worker_id)
            released += requeue_tasks_of(self.worker_id)
            if released:
                logger.warning("Worker %s took back %d claims of its own", self.worker_id, released)
            self._claims_released = True
        now = timezone.now()
        if now - self._last_heartbeat >= HEARTBEAT_EVERY:
            beat(self.worker_id)
            self._last_heartbeat = now
        if now - self._last_stuck_check >= STUCK_TASK_CHECK_EVERY:
            requeue_stuck_tasks()
            self._last_stuck_check = now

        self.running_task = True  # a stop signal lets the message in hand finish
        try:
            sent = outbox.deliver_due(worker_id=self.worker_id, keep_going=lambda: self.running)
        finally:
            self.running_task = False
        if not self.running:
            return None
        ran_task = self.run_one_task()
        if ran_task is None:
            return None if not sent else True
        return bool(sent) or ran_task

    def run_one_task(self) -> bool | None:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)
        if task_result is None:
            return None if self.batch else False
        self.run_task(task_result)
        if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
            return None
        return True

    def _database_unavailable(self, exc: BaseException) -> None:
        if self._down_since is None:
            self._down_since = time.monotonic()
            logger.error(
                "Database unavailable (%s); worker %s waits and reconnects",
                str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
                self.worker_id,
            )
        for connection in connections.all():
            with contextlib.suppress(Exception):  # the connection is broken; drop it
                connection.close()
        # What this worker held when the database went away is given back once it returns.
        self._claims_released = False
        down_for = time.monotonic() - self._down_since
        time.sleep(min(0.5 + down_for / 2, OUTAGE_WAIT_LONGEST))


def beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": timezone.now(), "hostname": socket.gethostname(), "pid": os.getpid()},
        create_defaults={
            "seen_at": timezone.now(),
            "started_at": timezone.now(),
            "hostname": socket.gethostname(),
            "pid": os.getpid(),
        },
    )


def alive_workers() -> list[WorkerHeartbeat]:
    cutoff = timezone.now() - timedelta(seconds=settings.FINGERPOST_WORKER_STALE_SECONDS)
    return list(WorkerHeartbeat.objects.filter(seen_at__gte=cutoff))


def requeue_tasks_of(worker_id: str) -> int:
    """Tasks this worker id had started and is no longer running go back to the queue
    (every task is idempotent: running one again does nothing twice)."""
    requeued = 0
    for task_result in DBTaskResult.objects.running().only("id", "worker_ids"):
        if task_result.worker_ids and task_result.worker_ids[-1] == worker_id:
            requeued += DBTaskResult.objects.filter(
                pk=task_result.pk, status=TaskResultStatus.RUNNING
            ).update(status=TaskResultStatus.READY)
    return requeued


def requeue_stuck_tasks() -> int:
    """Tasks claimed by a worker that has not been seen for
    FINGERPOST_WORKER_STALE_SECONDS go back to the queue."""
    alive = {heartbeat.worker_id for heartbeat in alive_workers()}
    requeued = 0
    for task_result in DBTaskResult.objects.running().only("id", "worker_ids", "started_at"):
        last_worker = task_result.worker_ids[-1] if task_result.worker_ids else ""
        started = task_result.started_at or timezone.now()
        grace = timedelta(seconds=settings.FINGERPOST_WORKER_STALE_SECONDS)
        if last_worker in alive or timezone.now() - started < grace:
            continue
        requeued += DBTaskResult.objects.filter(
            pk=task_result.pk, status=TaskResultStatus.RUNNING
        ).update(status=TaskResultStatus.READY)
    if requeued:
        logger.warning("Put %d tasks of stopped workers back in the queue", requeued)
    return requeued


def forget_stopped_workers() -> int:
    """Sweep step: heartbeats of workers not seen for a week are deleted."""
    deleted, _ = WorkerHeartbeat.objects.filter(
        seen_at__lt=timezone.now() - timedelta(days=7)
    ).delete()
    return deleted
