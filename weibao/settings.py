"""Weibao settings: one module, driven by environment variables.

Development defaults work with no variables set. With WEIBAO_ENV=production the process refuses
to start without a real secret key and field-encryption key.
"""

from __future__ import annotations

import base64
import contextlib
import os
import secrets
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("WEIBAO_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


PRODUCTION = env_str("WEIBAO_ENV", "development") == "production"


def machine_key(name: str, make: Callable[[], str]) -> str:
    """A development key kept in var/keys/ of this checkout, made on first use (mode 0600): no
    key is published with the code, and a demo database stays readable across restarts."""
    path = VAR_DIR / "keys" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with (
            contextlib.suppress(FileExistsError),
            os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as handle,
        ):
            handle.write(make())
    return path.read_text().strip()


if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
    FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be set to a random value of 50+ characters.")
    if not FIELD_ENCRYPTION_KEY:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be set (a Fernet key).")
    # The audit chain's HMAC key and the backups' encryption key: never in the database.
    AUDIT_CHAIN_KEY = env_str("AUDIT_CHAIN_KEY")
    BACKUP_ENCRYPTION_KEY = env_str("BACKUP_ENCRYPTION_KEY")
    if len(AUDIT_CHAIN_KEY) < 32:
        raise ImproperlyConfigured(
            "AUDIT_CHAIN_KEY must be set to a random value of 32+ characters."
        )
    if len(BACKUP_ENCRYPTION_KEY) < 32:
        raise ImproperlyConfigured(
            "BACKUP_ENCRYPTION_KEY must be set to a random value of 32+ characters."
        )
else:
    SECRET_KEY = env_str("SECRET_KEY") or machine_key(
        "secret_key", lambda: secrets.token_urlsafe(50)
    )
    FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY") or machine_key(
        "field_key", lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    )
    AUDIT_CHAIN_KEY = env_str("AUDIT_CHAIN_KEY") or machine_key(
        "audit_chain_key", lambda: secrets.token_urlsafe(48)
    )
    BACKUP_ENCRYPTION_KEY = env_str("BACKUP_ENCRYPTION_KEY") or machine_key(
        "backup_key", lambda: secrets.token_urlsafe(48)
    )

# The algorithms of field encryption and of the blind index (weibao.kit.crypto): "fernet" or
# "sm4", "hmac-sha256" or "hmac-sm3" (GB/T 39786). After a change, or a new first key in
# FIELD_ENCRYPTION_KEY ("new,old"), run `manage.py rekey`.
FIELD_CIPHER = env_str("FIELD_CIPHER", "fernet")
BLIND_INDEX = env_str("BLIND_INDEX", "hmac-sha256")

# Off unless asked for (DEBUG=1): the demo serves users, not developers.
DEBUG = env_bool("DEBUG", False)
# Django's own debug pages (tracebacks, the URL list) instead of the platform's error pages when
# DEBUG is on: for a developer. Otherwise users see the platform's own.
DEBUG_ERROR_PAGES = env_bool("DEBUG_ERROR_PAGES", False)
CSRF_FAILURE_VIEW = "weibao.core.errors.csrf_failure"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["*"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "csp",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "weibao.accounts",
    "weibao.audit",
    "weibao.core",
    "weibao.people",
    "weibao.schools",
    "weibao.notices",
    "weibao.legalvp",
    "weibao.staffchecks",
    "weibao.atrisk",
    "weibao.drowning",
    "weibao.venues",
    "weibao.education",
    "weibao.casework",
    "weibao.family",
    "weibao.care",
    "weibao.crimes",
    "weibao.stats",
    "weibao.mechanisms",
    "weibao.api",
    "weibao.retention",
    "weibao.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "weibao.core.language.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "weibao.core.errors.ErrorPagesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "weibao.core.ratelimit.RateLimitMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "weibao.accounts.middleware.NoStoreMiddleware",
    "weibao.accounts.middleware.IdleSessionMiddleware",
    "weibao.accounts.middleware.SecurityPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "weibao.audit.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "weibao.urls"
WSGI_APPLICATION = "weibao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "weibao" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "weibao.core.context_processors.shell",
            ],
        },
    },
]

# Database: SQLite under var/ by default; PostgreSQL (or any) through DATABASE_URL.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'weibao.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; IMMEDIATE takes the write lock at
    # the start of a transaction so two writers queue on the busy timeout instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
# How long one SQL statement may run on PostgreSQL before it is cancelled. Web requests (gunicorn
# loads weibao.wsgi, which sets WEIBAO_PROCESS=web): DB_STATEMENT_TIMEOUT_SECONDS [30], under
# gunicorn's --timeout [60], so a runaway query ends as an error page, not as a killed worker.
# The worker, the scheduler and commands run long jobs: DB_JOB_STATEMENT_TIMEOUT_SECONDS [0, none].
WEB_PROCESS = env_str("WEIBAO_PROCESS") == "web"
DB_STATEMENT_TIMEOUT_SECONDS = (
    env_int("DB_STATEMENT_TIMEOUT_SECONDS", 30)
    if WEB_PROCESS
    else env_int("DB_JOB_STATEMENT_TIMEOUT_SECONDS", 0)
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and (
    DB_STATEMENT_TIMEOUT_SECONDS > 0
):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={DB_STATEMENT_TIMEOUT_SECONDS * 1000}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Password policy (等保 level 3): 8+ characters, 3 of 4 classes, not the username, 90-day age.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "weibao.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "weibao.accounts.passwords.NotUsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 90)
# API tokens expire this many days after they are issued (weibao.accounts.tokens).
API_TOKEN_MAX_AGE_DAYS = env_int("API_TOKEN_MAX_AGE_DAYS", 90)
# Roles that must use a one-time code at every login.
OTP_REQUIRED_ROLES = ["sysadmin", "auditor"]
OTP_TOTP_ISSUER = "Weibao 未保"

# The reverse proxies in front of the web server (addresses or networks, comma-separated): only
# they may name the client in X-Forwarded-For. Empty: the client is REMOTE_ADDR.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])

# Lockout: 5 failures lock an account for the address they came from, and 5 failures from one
# address (whatever the usernames) lock that address, for 30 minutes. An account is never locked
# from every address, so nobody can lock a colleague out by typing wrong passwords for them.
# A successful login clears only its own account-and-address failures
# (weibao.accounts.signals), never those another username left from the same address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "weibao.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "weibao.kit.http.client_ip"

# Rate limits (weibao.kit.ratelimit), each (times, seconds) over a sliding window counted in the
# database (weibao.core.ratelimit: one table, so every gunicorn worker shares the count). Logins
# and API tokens by account and by address besides the lockout; reveals of full ID numbers and
# phones, searches by ID number and duplicate hits on registration per user, the first refusal
# in a window alerting the auditors. (0, 0) switches one off.
RATE_LIMITS = {
    "login": (env_int("RATE_LOGIN_PER_MINUTE", 6), 60),
    "token": (env_int("RATE_TOKEN_PER_MINUTE", 6), 60),
    "reveal": (env_int("RATE_REVEAL_PER_HOUR", 20), 3600),
    "id_lookup": (env_int("RATE_ID_LOOKUP_PER_HOUR", 30), 3600),
    "duplicate": (env_int("RATE_DUPLICATE_PER_HOUR", 10), 3600),
}

# Idle sessions end after 30 minutes: IdleSessionMiddleware moves the expiry forward on the
# user's own requests (at most once a minute), never on a page's polls.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content Security Policy: everything from this server; scripts need the per-request nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Language and time.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Dates read and typed as 2026-12-02 in both languages (weibao/kit/formats/common.py).
FORMAT_MODULE_PATH = ["weibao.kit.formats"]

# Static files, served by WhiteNoise; no CDN anywhere.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "weibao" / "static"]
# Outside production the files are served from the apps' folders, no collectstatic needed.
WHITENOISE_USE_FINDERS = not PRODUCTION

# Attachments live outside the web root and are served only through a checked view.
STORAGES = {
    "default": {
        "BACKEND": env_str("FILE_STORAGE", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": {"location": env_str("FILE_ROOT", str(VAR_DIR / "files"))},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_MB", 20) * 1024 * 1024
# Each kind of file its own limit within that (weibao.kit.filetypes; documents, spreadsheets
# and presentations: the limit above).
UPLOAD_MAX_BYTES = {"image": env_int("IMAGE_MAX_MB", 10) * 1024 * 1024}
ATTACHMENT_EXTENSIONS = [
    "pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "ppt", "pptx", "txt", "csv",
    "jpg", "jpeg", "png", "gif", "webp",
]  # fmt: skip
# Exports that carry personal data (core.services.export_store): the file is deleted after this
# many downloads or days, whichever comes first; the user may protect it with a password.
EXPORT_DOWNLOADS = env_int("EXPORT_DOWNLOADS", 1)
EXPORT_EXPIRY_DAYS = env_int("EXPORT_EXPIRY_DAYS", 7)
# A form's fields (not its files). The longest form holds 50,000 characters of minutes or about
# 100,000 in all of its text fields; Chinese text is 9 bytes a character once URL-encoded, so
# ~1 MB: 5 MB leaves room. Beyond it the user gets the "too much text" page (weibao.core.errors).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The audit log (weibao.audit.chain): AUDIT_CHAINS independent HMAC chains, so writers do not
# queue on one lock (1 gives the old single chain); a signed checkpoint of every chain's head is
# written to AUDIT_CHECKPOINT_DIR (outside the database) every AUDIT_CHECKPOINT_MINUTES and
# before every backup; the newest AUDIT_CHECKPOINT_KEEP are kept.
AUDIT_CHAINS = env_int("AUDIT_CHAINS", 16)
# The links' and checkpoints' MAC: "hmac-sha256", or "hmac-sm3" (GB/T 39786); rows keep theirs.
AUDIT_CHAIN_MAC = env_str("AUDIT_CHAIN_MAC", "hmac-sha256")
AUDIT_CHECKPOINT_DIR = Path(env_str("AUDIT_CHECKPOINT_DIR", str(VAR_DIR / "audit-checkpoints")))
AUDIT_CHECKPOINT_MINUTES = env_int("AUDIT_CHECKPOINT_MINUTES", 10)
AUDIT_CHECKPOINT_KEEP = env_int("AUDIT_CHECKPOINT_KEEP", 1000)
# `manage.py backup` writes its encrypted archives here (weibao.core.backup).
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(VAR_DIR / "backups")))

# Background work: the database-backed task queue, run by `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": env_str("TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 5)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 5)
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 30)
# The address users reach the site at, put in front of links in robot messages and e-mails.
SITE_URL = env_str("SITE_URL", "")

# E-mail goes out only when SMTP is configured.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "weibao@localhost")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.locmem.EmailBackend"
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "weibao.core.api.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["weibao.core.api.IsActiveMember"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "weibao.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "weibao.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Weibao API",
    "DESCRIPTION": _("Minors' linked-protection platform"),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for a choice set that several fields share.
    "ENUM_NAME_OVERRIDES": {"EquipmentStateEnum": "weibao.drowning.models.EquipmentState"},
    # Every operation documents the error statuses it can answer with (400, 401, 403, 404, ...).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "weibao.api.schema.add_error_responses",
        "weibao.api.schema.optional_withheld",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Statistics: a count of children below this is shown as "<5" to viewers outside the lead
# agencies (the procuratorate and the county coordinator), with the cells that would give it away.
STATS_SMALL_CELL = env_int("STATS_SMALL_CELL", 5)
