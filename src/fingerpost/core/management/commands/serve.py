import os
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


def control_socket_path(host: str, port: int) -> str:
    """Each instance its own gunicorn control socket: gunicorn's default is
    one path per user, so a second instance on the machine would take over
    the first one's. FINGERPOST_CONTROL_SOCKET names it ("off": none)."""
    configured = os.environ.get("FINGERPOST_CONTROL_SOCKET", "")
    if configured == "off":
        return ""
    if configured:
        return configured
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    folder = Path(runtime) if runtime and Path(runtime).is_dir() else Path(settings.VAR_DIR)
    name = re.sub(r"[^A-Za-z0-9.]+", "-", host).strip("-") or "all"
    return str(folder / f"fingerpost-{name}-{port}.ctl")


def gunicorn_settings(host: str, port: int, workers: int) -> dict[str, Any]:
    """The gunicorn settings of `fingerpost serve`, in one place so that the
    floor bench (bench/floor.py) serves its bare Django views under the very
    same ones."""
    values: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": workers,
        # One thread: measured, more threads slowed the pages that are all CPU
        # (the event list, the booking API) more than they helped the
        # multi-page booking form (docs/operations.md, Speed).
        "threads": int(os.environ.get("WEB_THREADS", "1")),
        "timeout": int(os.environ.get("WEB_TIMEOUT", "30")),
        "graceful_timeout": 20,
        "max_requests": 2000,
        "max_requests_jitter": 200,
        "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        "accesslog": None,  # requests are logged by core.logging.AccessLog
    }
    socket_path = control_socket_path(host, port)
    if socket_path:
        values["control_socket"] = socket_path
    else:
        values["control_socket_disable"] = True
    return values


def run_gunicorn(application: Any, host: str, port: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    class FingerpostServer(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for name, value in gunicorn_settings(host, port, workers).items():
                self.cfg.set(name, value)

        def load(self) -> Any:
            return application

    FingerpostServer().run()


class Command(BaseCommand):
    help = "Run the production web server (gunicorn) on $HOST:$PORT with $WEB_CONCURRENCY workers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "4"))
        )

    def handle(self, *args: Any, host: str, port: int, workers: int, **options: Any) -> None:
        from fingerpost.wsgi import application

        if settings.DEBUG:
            self.stderr.write("Warning: DEBUG is on. Set DEBUG=false for production.")
        if "FINGERPOST_SITE_URL" not in os.environ:
            # Links in pages and emails follow the port actually served.
            settings.FINGERPOST_SITE_URL = f"http://{host}:{port}"
        run_gunicorn(application, host, port, workers)
