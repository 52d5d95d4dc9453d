"""GoodSkin settings. The environment is read here, once, through config.env.

GOODSKIN_ENV selects the mode: "development" (default, used by `make run`), "test" or "production".
Production refuses to start without SECRET_KEY, GOODSKIN_MASTER_KEY and ALLOWED_HOSTS and is set up
to pass `manage.py check --deploy` with no warnings.
"""

from __future__ import annotations

import secrets

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config import env

BASE_DIR = env.BASE_DIR
MODE = env.text("GOODSKIN_ENV", "development")
if MODE not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"GOODSKIN_ENV must be development, test or production, not {MODE!r}"
    )
PRODUCTION = MODE == "production"

DEBUG = env.flag("DEBUG", default=MODE == "development")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production")

if PRODUCTION:
    SECRET_KEY = env.required("SECRET_KEY", why="production needs a long random secret key")
    ALLOWED_HOSTS = env.words("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS is not set: name the site's host names")
else:
    SECRET_KEY = (
        env.text("SECRET_KEY")
        or env.local_secret("secret.key", generate=secrets.token_bytes(48)).hex()
    )
    ALLOWED_HOSTS = env.words("ALLOWED_HOSTS", "127.0.0.1 localhost testserver")

GOODSKIN_MASTER_KEY = env.master_key(production=PRODUCTION)
GOODSKIN_PREVIOUS_MASTER_KEYS = env.previous_master_keys()
if PRODUCTION:
    # Every emailed link starts here: without it, links would point at a developer's machine.
    SITE_URL = env.site_url(
        env.required("SITE_URL", why="emailed links need the public address, like https://…")
    )
else:
    SITE_URL = env.site_url(env.text("SITE_URL", "http://127.0.0.1:8000"))
# The proxies (addresses or networks) whose X-Forwarded-For names the visitor; every rate limit
# counts that visitor. Anyone not listed is counted by their own address, whatever they send.
TRUSTED_PROXIES = env.networks("TRUSTED_PROXIES")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_tasks_db",
    "goodskin.core",
    "goodskin.audit",
    "goodskin.approvals",
    "goodskin.vault",
    "goodskin.jurisdictions",
    "goodskin.accounts",
    "goodskin.website",
    "goodskin.submissions",
    "goodskin.consent",
    "goodskin.tracking",
    "goodskin.access_log",
    "goodskin.communications",
    "goodskin.retention",
    "goodskin.disclosures",
    "goodskin.policies",
    "goodskin.rights",
    "goodskin.incidents",
    "goodskin.compliance",
    "goodskin.staff",
    "goodskin.operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Django's CSP middleware, with the header built once (config/middleware.py, ADR 0051).
    "config.middleware.KeptPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The host check, request id, actor, language and privacy signals, in one layer.
    "config.middleware.SiteMiddleware",
    "config.middleware.LazyMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

if PRODUCTION:
    # Static files straight from the app server, compressed and with far-future cache headers.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "goodskin.website.context_processors.clinic",
                "goodskin.consent.context_processors.privacy",
                "goodskin.communications.context_processors.notices",
                "goodskin.policies.context_processors.policy_changes",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env.text("DATABASE_URL") or f"sqlite:///{env.VAR_DIR / 'goodskin.sqlite3'}",
        # Reuse connections for a minute: opening one per request costs more than most requests.
        conn_max_age=env.integer("DATABASE_CONN_MAX_AGE", default=60),
        conn_health_checks=True,
    )
}
# The keyring (per-person data keys and the erasure journal) lives in its own database, backed up
# apart from the data: restoring a data backup never brings back a destroyed key (docs/adr/0007).
DATABASES["keyring"] = dj_database_url.parse(
    env.text("KEYRING_DATABASE_URL") or f"sqlite:///{env.VAR_DIR / 'keyring.sqlite3'}"
)
DATABASE_ROUTERS = ["goodskin.vault.routers.KeyringRouter"]
for database in DATABASES.values():
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web process read while the worker writes; IMMEDIATE takes the write lock at
        # BEGIN so two writers queue up instead of failing half-way with "database is locked".
        database["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "website:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "goodskin.accounts.passwords.ClinicWordsValidator"},
]
# Django's model backend, remembering each account's capabilities between requests.
AUTHENTICATION_BACKENDS = ["goodskin.accounts.backends.CapabilityBackend"]
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour: a reset link is a key to the account

# Sessions end after 30 idle minutes and when the browser closes: a shared family computer in a
# waiting room must not keep a patient signed in.
SESSION_COOKIE_AGE = 30 * 60
# Staff sessions are shorter (core/middleware.py, applied by config/middleware.py): 15 idle
# minutes, 12 hours at most.
STAFF_IDLE_MINUTES = 15
STAFF_SESSION_HOURS = 12
# High-risk staff actions (exports, erasure, publishing, releasing a hold, role changes) ask for
# the second factor again when it was last given longer ago than this.
STAFF_STEP_UP_MINUTES = 5
# How the console's doors ask for it again (core.doors cannot import the accounts app).
STAFF_STEP_UP = "goodskin.accounts.factors.step_up"
# Passkeys are bound to this domain; by default the host the request came to (already checked
# against ALLOWED_HOSTS). Set it when the console is reached under several names.
WEBAUTHN_RP_ID = env.text("WEBAUTHN_RP_ID", default="")
# The bearer token Prometheus sends to /metrics; unset, /metrics answers 401 to everyone.
METRICS_TOKEN = env.text("METRICS_TOKEN", default="")
# One account reading more different people than this in an hour alerts the privacy officer.
STAFF_READS_ALERT_PER_HOUR = env.integer("STAFF_READS_ALERT_PER_HOUR", default=60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"

# Sign-in limits (goodskin.accounts.actions.check_sign_in): tight for one account from one
# address, loose and slowing for one account from everywhere, so nobody can lock a person out of
# their own device by failing from elsewhere.
LOGIN_THROTTLE = {
    "window_seconds": 15 * 60,
    "per_account_and_address": 5,
    "per_address": 20,
    "per_account": 100,
    "per_account_slows_after": 10,
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "America/Los_Angeles"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Security baseline. Every page is served with a strict CSP: no inline script or style at all, and
# nothing from any other origin (the site loads no third-party fonts, scripts or images).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Geolocation only on our own pages: the nearest-clinic button asks the browser's permission.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(self), payment=(), usb=(), interest-cohort=()"
)
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.flag("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    if env.flag("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = [SITE_URL] if SITE_URL.startswith("https://") else []

# Email goes through one SMTP mailer. `make run` and the tests point it at a local aiosmtpd sink.
MAILERS = {
    "default": {
        "BACKEND": "goodskin.communications.smtp.SigningSmtpBackend",
        "OPTIONS": {
            "host": env.text("SMTP_HOST", "127.0.0.1"),
            "port": env.integer("SMTP_PORT", default=8025),
            "username": env.text("SMTP_USERNAME") or None,
            "password": env.text("SMTP_PASSWORD") or None,
            "use_tls": env.flag("SMTP_USE_TLS", default=False),
            "timeout": 20,
        },
    }
}
# Whether the mail server accepts SMTPUTF8 (RFC 6531): only then are addresses whose mailbox name is
# not ASCII accepted at intake, and sent that way (goodskin.core.validation).
SMTP_SMTPUTF8 = env.flag("SMTP_SMTPUTF8", default=False)
DEFAULT_FROM_EMAIL = env.text("EMAIL_FROM", "GoodSkin Clinics <no-reply@goodskinclinics.com>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
CLINIC_CONTACT_EMAIL = "info@goodskinclinics.com"
# Encrypted backups of the data database (manage.py backup); keep them off this machine too.
BACKUP_DIR = env.text("BACKUP_DIR") or str(env.VAR_DIR / "backups")
# Reminders about legal holds due for review go here.
# The compliance checks that take a browser and a minute (the crawl behind the cookie clause): on in
# production, where the nightly job runs them; off by default under `make run`, where they would
# hold the only task worker (and its mail) for a minute and need Chromium; CI switches them on.
COMPLIANCE_SLOW_CHECKS = env.flag("COMPLIANCE_SLOW_CHECKS", default=PRODUCTION)
PRIVACY_OFFICER_EMAIL = env.text("PRIVACY_OFFICER_EMAIL", "privacy.officer@goodskinclinics.com")
# Marketing goes from its own address, as mailbox providers ask, so an opt-out or a spam report
# about offers never touches the delivery of password resets.
MARKETING_FROM_EMAIL = env.text(
    "MARKETING_EMAIL_FROM", "GoodSkin Clinics <news@goodskinclinics.com>"
)
UNSUBSCRIBE_MAILBOX = env.text("UNSUBSCRIBE_MAILBOX", "unsubscribe@goodskinclinics.com")
# CAN-SPAM asks every commercial message for a valid postal address; the policy gives this one.
CLINIC_POSTAL_ADDRESS = (
    "GoodSkin Clinics",
    _("Attn: Privacy"),  # the envelope line, in the reader's language
    "11760 San Vicente Blvd",
    "Los Angeles, CA 90049",
)
# DKIM signing (RFC 6376) covers the List-Unsubscribe headers, as RFC 8058 requires. Unset in
# development: the local mail sink does not check signatures.
DKIM_DOMAIN = env.text("DKIM_DOMAIN")
DKIM_SELECTOR = env.text("DKIM_SELECTOR")
DKIM_PRIVATE_KEY_FILE = env.text("DKIM_PRIVATE_KEY_FILE")
SMS_BACKEND = env.text("SMS_BACKEND", "goodskin.communications.sms.ConsoleSmsBackend")
# The text-message provider forwards replies (STOP) to /api/v1/sms/inbound with this shared secret.
SMS_WEBHOOK_SECRET = env.text("SMS_WEBHOOK_SECRET")
OUTBOX = {
    # Per recipient domain, so one provider never sees a burst it would throttle or bin.
    "DOMAIN_LIMIT": env.integer("OUTBOX_DOMAIN_LIMIT_PER_MINUTE", default=600),
    "BATCH_SIZE": 200,
    # Campaign messages are handed over this many at a time (one transaction for their checks);
    # a worker that dies mid-group leaves at most this many set aside, never re-sent.
    "HANDOVER_GROUP": 20,
    "MAX_ATTEMPTS": 8,
    # A worker that took messages and went quiet this long has died: untouched messages go back
    # in the queue; one caught mid-hand-over is set aside for a person to look at.
    "LEASE_SECONDS": env.integer("OUTBOX_LEASE_SECONDS", default=600),
}
# The privacy policy version a consent is given under; versioned policies replace this constant.
PRIVACY_POLICY_VERSION = "2026-11-29"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

NINJA_PAGINATION_PER_PAGE = 50

# Logs carry request ids, paths and status codes, never form values or identities: personal data
# stays in the database where the data map can find and erase it.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "goodskin.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            # One JSON object a line in production (for a log collector); plain text elsewhere.
            "formatter": env.text("LOG_FORMAT", "json" if PRODUCTION else "plain"),
        }
    },
    "root": {"handlers": ["console"], "level": env.text("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "mail.log": {"level": "WARNING"},  # aiosmtpd logs every recipient address at INFO
    },
}
