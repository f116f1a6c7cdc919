"""Settings shared by every environment (cookiecutter-django style, read with django-environ)."""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

# GENERAL
# ------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Development default only; production.py requires DJANGO_SECRET_KEY from the environment.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-not-secret-7f3a9c1e5d2b8a4f6e0c")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
TIME_ZONE = "Asia/Ho_Chi_Minh"
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# dd/mm/yyyy everywhere, whatever the active language.
DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATE_FORMAT = "d/m/Y"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
FORMAT_MODULE_PATH = ["config.formats"]

# DATABASES
# ------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# A persistent connection (CONN_MAX_AGE in production) is checked before a request reuses it, so after a
# database restart the first request of each process reconnects instead of failing.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# URLS
# ------------------------------------------------------------------------------
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# APPS
# ------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.admin",
]
THIRD_PARTY_APPS = [
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",  # Bootstrap 5 static files from the django-bootstrap-static package
    "simple_history",
    "config.apps.AxesConfig",  # django-axes, named in Vietnamese in the admin
    "django_tasks",
    "config.apps.TasksConfig",  # django-tasks-db, named in Vietnamese in the admin
]
LOCAL_APPS = [
    "blocs",
    "documents",
    "pledges",
    "awards",
    "meetings",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# AUTHENTICATION
# ------------------------------------------------------------------------------
AUTH_USER_MODEL = "blocs.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # throttles failed logins first
    "blocs.backends.UserWithUnitBackend",  # Django's ModelBackend, with the user's unit and council
]
LOGIN_URL = "blocs:login"
LOGIN_REDIRECT_URL = "blocs:home"
LOGOUT_REDIRECT_URL = "blocs:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # 12 characters at least; Django's validator with a message the Vietnamese catalogue translates.
    {"NAME": "blocs.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Failed-login throttling (django-axes): lock a username+address pair after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Behind reverse proxies every request comes from a proxy's address, and one client's failures would lock
# the username for everyone. Each proxy appends the address it saw to X-Forwarded-For, so the client is the
# Nth address from the right behind N proxies. 0 (no proxy): REMOTE_ADDR, and X-Forwarded-For is ignored
# (a client could write anything in it).
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "blocs.client_address.client_ip"

# MIDDLEWARE
# ------------------------------------------------------------------------------
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy on every response (see SECURITY below)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "blocs.middleware.VietnameseFirstLocaleMiddleware",  # Vietnamese whatever the browser asks
    # Refuses an oversized body, or an anonymous one outside the login form, before CSRF reads it.
    "blocs.middleware.RequestBodyLimitMiddleware",
    "blocs.middleware.DownloadNoStoreMiddleware",  # files are never kept in a browser's or proxy's cache
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login except the login page itself.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A password an officer set must be changed before anything else (needs the user and the messages).
    "blocs.middleware.PasswordChangeRequiredMiddleware",
    # A superuser on a portal without a council goes to the first steps, not to a 404.
    "blocs.middleware.FirstRunMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

# STATIC AND MEDIA
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"
# Stored files (issued documents, scans, files made by jobs): on this host's disk, or in an S3-compatible
# bucket when the portal runs on several hosts. The bucket is private: every download goes through the
# portal's access check (blocs.web.stored_file_response), never a bucket URL.
STORAGE_BACKEND = env.str("STORAGE_BACKEND", default="local")
if STORAGE_BACKEND == "local":
    DEFAULT_STORAGE: dict = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif STORAGE_BACKEND == "s3":
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET"),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default=None),
            "region_name": env.str("S3_REGION", default=None),
            "access_key": env.str("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env.str("S3_SECRET_ACCESS_KEY", default=None),
            "location": env.str("S3_PREFIX", default=""),
            "default_acl": "private",
            "querystring_auth": True,
            # A name is never reused: an issued document is never overwritten by another with its name.
            "file_overwrite": False,
            # A download streams from the bucket; past this size a read spools to a temporary file instead of
            # holding the whole object in the web process's memory.
            "max_memory_size": 5 * 1024 * 1024,
        },
    }
else:
    raise ImproperlyConfigured(f"STORAGE_BACKEND must be 'local' or 's3', not {STORAGE_BACKEND!r}")
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded scans: size limit in bytes (20 MB unless the deployment sets another).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# A file up to this size is held in memory while a request parses it, a larger one goes to a temporary
# file: per web process at most this much of an upload sits in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The fields of a form other than its file (the longest are a conference's results and a pledge's text,
# tens of kilobytes); Django refuses more with a 400. A body may then be at most UPLOAD_MAX_BYTES plus this
# (blocs.middleware.RequestBodyLimitMiddleware refuses it before anything reads it).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

# TEMPLATES
# ------------------------------------------------------------------------------
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
                "django.template.context_processors.i18n",
                "blocs.context_processors.nav",
            ],
        },
    }
]
# Django's form renderer with the input and select widgets written in Python (same markup, a fraction of
# the time on pages of a few hundred widgets).
FORM_RENDERER = "blocs.renderers.FastWidgetRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# SESSIONS AND CACHE
# ------------------------------------------------------------------------------
# Sessions live in the database so web processes stay stateless.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 10

# SECURITY
# ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp 4): only the portal's own files run or style a page. No inline
# script, event handler or style attribute anywhere (templates put them in static/js and static/css), so
# an injected <script> or onclick= does nothing. img-src allows data: for Bootstrap's SVG icons in CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# BACKGROUND JOBS
# ------------------------------------------------------------------------------
# Django's Tasks API (the django-tasks backport; docs/architecture.md, "Background jobs"). "database": jobs
# wait in a table and `manage.py db_worker` runs them, on SQLite and PostgreSQL alike (production).
# "immediate": each job runs in the process that asked for it, after the request's commit (development
# and tests, with no worker to start).
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}


def tasks_setting(backend: str) -> dict:
    """The TASKS setting for one of TASK_BACKENDS' names."""
    if backend not in TASK_BACKENDS:
        raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {sorted(TASK_BACKENDS)}, not {backend!r}")
    return {"default": {"BACKEND": TASK_BACKENDS[backend]}}


TASKS = tasks_setting(env.str("TASKS_BACKEND", default="immediate"))
# A job that fails is tried again this many times in all before it is shown as failed (a user may retry).
FILE_JOB_MAX_ATTEMPTS = env.int("FILE_JOB_MAX_ATTEMPTS", default=2)
# `manage.py prune_jobs` (daily in production) deletes jobs finished longer ago than this, with their files,
# and the queue's finished task results: a made file is for downloading soon after, not an archive.
FILE_JOB_KEEP_DAYS = env.int("FILE_JOB_KEEP_DAYS", default=7)

# E-MAIL
# ------------------------------------------------------------------------------
# Notifications and the password reset send e-mail. EMAIL_URL picks the backend and the server:
# smtp+tls://user:password@mail.example.gov.vn:587 (STARTTLS; smtp+ssl:// for TLS from the start), or
# consolemail:// (prints each message: the default, so development and the demo show what would be sent).
# DJANGO_EMAIL_BACKEND, when set, wins over the URL's backend.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
EMAIL_BACKEND = env.str("DJANGO_EMAIL_BACKEND", default=EMAIL_CONFIG["EMAIL_BACKEND"])
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="Cổng khối thi đua <no-reply@localhost>")
SERVER_EMAIL = env.str("DJANGO_SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_SUBJECT_PREFIX = "[Cổng khối thi đua] "
# A password reset link works for one hour (Django's default is three days).
PASSWORD_RESET_TIMEOUT = 60 * 60
# The portal's own address, for the links of e-mails and the calendar feed (a job or a phone reading the
# feed has no request to build them from).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Reminders (manage.py send_reminders) go out this many days before a deadline, and once it has passed.
DEADLINE_REMINDER_DAYS = env.list("DEADLINE_REMINDER_DAYS", cast=int, default=[7, 1])

# LOGGING
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(asctime)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"level": "INFO", "handlers": ["console"]},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}

# PORTAL
# ------------------------------------------------------------------------------
PAGE_SIZE = 25
