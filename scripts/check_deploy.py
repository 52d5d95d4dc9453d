"""`manage.py check --deploy` under production settings, with throwaway secrets.

Fails (exit 1) on any warning, so a settings change that weakens the deployment is caught in lint.
"""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="goodskin-deploy-check-") as scratch:
        environment = {
            key: value
            for key, value in os.environ.items()
            if key
            not in {"DATABASE_URL", "KEYRING_DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        } | {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "GOODSKIN_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "GOODSKIN_MASTER_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
            "ALLOWED_HOSTS": "www.goodskinclinics.com",
            "SITE_URL": "https://www.goodskinclinics.com",
            "GOODSKIN_VAR_DIR": scratch,
        }
        command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
        return subprocess.run(command, cwd=ROOT, env=environment, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
