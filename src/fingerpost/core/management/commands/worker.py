from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand


class Command(DatabaseWorkerCommand):
    help = "Run background tasks (emails, reminders, retention jobs) from the database queue."
