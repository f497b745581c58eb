"""Settings shared by every environment, read from the environment with embedded defaults.

With nothing set the site runs on a SQLite file, Celery runs tasks eagerly in the
web process and the cache is local memory. ``DATABASE_URL`` switches to
PostgreSQL; ``CELERY_BROKER_URL`` / ``REDIS_URL`` switch to Redis as broker and cache.
"""

import re
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from learning.opendata.rates import THROTTLE_RATE

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A .env file beside manage.py is read when present (never committed).
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "learning.core",
    "learning.accounts",
    "learning.accounts.apps.WagtailUsersConfig",
    "learning.localities",
    "learning.progress",
    "learning.campaigns",
    "learning.certificates",
    "learning.notifications",
    "learning.audit",
    "learning.stats",
    "learning.xapi",
    "learning.api",
    "rest_framework_api_key",  # the hashing and base model of learning.opendata's keys
    "learning.opendata",
    "learning.site",
    "courses",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI from the site's own static files, no CDN
    "csp",
    "django_celery_beat",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Pages and JSON compressed (a lesson: 7.7 KB of HTML → about 3 KB). BREACH: Django pads each gzip answer
    # with random bytes and masks the CSRF token afresh per request (docs/architecture.md, "Compression").
    "django.middleware.gzip.GZipMiddleware",
    "learning.api.errors.JsonApiErrorsMiddleware",  # sees every error page drawn below it
    "learning.site.headers.ContentSecurityPolicyMiddleware",
    "learning.site.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "learning.core.replicas.PrimaryAfterWriteMiddleware",  # only with DATABASE_REPLICA_URL
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "learning.site.guard.RequestGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

# --- Security headers ---------------------------------------------------------------------------
# Content-Security-Policy (django-csp): scripts, styles, fonts and frames only from this site; no inline
# script, no plugin, no foreign form target. CSP_REPORT_URI (optional) receives violation reports.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "media-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
        **({"report-uri": [env("CSP_REPORT_URI")]} if env("CSP_REPORT_URI", default="") else {}),
    },
}
# Added on /admin/ and /django-admin/ only: Wagtail's inline panels and date pickers write inline scripts.
CSP_ADMIN_UPDATE = {"script-src": ["'unsafe-inline'"], "style-src": ["'unsafe-inline'"]}
# Permissions-Policy (learning/site/headers.py): features no page of the site uses are off for every page.
PERMISSIONS_POLICY = env(
    "PERMISSIONS_POLICY",
    default="camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), midi=(), browsing-topics=(), "
    "fullscreen=(self)",
)

ROOT_URLCONF = "learning.urls"
WSGI_APPLICATION = "learning.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "learning" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "learning.site.context_processors.site_links",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "DATABASE_PREPARED_STATEMENTS", default=True
):  # psycopg prepares what learning/core/sql.py sends after 5 runs (Django turns preparing off by default)
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout keep the dev server and an eager task from locking each other out.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Organiser reads (statistics, people lists, exports, reports) on streaming replicas, when set: one or more
# URLs, comma-separated. Routing, lag and fallback: learning/core/replicas.py.
DATABASE_REPLICAS = []
for _number, _url in enumerate(filter(None, env.list("DATABASE_REPLICA_URL", default=[])), 1):
    _alias = "replica" if _number == 1 else f"replica_{_number}"
    DATABASES[_alias] = {
        **env.db_url_config(_url),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
    _timeout = env.int("DATABASE_REPLICA_CONNECT_TIMEOUT", default=2)  # seconds; then reads go to the primary
    DATABASES[_alias].setdefault("OPTIONS", {})["connect_timeout"] = _timeout
    DATABASE_REPLICAS.append(_alias)
DATABASE_ROUTERS = ["learning.core.replicas.ReplicaRouter"] if DATABASE_REPLICAS else []
REPLICA_CHECK_SECONDS = env.float("REPLICA_CHECK_SECONDS", default=5)  # how often a process probes a replica
REPLICA_LAG_NOTICE_SECONDS = env.int("REPLICA_LAG_NOTICE_SECONDS", default=120)  # "figures up to 20:41" above
REPLICA_PIN_SECONDS = env.int("REPLICA_PIN_SECONDS", default=10)  # reads on the primary after a browser wrote

# --- Cache, broker ------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
if REDIS_URL:
    # The cache is optional: while Redis does not answer, reads miss and writes stay in the process's memory
    # (learning/core/cache.py), and after a failure Redis is left alone for CACHE_RETRY_SECONDS.
    CACHES = {
        "default": {
            "BACKEND": "learning.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": env.float("CACHE_SOCKET_TIMEOUT", default=0.5),
                "socket_timeout": env.float("CACHE_SOCKET_TIMEOUT", default=0.5),
                "RETRY_SECONDS": env.float("CACHE_RETRY_SECONDS", default=5.0),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions live in the database (Django's default, said here on purpose): a Redis outage signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# With no broker configured, tasks run in the calling process so the site just works.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or None)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers outlive a broker outage: reconnect for ever, and give back (not keep running) the late-acknowledged
# tasks whose message the lost connection could no longer acknowledge — the broker redelivers them.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# A message taken by a worker that died is delivered again after this many seconds (Redis keeps it in its
# "unacked" set until then): a few minutes above the longest step of any task, not the transport's hour.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=900)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": 5,
    "socket_keepalive": True,
    "health_check_interval": 25,
    "retry_on_timeout": True,
}
# Publishing a task while the broker is down gives up after about a second (the caller logs it and the
# periodic sweeps pick the work up), instead of holding a request for Celery's default retries.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.3, "interval_max": 0.5}
CELERY_RESULT_BACKEND_ALWAYS_RETRY = True
CELERY_RESULT_BACKEND_MAX_RETRIES = 10
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 5
CELERY_REDIS_SOCKET_TIMEOUT = 30
CELERY_REDIS_RETRY_ON_TIMEOUT = True
CELERY_REDIS_BACKEND_HEALTH_CHECK_INTERVAL = 25
# Queues that cannot starve each other: what a person waits for (codes, activation messages, reminders, the
# health check's ping) never queues behind statistics, reports or roster imports. deploy/start-worker.sh takes
# the queues to consume from CELERY_QUEUES (all by default); deploy/compose.yaml runs one worker for
# "interactive" and one for the heavy queues. Exact names are matched before the patterns.
CELERY_QUEUE_NAMES = ["interactive", "stats", "reports", "imports", "xapi"]
# /healthz?worker=1 answers 503 when one of these has no worker.
HEALTH_REQUIRED_QUEUES = env.list(
    "HEALTH_REQUIRED_QUEUES", default=["interactive", "stats", "reports", "imports", "xapi"]
)
CELERY_TASK_DEFAULT_QUEUE = "interactive"
CELERY_TASK_ROUTES = {
    "stats.generate_report": {"queue": "reports"},
    "stats.schedule_reports": {"queue": "reports"},
    "campaigns.import_roster": {"queue": "imports"},
    "campaigns.populate_assignment": {"queue": "imports"},
    "campaigns.populate_all_assignments": {"queue": "imports"},
    "campaigns.send_roster_activations": {"queue": "interactive"},
    "campaigns.send_reminders": {"queue": "interactive"},
    "campaigns.remind_overdue": {"queue": "interactive"},
    "stats.*": {"queue": "stats"},
    "imports.*": {"queue": "imports"},
    "reports.*": {"queue": "reports"},
    "xapi.*": {"queue": "xapi"},
    "campaigns.*": {"queue": "imports"},
    "site.forget_old_records": {"queue": "imports"},  # nightly batch deletes, with the heavy work
    "accounts.*": {"queue": "interactive"},
    "notifications.*": {"queue": "interactive"},
    "progress.*": {"queue": "interactive"},
    "certificates.*": {"queue": "interactive"},
    "site.*": {"queue": "interactive"},
    "celery.*": {"queue": "interactive"},
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
# Installed into django-celery-beat's tables when beat starts; editable in the admin afterwards.
CELERY_BEAT_SCHEDULE = {
    "close-expired-quiz-attempts": {"task": "progress.close_expired_attempts", "schedule": 60.0},
    "populate-assignments": {"task": "campaigns.populate_all_assignments", "schedule": 24 * 60 * 60.0},
    # Deadline reminders, every morning at 08:00 (CELERY_TIMEZONE, Asia/Ho_Chi_Minh).
    "send-reminders": {"task": "campaigns.send_reminders", "schedule": crontab(hour=8, minute=0)},
    # Statistics: marked commune-days every minute (events also enqueue it), the last two days hourly
    # (deadlines pass without any event), and a full reconcile every night.
    "stats-refresh-dirty": {"task": "stats.refresh_dirty_counts", "schedule": 60.0},
    "stats-recompute-recent": {"task": "stats.recompute_recent_counts", "schedule": crontab(minute=5)},
    "stats-fill-all": {"task": "stats.fill_all_counts", "schedule": crontab(hour=2, minute=30)},
    # Last week's and last month's provincial reports, made once each (the run is safe to repeat).
    "stats-schedule-reports": {"task": "stats.schedule_reports", "schedule": crontab(hour=6, minute=0)},
    # Personal data kept no longer than needed (the retention settings below), every night.
    "forget-old-records": {"task": "site.forget_old_records", "schedule": crontab(hour=3, minute=15)},
}
# autodiscover_tasks() only finds each app's tasks.py; the worker must import this module too.
CELERY_IMPORTS = ["learning.campaigns.reminder_tasks"]
# Days before a deadline and after it passed on which the reminder job writes to people, and how.
REMINDER_DAYS_BEFORE = [int(d) for d in env.list("REMINDER_DAYS_BEFORE", default=["7", "3", "1"])]
REMINDER_DAYS_AFTER = [int(d) for d in env.list("REMINDER_DAYS_AFTER", default=["1", "7"])]
REMINDER_CHANNELS = env.list("REMINDER_CHANNELS", default=["in_app", "sms", "email"])

# --- Auth -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["learning.accounts.backends.PhoneBackend", "learning.accounts.oidc.OIDCBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "progress:my_learning"
LOGOUT_REDIRECT_URL = "/"

# --- Sign-in with an OpenID Connect provider (learning/accounts/oidc.py) ----------------------------
# VNeID or the province's identity system. Off unless OIDC_CLIENT_ID and the provider are given: the
# issuer (its discovery document is read from ISSUER/.well-known/openid-configuration), or
# OIDC_DISCOVERY_URL, or every endpoint below. Authorization code flow with PKCE, state and nonce; the
# ID token is verified against the provider's JWKS (OIDC_SIGN_ALGO, RS256 by default).
OIDC_RP_CLIENT_ID = env("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", default="")
OIDC_ISSUER = env("OIDC_ISSUER", default="")
OIDC_DISCOVERY_URL = env("OIDC_DISCOVERY_URL", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env("OIDC_USERINFO_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_JWKS_ENDPOINT", default="")
OIDC_RP_SCOPES = env("OIDC_SCOPES", default="openid profile phone")
OIDC_RP_SIGN_ALGO = env("OIDC_SIGN_ALGO", default="RS256")
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", default="VNeID")
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT_SECONDS", default=10)
OIDC_DISCOVERY_CACHE_SECONDS = env.int("OIDC_DISCOVERY_CACHE_SECONDS", default=3600)
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"

# --- Internationalisation --------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# The project's own catalogue first; then Vietnamese for library strings (Wagtail, Django) that the
# libraries' own catalogues lack — kept apart so `make messages` never touches it.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "libraries"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_CONTENT_LANGUAGES = [("vi", "Tiếng Việt")]

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "learning" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media"))
# Files only people with the right role may read (report files): outside MEDIA_ROOT, never given a URL,
# served through permission-checked views (learning/core/storage.py).
PRIVATE_ROOT = env("DJANGO_PRIVATE_ROOT", default=str(BASE_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "learning.core.storage.PrivateStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Wagtail ----------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Bình dân học vụ số"
# Addresses without diacritics ("mat-khau-an-toan"): they survive Zalo, SMS and copy-paste.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_USER_LOGIN_FORM = "courses.admin_ui.AdminLoginForm"
WAGTAIL_USER_TIME_ZONES = ["Asia/Ho_Chi_Minh"]  # editors' times in Vietnam's time, not a list of 600 zones
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "txt", "csv", "zip", "vtt", "mp4", "webm"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# --- API ----------------------------------------------------------------------------------------
# Sign-in lockout (learning/accounts/signin.py), on the shared cache; the client address is read through
# this many trusted reverse proxies (0: REMOTE_ADDR only, X-Forwarded-For ignored).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
SIGNIN_MAX_FAILURES = env.int("SIGNIN_MAX_FAILURES", default=5)
SIGNIN_MAX_FAILURES_PER_ADDRESS = env.int("SIGNIN_MAX_FAILURES_PER_ADDRESS", default=30)
SIGNIN_LOCKOUT_MINUTES = env.int("SIGNIN_LOCKOUT_MINUTES", default=15)
# One-time SMS codes that prove a phone (sign-up verification, password reset): minutes a code stays valid,
# and seconds before another code may be sent to the same person (learning/accounts/verification.py).
PHONE_CODE_MINUTES = env.int("PHONE_CODE_MINUTES", default=15)
PHONE_CODE_RESEND_SECONDS = env.int("PHONE_CODE_RESEND_SECONDS", default=60)
# API tokens stop working this many days after they were issued.
API_TOKEN_LIFETIME_DAYS = env.int("API_TOKEN_LIFETIME_DAYS", default=30)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "learning.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "learning.api.schema.ApiAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "learning.api.pagination.LimitOffset",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "learning.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"auth": env("API_AUTH_THROTTLE", default="30/minute")},
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Bình dân học vụ số API",
    "DESCRIPTION": _("Learning platform API for the mobile app and other systems."),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["learning.api.schema.public_api_only"],
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "learning.api.schema.document_formats"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "TAGS": [
        {
            "name": "open-data",
            "description": (
                "Open statistics (Dữ liệu mở): daily counts per commune for the provincial data warehouse, with "
                "an API key (`Authorization: Api-Key <key>`), small counts suppressed; the Frictionless Data "
                "package at /api/v1/open/daily-counts/datapackage.json describes every column."
            ),
        }
    ],
}
# The open dataset (learning/stats/opendata.py, learning/api/opendata.py): a count from 1 to
# OPEN_DATA_MIN_COUNT - 1 is published empty; a key without a rate of its own is limited to OPEN_DATA_THROTTLE;
# one request covers at most OPEN_DATA_MAX_DAYS days.
OPEN_DATA_MIN_COUNT = env.int("OPEN_DATA_MIN_COUNT", default=5)
OPEN_DATA_THROTTLE = env("OPEN_DATA_THROTTLE", default="60/minute")
if not re.match(THROTTLE_RATE, OPEN_DATA_THROTTLE):  # the form OpenDataKey's own rates are checked against
    raise ImproperlyConfigured(f"OPEN_DATA_THROTTLE={OPEN_DATA_THROTTLE!r}: write requests per period, e.g. 60/minute")
OPEN_DATA_MAX_DAYS = env.int("OPEN_DATA_MAX_DAYS", default=366)

# --- Notifications ------------------------------------------------------------------------
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="Bình dân học vụ số <no-reply@localhost>")
SMS_BACKEND = env("SMS_BACKEND", default="learning.notifications.sms.ConsoleSmsBackend")
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN", default="")
SMS_SENDER = env("SMS_SENDER", default="BDHVS")
SMS_GATEWAY_TIMEOUT = env.int("SMS_GATEWAY_TIMEOUT", default=10)
SMS_FILE = env("SMS_FILE", default="")  # FileSmsBackend writes one JSON line per message here
# Messages (learning/notifications): a sender holds a message for NOTIFICATIONS_SEND_LEASE_SECONDS; a message
# nobody sent within NOTIFICATIONS_PENDING_GRACE_SECONDS, or whose sender died, is sent by the sweep; a
# failed one is tried again after NOTIFICATIONS_RETRY_SECONDS, doubled each time, up to the maximum tries.
NOTIFICATIONS_SEND_LEASE_SECONDS = env.int("NOTIFICATIONS_SEND_LEASE_SECONDS", default=120)
NOTIFICATIONS_PENDING_GRACE_SECONDS = env.int("NOTIFICATIONS_PENDING_GRACE_SECONDS", default=120)
NOTIFICATIONS_RETRY_SECONDS = env.int("NOTIFICATIONS_RETRY_SECONDS", default=60)
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=6)
SWEEP_SECONDS = env.float("SWEEP_SECONDS", default=60.0)  # how often beat runs the sweeps below
CELERY_BEAT_SCHEDULE["retry-deliveries"] = {
    "task": "notifications.retry_deliveries",
    "schedule": SWEEP_SECONDS,
    "options": {"queue": "interactive"},
}
# Work that resumes: a roster import renews its lease at every committed batch, a report while it is made;
# the sweeps resume work whose lease ran out, up to JOB_MAX_ATTEMPTS times, then mark it failed with the
# reason (the organiser sees it and can try again).
JOB_LEASE_SECONDS = env.int("JOB_LEASE_SECONDS", default=300)
REPORT_LEASE_SECONDS = env.int("REPORT_LEASE_SECONDS", default=1200)
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", default=5)
CELERY_BEAT_SCHEDULE["resume-stuck-reports"] = {
    "task": "stats.resume_stuck_reports",
    "schedule": SWEEP_SECONDS,
    "options": {"queue": "interactive"},
}
ROSTER_IMPORT_BATCH_SIZE = env.int("ROSTER_IMPORT_BATCH_SIZE", default=2000)  # rows per committed batch
CELERY_BEAT_SCHEDULE["resume-stuck-rosters"] = {
    "task": "campaigns.resume_stuck_rosters",
    "schedule": SWEEP_SECONDS,
    "options": {"queue": "interactive"},
}

# --- Platform ---------------------------------------------------------------------------------
DEFAULT_PROVINCE_CODE = env("DEFAULT_PROVINCE_CODE", default="22")
# Longest time one lesson completion may record (seconds); more is refused as absurd.
MAX_LESSON_SECONDS = 8 * 60 * 60

# The address people are sent to in SMS and e-mails (activation codes, reminders); the admin's by default.
SITE_URL = env("SITE_URL", default="")
# Activation codes for people imported from a roster: wrong tries allowed, and days a code stays valid.
ACTIVATION_MAX_ATTEMPTS = env.int("ACTIVATION_MAX_ATTEMPTS", default=5)
ACTIVATION_CODE_DAYS = env.int("ACTIVATION_CODE_DAYS", default=30)
# Personal data protection (learning/site/retention.py runs nightly): days the access log of personal data,
# one-time SMS codes after they expired or were used, and delivered or failed notifications are kept.
ACCESS_LOG_RETENTION_DAYS = env.int("ACCESS_LOG_RETENTION_DAYS", default=365)
CODE_RETENTION_DAYS = env.int("CODE_RETENTION_DAYS", default=30)
NOTIFICATION_RETENTION_DAYS = env.int("NOTIFICATION_RETENTION_DAYS", default=365)
# The privacy policy people consent to at sign-up and activation (/privacy/); a new text needs a new version.
PRIVACY_POLICY_VERSION = env("PRIVACY_POLICY_VERSION", default="2026-01")
# Certificates: the issuing body printed on each one (copied when it is issued), an optional signature block
# (lines separated by "|", e.g. "Trưởng ban|Nguyễn Văn A"), and the verification lookups allowed per minute
# from one client address (the page and the API each).
CERTIFICATE_ISSUER = env("CERTIFICATE_ISSUER", default="Ban Chỉ đạo Bình dân học vụ số tỉnh Quảng Ninh")
CERTIFICATE_SIGNER = env("CERTIFICATE_SIGNER", default="")
CERTIFICATE_VERIFY_PER_MINUTE = env.int("CERTIFICATE_VERIFY_PER_MINUTE", default=30)
# Question bank imports (GIFT, Moodle XML): the largest file and the most questions in one file.
QUESTION_IMPORT_MAX_BYTES = env.int("QUESTION_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
QUESTION_IMPORT_MAX_QUESTIONS = env.int("QUESTION_IMPORT_MAX_QUESTIONS", default=5000)

# --- Spreadsheet imports (learning/imports: rosters and campaign targets) ----------------------
ROSTER_MAX_BYTES = env.int("ROSTER_MAX_BYTES", default=20 * 1024 * 1024)  # largest roster upload
ROSTER_MAX_ROWS = env.int("ROSTER_MAX_ROWS", default=200_000)  # people in one roster
TARGETS_MAX_BYTES = env.int("TARGETS_MAX_BYTES", default=5 * 1024 * 1024)  # largest targets upload
# An .xlsx is a zip: its parts together may unpack to at most this, the shared strings (and any other
# part read whole) to at most IMPORT_MAX_SHARED_STRINGS_BYTES, and the sheet read may span at most
# IMPORT_MAX_CELLS cells (rows × columns, empty ones included: that is what the reader allocates).
IMPORT_MAX_UNPACKED_BYTES = env.int("IMPORT_MAX_UNPACKED_BYTES", default=256 * 1024 * 1024)
IMPORT_MAX_SHARED_STRINGS_BYTES = env.int("IMPORT_MAX_SHARED_STRINGS_BYTES", default=64 * 1024 * 1024)
IMPORT_MAX_CELLS = env.int("IMPORT_MAX_CELLS", default=6_000_000)

# --- Learning records to the province (learning/xapi: xAPI statements through an outbox) -----------------
# The LRSs are configured in the admin (/django-admin/xapi/lrs/); the secret may stay in an environment variable
# named there. Learners appear as accounts on XAPI_HOMEPAGE whose name is an HMAC of their id with
# XAPI_ACTOR_SECRET (keep it fixed: a new secret makes every learner someone new to the warehouse).
XAPI_HOMEPAGE = env("XAPI_HOMEPAGE", default=SITE_URL or WAGTAILADMIN_BASE_URL)
XAPI_IRI_BASE = env("XAPI_IRI_BASE", default="")  # activities' and verbs' IRIs; XAPI_HOMEPAGE when empty
XAPI_ACTOR_SECRET = env("XAPI_ACTOR_SECRET", default="xapi-actor:" + SECRET_KEY)
XAPI_BATCH_SIZE = env.int("XAPI_BATCH_SIZE", default=500)  # statements per POST
XAPI_SEND_INTERVAL = env.float("XAPI_SEND_INTERVAL", default=15.0)  # seconds between beat's sending runs
XAPI_SEND_SECONDS = env.float("XAPI_SEND_SECONDS", default=50.0)  # one run's time; a longer backlog goes on at once
XAPI_LEASE_SECONDS = env.int("XAPI_LEASE_SECONDS", default=120)  # a dead sender's batch is sent again after this
XAPI_TIMEOUT_SECONDS = env.float("XAPI_TIMEOUT_SECONDS", default=30.0)
XAPI_RETRY_SECONDS = env.int("XAPI_RETRY_SECONDS", default=30)  # first back-off, doubled per failure …
XAPI_RETRY_MAX_SECONDS = env.int("XAPI_RETRY_MAX_SECONDS", default=30 * 60)  # … up to this
XAPI_LRS_CACHE_SECONDS = env.int("XAPI_LRS_CACHE_SECONDS", default=60)
XAPI_OVERDUE_LOOKBACK_DAYS = env.int("XAPI_OVERDUE_LOOKBACK_DAYS", default=7)
CELERY_BEAT_SCHEDULE["xapi-send-statements"] = {"task": "xapi.send_statements", "schedule": XAPI_SEND_INTERVAL}
CELERY_BEAT_SCHEDULE["xapi-sweep-overdue"] = {"task": "xapi.sweep_overdue", "schedule": crontab(hour=0, minute=20)}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # fontTools writes some 60 INFO lines each time a PDF report subsets its font.
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
