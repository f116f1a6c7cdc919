"""Production: every secret from the environment, HTTPS only, PostgreSQL expected."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405
# A kept connection is checked before reuse (base sets it; stated here, where connections are kept).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
# A transaction-pooling PgBouncer hands a server connection to another client between transactions, so a
# server-side cursor (QuerySet.iterator(), a ModelChoiceField's choices) would be lost: Django then fetches
# with client-side cursors.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DJANGO_DB_POOLER", default=False)  # noqa: F405

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 30)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Browsers' preload list takes a site only with a max-age of at least a year and includeSubDomains, and
# preload is hard to undo: it is derived from the max-age, so raising DJANGO_SECURE_HSTS_SECONDS to a year
# turns it on. DJANGO_SECURE_HSTS_PRELOAD can turn it off, never on below a year.
HSTS_PRELOAD_MIN_SECONDS = 365 * 24 * 60 * 60
SECURE_HSTS_PRELOAD = (
    SECURE_HSTS_SECONDS >= HSTS_PRELOAD_MIN_SECONDS
    and SECURE_HSTS_INCLUDE_SUBDOMAINS
    and env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
)
if not SECURE_HSTS_PRELOAD:
    # The deploy check warns that preload is off; below a year (or turned off) that is the intended state.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True

# Jobs wait in the database for `manage.py db_worker` unless the deployment says otherwise.
TASKS = tasks_setting(env.str("TASKS_BACKEND", default="database"))  # noqa: F405

STORAGES = {
    "default": DEFAULT_STORAGE,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
