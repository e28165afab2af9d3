"""Settings for cypeplan, read from the environment.

Development runs with DEBUG=1 and an embedded SQLite database; production sets
SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (PostgreSQL) and leaves DEBUG off.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DEBUG")

DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. With DEBUG off, set SECRET_KEY in the environment "
        "to a long random value (or set DEBUG=1 for development)."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cypeplan.apps.CypeplanConfig",
    "cypeplan.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_filters",
    "django_tables2",
    "simple_history",
    "csp",
    "axes",
    "themes",
    "actions",
    "scrutiny",
    "imports",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cypeplan.middleware.SessionSavedIfPossibleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cypeplan.middleware.PrivatePagesMiddleware",
    "cypeplan.middleware.session_activity",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cypeplan.middleware.refuse_nul_characters",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it watches sign-in attempts.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Locks out repeated failed sign-ins before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Behind the council's TLS-terminating proxies: PROXY_COUNT is how many stand between
# the internet and the app (each appends to X-Forwarded-For). BEHIND_PROXY=1 means one.
BEHIND_PROXY = env_flag("BEHIND_PROXY")
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "1" if BEHIND_PROXY else "0"))
if PROXY_COUNT < 0:
    raise ImproperlyConfigured("PROXY_COUNT is the number of proxies: 0 or more.")

# Five wrong passwords for one username from one address lock that username from that
# address for 15 minutes (so nobody can lock a colleague out from elsewhere); thirty from
# one address, whatever the usernames, lock the address (cypeplan/lockout.py).
AXES_HANDLER = "cypeplan.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "cypeplan.lockout.client_address"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "30"))
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Content-Security-Policy: our own scripts, styles and images only; nothing inline but
# the one <style> with this response's nonce that names the plan and date on printed pages.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# make bench and make loadtest add their floor page with ROOT_URLCONF=cypeplan.benchmark.
ROOT_URLCONF = os.environ.get("ROOT_URLCONF", "cypeplan.urls")

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "actions.context_processors.windows",
            ],
        },
    },
]

# Forms render through templates/django/forms/, in GOV.UK Frontend's markup.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "cypeplan.wsgi.application"


def database_from_environment():
    """SQLite in the project by default; PostgreSQL (psycopg 3) when DATABASE_URL says so."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    database = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # Several officers save at once: take the write lock when a transaction
        # begins (no upgrade deadlocks), let readers carry on under WAL, and wait
        # for a busy writer rather than failing at once.
        database["CONN_MAX_AGE"] = 0
        database["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
            ),
        }
        # Tests use a file, not memory, so live-server tests meet real concurrency.
        database["TEST"] = {
            "NAME": os.path.join(tempfile.gettempdir(), f"cypeplan-test-{os.getpid()}.sqlite3")
        }
    else:
        # PostgreSQL's JIT compiles the as-at queries afresh on every request (they cost
        # enough to trigger it) and is far slower than running them: 2.6 s against 0.1 s.
        database["OPTIONS"] = {**database.get("OPTIONS", {}), "options": "-c jit=off"}
        # One test database per test run, so two runs at once don't drop each other's.
        database["TEST"] = {"NAME": f"test_{database['NAME']}_{os.getpid()}"}
    return database


DATABASES = {"default": database_from_environment()}

# Results kept while nothing in the database changes (cypeplan/kept.py): each process its
# own. A kept page of a list is about 160 KB, the dashboard's counts and a notice a few;
# at most 200 of them: when full, the third least recently read make way.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "cypeplan-kept",
        "OPTIONS": {"MAX_ENTRIES": 200},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# dumpdata and loaddata keep times to the microsecond (cypeplan/serializers.py).
SERIALIZATION_MODULES = {"json": "cypeplan.serializers"}
# Where `manage.py backup` (make backup) writes its copies.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "backups"))

# The council's real plans, loadable by name: manage.py loaddata cype_directorate_plan_2022_24
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
# Moments in the 24-hour clock everywhere, the admin included (cypeplan/formats).
FORMAT_MODULE_PATH = ["cypeplan.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_flag("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# A shared PC left signed in: the session ends after a working day without a request
# (SESSION_IDLE_HOURS, 8 by default). Activity starts the count again, noted at most
# every SESSION_ACTIVITY_SECONDS so that reading pages doesn't write to the database.
SESSION_COOKIE_AGE = int(float(os.environ.get("SESSION_IDLE_HOURS", "8")) * 3600)
SESSION_ACTIVITY_SECONDS = 300
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# HTTPS only, in production: redirect plain HTTP and tell browsers never to use it
# (HSTS). Both default to on when DEBUG is off; HTTPS=0 turns them off for a server on
# plain local HTTP (make serve on 127.0.0.1).
HTTPS = env_flag("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# Load balancers check /healthz over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_flag("HSTS_PRELOAD", True)
# The browser features no page here uses, refused outright (cypeplan/middleware.py).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), "
    "fullscreen=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), "
    "payment=(), picture-in-picture=(), publickey-credentials-get=(), usb=(), "
    "screen-wake-lock=(), xr-spatial-tracking=()"
)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cypeplan@localhost")
# Where people reach the app, for links in emails sent outside a request (reminders).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The windows behind "stale" and "due soon" (see DOMAIN.md): how long an action may
# go without a progress update, and how far ahead a not-started action counts as at risk.
UPDATE_WINDOW_DAYS = int(os.environ.get("UPDATE_WINDOW_DAYS", "90"))
WARNING_WINDOW_DAYS = int(os.environ.get("WARNING_WINDOW_DAYS", "30"))

# The most actions a published report may hold for a download to make its Word or PDF
# file while the reader waits (the PDF takes about a minute per 1,000 actions, longer than
# a server's request timeout allows); a larger report's files are made in a process of
# their own, started when it is published in the browser, and its downloads say so meanwhile.
REPORT_DOCUMENTS_MADE_WHILE_WAITING = int(
    os.environ.get("REPORT_DOCUMENTS_MADE_WHILE_WAITING", "200")
)

# The largest spreadsheet a person may import, in bytes (10,000 actions fit in 2 MB).
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(5_000_000)))
# The most an .xlsx may unpack to (an .xlsx is a zip), as reading holds all of it in
# memory, about ten times over: workbooks unpack to two to six times their size (10,000
# actions to about 8 MB), a "zip bomb" to hundreds or thousands of times.
IMPORT_MAX_UNPACKED_BYTES = int(
    os.environ.get("IMPORT_MAX_UNPACKED_BYTES", str(5 * IMPORT_MAX_BYTES))
)

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # WeasyPrint warns about every screen-only CSS rule it skips when printing the report.
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}
