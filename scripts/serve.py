"""`make serve`: the production configuration on this machine — granian with WEB_WORKERS web
processes, TASK_WORKERS task workers, static files hashed and compressed, on PostgreSQL when
DATABASE_URL is set (SQLite in var/ otherwise).

Secrets come from the environment, as in production. Those not set are generated once into
var/serve.env (mode 0600), with a warning: they are for this machine only.
"""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

from supervise import port_is_free, supervise

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = int(os.environ.get("WEB_PORT", "8000"))
SMTP_PORT = int(os.environ.get("SMTP_PORT", "8025"))
WEB_WORKERS = int(os.environ.get("WEB_WORKERS", "2"))
TASK_WORKERS = int(os.environ.get("TASK_WORKERS", "1"))
VAR = Path(os.environ.get("GOODSKIN_VAR_DIR", str(ROOT / "var")))
GENERATED = {
    "SECRET_KEY": lambda: secrets.token_urlsafe(50),
    "GOODSKIN_MASTER_KEY": lambda: base64.b64encode(secrets.token_bytes(32)).decode(),
    "METRICS_TOKEN": lambda: secrets.token_urlsafe(32),
}


def local_secrets() -> dict[str, str]:
    """The secrets the environment does not give, kept in var/serve.env once generated."""
    path = VAR / "serve.env"
    kept: dict[str, str] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            name, _, value = line.partition("=")
            kept[name] = value
    missing = [name for name in GENERATED if not os.environ.get(name) and name not in kept]
    if missing:
        VAR.mkdir(parents=True, exist_ok=True)
        kept.update({name: GENERATED[name]() for name in missing})
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write("".join(f"{name}={value}\n" for name, value in kept.items()))
        print(  # the one warning a person must read
            f"serve: WARNING generated {', '.join(missing)} into {path} for this machine only; "
            "a real deployment sets them in its environment (see .env.example)"
        )
    return {name: value for name, value in kept.items() if not os.environ.get(name)}


def main() -> int:
    own_sink = "SMTP_HOST" not in os.environ  # mail to a local sink, kept in var/mail/
    for port in (PORT, SMTP_PORT) if own_sink else (PORT,):
        if not port_is_free(port):
            print(f"serve: port {port} is already in use; stop whatever is using it and retry")
            return 1
    site = f"http://localhost:{PORT}"
    environment = {
        **os.environ,
        "GOODSKIN_ENV": "production",
        "ALLOWED_HOSTS": os.environ.get("ALLOWED_HOSTS", "localhost 127.0.0.1"),
        "SITE_URL": os.environ.get("SITE_URL", site),
        # No TLS on this machine: the browser is on localhost, where Secure cookies still work.
        "SECURE_SSL_REDIRECT": os.environ.get("SECURE_SSL_REDIRECT", "false"),
        "SMTP_PORT": os.environ.get("SMTP_PORT", str(SMTP_PORT)),
        "PYTHONUNBUFFERED": "1",
        **local_secrets(),
    }

    def manage(*arguments: str) -> None:
        subprocess.run([PYTHON, "manage.py", *arguments], cwd=ROOT, env=environment, check=True)

    manage("migrate", "--no-input", "-v", "0")
    manage("migrate", "--database", "keyring", "--no-input", "-v", "0")
    manage("collectstatic", "--no-input", "-v", "0")
    manage("start_jobs")
    commands = {
        "web": [
            PYTHON,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "config.wsgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(PORT),
            "--workers",
            str(WEB_WORKERS),
            "--blocking-threads",
            "8",
            "--no-ws",
            "--log-level",
            "warning",
        ],  # fmt: skip
        **{
            f"worker-{number}": [PYTHON, "manage.py", "work", "--interval", "0.5"]
            for number in range(1, TASK_WORKERS + 1)
        },
    }
    if own_sink:
        commands["smtp"] = [
            PYTHON, "-m", "goodskin.core.smtp_sink", "--port", str(SMTP_PORT),
            "--folder", str(VAR / "mail"),
        ]  # fmt: skip
    database = (
        "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    )
    banner = (
        f"\n  GoodSkin (production settings, {database}) on {site}: {WEB_WORKERS} web and "
        f"{TASK_WORKERS} task workers. /healthz /readyz /metrics; Ctrl-C stops everything.\n"
    )
    return supervise(commands, root=ROOT, environment=environment, banner=banner, name="serve")


if __name__ == "__main__":
    sys.exit(main())
