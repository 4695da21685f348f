import os
import subprocess
import sys

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 10 + "9f3!x@q#Lm2$Zr8&Tb5^Wv1*Yp4(Hn7)Gd6-Js0+Kc",
    "ALLOWED_HOSTS": "fingerpost.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
    "EMAIL_URL": "smtp://mail.example.org:587",
}


def _manage(*args: str, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(PRODUCTION_ENV)
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "-m", "fingerpost.manage", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_need_a_secret_key() -> None:
    result = _manage("check", extra_env={"SECRET_KEY": ""})
    assert result.returncode != 0


def test_demo_refuses_to_run_in_production_settings() -> None:
    result = _manage("demo")
    assert result.returncode != 0
    assert "never created in production" in result.stderr


def test_production_settings_need_an_email_server() -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "DATABASE_URL", "EMAIL_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update({k: v for k, v in PRODUCTION_ENV.items() if k != "EMAIL_URL"})
    result = subprocess.run(
        [sys.executable, "-m", "fingerpost.manage", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "EMAIL_URL" in result.stderr
