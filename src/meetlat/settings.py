"""Django settings for meetlat: typed environment readers, nothing else."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from meetlat.envconf import (
    database_from_url,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_secret,
    env_str,
)

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent

DATA_DIR = Path(env_str("MEETLAT_DATA_DIR", "./var")).resolve()
DEBUG = env_bool("MEETLAT_DEBUG", False)
SECRET_KEY = env_secret("MEETLAT_SECRET_KEY", generate_into=DATA_DIR / "secret_key")
ALLOWED_HOSTS = env_list("MEETLAT_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("MEETLAT_CSRF_TRUSTED_ORIGINS", [])
SECURE_COOKIES = env_bool("MEETLAT_SECURE_COOKIES", not DEBUG)
BROKER_URL = env_str("MEETLAT_BROKER_URL", "-")
JOBS_RUNNER = env_choice("MEETLAT_JOBS_RUNNER", "thread", ("thread", "inline"))
NODE_MODULES = Path(env_str("MEETLAT_NODE_MODULES", str(PROJECT_DIR / "node_modules")))
CUSTOMER_HASH_SECRET = env_secret(
    "MEETLAT_CUSTOMER_HASH_SECRET", generate_into=DATA_DIR / "customer_hash_secret"
)
MAX_UPLOAD_MB = env_int("MEETLAT_MAX_UPLOAD_MB", 200)

DATABASES = {
    "default": database_from_url(
        env_str("MEETLAT_DATABASE_URL", f"sqlite:///{DATA_DIR / 'meetlat.sqlite3'}")
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(str(DATABASES["default"]["NAME"])).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "meetlat.accounts",
    "meetlat.organisations",
    "meetlat.research",
    "meetlat.contacts",
    "meetlat.kpis",
    "meetlat.reports",
    "meetlat.jobs",
    "meetlat.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "meetlat.accounts.middleware.MembershipMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "meetlat.urls"
WSGI_APPLICATION = "meetlat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "meetlat.web.context_processors.navigation",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if env_bool("MEETLAT_FAST_PASSWORD_HASHER", False):  # tests only
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = env_int("MEETLAT_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if SECURE_COOKIES:
    SECURE_HSTS_SECONDS = env_int("MEETLAT_HSTS_SECONDS", 0)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves from finders and here
STATICFILES_DIRS: list[tuple[str, Path]] = [
    (prefix, NODE_MODULES / sub)
    for prefix, sub in [
        ("vendor/utrecht", "@utrecht/component-library-css/dist"),
        ("vendor/voorbeeld", "@nl-design-system-unstable/voorbeeld-design-tokens/dist"),
        ("vendor/htmx", "htmx.org/dist"),
        ("vendor/vega", "vega/build"),
        ("vendor/vega-lite", "vega-lite/build"),
        ("vendor/vega-embed", "vega-embed/build"),
    ]
    if (NODE_MODULES / sub).is_dir()
]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = env_str("MEETLAT_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("MEETLAT_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("MEETLAT_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("MEETLAT_DEFAULT_FROM_EMAIL", "meetlat@localhost")

CELERY_BROKER_URL = BROKER_URL if BROKER_URL != "-" else "memory://"
CELERY_TASK_ALWAYS_EAGER = BROKER_URL == "-"
CELERY_TASK_EAGER_PROPAGATES = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("MEETLAT_LOG_LEVEL", "WARNING")},
}
