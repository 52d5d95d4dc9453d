"""Production settings refuse to start without their secrets and pass Django's deploy check."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOOD = {
    "GOODSKIN_ENV": "production",
    "SECRET_KEY": "x" * 20 + "Kq8!vZ2#pL9@wR4$tY7^uI1&oP3*aS6(dF0)gH5-jK8+lZ2_",
    "GOODSKIN_MASTER_KEY": base64.b64encode(b"k" * 32).decode(),
    "ALLOWED_HOSTS": "www.goodskinclinics.com",
    "SITE_URL": "https://www.goodskinclinics.com",
}


def manage(*arguments: str, **environment: str) -> subprocess.CompletedProcess[str]:
    # Only what a production host would have: no test-run variables (the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE, which the deploy check rightly flags).
    unwanted = {*GOOD, "DATABASE_URL", "KEYRING_DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG"}
    env = {key: value for key, value in os.environ.items() if key not in unwanted}
    scratch = tempfile.mkdtemp(prefix="goodskin-settings-")
    env |= environment | {"DJANGO_SETTINGS_MODULE": "config.settings", "GOODSKIN_VAR_DIR": scratch}
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_passes_the_deploy_check_with_no_warnings() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", **GOOD)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = manage("check", **{key: value for key, value in GOOD.items() if key != "SECRET_KEY"})
    assert result.returncode == 2
    assert result.stderr == (
        "error: SECRET_KEY is not set: production needs a long random secret key\n"
    )


def test_production_refuses_to_start_without_the_site_address_emailed_links_need() -> None:
    result = manage("check", **{key: value for key, value in GOOD.items() if key != "SITE_URL"})
    assert result.returncode == 2
    assert result.stderr == (
        "error: SITE_URL is not set: emailed links need the public address, like https://…\n"
    )
    wrong = manage("check", **(GOOD | {"SITE_URL": "www.goodskinclinics.com/home"}))
    assert wrong.returncode == 2
    assert wrong.stderr == (
        "error: SITE_URL must be the site's origin, like https://www.goodskinclinics.com, not "
        "'www.goodskinclinics.com/home'\n"
    )


def test_production_sets_the_language_cookie_secure_wherever_it_is_set() -> None:
    script = (
        "from django.http import HttpResponse\n"
        "from goodskin.accounts.views import remember_language\n"
        "response = HttpResponse()\n"
        "remember_language(response, 'es')\n"
        "cookie = response.cookies['django_language']\n"
        "print(bool(cookie['secure']), cookie['samesite'], cookie.value)"
    )
    result = manage("shell", "--no-imports", "-c", script, **GOOD)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True Lax es"


def test_production_refuses_to_start_without_the_master_key() -> None:
    result = manage(
        "check", **{key: value for key, value in GOOD.items() if key != "GOODSKIN_MASTER_KEY"}
    )
    assert result.returncode == 2
    assert result.stderr == (
        "error: GOODSKIN_MASTER_KEY is not set: production needs the 32-byte base64 master key "
        "(or GOODSKIN_MASTER_KEY_FILE pointing at it)\n"
    )


def test_production_refuses_a_master_key_of_the_wrong_length() -> None:
    result = manage(
        "check", **(GOOD | {"GOODSKIN_MASTER_KEY": base64.b64encode(b"short").decode()})
    )
    assert result.returncode == 2
    assert result.stderr == "error: GOODSKIN_MASTER_KEY must decode to 32 bytes, not 5\n"


def test_production_refuses_debug() -> None:
    result = manage("check", **(GOOD | {"DEBUG": "true"}))
    assert result.returncode == 2
    assert result.stderr == "error: DEBUG must be off in production\n"


def test_a_master_key_that_is_not_base64_is_refused_in_development_too() -> None:
    result = manage("check", GOODSKIN_ENV="development", GOODSKIN_MASTER_KEY="not base64!")
    assert result.returncode == 2
    assert result.stderr == "error: GOODSKIN_MASTER_KEY must be base64\n"


def test_a_truncated_master_key_is_refused_in_development_too() -> None:
    truncated = base64.b64encode(b"k" * 31).decode()
    result = manage("check", GOODSKIN_ENV="development", GOODSKIN_MASTER_KEY=truncated)
    assert result.returncode == 2
    assert result.stderr == "error: GOODSKIN_MASTER_KEY must decode to 32 bytes, not 31\n"
