"""Test settings: the real settings, with work that would slow every test made cheap."""

import os

os.environ.setdefault("GOODSKIN_ENV", "test")

from config.settings import *  # noqa: E402, F403

# Argon2 at full strength costs ~50 ms per hash; tests that are not about hashing use a fast one.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
# Tasks run in the request that enqueued them, after commit; tests of the worker itself switch
# to the database backend and run the real `db_worker`.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
SITE_URL = "http://testserver"
SMS_BACKEND = "goodskin.communications.sms.MemorySmsBackend"
# The policy's browser crawl opens every page in four consent states (a minute of Chromium): the
# browser tests run it on purpose; everywhere else in the suite a verification leaves it out.
COMPLIANCE_SLOW_CHECKS = False
