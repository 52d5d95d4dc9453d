#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018  (loads the settings, which check the environment)
    except ImproperlyConfigured as error:
        # A missing or malformed secret is an operator's mistake: one line that says what to fix.
        sys.stderr.write(f"error: {error}\n")
        sys.exit(2)
    execute_from_command_line(sys.argv)
