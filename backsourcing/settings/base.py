"""Settings shared by every environment, read from the environment (django-environ)."""

import contextlib
from decimal import Decimal
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django_guid.integrations import CeleryIntegration

from core.observability import init_sentry, logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Third party
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "django_htmx",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "django_celery_beat",
    "django_guid",
    "django_prometheus",
    # Ours
    "core",
    "currencies",
    "accounts",
    "web",
    "contracts",
    "transition",
    "raid",
    "reminders",
    "api",
    "imports",
    "health",
]

MIDDLEWARE = [
    # Outermost, so request counts and latencies cover every other middleware.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # The request id, before anything that logs (docs/operations.md, "Logs, metrics and errors").
    "django_guid.middleware.guid_middleware",
    # Django's SecurityMiddleware, but a plain-HTTP trial on localhost is not redirected
    # (web/https.py; docs/operations.md, "Host names and HTTPS").
    "web.https.LoopbackTrialSecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # /healthz and /readyz, before sessions and CommonMiddleware (health/middleware.py).
    "health.middleware.HealthProbeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The signed-in person's time zone for the moments a page shows (docs/reminders.md).
    "accounts.middleware.TimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last so it sees failed logins from every backend.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

# Django's W001 looks for its SecurityMiddleware by dotted path; web/checks.py runs its
# checks for our subclass instead.
SILENCED_SYSTEM_CHECKS = ["security.W001"]
# Production (docs/operations.md, "Host names and HTTPS"): plain HTTP is redirected to HTTPS,
# except on a loopback host name (localhost, 127.0.0.1, [::1]) listed in ALLOWED_HOSTS while
# this is true, for a first trial on one machine.
HTTP_LOOPBACK_TRIAL = env.bool("DJANGO_HTTP_LOOPBACK_TRIAL", default=True)

ROOT_URLCONF = "backsourcing.urls"
WSGI_APPLICATION = "backsourcing.wsgi.application"

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
                "reminders.context_processors.notifications",
                "csp.context_processors.nonce",
            ],
        },
    },
]


def database_config(config: dict) -> dict:
    """One database's settings, completed the same way in every settings module.

    PostgreSQL's JIT compiles any query whose estimated cost passes `jit_above_cost`: the
    board's ranking at dataset L spent 174 ms of its 400 ms compiling, to run for a few
    milliseconds. A web page's queries are short, so JIT is off for our connections unless
    DATABASE_JIT=true (docs/performance.md, "PostgreSQL settings"); it is a connection
    option, so it costs no query."""
    config["ATOMIC_REQUESTS"] = False
    if config["ENGINE"] == "django.db.backends.postgresql" and not env.bool(
        "DATABASE_JIT", default=False
    ):
        config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    return config


DATABASES = {
    "default": database_config(
        env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
    ),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
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
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")

# Stored files (contract documents, proofs of service, evidence, letter templates, background
# exports) go through Django's storage API only: in a private S3-compatible bucket when one
# is named, else under MEDIA_ROOT ("Documents and object storage" in docs/operations.md).
STORAGE_BUCKET = env.str("STORAGE_BUCKET", default="") or env.str(
    "AWS_STORAGE_BUCKET_NAME", default=""
)
if STORAGE_BUCKET:
    _bucket_options = {
        "bucket_name": STORAGE_BUCKET,
        "endpoint_url": env.str("STORAGE_ENDPOINT_URL", default="") or None,  # MinIO, Ceph…
        "region_name": env.str("STORAGE_REGION", default="") or None,
        "location": env.str("STORAGE_LOCATION", default=""),  # key prefix
        "addressing_style": env.str("STORAGE_ADDRESSING_STYLE", default="") or None,
        # Objects stay private (the bucket's policy decides) and are never overwritten: a
        # second "terms.pdf" gets a name of its own. Downloads stream through the app's
        # permission-checked views; a signed URL, should one ever be made, dies quickly.
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
        "querystring_expire": env.int("STORAGE_URL_EXPIRE_SECONDS", default=60),
        # A download is buffered before it is streamed: past this, on disk, not in memory.
        "max_memory_size": 2 * 1024 * 1024,
    }
    # Unset, boto3's own chain decides: AWS_* variables, a profile, an instance role.
    if _access_key := env.str("STORAGE_ACCESS_KEY_ID", default=""):
        _bucket_options["access_key"] = _access_key
        _bucket_options["secret_key"] = env.str("STORAGE_SECRET_ACCESS_KEY")
    _default_storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _bucket_options}
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="backsourcing@localhost")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Django 6 makes https the default scheme of URL form fields; opt in now.
FORMS_URLFIELD_ASSUME_HTTPS = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Axes: lock out an account/IP pair after repeated failed logins.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Only password attempts count: a refused single sign-on names no username (accounts/oidc.py).
AXES_WHITELIST_CALLABLE = "accounts.oidc.not_a_password_attempt"
# The address failures count against: REMOTE_ADDR, or, when the request comes from one of
# TRUSTED_PROXIES (addresses or CIDR networks), the client it forwarded in X-Forwarded-For
# (accounts/network.py; docs/security.md). Empty, the header is never believed.
TRUSTED_PROXIES = env.list("DJANGO_TRUSTED_PROXIES", default=[])
AXES_CLIENT_IP_CALLABLE = "accounts.network.client_ip"

# API tokens (accounts/models.py; docs/security.md): each expires this many days after issue.
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=30)

# Single sign-on with OpenID Connect (mozilla-django-oidc; accounts/oidc.py; docs/operations.md,
# "Single sign-on (OpenID Connect)"): off unless OIDC_RP_CLIENT_ID is set.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email profile")
OIDC_USE_PKCE = env.bool("OIDC_USE_PKCE", default=True)
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)  # seconds; a hung provider fails the sign-in
# The claim naming a person's groups or roles, and which of its values give which role.
OIDC_ROLE_CLAIM = env.str("OIDC_ROLE_CLAIM", default="groups")
OIDC_ROLE_MAP = env.dict("OIDC_ROLE_MAP", default={})
OIDC_LOGIN_LABEL = env.str("OIDC_LOGIN_LABEL", default="Sign in with single sign-on")
# With single sign-on on, only staff sign in with a password unless this is true.
OIDC_LOCAL_LOGIN_FOR_ALL = env.bool("OIDC_LOCAL_LOGIN_FOR_ALL", default=False)
# Our callback shows a refusal's reason on the sign-in page (accounts/views_oidc.py).
OIDC_CALLBACK_CLASS = "accounts.views_oidc.CallbackView"
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("accounts.oidc.RoleClaimBackend")

# Content-Security-Policy (django-csp; docs/security.md): only our own files, no inline
# script or style attribute, no eval. A page that ever needs inline code gives it the
# request's nonce (`{{ CSP_NONCE }}`).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        # Bootstrap draws form controls' icons from data: SVGs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Contract documents: validated type (extension and content, core/uploads.py) and size.
CONTRACT_DOCUMENT_EXTENSIONS = ["pdf", "docx", "doc", "xlsx", "xls", "odt", "txt", "png", "jpg"]
CONTRACT_DOCUMENT_MAX_BYTES = env.int("CONTRACT_DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
# Imports: reading one CSV/XLSX file stops after this many seconds (core/spreadsheets.py).
IMPORT_PARSE_SECONDS = env.int("IMPORT_PARSE_SECONDS", default=10)
# Exports (docs/import-export.md): a list with more rows than this is built by a Celery task
# and announced by a notification; the file can be downloaded by its owner for this long.
EXPORT_BACKGROUND_ROWS = env.int("EXPORT_BACKGROUND_ROWS", default=20_000)
EXPORT_FILE_HOURS = env.int("EXPORT_FILE_HOURS", default=48)
DEFAULT_CURRENCY = env.str("DEFAULT_CURRENCY", default="EUR")
# Money (docs/money.md, docs/business-case.md): portfolio totals are converted into the
# reporting currency; a business case discounts at this rate (%) unless its programme says
# otherwise, over this many years, with in-house labour costs growing by this much (%).
REPORTING_CURRENCY = env.str("REPORTING_CURRENCY", default="EUR")
BUSINESS_CASE_DISCOUNT_RATE = Decimal(env.str("BUSINESS_CASE_DISCOUNT_RATE", default="8"))
BUSINESS_CASE_HORIZON_YEARS = env.int("BUSINESS_CASE_HORIZON_YEARS", default=5)
BUSINESS_CASE_LABOUR_GROWTH = Decimal(env.str("BUSINESS_CASE_LABOUR_GROWTH", default="3"))
# Exit plans are reviewed this many months after approval unless a date is set
# (docs/exit-management.md).
EXIT_PLAN_REVIEW_MONTHS = env.int("EXIT_PLAN_REVIEW_MONTHS", default=12)
# The sender of notice letters (contracts/letters.py); the address may span lines ("\n").
COMPANY_NAME = env.str("COMPANY_NAME", default="Our company")
COMPANY_ADDRESS = env.str("COMPANY_ADDRESS", default="", multiline=True)

# The benchmark's "hello" page (bench/run.py, docs/performance.md): a view with no database
# and no session, the yardstick every page is timed against. Never on in normal production.
BENCHMARK_HELLO = env.bool("BENCHMARK_HELLO", default=False)

# Health checks (docs/operations.md): the extra host names (a load balancer's IP address,
# an internal name) that may reach /healthz and /readyz, and only those two paths. Loopback
# always may: the container probes itself (health/probe.py).
HEALTH_ALLOWED_HOSTS = [
    "localhost",
    "127.0.0.1",
    "[::1]",
    *env.list("HEALTH_ALLOWED_HOSTS", default=[]),
]

# Metrics (docs/operations.md, "Logs, metrics and errors"): /metrics answers only on the
# probe host names above and, when this is set, only with "Authorization: Bearer <token>".
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")

# Logs (docs/operations.md, "Logs, metrics and errors"): "plain" lines here (`make run`,
# tests), "json" in production; each line names its request id (django-guid).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = logging_config(LOG_FORMAT, LOG_LEVEL)
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    # An incoming X-Request-ID is kept only if it is a UUID; anything else is replaced.
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": False,
    # Tasks log the id of the request that enqueued them.
    "INTEGRATIONS": [CeleryIntegration()],
}

# Error reports (docs/operations.md): to Sentry when SENTRY_DSN is set, without personal data.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="production")
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
SENTRY_RELEASE = env.str("SENTRY_RELEASE", default="")
if SENTRY_DSN:
    init_sentry(
        dsn=SENTRY_DSN,
        environment=SENTRY_ENVIRONMENT,
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
        release=SENTRY_RELEASE,
    )

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    # drf-spectacular's, stating the codes, date spans and bounds the API checks (api/schema.py).
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
    # Services raise Django's ValidationError; the API answers 400 naming the fields.
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    # Writes per user; the token endpoint adds its own (api/throttling.py, docs/api.md).
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.WriteRateThrottle"],
}


def _rate(name: str, default: str) -> str | None:
    """A rate such as "10/min" from the environment; "off" (or empty) for no limit."""
    value = env.str(name, default=default).strip()
    return None if value.lower() in ("", "off", "none") else value


# Rate limits of the API, "<number>/<second|minute|hour|day>" (api/throttling.py).
API_THROTTLE_RATES = {
    "token": _rate("API_THROTTLE_TOKEN", "10/minute"),
    "writes": _rate("API_THROTTLE_WRITES", "120/minute"),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Backsourcing API",
    "DESCRIPTION": "Providers, contracts, programmes and the processes brought back in-house.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Separate request and response components, so read-only fields are not inputs.
    "COMPONENT_SPLIT_REQUEST": True,
    # Write bodies documented as JSON only (the views still parse forms): one content type
    # per operation is what generated clients handle. The uploads (a notice's proof, a
    # deliverable's evidence) say multipart/form-data instead (docs/api.md).
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    "ENUM_NAME_OVERRIDES": {
        "ProcessStateEnum": "transition.models.OutsourcedProcess.State",
        # A contract's notice_method and a notice's method: one set of choices, one name.
        "NoticeMethodEnum": "contracts.models.Contract.NoticeMethod",
        # A process's criticality and a RAID issue's severity: one set of choices, one name.
        "CriticalityEnum": "transition.models.OutsourcedProcess.Criticality",
        "RaidKindEnum": "raid.models.RaidItem.Kind",
        # Other fields named "kind" and "severity" keep the names they had alone.
        "KindEnum": "transition.models.Milestone.Kind",
        "SeverityEnum": "api.serializers.processes.SCHEDULE_SEVERITIES",
        # A KPI's RAG has grey (no actual yet); a process's has not: two names.
        "RagEnum": "transition.models.OutsourcedProcess.Rag",
        "KpiRagEnum": "api.serializers.scorecard.KPI_RAGS",
        "ExitPlanStatusEnum": "transition.models.ExitPlan.Status",
        "RemediationActionStatusEnum": "transition.models.RemediationAction.Status",
    },
    # 400, 403 and 404 documented wherever DRF can answer them (api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_error_responses",
        "api.schema.whole_number_ids",
    ],
    # Swagger UI and ReDoc assets come from drf-spectacular-sidecar: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Celery (backsourcing/celery.py reads every CELERY_ setting). Redis from REDIS_URL; without
# it, kombu's filesystem transport under var/ so `make run` needs no broker installed.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://localhost//")
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_DIR = VAR_DIR / "celery"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "store_processed": False,
    }
    with contextlib.suppress(OSError):  # a read-only checkout just cannot enqueue (logged)
        for _folder in ("queue", "control", "processed"):
            (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Longer than any countdown we use (retries back off for minutes): a message is
        # redelivered only when its worker died. Reminders never use long ETAs.
        "visibility_timeout": 3600,
        # Fail fast when Redis is down: the caller logs it and the next sweep catches up.
        "socket_connect_timeout": 2,
        "socket_timeout": 10,
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing gives up after about a second so a request never hangs on a dead broker.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_TASK_ACKS_LATE = True  # a task whose worker dies is redelivered; tasks are idempotent
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
CELERY_TASK_TIME_LIMIT = 12 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_REDIRECT_STDOUTS_LEVEL = "INFO"  # the console e-mail backend prints; not a warning
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Reminders (docs/reminders.md). Offsets are days before the due date;
# negative offsets are days after it (overdue).
REMINDER_OFFSETS = {
    "notice_deadline": [90, 60, 30, 14, 7, 1, 0],
    "dispatch_by": [14, 7, 1, 0],
    "decision_date": [14, 0],
    "milestone_due": [7, 1, -1],
    "asset_transfer_due": [7, -1],
    "eli_due": [14, 7, 0],
    "exit_date": [30, 7],
    "assistance_end": [30, 7],
    "raid_item_due": [7, 1, 0, -1],
    "deliverable_due": [7, 1, 0, -1],
    "exit_plan_review_due": [30, 7, 0, -1],
    "exit_plan_test_due": [30, 7, 0, -1],
    "remediation_action_due": [7, 1, 0, -1],
}
# After its last (overdue) offset a kind listed here repeats every N days until it is done.
REMINDER_REPEAT_DAYS = {
    "milestone_due": 7,
    "raid_item_due": 7,
    "deliverable_due": 7,
    "exit_plan_review_due": 7,
    "exit_plan_test_due": 7,
    "remediation_action_due": 7,
}
REMINDER_PLAN_AHEAD_DAYS = 7  # rows are planned this far ahead, so admins see what is coming
REMINDER_MAX_ATTEMPTS = 8
REMINDER_RETRY_BACKOFF_SECONDS = 5 * 60  # doubles after each failure ...
REMINDER_RETRY_BACKOFF_MAX_SECONDS = 6 * 60 * 60  # ... up to this
REMINDER_FALLBACK_GROUP = "Operations managers"
REMINDER_EMAIL_SUBJECT_PREFIX = "[Backsourcing] "
REMINDER_SWEEP_ON_WORKER_START = env.bool("REMINDER_SWEEP_ON_WORKER_START", default=True)
REMINDER_ENQUEUE_EXPIRES_SECONDS = 15 * 60
# Scaling out (docs/reminders.md): due rows go to batch tasks, one mail connection each.
REMINDER_BATCH_SIZE = 100
# A claimed batch not delivered by then (its worker died) is claimed again; longer than
# CELERY_TASK_TIME_LIMIT, so a batch still running is never handed out twice.
REMINDER_CLAIM_TIMEOUT_SECONDS = 15 * 60
# A pending row due this long without being sent counts as stuck (reminders/models.py,
# docs/operations.md): the sweep runs every 15 minutes, so a few sweeps have missed it.
REMINDER_STUCK_AFTER_MINUTES = env.int("REMINDER_STUCK_AFTER_MINUTES", default=60)
REMINDER_PLAN_INSERT_BATCH = 2000  # planned rows built and inserted per statement
# The periodic sweep re-plans every deadline at least this often (and on each new day, and
# after every announced change); in between it only hands out what is due.
REMINDER_REPLAN_SECONDS = 60 * 60
# A reminder reaches each person when this hour of its send day has come in their own time
# zone (docs/reminders.md, "Time zones"); 0: at midnight, the site's people as before.
REMINDER_LOCAL_SEND_HOUR = env.int("REMINDER_LOCAL_SEND_HOUR", default=0)

# Staff personal data is anonymised this many days after the process came in-house
# (docs/operations.md, "Privacy: staff personal data and audit history").
STAFF_DATA_RETENTION_DAYS = env.int("STAFF_DATA_RETENTION_DAYS", default=730)

# The mail server reminders go through (production uses SMTP; `make run` prints to the console).
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 30  # a hung mail server fails the attempt (recorded, retried) instead of the sweep

# The cache the rate limits (and the calendar feeds' Last-Modified) count in: Redis when
# REDIS_URL is set, shared by every worker and host; else this process's memory.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
