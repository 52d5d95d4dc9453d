"""The site's settings with the bench's extra views (a bare view and an empty endpoint) mounted,
so a server can be measured against its own floor."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
